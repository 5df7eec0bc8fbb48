"""The SLA clock: which instants count towards a target, and when a target falls due.

DESIGN.md: the clock runs 24/7 on the days the ticket's state has an election in a process
between that process's start and end dates (in process every day and hour is working time, LGIPE
art. 97.1); on other days it runs Monday to Friday 09:00–18:00 Mexico City time, less official
holidays and the days admins add. It stops while the ticket waits on the requester, and while it
sits resolved waiting for the requester's confirmation (a reopen resumes it where it stopped).

Everything here is pure: a ``Calendar`` (built from the database by ``tickets.sla.services``)
and a status timeline in, instants out. Days are Mexico City calendar days turned into UTC
instants through zoneinfo, so a 2021 daylight-saving day counts its 23 or 25 real hours and the
years without DST (2023 on) need nothing special.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from tickets.core.calendar import is_working_day
from tickets.core.timeutil import MX_TZ, to_mx
from tickets.helpdesk.models import Status

OFFICE_OPENS = time(9)
OFFICE_CLOSES = time(18)
RISK_SHARE = 0.75  # a target is at risk once three quarters of it are used
# Statuses during which the clock stands still: the desk waits on the requester.
STOPPED = frozenset({Status.WAITING, Status.RESOLVED, Status.CLOSED, Status.CANCELLED})
MAX_DAYS = 3 * 366  # a walk that finds no counting time within three years gives up


@dataclass(frozen=True)
class Calendar:
    """The counting days of one state: its process periods and the admin's non-working days."""

    process_periods: tuple[tuple[date, date], ...] = ()  # inclusive (start, end) dates
    non_working_days: frozenset[date] = field(default_factory=frozenset)

    def in_process(self, day: date) -> bool:
        return any(start <= day <= end for start, end in self.process_periods)

    def windows(self, day: date) -> tuple[datetime, datetime] | None:
        """The UTC interval of ``day`` (Mexico City) that counts, or None."""
        if self.in_process(day):
            return _instant(day, time.min), _instant(day + timedelta(days=1), time.min)
        if is_working_day(day) and day not in self.non_working_days:
            return _instant(day, OFFICE_OPENS), _instant(day, OFFICE_CLOSES)
        return None


def _instant(day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=MX_TZ).astimezone(UTC)


@dataclass(frozen=True)
class Due:
    """When a target falls due and when it becomes at risk; None while the clock is stopped."""

    due_at: datetime | None
    risk_at: datetime | None


def running_intervals(
    timeline: Sequence[tuple[datetime, Status]],
) -> list[tuple[datetime, datetime | None]]:
    """The periods the clock runs, from a ticket's status timeline (oldest first).

    Each entry is (since, status); the last status lasts forever (end None).
    """
    intervals: list[tuple[datetime, datetime | None]] = []
    for index, (since, status) in enumerate(timeline):
        if status in STOPPED:
            continue
        until = timeline[index + 1][0] if index + 1 < len(timeline) else None
        if until is not None and until <= since:
            continue
        if intervals and intervals[-1][1] == since:
            intervals[-1] = (intervals[-1][0], until)  # NEW → ASSIGNED: one running stretch
        else:
            intervals.append((since, until))
    return intervals


def counting_segments(
    calendar: Calendar, running: Iterable[tuple[datetime, datetime | None]]
) -> Iterator[tuple[datetime, datetime]]:
    """The stretches of time that count, in order: calendar windows ∩ running periods."""
    for start, end in running:
        day = to_mx(start).date()
        last_day = to_mx(end).date() if end is not None else day + timedelta(days=MAX_DAYS)
        while day <= last_day:
            window = calendar.windows(day)
            if window is not None:
                lo, hi = max(window[0], start), window[1] if end is None else min(window[1], end)
                if lo < hi:
                    yield lo, hi
            day += timedelta(days=1)


def due(
    calendar: Calendar,
    timeline: Sequence[tuple[datetime, Status]],
    budget: timedelta,
) -> Due:
    """When the ticket will have used ``budget`` (and 75% of it) of counting time.

    The instants may lie in the past (a breach already happened). While the clock is stopped
    short of the due time both are None: they depend on when the clock resumes, and a ticket
    waiting on its requester is neither at risk nor breached.
    """
    risk_after, due_after = budget * RISK_SHARE, budget
    risk_at = due_at = None
    used = timedelta(0)
    for lo, hi in counting_segments(calendar, running_intervals(timeline)):
        span = hi - lo
        if risk_at is None and used + span >= risk_after:
            risk_at = lo + (risk_after - used)
        if used + span >= due_after:
            due_at = lo + (due_after - used)
            break
        used += span
    return Due(due_at=due_at, risk_at=risk_at if due_at is not None else None)


def used(
    calendar: Calendar, timeline: Sequence[tuple[datetime, Status]], now: datetime
) -> timedelta:
    """Counting time used between the ticket's arrival and ``now``."""
    total = timedelta(0)
    for lo, hi in counting_segments(calendar, running_intervals(timeline)):
        if lo >= now:
            break
        total += min(hi, now) - lo
    return total


def left(due_at: datetime | None, calendar: Calendar, now: datetime) -> timedelta | None:
    """Counting time from ``now`` to ``due_at`` (negative once breached: counting time late)."""
    if due_at is None:
        return None
    if due_at <= now:
        return -used(calendar, [(due_at, Status.IN_PROGRESS)], now)
    return used(calendar, [(now, Status.IN_PROGRESS)], due_at)


def rewind(calendar: Calendar, now: datetime, span: timedelta) -> datetime | None:
    """The arrival that has used exactly ``span`` of running clock time by ``now``.

    The demo uses it to place tickets at a chosen point of their targets; None when the
    calendar has no counting time within MAX_DAYS before ``now``.
    """
    remaining = span
    day = to_mx(now).date()
    for _ in range(MAX_DAYS):
        window = calendar.windows(day)
        if window is not None and window[0] < now:
            hi = min(window[1], now)
            if hi - window[0] >= remaining:
                return hi - remaining
            remaining -= hi - window[0]
        day -= timedelta(days=1)
    return None
