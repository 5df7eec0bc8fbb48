"""What the monthly report counts: one SQL aggregate per table, never a month's rows one by one.

Every ticket figure filters on ``tickets.report_month`` (the month of ``received_at`` in Mexico
City time, stored when the ticket is written; index ``ix_tickets_report_month_process``) and
groups in SQL. Status "at month end" comes from the lifecycle timestamps, not today's status,
so the report of a past month does not drift when a ticket is closed later.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from tickets.catalogs.models import Election, ElectoralProcess, State, System
from tickets.core.errors import ValidationFailed
from tickets.core.timeutil import MX_TZ
from tickets.extensions import db
from tickets.helpdesk.models import Ticket
from tickets.prep.models import PrepEvent, PrepEventKind
from tickets.reports.models import MonthlyReport, ReportStatus

_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class Month:
    """A calendar month in Mexico City: its key, its days and its bounds as UTC instants."""

    year: int
    number: int

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.number:02d}"

    @property
    def first_day(self) -> date:
        return date(self.year, self.number, 1)

    @property
    def next_first_day(self) -> date:
        if self.number == 12:
            return date(self.year + 1, 1, 1)
        return date(self.year, self.number + 1, 1)

    @property
    def days(self) -> list[date]:
        count = (self.next_first_day - self.first_day).days
        return [self.first_day + timedelta(days=n) for n in range(count)]

    @property
    def start(self) -> datetime:
        """First instant of the month in Mexico City, in UTC."""
        return _mx_midnight(self.first_day)

    @property
    def end(self) -> datetime:
        """First instant of the next month in Mexico City, in UTC (the bound is exclusive)."""
        return _mx_midnight(self.next_first_day)


def parse_month(text: str | None) -> Month:
    """'2021-11' → Month; anything else is refused in Spanish.

    :raises ValidationFailed: ``text`` is not a real month written AAAA-MM.
    """
    match = _MONTH.fullmatch((text or "").strip())
    if match and 1 <= int(match[2]) <= 12 and 1900 <= int(match[1]) <= 9998:
        return Month(int(match[1]), int(match[2]))
    raise ValidationFailed(
        {
            "month": f"«{text}» no es un mes válido: escríbalo como AAAA-MM, "
            "por ejemplo 2021-11 para noviembre de 2021."
        }
    )


def _mx_midnight(day: date) -> datetime:
    """00:00 of ``day`` on a Mexico City wall clock, as an aware UTC instant (DST-correct)."""
    return datetime.combine(day, time(0), tzinfo=MX_TZ).astimezone(UTC)


# --- Tickets --------------------------------------------------------------------------------


def _counted(month: Month) -> list:
    """The month's tickets that were not cancelled by its end (what the report counts)."""
    return [
        Ticket.report_month == month.key,
        sa.or_(Ticket.cancelled_at.is_(None), Ticket.cancelled_at >= month.end),
    ]


CANCELLED, RESOLVED, PENDING = "cancelled", "resolved", "pending"


def _status_at_end(month: Month):
    """A ticket's status when the month ended, from its lifecycle timestamps (one CASE).

    A NULL timestamp compares as unknown, so the CASE falls through to the next branch.
    """
    return sa.case(
        (Ticket.cancelled_at < month.end, CANCELLED),
        (sa.or_(Ticket.resolved_at < month.end, Ticket.closed_at < month.end), RESOLVED),
        else_=PENDING,
    )


@dataclass(frozen=True)
class TicketCount:
    """Tickets of the month sharing a process, requester type, status at month end and day."""

    process_id: int | None
    requester_type: str
    status: str  # CANCELLED, RESOLVED or PENDING when the month ended
    day: date  # Mexico City calendar day of received_at
    count: int


def ticket_counts(month: Month) -> list[TicketCount]:
    """The month's tickets in one GROUP BY: process, requester type, status at end, local day.

    The result is bounded by the catalogs, not by the tickets: at most (processes with tickets
    + 1) × 5 requester types × 3 statuses × 31 days rows, whatever the month's volume.

    ``received_at`` is stored in UTC and Mexico City's offset changed with DST until 2022, so
    no fixed shift gives the local day. The local midnights are computed here with zoneinfo,
    and the database buckets each row with one portable CASE over those bounds, nested as a
    binary search (5 comparisons a row for 31 days; same SQL on SQLite and PostgreSQL).
    """
    days = month.days
    bounds = [_mx_midnight(day) for day in days]  # bounds[i]: first instant of days[i]
    # Grouped in an outer query by column name: the same CASE repeated in GROUP BY would carry
    # its own bound parameters, which PostgreSQL does not accept as the same expression.
    rows = (
        sa.select(
            Ticket.process_id,
            Ticket.requester_type,
            _status_at_end(month).label("status_at_end"),
            _day_bucket(bounds, 0, len(days) - 1).label("day"),
        )
        .where(Ticket.report_month == month.key)
        .subquery()
    )
    columns = (rows.c.process_id, rows.c.requester_type, rows.c.status_at_end, rows.c.day)
    query = sa.select(*columns, sa.func.count()).group_by(*columns)
    return [
        TicketCount(process_id, str(kind.value), status, days[int(day)], int(n))
        for process_id, kind, status, day, n in db.session.execute(query)
    ]


def counts_by_state_and_system(month: Month) -> list[tuple[int | None, int, int]]:
    """(state_id, system_id, tickets) of the month, cancelled ones left out: ≤ 33 × systems rows.

    One scan gives both tables; state_id is None for tickets without a state (central offices).
    """
    query = (
        sa.select(Ticket.state_id, Ticket.system_id, sa.func.count())
        .where(*_counted(month))
        .group_by(Ticket.state_id, Ticket.system_id)
    )
    return [(state_id, system_id, int(n)) for state_id, system_id, n in db.session.execute(query)]


@dataclass(frozen=True)
class TicketFigures:
    """Tickets of one (process, requester type) pair in the month, by status at month end."""

    process_id: int | None
    requester_type: str
    resolved: int
    pending: int
    cancelled: int

    @property
    def counted(self) -> int:
        """Tickets the report speaks of: received in the month, not cancelled by its end."""
        return self.resolved + self.pending


def figures(counts: list[TicketCount]) -> list[TicketFigures]:
    """Fold ticket_counts() over the days: one entry per (process, requester type)."""
    totals: dict[tuple, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in counts:
        totals[(row.process_id, row.requester_type)][row.status] += row.count
    return [
        TicketFigures(process_id, kind, c[RESOLVED], c[PENDING], c[CANCELLED])
        for (process_id, kind), c in totals.items()
    ]


def by_day(month: Month, counts: list[TicketCount]) -> dict[date, int]:
    """Fold ticket_counts() into tickets per day, every day of the month (zeros included)."""
    result = dict.fromkeys(month.days, 0)
    for row in counts:
        if row.status != CANCELLED:
            result[row.day] += row.count
    return result


def _day_bucket(bounds: list[datetime], low: int, high: int):
    """CASE giving the index of the day a ticket was received on, among days low..high."""
    if low == high:
        return sa.literal_column(str(int(low)), sa.Integer)
    middle = (low + high + 1) // 2
    return sa.case(
        (Ticket.received_at < bounds[middle], _day_bucket(bounds, low, middle - 1)),
        else_=_day_bucket(bounds, middle, high),
    )


def processes_with_earlier_tickets(process_ids: set[int], month: Month) -> set[int]:
    """Processes that had tickets before ``month`` (then the report says "se dio seguimiento").

    One EXISTS per process on the (process_id, received_at) index: a seek each, not a scan.
    """
    found = set()
    for process_id in sorted(process_ids):
        earlier = sa.select(Ticket.id).where(
            Ticket.process_id == process_id, Ticket.received_at < month.start
        )
        if db.session.scalar(sa.select(earlier.exists())):
            found.add(process_id)
    return found


# --- PREP events and catalogs ---------------------------------------------------------------


@dataclass(frozen=True)
class PrepRow:
    """One PREP drill or operation held in the month."""

    process_id: int
    state_key: str
    state: str
    kind: PrepEventKind
    held_on: date


def prep_events(month: Month) -> list[PrepRow]:
    """The month's PREP drills and operations (a few dozen rows at most; index on held_on)."""
    query = (
        sa.select(
            PrepEvent.process_id,
            State.key,
            State.display_name,
            PrepEvent.kind,
            PrepEvent.held_on,
        )
        .join(State, State.id == PrepEvent.state_id)
        .where(PrepEvent.held_on >= month.first_day, PrepEvent.held_on < month.next_first_day)
        .order_by(PrepEvent.held_on)
    )
    return [PrepRow(*row) for row in db.session.execute(query)]


@dataclass(frozen=True)
class ProcessRow:
    id: int
    key: str
    name: str
    kind: str
    starts_on: date
    states_with_elections: int


def processes(ids: set[int]) -> dict[int, ProcessRow]:
    """The named processes with the number of states where each holds an election."""
    if not ids:
        return {}
    states = (
        sa.select(sa.func.count(sa.distinct(Election.state_id)))
        .where(Election.process_id == ElectoralProcess.id)
        .scalar_subquery()
    )
    query = sa.select(
        ElectoralProcess.id,
        ElectoralProcess.key,
        ElectoralProcess.name,
        ElectoralProcess.kind,
        ElectoralProcess.starts_on,
        states,
    ).where(ElectoralProcess.id.in_(ids))
    return {
        row[0]: ProcessRow(row[0], row[1], row[2], str(row[3].value), row[4], int(row[5] or 0))
        for row in db.session.execute(query)
    }


def states(ids: set[int]) -> dict[int, tuple[str, str]]:
    """id → (key, display name) of the named states."""
    if not ids:
        return {}
    query = sa.select(State.id, State.key, State.display_name).where(State.id.in_(ids))
    return {row[0]: (row[1], row[2]) for row in db.session.execute(query)}


def systems(ids: set[int]) -> dict[int, tuple[str, str]]:
    """id → (key, name) of the named systems."""
    if not ids:
        return {}
    query = sa.select(System.id, System.key, System.name).where(System.id.in_(ids))
    return {row[0]: (row[1], row[2]) for row in db.session.execute(query)}


def current_report(month: str) -> MonthlyReport | None:
    """The month's report in force: its newest version that has not been superseded."""
    return db.session.scalar(
        sa.select(MonthlyReport)
        .where(MonthlyReport.month == month, MonthlyReport.status != ReportStatus.SUPERSEDED)
        .order_by(MonthlyReport.version.desc())
        .limit(1)
    )
