"""The demo month as plain data, decided before anything is written.

Everything comes from one ``random.Random(SEED)`` and the catalogs, so two loads over the same
catalogs give the same tickets, statuses and texts. The builder replays the plan through the
real services.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from datetime import date, datetime, time, timedelta

from tickets.core.timeutil import local_to_utc, to_mx
from tickets.demo import people, texts
from tickets.demo.lifecycle import plan_lifecycle
from tickets.demo.records import CatalogView, Draft, Plan, Segment, TicketPlan, weighted
from tickets.demo.requests import RequestContext, describe
from tickets.helpdesk.models import Status

SEED = 20211130
FIRST_DAY = date(2021, 11, 1)
LAST_DAY = date(2021, 11, 30)
# The desk as it stood at the close of the month: nothing happens after this instant.
SNAPSHOT = local_to_utc(datetime(2021, 11, 30, 22, 0))
LATEST_ARRIVAL = timedelta(minutes=40)  # before the snapshot, so each ticket has a story

EXT, PEFE, PEL = "EXT-2021", "PEFE-2021-NAY", "PEL-2021-2022"
WHERE = {EXT: "ext", PEFE: "pefe", PEL: "pel"}

# Tickets per (process, state): the bigger the election, the more requests.
VOLUMES = {
    (EXT, "19"): 26,
    (EXT, "15"): 44,
    (EXT, "14"): 52,
    (EXT, "12"): 24,
    (EXT, "29"): 22,
    (EXT, "18"): 20,
    (PEFE, "18"): 22,
    (PEL, "01"): 9,
    (PEL, "10"): 9,
    (PEL, "13"): 9,
    (PEL, "20"): 10,
    (PEL, "23"): 11,
    (PEL, "28"): 9,
}
ORDINARY_TICKETS = 75
ORDINARY_STATE_WEIGHTS = {"09": 4, "15": 3, "14": 2, "19": 2, "21": 2, "30": 2, "11": 2}
# Official rest (Revolución, observed Monday the 15th) and Día de Muertos.
QUIET_DAYS = {date(2021, 11, 15): 0.1, date(2021, 11, 2): 0.5}
KIND_WEIGHTS = {"junta": 10, "opl": 5, "party": 4, "candidacy": 3, "central": 2}
MIN_PER_STATUS = 3


def build_plan(catalog: CatalogView, now: datetime) -> Plan:
    """The whole demo month. ``now`` is the real clock: no time in the plan goes past it."""
    rng = random.Random(SEED)
    cutoff = min(SNAPSHOT, now)
    candidacies = candidacy_keys(catalog)
    planner = _Planner(rng, catalog, candidacies, cutoff)
    drafts = sorted(
        (draft for segment in segments(catalog) for draft in planner.drafts(segment)),
        key=lambda d: d.received_at,
    )
    statuses = [_target_status(rng, cutoff - d.received_at) for d in drafts]
    _ensure_every_status(statuses)
    tickets = tuple(planner.ticket(d, s) for d, s in zip(drafts, statuses, strict=True))
    return Plan(people.STAFF, tuple(candidacies.items()), tickets)


def segments(catalog: CatalogView) -> list[Segment]:
    """Each process in each state that has an election in the catalog, then ordinary work."""
    result = []
    for (process_key, state_key), count in VOLUMES.items():
        day = catalog.elections.get((process_key, state_key))
        if day is not None:  # an admin may have removed it: then no ticket can belong to it
            result.append(Segment(WHERE[process_key], process_key, state_key, count, day))
    result.append(Segment("ord", None, None, ORDINARY_TICKETS))
    return result


def candidacy_keys(catalog: CatalogView) -> dict[str, people.Candidacy]:
    """Organisation key -> candidacy, for the EXT-2021 states the catalog has elections in."""
    numbers: Counter = Counter()
    result = {}
    for candidacy in people.CANDIDACIES:
        if (EXT, candidacy.state_key) in catalog.elections:
            numbers[candidacy.state_key] += 1
            result[candidacy.key(numbers[candidacy.state_key])] = candidacy
    return result


def day_weight(segment: Segment, day: date) -> float:
    """How busy a day is: the election day and the days around it bring the most requests."""
    weekend = day.weekday() >= 5
    if segment.where in ("ext", "pefe"):
        delta = (day - segment.election_day).days
        weight = 1.0 + 9.0 * math.exp(-((delta / 2.0) ** 2))
        if delta < 0:
            weight += max(0, 10 + delta) * 0.15  # the run-up
        if delta == 3:
            weight += 3.0  # the cómputos, the Wednesday after
        if delta > 6:
            weight *= 0.4
        return weight * (0.7 if weekend and abs(delta) > 2 else 1.0)
    if segment.where == "pel":
        return 0.25 if weekend else 1.0
    return 0.05 if weekend else QUIET_DAYS.get(day, 1.0)


def phase(segment: Segment, day: date) -> str:
    """Which templates fit the day: ext_before / ext_day / ext_after, or the segment's own."""
    if segment.where != "ext":
        return segment.where
    delta = (day - segment.election_day).days
    return "ext_before" if delta < 0 else "ext_day" if delta == 0 else "ext_after"


def _target_status(rng: random.Random, age: timedelta) -> Status:
    """Where a ticket stands at the close of the month: old ones mostly closed."""
    hours = age.total_seconds() / 3600
    if hours < 6:
        weights = {Status.NEW: 30, Status.ASSIGNED: 25, Status.IN_PROGRESS: 30}
        weights |= {Status.WAITING: 5, Status.RESOLVED: 10}
    elif hours < 48:
        weights = {Status.NEW: 2, Status.ASSIGNED: 6, Status.IN_PROGRESS: 22, Status.WAITING: 15}
        weights |= {Status.RESOLVED: 40, Status.CLOSED: 10, Status.CANCELLED: 5}
    else:
        weights = {Status.IN_PROGRESS: 2, Status.WAITING: 3, Status.RESOLVED: 7}
        weights |= {Status.CLOSED: 83, Status.CANCELLED: 5}
    return weighted(rng, weights)


def _ensure_every_status(statuses: list[Status]) -> None:
    """Every status shows a few times, taken from the most recent tickets of common ones."""
    counts = Counter(statuses)
    for status in Status:
        index = len(statuses) - 1
        while counts[status] < MIN_PER_STATUS and index >= 0:
            donor = statuses[index]
            if donor is not status and counts[donor] > 2 * MIN_PER_STATUS:
                counts[donor] -= 1
                counts[status] += 1
                statuses[index] = status
            index -= 1


class _Planner:
    """Draws the drafts of each segment and tells each ticket's story."""

    def __init__(self, rng: random.Random, catalog: CatalogView, candidacies, cutoff: datetime):
        self.rng = rng
        self.catalog = catalog
        self.candidacy_states = {c.state_key for c in candidacies.values()}
        self.cutoff = cutoff
        self.requests = RequestContext(rng, catalog, candidacies)

    def drafts(self, segment: Segment) -> list[Draft]:
        days = [FIRST_DAY + timedelta(days=n) for n in range((LAST_DAY - FIRST_DAY).days + 1)]
        weights = [day_weight(segment, day) for day in days]
        chosen = self.rng.choices(days, weights, k=segment.count)
        return [self._draft(segment, day) for day in chosen]

    def _draft(self, segment: Segment, day: date) -> Draft:
        where = phase(segment, day)
        state_key = segment.state_key or self._ordinary_state()
        kinds = self._kinds(where, state_key)
        template = self._template(where, state_key, kinds)
        kind = weighted(self.rng, {k: KIND_WEIGHTS[k] for k in sorted(template.kinds & kinds)})
        hours = (9, 18) if segment.where == "ord" else template.hours
        moment = time(self.rng.randrange(*hours), self.rng.randrange(60))
        received = local_to_utc(datetime.combine(day, moment))
        latest = self.cutoff - LATEST_ARRIVAL
        if received > latest:
            received = latest - timedelta(minutes=self.rng.randint(0, 300))
        return Draft(segment, received, template, kind, None if kind == "central" else state_key)

    def _ordinary_state(self) -> str:
        keys = sorted(self.catalog.states)
        return weighted(self.rng, {k: ORDINARY_STATE_WEIGHTS.get(k, 1) for k in keys})

    def _kinds(self, where: str, state_key: str) -> set[str]:
        kinds = {"junta", "opl", "party"}
        if where.startswith("ext") and state_key in self.candidacy_states:
            kinds.add("candidacy")
        if where == "ord":
            kinds.add("central")
        return kinds

    def _template(self, where: str, state_key: str, kinds: set[str]) -> texts.Template:
        options = {
            tpl: tpl.weight
            for tpl in texts.TEMPLATES
            if where in tpl.where
            and (not tpl.states or state_key in tpl.states)
            and tpl.kinds & kinds
        }
        return weighted(self.rng, options)

    def ticket(self, draft: Draft, status: Status) -> TicketPlan:
        request, resolution = describe(self.requests, draft)
        pace = 0.4 if phase(draft.segment, _mx_day(draft.received_at)) == "ext_day" else 1.0
        opened_at, opener, steps = plan_lifecycle(
            self.rng, request, resolution, status, draft.received_at, self.cutoff, pace=pace
        )
        return TicketPlan(request, draft.received_at, opened_at, opener, status, steps)


def _mx_day(moment: datetime) -> date:
    return to_mx(moment).date()
