"""The demo month under the SLA: its open tickets breach, and the sweep tells each assignee once.

The demo is November 2021 and today is years later, so every open ticket the demo leaves with a
running clock has missed its targets by the time a new user starts the desk.
"""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from tickets.accounts.models import Role, User
from tickets.core.db import utcnow
from tickets.core.timeutil import to_mx
from tickets.extensions import db
from tickets.helpdesk.models import Status, Ticket
from tickets.notifications.models import OutboxMessage
from tickets.sla import queries
from tickets.sla.display import sla_state
from tickets.sla.models import SlaBreach
from tickets.sla.services import Calendars
from tickets.sla.sweep import sweep


@pytest.fixture(scope="module")
def swept(app):
    """Load the demo, sweep twice a minute apart; keep plain values only."""
    assert app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"]).exit_code == 0
    with app.app_context():
        now = utcnow()
        breached = db.session.execute(
            sa.select(Ticket.id, Ticket.assignee_id, Ticket.status).where(queries.breached(now))
        ).all()
        recent = db.session.scalars(
            sa.select(Ticket).where(~Ticket.folio.startswith("TIC-2021-"))
        ).all()
        calendars = Calendars()
        levels = Counter(
            state.level for t in recent if (state := sla_state(t, now, calendars)) is not None
        )
        today = sum(1 for t in recent if to_mx(t.received_at).date() == to_mx(now).date())
        first, second = sweep(now), sweep(now)  # the same minute, as a second process would
        supervisor_id = db.session.scalar(
            sa.select(User.id).where(User.role == Role.SUPERVISOR, User.is_system.is_(False))
        )
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = str(supervisor_id), True
        snapshot = {
            "dashboard": client.get("/tablero/").get_data(as_text=True),
            "breached_count": db.session.scalar(
                sa.select(sa.func.count()).select_from(Ticket).where(queries.breached(utcnow()))
            ),
            "levels": levels,
            "today": today,
            "breached": breached,
            "first": first,
            "second": second,
            "breaches": db.session.execute(sa.select(SlaBreach.ticket_id, SlaBreach.target)).all(),
            "mails": db.session.execute(
                sa.select(OutboxMessage.ticket_id, OutboxMessage.to_address).where(
                    OutboxMessage.kind == "sla_breach"
                )
            ).all(),
            "assignees": dict(
                db.session.execute(
                    sa.select(Ticket.id, Ticket.assignee_id).where(Ticket.assignee_id.is_not(None))
                ).all()
            ),
        }
        db.session.remove()
    return snapshot


def test_open_demo_tickets_have_breached(swept):
    statuses = Counter(status for _id, _assignee, status in swept["breached"])
    assert sum(statuses.values()) >= 10
    assert statuses[Status.NEW] and statuses[Status.IN_PROGRESS]


def test_the_sweep_records_every_breach_once_and_a_second_sweep_adds_nothing(swept):
    breaches = swept["breaches"]
    assert swept["first"].breaches == len(breaches) >= len(swept["breached"])
    assert len(set(breaches)) == len(breaches)
    assert {ticket_id for ticket_id, _target in breaches} == {
        ticket_id for ticket_id, *_rest in swept["breached"]
    }
    assert (swept["second"].breaches, swept["second"].notices) == (0, 0)


def test_each_assignee_gets_one_mail_per_breach_of_their_tickets(swept):
    mails = Counter(ticket_id for ticket_id, _to in swept["mails"])
    per_ticket = Counter(ticket_id for ticket_id, _target in swept["breaches"])
    assigned = {t for t in per_ticket if t in swept["assignees"]}
    assert assigned, "some breached demo tickets have an assignee"
    assert {t: mails[t] for t in assigned} == {t: per_ticket[t] for t in assigned}
    assert not set(mails) - assigned  # nobody is told about a ticket that is not theirs


def test_recent_tickets_show_every_state_of_the_clock_whatever_the_hour(swept):
    levels = swept["levels"]
    assert levels["ok"] >= 3 and levels["risk"] >= 5 and levels["breached"] >= 3, levels
    assert swept["today"] >= 4  # the dashboard's volume by hour has something to show


def test_the_supervisor_dashboard_shows_the_demo_breaches(swept):
    page = swept["dashboard"]
    assert "Plazo vencido" in page
    assert f'id="total-vencidos">{swept["breached_count"]}<' in page
    assert swept["breached_count"] > 0
