"""What happens to a demo ticket after it is logged, step by step, up to its final status.

A story is written in minutes after the request arrived, then squeezed, if needed, so that the
last step still happens before the close of the month (and before the real clock).
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from tickets.accounts.models import Role
from tickets.demo import people, texts
from tickets.demo.records import Request, Step
from tickets.helpdesk.models import Channel, Priority, Status

SUPERVISOR = next(s.email for s in people.STAFF if s.role is Role.SUPERVISOR)
OPERATORS = tuple(s.email for s in people.STAFF if s.role is Role.OPERATOR)

# Minutes from taking a ticket to solving it, by priority.
RESOLUTION_MINUTES = {
    Priority.CRITICAL: (10, 90),
    Priority.HIGH: (30, 360),
    Priority.MEDIUM: (60, 1440),
    Priority.LOW: (240, 2880),
}
OPEN_DELAY_MINUTES = {Channel.EMAIL: (5, 120), Channel.PORTAL: (0, 0)}  # others: (1, 8)


def plan_lifecycle(
    rng: random.Random,
    request: Request,
    resolution: str,
    status: Status,
    received_at: datetime,
    cutoff: datetime,
    *,
    pace: float = 1.0,
) -> tuple[datetime, str | None, tuple[Step, ...]]:
    """When the ticket was logged, by whom (None: the system, for portal requests), and then what.

    ``pace`` below 1 makes everything faster (election day: the whole desk is on it).
    """
    opener = None if request.channel is Channel.PORTAL else rng.choice(OPERATORS)
    story = _Story(rng, request, resolution, opener, pace)
    story.tell(status)
    times = _fit(received_at, [story.open_minutes] + [e[0] for e in story.events], cutoff)
    steps = tuple(
        Step(at, action, actor, value)
        for at, (_, action, actor, value) in zip(times[1:], story.events, strict=True)
    )
    return times[0], opener, steps


def _fit(received_at: datetime, minutes: list[float], cutoff: datetime) -> list[datetime]:
    """Instants for the offsets, squeezed before ``cutoff``, whole seconds, strictly ascending."""
    room = (cutoff - received_at).total_seconds() / 60 - 1
    scale = min(1.0, room / minutes[-1]) if minutes[-1] > 0 else 1.0
    result: list[datetime] = []
    for offset in minutes:
        moment = (received_at + timedelta(minutes=offset * scale)).replace(microsecond=0)
        if result and moment <= result[-1]:
            moment = result[-1] + timedelta(seconds=1)
        result.append(max(moment, received_at))
    return result


class _Story:
    """The events of one ticket, as (minutes after arrival, action, actor e-mail, value)."""

    def __init__(self, rng, request: Request, resolution: str, opener, pace: float):
        self.rng = rng
        self.request = request
        self.resolution = resolution
        self.opener = opener
        self.pace = pace
        low, high = OPEN_DELAY_MINUTES.get(request.channel, (1, 8))
        self.open_minutes = rng.uniform(low, high)
        self.minutes = self.open_minutes
        self.events: list[tuple[float, str, str | None, str]] = []
        self.assignee: str | None = None

    def after(self, low: float, high: float, action: str, actor: str | None, value: str):
        self.minutes += self.rng.uniform(low, high) * self.pace
        self.events.append((self.minutes, action, actor, value))

    def tell(self, status: Status) -> None:
        if status is Status.CANCELLED:
            return self._cancel()
        if status is Status.NEW:
            return None
        self._assign()
        if status is Status.ASSIGNED:
            return None
        self._start()
        if status is Status.IN_PROGRESS:
            return self._keep_working()
        if status is Status.WAITING or self.rng.random() < 0.2:
            self._wait()
            if status is Status.WAITING:
                return None
            self._resume()
        self._resolve()
        if status is Status.CLOSED:
            self._close()
        return None

    def _assign(self) -> None:
        self.assignee = self.rng.choice(OPERATORS)
        actor = SUPERVISOR if self.rng.random() < 0.55 else self.assignee
        self.after(3, 45, "assign", actor, self.assignee)

    def _start(self) -> None:
        self.after(2, 60, "status", self.assignee, Status.IN_PROGRESS.value)
        if self.rng.random() < 0.75:
            self.after(1, 10, "comment", self.assignee, self.rng.choice(texts.FIRST_REPLY))
        if self.rng.random() < 0.35:
            self.after(5, 120, "note", self.assignee, self.rng.choice(texts.INTERNAL_NOTES))
        if self.rng.random() < 0.06:
            self._reassign()

    def _reassign(self) -> None:
        other = self.rng.choice([o for o in OPERATORS if o != self.assignee])
        self.after(10, 120, "note", SUPERVISOR, "Se reasigna para equilibrar la carga del turno.")
        self.after(0, 1, "assign", SUPERVISOR, other)
        self.assignee = other

    def _keep_working(self) -> None:
        if self.rng.random() < 0.5:
            self.after(30, 600, "comment", self.assignee, self.rng.choice(texts.STILL_WORKING))

    def _wait(self) -> None:
        asks = texts.ASK_FOR_DETAILS.get(self.request.category_key, texts.ASK_DEFAULT)
        self.after(10, 180, "comment", self.assignee, self.rng.choice(asks))
        self.after(1, 3, "status", self.assignee, Status.WAITING.value)

    def _resume(self) -> None:
        self.after(60, 1800, "note", self.assignee, self.rng.choice(texts.REPLY_RECEIVED))
        self.after(1, 10, "status", self.assignee, Status.IN_PROGRESS.value)

    def _resolve(self) -> None:
        low, high = RESOLUTION_MINUTES[self.request.priority]
        self.after(low, high, "comment", self.assignee, self.resolution)
        self.after(1, 5, "status", self.assignee, Status.RESOLVED.value)

    def _close(self) -> None:
        if self.rng.random() < 0.07:
            self._reopen()
        if self.rng.random() < 0.4:
            self.after(180, 4320, "note", self.assignee, self.rng.choice(texts.CLOSE_NOTES))
            self.after(0, 2, "status", self.assignee, Status.CLOSED.value)
        else:
            self.after(180, 4320, "status", self.assignee, Status.CLOSED.value)

    def _reopen(self) -> None:
        self.after(120, 1200, "note", self.assignee, self.rng.choice(texts.REOPEN_NOTES))
        self.after(1, 5, "status", self.assignee, Status.IN_PROGRESS.value)
        self.after(30, 300, "comment", self.assignee, self.rng.choice(texts.REOPEN_FIX))
        self.after(1, 5, "status", self.assignee, Status.RESOLVED.value)

    def _cancel(self) -> None:
        actor = self.opener or SUPERVISOR
        if self.rng.random() < 0.5:
            self._assign()
            actor = self.assignee
        self.after(10, 300, "note", actor, self.rng.choice(texts.CANCEL_NOTES))
        self.after(1, 3, "status", actor, Status.CANCELLED.value)
