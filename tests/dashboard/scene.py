"""A desk at one instant: open and finished tickets of several kinds, with SLA times set directly
(the SLA services fill them in real use; here each ticket's situation is chosen)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from tests.factories import make_ticket, make_user, org, system
from tickets.accounts.models import Role, User
from tickets.extensions import db
from tickets.helpdesk import services
from tickets.helpdesk.models import Priority, Status, Ticket

SECRET_NOTE = "NOTA-INTERNA-SECRETA: la contraseña del servidor es 1234"
HOSTILE_SUBJECT = '<script>alert("x")</script> El SIJE no abre'


@dataclass
class Scene:
    now: datetime
    ana: User
    beto: User
    folios: dict[str, str]


def build(now: datetime) -> Scene:
    """Nine tickets at ``now``: six open (two at risk, two breached), three finished."""
    ana = make_user(Role.OPERATOR, name="Ana Operadora")
    beto = make_user(Role.OPERATOR, name="Beto Operador")
    minute = timedelta(minutes=1)
    folios = {}

    def ticket(name, status, *, assignee=None, answered=False, sla=None, **data):
        data.setdefault("process_id", None)
        data.setdefault("received_at", now - 3 * 60 * minute)
        t = make_ticket(ana, now=now - 2 * 60 * minute, **data)
        if name == "breached":
            services.add_comment(ana, t, SECRET_NOTE, internal=True, now=now - 60 * minute)
        values = dict(
            status=status,
            assignee_id=assignee.id if assignee else None,
            first_response_at=now - 100 * minute if answered else None,
            first_response_risk_at=None,
            first_response_due_at=None,
            resolution_risk_at=None,
            resolution_due_at=None,
        )
        values.update(sla or {})
        db.session.execute(sa.update(Ticket).where(Ticket.id == t.id).values(**values))
        db.session.commit()
        folios[name] = t.folio

    def due(risk_min, due_min, first=False):
        prefix = "first_response" if first else "resolution"
        return {
            f"{prefix}_risk_at": now + risk_min * minute,
            f"{prefix}_due_at": now + due_min * minute,
        }

    gro, mex = org("JD-12-05"), org("OPL-15")
    ticket("fresh", Status.NEW, priority=Priority.CRITICAL, sla=due(30, 60, first=True))
    ticket("risk", Status.IN_PROGRESS, assignee=ana, answered=True, sla=due(-10, 20))
    ticket(
        "first_risk",
        Status.ASSIGNED,
        assignee=beto,
        organization=mex,
        priority=Priority.LOW,
        system_id=system("PREP").id,
        sla=due(-5, 5, first=True),
    )
    ticket(
        "breached",
        Status.IN_PROGRESS,
        assignee=ana,
        answered=True,
        subject=HOSTILE_SUBJECT,
        sla=due(-200, -120),
    )
    ticket("first_breached", Status.NEW, organization=mex, sla=due(-60, -30, first=True))
    ticket("waiting", Status.WAITING, assignee=beto, organization=gro, answered=True)
    ticket("closed", Status.CLOSED, assignee=ana, answered=True, sla=due(-500, -400))
    ticket("cancelled", Status.CANCELLED, sla=due(-500, -400, first=True))
    ticket("resolved", Status.RESOLVED, assignee=beto, answered=True, sla=due(-500, -400))
    return Scene(now=now, ana=ana, beto=beto, folios=folios)
