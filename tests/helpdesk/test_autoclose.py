"""Resolved tickets the requester never answered close themselves after 5 working days."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_ticket
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import services
from tickets.helpdesk.autoclose import close_stale_resolved
from tickets.helpdesk.models import AuditEvent, Status


def mx(text: str):
    return parse_local(text)


def resolved_ticket(operator, at: str):
    ticket = make_ticket(operator, now=mx("2021-11-08T09:00"), received_at=mx("2021-11-08T09:00"))
    services.assign(operator, ticket, operator, now=mx("2021-11-08T09:05"))
    services.transition(operator, ticket, Status.IN_PROGRESS, now=mx("2021-11-08T09:10"))
    services.transition(operator, ticket, Status.RESOLVED, now=mx(at))
    return ticket


def test_it_closes_after_the_fifth_working_day_and_not_before(ctx, operator):
    # Resolved Wednesday 10 November 2021; Monday the 15th is a holiday, so the fifth working
    # day after is Thursday the 18th; the ticket closes from Friday the 19th at 00:00.
    ticket = resolved_ticket(operator, "2021-11-10T12:00")
    assert close_stale_resolved(mx("2021-11-18T23:59")) == 0
    assert ticket.status is Status.RESOLVED

    assert close_stale_resolved(mx("2021-11-19T00:05")) == 1

    db.session.expire_all()
    assert ticket.status is Status.CLOSED
    assert ticket.closed_at == mx("2021-11-19T00:05")
    event = db.session.scalars(
        sa.select(AuditEvent).where(AuditEvent.ticket_id == ticket.id, AuditEvent.new == "closed")
    ).one()
    assert event.actor.is_system


def test_running_again_changes_nothing_and_open_or_reopened_tickets_stay(ctx, operator):
    resolved_ticket(operator, "2021-11-10T12:00")
    reopened = resolved_ticket(operator, "2021-11-10T12:00")
    services.transition(operator, reopened, Status.IN_PROGRESS, now=mx("2021-11-11T10:00"))
    make_ticket(operator, now=mx("2021-11-08T09:00"), received_at=mx("2021-11-08T09:00"))

    assert close_stale_resolved(mx("2021-11-22T08:00")) == 1
    assert close_stale_resolved(mx("2021-11-22T09:00")) == 0
    statuses = sorted(
        db.session.scalars(sa.select(AuditEvent.new).where(AuditEvent.new == "closed"))
    )
    assert statuses == ["closed"]
    assert reopened.status is Status.IN_PROGRESS
