"""Service levels applied to tickets: targets, due times, met or missed.

The helpdesk services call ``apply`` whenever something the clock depends on changes (opening,
priority, state, waiting, resolving, reopening) and ``record_*`` when a target is reached; all of
it inside the caller's transaction. Nothing here commits.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from tickets.catalogs.models import Election, ElectoralProcess
from tickets.extensions import db
from tickets.helpdesk.models import AuditEvent, Priority, Status, Ticket
from tickets.helpdesk.workflow import OPEN_STATUSES
from tickets.sla import clock
from tickets.sla.models import NonWorkingDay, SlaPolicy, SlaRecompute


@dataclass(frozen=True)
class Targets:
    first_response: timedelta
    resolution: timedelta


# The desk's promise until an admin edits it (`flask catalogs load` stores these as rows).
# Minutes of clock time: office minutes, or every minute in a state in process.
DEFAULT_MINUTES: dict[Priority, tuple[int, int]] = {
    Priority.CRITICAL: (15, 4 * 60),
    Priority.HIGH: (30, 8 * 60),
    Priority.MEDIUM: (2 * 60, 24 * 60),
    Priority.LOW: (4 * 60, 72 * 60),
}


def targets_for(priority: Priority) -> Targets:
    """The targets admins set for ``priority``, or the defaults when there is no row."""
    policy = db.session.scalar(sa.select(SlaPolicy).where(SlaPolicy.priority == priority))
    first, resolution = (
        (policy.first_response_minutes, policy.resolution_minutes)
        if policy
        else DEFAULT_MINUTES[priority]
    )
    return Targets(timedelta(minutes=first), timedelta(minutes=resolution))


def ensure_default_policies() -> int:
    """Insert the default policy of each priority that has none; returns how many were added."""
    existing = set(db.session.scalars(sa.select(SlaPolicy.priority)))
    added = 0
    for priority, (first, resolution) in DEFAULT_MINUTES.items():
        if priority not in existing:
            db.session.add(
                SlaPolicy(
                    priority=priority, first_response_minutes=first, resolution_minutes=resolution
                )
            )
            added += 1
    return added


STATUS_VALUES = frozenset(status.value for status in Status)


def _state_periods() -> sa.Select:
    """(state, start, end) of each process with an election in that state: 24/7 days there."""
    return sa.select(Election.state_id, ElectoralProcess.starts_on, ElectoralProcess.ends_on).join(
        ElectoralProcess, Election.process_id == ElectoralProcess.id
    )


class Calendars:
    """Every state's calendar, read on first use and then kept (a request, a sweep, a batch of
    tickets). A page whose tickets need none (closed, paused or already past their target)
    reads nothing."""

    def __init__(self) -> None:
        self._periods: dict[int, tuple[tuple[date, date], ...]] | None = None
        self._days: frozenset[date] = frozenset()
        self._cache: dict[int | None, clock.Calendar] = {}

    def of(self, state_id: int | None) -> clock.Calendar:
        """A ticket without a state (central areas) follows office hours."""
        if state_id not in self._cache:
            if self._periods is None:
                self._load()
            periods = self._periods.get(state_id, ()) if state_id is not None else ()
            self._cache[state_id] = clock.Calendar(periods, self._days)
        return self._cache[state_id]

    def _load(self) -> None:
        periods: dict[int, set[tuple[date, date]]] = defaultdict(set)
        for state_id, starts_on, ends_on in db.session.execute(_state_periods()):
            periods[state_id].add((starts_on, ends_on))
        self._days = frozenset(db.session.scalars(sa.select(NonWorkingDay.day)))
        self._periods = {state: tuple(sorted(p)) for state, p in periods.items()}


def state_calendar(state_id: int | None) -> clock.Calendar:
    """What `Calendars().of(state_id)` gives, for one ticket (its page, the requester's status
    box): its state's periods and the non-working days in one statement, where `Calendars`
    reads every state's periods and the days in two (two round trips on PostgreSQL)."""
    query = sa.select(NonWorkingDay.day, sa.null())  # a day has no end date, a period has one
    if state_id is not None:
        periods = _state_periods().where(Election.state_id == state_id)
        periods = periods.with_only_columns(ElectoralProcess.starts_on, ElectoralProcess.ends_on)
        query = sa.union_all(periods, query)
    rows = db.session.execute(query).all()
    periods = tuple(sorted({(start, end) for start, end in rows if end is not None}))
    return clock.Calendar(periods, frozenset(start for start, end in rows if end is None))


class OneTicketCalendar:
    """`Calendars` for a single ticket: its state's calendar, read only if asked for."""

    def __init__(self) -> None:
        self._calendar: clock.Calendar | None = None

    def of(self, state_id: int | None) -> clock.Calendar:
        if self._calendar is None:
            self._calendar = state_calendar(state_id)
        return self._calendar


DUE_NAMES = (
    "first_response_due_at",
    "first_response_risk_at",
    "resolution_due_at",
    "resolution_risk_at",
)
DUE_COLUMNS = tuple(getattr(Ticket, name) for name in DUE_NAMES)


def timeline(ticket: Ticket, now: datetime) -> list[tuple[datetime, Status]]:
    """The ticket's statuses over time: arrival, each recorded change, and the one it has now."""
    changes = []
    if ticket.id is not None:
        rows = db.session.execute(
            sa.select(AuditEvent.at, AuditEvent.new)
            .where(AuditEvent.ticket_id == ticket.id, AuditEvent.field == "status")
            .order_by(AuditEvent.at, AuditEvent.id)
        )
        changes = [(at, Status(new)) for at, new in rows if new in STATUS_VALUES]
    return status_points(ticket.received_at, changes, ticket.status, now)


def status_points(received_at, changes, status: Status, now: datetime):
    """Arrival as new, the recorded changes, then ``status`` from ``now`` if it is not the last."""
    points: list[tuple[datetime, Status]] = [(received_at, Status.NEW), *changes]
    if points[-1][1] is not status:
        points.append((max(now, points[-1][0]), status))
    return points


def due_times(calendar: clock.Calendar, points, targets: Targets) -> tuple:
    """Both targets' due and risk instants, in DUE_NAMES order."""
    first = clock.due(calendar, points, targets.first_response)
    resolution = clock.due(calendar, points, targets.resolution)
    return first.due_at, first.risk_at, resolution.due_at, resolution.risk_at


def apply(ticket: Ticket, now: datetime, calendars: Calendars | None = None) -> None:
    """(Re)compute the due and risk times of both targets from the ticket's whole history.

    Reads without flushing: the caller's pending changes reach the database in its own commit,
    where a concurrent edit becomes a Conflict (tickets.core.session.commit).
    """
    with db.session.no_autoflush:
        calendar = (calendars or Calendars()).of(ticket.state_id)
        points = timeline(ticket, now)
        targets = targets_for(ticket.priority)
    for name, value in zip(DUE_NAMES, due_times(calendar, points, targets), strict=True):
        setattr(ticket, name, value)


def record_first_response(ticket: Ticket, now: datetime) -> None:
    ticket.first_response_met = _met(ticket.first_response_due_at, now)


def record_resolution(ticket: Ticket, now: datetime) -> None:
    ticket.resolution_met = _met(ticket.resolution_due_at, now)


def _met(due_at: datetime | None, now: datetime) -> bool:
    return due_at is None or now <= due_at


def recompute_open_tickets(now: datetime) -> int:
    """After a policy or calendar change: new due times for every ticket still open.

    One read of the open tickets and their status changes, one executemany UPDATE. The UPDATE
    goes around the ORM on purpose: it must not bump the tickets' version, or an operator editing
    a ticket at that moment would be told someone else changed it. Due times are derived data;
    a concurrent edit of the priority or state recomputes them itself.
    """
    db.session.flush()
    calendars = Calendars()
    targets = {priority: targets_for(priority) for priority in Priority}
    is_open = Ticket.status.in_(OPEN_STATUSES)
    tickets = db.session.execute(
        sa.select(
            Ticket.id,
            Ticket.received_at,
            Ticket.status,
            Ticket.priority,
            Ticket.state_id,
            *DUE_COLUMNS,
        )
        .where(is_open)
        .order_by(Ticket.id)
    ).all()
    changes: dict[int, list[tuple[datetime, Status]]] = defaultdict(list)
    events = db.session.execute(
        sa.select(AuditEvent.ticket_id, AuditEvent.at, AuditEvent.new)
        .join(Ticket, AuditEvent.ticket_id == Ticket.id)
        .where(is_open, AuditEvent.field == "status")
        .order_by(AuditEvent.ticket_id, AuditEvent.at, AuditEvent.id)
    )
    for ticket_id, at, new in events:
        if new in STATUS_VALUES:
            changes[ticket_id].append((at, Status(new)))
    values = []
    for ticket_id, received_at, status, priority, state_id, *stored in tickets:
        points = status_points(received_at, changes[ticket_id], status, now)
        new = due_times(calendars.of(state_id), points, targets[priority])
        if tuple(stored) != new:  # rows left alone keep PostgreSQL's index-only scans cheap
            values.append({"ticket_id": ticket_id, **dict(zip(DUE_NAMES, new, strict=True))})
    if values:
        table = Ticket.__table__
        db.session.execute(
            sa.update(table).where(table.c.id == sa.bindparam("ticket_id")),
            values,
        )
        db.session.expire_all()  # everything was flushed above; loaded tickets re-read
    return len(tickets)


@dataclass(frozen=True)
class Recompute:
    """What became of an admin's change: ``count`` open tickets, now or in the scheduler."""

    count: int
    deferred: bool


def request_recompute(actor_id: int | None, now: datetime) -> Recompute:
    """Recompute now when it is quick; otherwise leave it to the next sweep. Does not commit.

    SLA_RECOMPUTE_INLINE_MAX (2,000 by default, about a second) is how many open tickets the
    admin's own request may recompute; a desk with more gets the work done in the scheduler.
    """
    db.session.flush()
    open_count = db.session.scalar(
        sa.select(sa.func.count()).select_from(Ticket).where(Ticket.status.in_(OPEN_STATUSES))
    )
    if open_count <= current_app.config.get("SLA_RECOMPUTE_INLINE_MAX", 2000):
        return Recompute(recompute_open_tickets(now), deferred=False)
    db.session.add(SlaRecompute(requested_at=now, requested_by_id=actor_id))
    return Recompute(open_count, deferred=True)


def run_pending_recompute(now: datetime) -> int | None:
    """The sweep's first step: do the recomputes admins asked for; None when none was pending."""
    pending = db.session.scalars(
        sa.select(SlaRecompute).where(SlaRecompute.done_at.is_(None)).with_for_update()
    ).all()
    if not pending:
        return None
    count = recompute_open_tickets(now)
    for row in pending:
        row.done_at = now
    return count


def recompute_pending() -> bool:
    """True while an admin's change waits for the scheduler to recompute due times."""
    return (
        db.session.scalar(sa.select(SlaRecompute.id).where(SlaRecompute.done_at.is_(None)).limit(1))
        is not None
    )
