"""Closing resolved tickets the requester never answered (issue 5, hourly job).

A requester has REOPEN_WORKING_DAYS working days after the resolution to confirm or reopen; once
that window ends the desk closes the ticket itself, so the queue and the monthly figures do not
keep "resolved" tickets forever. Each ticket closes in its own transaction through the ordinary
``transition``, with the system user as the actor in the audit trail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from tickets.core.errors import Conflict
from tickets.extensions import db
from tickets.helpdesk import services
from tickets.helpdesk.models import Status, Ticket


def stale_resolved(now: datetime) -> list[Ticket]:
    """Resolved tickets whose reopen window has ended by ``now``."""
    # N working days are at least N calendar days: a cheap bound before the exact check.
    bound = now - timedelta(days=services.REOPEN_WORKING_DAYS)
    candidates = db.session.scalars(
        sa.select(Ticket)
        .where(Ticket.status == Status.RESOLVED, Ticket.resolved_at <= bound)
        .order_by(Ticket.resolved_at, Ticket.id)
    ).all()
    return [ticket for ticket in candidates if services.reopen_deadline(ticket) <= now]


def close_stale_resolved(now: datetime) -> int:
    """Close every stale resolved ticket; returns how many were closed."""
    from tickets.accounts.services import system_user

    actor = system_user()
    closed = 0
    for ticket in stale_resolved(now):
        try:
            services.transition(actor, ticket, Status.CLOSED, now=now)
        except Conflict:  # someone reopened or closed it this very second: theirs stands
            continue
        closed += 1
    return closed
