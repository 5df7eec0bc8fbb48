"""Which tickets are at risk or breached, as SQL: shared by the queue, the dashboard and the sweep.

A target is *at risk* once 75% of it is used (``*_risk_at`` has passed) and *breached* once its due
time has passed, while the ticket still owes it: the first response until someone answers, the
resolution while the ticket is open. A ticket waiting on its requester is neither: its clock is
stopped and nobody at the desk can act on it (a target it had already missed stays recorded in
``sla_breaches``).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from tickets.helpdesk.models import Status, Ticket

OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING)
RUNNING = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS)  # open, with the clock running


def owes_first_response() -> sa.ColumnElement[bool]:
    return sa.and_(Ticket.status.in_(RUNNING), Ticket.first_response_at.is_(None))


def owes_resolution() -> sa.ColumnElement[bool]:
    return Ticket.status.in_(RUNNING)


def breached(now: datetime) -> sa.ColumnElement[bool]:
    """The ticket has missed a target it still owes."""
    return sa.or_(
        _passed(owes_first_response(), Ticket.first_response_due_at, now),
        _passed(owes_resolution(), Ticket.resolution_due_at, now),
    )


def at_risk(now: datetime) -> sa.ColumnElement[bool]:
    """Under 25% of a target it still owes is left, and nothing is breached yet."""
    return sa.and_(
        sa.or_(
            _passed(owes_first_response(), Ticket.first_response_risk_at, now),
            _passed(owes_resolution(), Ticket.resolution_risk_at, now),
        ),
        sa.not_(breached(now)),
    )


def _passed(owes, column, now: datetime) -> sa.ColumnElement[bool]:
    # The IS NOT NULL keeps the expression two-valued, so NOT(...) of it never turns NULL.
    return sa.and_(owes, column.is_not(None), column <= now)
