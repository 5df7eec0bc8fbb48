"""The every-minute sweep: record each newly missed target once and tell the people who act on it.

The assignee gets one mail per breach of their tickets; each supervisor gets one summary per
sweep that found breaches, listing each new breach once (on election night dozens can fall due in
the same minute, and a mail apiece would bury the one that matters). A breach is a row in
``sla_breaches`` keyed by ticket, target and due time: a second sweep, or a second scheduler
process, finds the row and says nothing. A due time that moves and is missed again is a new
breach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tickets.accounts.models import Role
from tickets.accounts.queries import active_people
from tickets.core.session import commit
from tickets.extensions import db
from tickets.helpdesk.models import Ticket
from tickets.notifications.services import enqueue
from tickets.sla import queries
from tickets.sla.models import SlaBreach, SlaTarget
from tickets.sla.services import run_pending_recompute

TARGET_LABELS = {
    SlaTarget.FIRST_RESPONSE: "primera respuesta",
    SlaTarget.RESOLUTION: "solución",
}
DIGEST_LIMIT = 100  # lines in one supervisor summary; the rest are counted, and are in the queue


@dataclass
class SweepReport:
    breaches: int = 0
    notices: int = 0
    recomputed: int | None = None  # open tickets recomputed for an admin's change, if any


DUE_COLUMNS = {
    SlaTarget.FIRST_RESPONSE: "first_response_due_at",
    SlaTarget.RESOLUTION: "resolution_due_at",
}


def _owed(target: SlaTarget):
    owes = (
        queries.owes_first_response()
        if target is SlaTarget.FIRST_RESPONSE
        else queries.owes_resolution()
    )
    return owes, getattr(Ticket, DUE_COLUMNS[target])


def new_breaches(target: SlaTarget, now: datetime) -> list[Ticket]:
    """Tickets whose ``target`` fell due by ``now`` and has no breach row for that due time."""
    owes, due_column = _owed(target)
    recorded = sa.exists().where(
        SlaBreach.ticket_id == Ticket.id,
        SlaBreach.target == target,
        SlaBreach.due_at == due_column,
    )
    return db.session.scalars(
        sa.select(Ticket)
        .options(so.joinedload(Ticket.assignee), so.joinedload(Ticket.organization))
        .where(owes, due_column.is_not(None), due_column <= now, ~recorded)
        .order_by(due_column, Ticket.id)
    ).all()


def sweep(now: datetime) -> SweepReport:
    """Do any recompute an admin asked for, then record and announce every new breach.

    The recompute commits on its own first, so the breaches are judged on the new due times.
    """
    report = SweepReport(recomputed=run_pending_recompute(now))
    if report.recomputed is not None:
        commit()
    found: list[tuple[Ticket, SlaTarget, datetime]] = []
    for target in SlaTarget:
        for ticket in new_breaches(target, now):
            found.append((ticket, target, getattr(ticket, DUE_COLUMNS[target])))
    if not found:
        return report
    for ticket, target, due_at in found:
        breach = SlaBreach(ticket=ticket, target=target, due_at=due_at, detected_at=now)
        breach.notified = _tell_assignee(ticket, target, due_at)
        db.session.add(breach)
        report.breaches += 1
        report.notices += breach.notified
    report.notices += _tell_supervisors(found)
    commit()
    return report


def _tell_assignee(ticket: Ticket, target: SlaTarget, due_at: datetime) -> int:
    person = ticket.assignee
    if person is None or not person.is_active:
        return 0
    enqueue(
        "sla_breach",
        person.email,
        f"[{ticket.folio}] Plazo de {TARGET_LABELS[target]} vencido",
        "sla_breach_assignee",
        ticket,
        person=person,
        target_label=TARGET_LABELS[target],
        due_at=due_at,
    )
    return 1


def _tell_supervisors(found: list[tuple[Ticket, SlaTarget, datetime]]) -> int:
    supervisors = active_people(Role.SUPERVISOR)
    lines = [
        {"ticket": ticket, "target_label": TARGET_LABELS[target], "due_at": due_at}
        for ticket, target, due_at in found[:DIGEST_LIMIT]
    ]
    subject = (
        "Un ticket venció su plazo"
        if len(found) == 1
        else f"{len(found)} plazos vencidos en la mesa de ayuda"
    )
    for person in supervisors:
        enqueue(
            "sla_digest",
            person.email,
            subject,
            "sla_breach_digest",
            person=person,
            lines=lines,
            more=len(found) - len(lines),
        )
    return len(supervisors)
