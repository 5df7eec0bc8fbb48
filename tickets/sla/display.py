"""How a ticket's SLA reads in the queue and on the ticket page: the target it owes next and how
much clock time is left, or how long ago it fell due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import g

from tickets.core.db import utcnow
from tickets.helpdesk.models import Status, Ticket
from tickets.helpdesk.workflow import OPEN_STATUSES
from tickets.sla import clock
from tickets.sla.services import Calendars, OneTicketCalendar


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


# The SLA tag's look per level (app.css, "SLA"): short names, as the queue writes fifty.
LEVEL_CSS = {"ok": "sla-ok", "risk": "sla-at-risk", "breached": "sla-late", "paused": "sla-paused"}


def sla_state(
    ticket: Ticket, now: datetime, calendars: Calendars | OneTicketCalendar
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
    statement, and only if the ticket is still inside its target."""
    return sla_state(ticket, utcnow(), OneTicketCalendar())


def sla_cells(tickets) -> list[SlaState | None]:
    """`sla_cell` of each ticket (or queue row) of a list, computed before rendering: called
    from the template, the call and the request-global lookups cost more than the rule."""
    now, calendars = _request_clock()
    return [sla_state(ticket, now, calendars) for ticket in tickets]


def _request_clock() -> tuple[datetime, Calendars]:
    """One instant and one set of calendars per request, so every cell of a page agrees."""
    if "sla_calendars" not in g:
        g.sla_calendars = Calendars()
        g.sla_now = utcnow()
    return g.sla_now, g.sla_calendars


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
