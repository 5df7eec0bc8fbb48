"""How a ticket's SLA reads in the queue and on the ticket page: the target it owes next and how
much clock time is left, or how long ago it fell due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import g

from tickets.catalogs.models import Election, ElectoralProcess
from tickets.core.db import utcnow
from tickets.extensions import db
from tickets.helpdesk.models import Status, Ticket
from tickets.helpdesk.workflow import OPEN_STATUSES
from tickets.sla import clock
from tickets.sla.models import NonWorkingDay
from tickets.sla.services import Calendars


@dataclass(frozen=True)
class SlaState:
    """``level`` is one of ok, risk, breached, paused; ``text`` is what the cell says."""

    level: str
    target: str  # "Primera respuesta" or "Solución"
    text: str
    due_at: datetime | None

    @property
    def css(self) -> str:
        return LEVEL_CSS[self.level]


LEVEL_CSS = {
    "ok": "text-body",
    "risk": "text-warning-emphasis bg-warning-subtle",
    "breached": "text-danger-emphasis bg-danger-subtle fw-semibold",
    "paused": "text-body-secondary",
}


def sla_state(
    ticket: Ticket, now: datetime, calendars: Calendars | RequestCalendars | TicketCalendar
) -> SlaState | None:
    """None for tickets that owe nothing (resolved, closed, cancelled)."""
    if ticket.status not in OPEN_STATUSES:
        return None
    if ticket.first_response_at is None:
        target, due_at, risk_at = (
            "Primera respuesta",
            ticket.first_response_due_at,
            ticket.first_response_risk_at,
        )
    else:
        target, due_at, risk_at = "Solución", ticket.resolution_due_at, ticket.resolution_risk_at
    if ticket.status is Status.WAITING:
        return SlaState("paused", target, "En pausa: espera a quien solicitó", None)
    if due_at is None:
        return None
    if due_at <= now:
        return SlaState("breached", target, f"Vencido hace {span_words(now - due_at)}", due_at)
    remaining = clock.left(due_at, calendars.of(ticket.state_id), now) or timedelta(0)
    level = "risk" if risk_at is not None and risk_at <= now else "ok"
    return SlaState(level, target, f"Quedan {span_words(remaining)}", due_at)


def sla_cell(ticket: Ticket) -> SlaState | None:
    """The ticket page's SLA now. Its one ticket needs one state's calendar: read in one
    statement, and only if the ticket is still inside its target (see TicketCalendar)."""
    return sla_state(ticket, utcnow(), TicketCalendar())


def sla_cells(tickets) -> list[SlaState | None]:
    """`sla_cell` of each ticket (or queue row) of a list, computed before rendering: called
    from the template, the call and the request-global lookups cost more than the rule."""
    now, calendars = _request_clock()
    return [sla_state(ticket, now, calendars) for ticket in tickets]


def _request_clock() -> tuple[datetime, RequestCalendars]:
    """One instant and one set of calendars per request, so every cell of a page agrees."""
    if "sla_calendars" not in g:
        g.sla_calendars = RequestCalendars()
        g.sla_now = utcnow()
    return g.sla_now, g.sla_calendars


class RequestCalendars:
    """`Calendars`, read from the database the first time a ticket needs one. Only a ticket
    still inside its target counts office time left; a page of closed, paused or breached
    tickets (a search in the desk's history) then makes no calendar query at all."""

    def __init__(self) -> None:
        self._calendars: Calendars | None = None

    def of(self, state_id: int | None) -> clock.Calendar:
        if self._calendars is None:
            self._calendars = Calendars()
        return self._calendars.of(state_id)


class TicketCalendar:
    """Calendars for a single ticket: the first ``of`` reads its state's process periods and
    the non-working days as one UNION ALL, where `Calendars` reads every state's periods and
    the days in two statements (two round trips on PostgreSQL for the ticket page)."""

    def __init__(self) -> None:
        self._calendar: clock.Calendar | None = None

    def of(self, state_id: int | None) -> clock.Calendar:
        if self._calendar is None:
            self._calendar = _state_calendar(state_id)
        return self._calendar


def _state_calendar(state_id: int | None) -> clock.Calendar:
    """What `Calendars().of(state_id)` returns: a day has no end date, a period always has."""
    days = sa.select(NonWorkingDay.day, sa.null())
    query = days
    if state_id is not None:
        periods = (
            sa.select(ElectoralProcess.starts_on, ElectoralProcess.ends_on)
            .join(Election, Election.process_id == ElectoralProcess.id)
            .where(Election.state_id == state_id)
        )
        query = sa.union_all(periods, days)
    rows = db.session.execute(query).all()
    periods = {(start, end) for start, end in rows if end is not None}
    non_working = frozenset(start for start, end in rows if end is None)
    return clock.Calendar(tuple(sorted(periods)), non_working)


def span_words(span: timedelta) -> str:
    """'2 d 3 h', '3 h 20 min', '45 min', 'menos de 1 min'."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "menos de 1 min"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h" if hours else f"{days} d"
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    return f"{minutes} min"
