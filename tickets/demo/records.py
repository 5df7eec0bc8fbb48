"""The plain records a demo plan is made of; no database, no randomness."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime

from tickets.demo import people, texts
from tickets.helpdesk.models import Channel, Priority, Status


@dataclass(frozen=True)
class CatalogView:
    """The catalog facts the plan needs, read once from the database."""

    states: dict[str, str]  # key -> display name
    districts: dict[str, tuple[int, ...]]  # state key -> district numbers
    opl: dict[str, tuple[str, str]]  # state key -> (acronym, name)
    elections: dict[tuple[str, str], date]  # (process key, state key) -> election day
    parties: tuple[str, ...]
    central_offices: tuple[str, ...]


@dataclass(frozen=True)
class Segment:
    """A slice of the month's work: one process in one state, or ordinary activity."""

    where: str  # ext | pefe | pel | ord
    process_key: str | None
    state_key: str | None
    count: int
    election_day: date | None = None


@dataclass(frozen=True)
class Draft:
    """A ticket being planned: when it arrived, what about, from which kind of requester."""

    segment: Segment
    received_at: datetime
    template: texts.Template
    kind: str
    state_key: str | None


@dataclass(frozen=True)
class Request:
    """What the operator types when logging the ticket."""

    requester_type: str
    organization_key: str
    state_key: str | None
    process_key: str | None
    system_key: str
    category_key: str
    channel: Channel
    priority: Priority
    subject: str
    description: str
    contact_name: str
    contact_email: str | None
    contact_phone: str | None


@dataclass(frozen=True)
class Step:
    """One thing that happens to a ticket after it is logged; actor None is the system."""

    at: datetime
    action: str  # assign | status | comment | note
    actor: str | None
    value: str


@dataclass(frozen=True)
class TicketPlan:
    """One ticket: what was typed, when, by whom, and everything that followed."""

    request: Request
    received_at: datetime
    opened_at: datetime
    opened_by: str | None
    status: Status
    steps: tuple[Step, ...]


@dataclass(frozen=True)
class Plan:
    """The whole demo month."""

    staff: tuple[people.StaffMember, ...]
    candidacies: tuple[tuple[str, people.Candidacy], ...]  # (organisation key, candidacy)
    tickets: tuple[TicketPlan, ...]


def weighted(rng: random.Random, weights: dict):
    """One key of ``weights``, drawn in proportion to its value (in the dict's order)."""
    items = list(weights)
    return rng.choices(items, weights=[weights[i] for i in items])[0]
