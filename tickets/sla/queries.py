"""Which tickets are at risk or breached, as SQL: shared by the queue, the dashboard and the sweep.

A target is *at risk* once 75% of it is used (``*_risk_at`` has passed) and *breached* once its due
time has passed, while the ticket still owes it: the first response until someone answers, the
resolution while the ticket is open. A stopped clock (waiting on the requester) has no due time,
so a waiting ticket is neither.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from tickets.helpdesk.models import Status, Ticket

OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.WAITING)


def owes_first_response() -> sa.ColumnElement[bool]:
    return sa.and_(Ticket.status.in_(OPEN), Ticket.first_response_at.is_(None))


def owes_resolution() -> sa.ColumnElement[bool]:
    return Ticket.status.in_(OPEN)


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
