"""Replay the demo plan through the real services, so folios, audit and times are consistent.

``load()`` runs small loaders in order (staff, candidacies, tickets); later issues add theirs
(PREP drills, training sessions) to ``LOADERS``. Each service call commits, as in real use.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from time import perf_counter

import sqlalchemy as sa
from tqdm import tqdm

from tickets.accounts import services as accounts
from tickets.accounts.models import User
from tickets.catalogs.models import (
    Category,
    District,
    Election,
    ElectoralProcess,
    Organization,
    Party,
    RequesterType,
    State,
    System,
)
from tickets.core.db import utcnow
from tickets.core.session import commit
from tickets.demo.plan import build_plan
from tickets.demo.prep import load_prep
from tickets.demo.recent import load_recent
from tickets.demo.records import CatalogView, Plan, Step, TicketPlan
from tickets.demo.training import load_training
from tickets.extensions import db
from tickets.helpdesk import services
from tickets.helpdesk.models import Status, Ticket
from tickets.helpdesk.validation import TicketData


class DemoError(Exception):
    """The demo cannot be loaded here (tickets already exist, catalogs missing)."""


@dataclass
class LoadResult:
    """What a load did, for the command's summary."""

    staff: list[User] = field(default_factory=list)
    candidacies_added: int = 0
    tickets: int = 0  # the month's
    recent: int = 0  # tickets of the last working hours (tickets/demo/recent.py)
    by_status: dict[Status, int] = field(default_factory=dict)
    seconds: float = 0.0


@dataclass
class Loading:
    """Shared by the loaders of one run: the plan, the result, and key -> id look-ups."""

    plan: Plan
    result: LoadResult
    progress: bool = False
    users: dict[str | None, User] = field(default_factory=dict)
    ids: dict[tuple[str, str], int] = field(default_factory=dict)
    now: datetime = field(default_factory=utcnow)

    def catalog_id(self, table: str, key: str | None) -> int | None:
        return None if key is None else self.ids[(table, key)]


def has_tickets() -> bool:
    """True once the desk holds any ticket: the demo only fills an empty desk."""
    return db.session.scalar(sa.select(Ticket.id).limit(1)) is not None


def load(*, now: datetime | None = None, progress: bool = False) -> LoadResult:
    """Fill an empty desk with November 2021.

    :raises DemoError: there are tickets already, or the catalogs are not loaded.
    """
    started = perf_counter()
    if has_tickets():
        raise DemoError(
            "La base de datos ya tiene tickets: la demostración solo se carga en una base vacía."
        )
    catalog = read_catalog()
    if not catalog.states or not catalog.elections:
        raise DemoError("Faltan los catálogos: ejecute primero «flask catalogs load».")
    now = now or utcnow()
    loading = Loading(build_plan(catalog, now), LoadResult(), progress, now=now)
    session = db.session()
    # The demo is the only writer while it loads: reloading every row after each of the
    # services' commits would only double the queries.
    session.expire_on_commit, before = False, session.expire_on_commit
    try:
        for loader in LOADERS:
            loader(loading)
    finally:
        session.expire_on_commit = before
    loading.result.seconds = perf_counter() - started
    return loading.result


def read_catalog() -> CatalogView:
    """The catalog facts the plan draws on: active states, districts, OPL, elections…"""
    states = dict(
        db.session.execute(sa.select(State.key, State.display_name).where(State.is_active)).all()
    )
    districts: dict[str, list[int]] = {}
    for key, number in db.session.execute(
        sa.select(State.key, District.number)
        .join(District.state)
        .where(District.is_active)
        .order_by(State.key, District.number)
    ):
        districts.setdefault(key, []).append(number)
    return CatalogView(
        states=states,
        districts={k: tuple(v) for k, v in districts.items()},
        opl={state: (acronym, name) for state, acronym, name in _organizations(RequesterType.OPL)},
        elections=_election_days(),
        parties=tuple(db.session.scalars(sa.select(Party.acronym).where(Party.is_active))),
        central_offices=tuple(a for _, a, _ in _organizations(RequesterType.CENTRAL)),
    )


def _organizations(kind: RequesterType) -> list[tuple[str | None, str, str]]:
    """(state key, acronym, name) of the active organisations of one kind, by key."""
    query = (
        sa.select(State.key, Organization.acronym, Organization.name)
        .outerjoin(Organization.state)
        .where(Organization.kind == kind, Organization.is_active)
        .order_by(Organization.key)
    )
    return [tuple(row) for row in db.session.execute(query)]


def _election_days() -> dict:
    query = (
        sa.select(ElectoralProcess.key, State.key, sa.func.min(Election.election_day))
        .join(Election.process)
        .join(Election.state)
        .where(ElectoralProcess.is_active)
        .group_by(ElectoralProcess.key, State.key)
    )
    return {(process, state): day for process, state, day in db.session.execute(query)}


def load_staff(loading: Loading) -> None:
    """The demo's supervisor and operators, with random passwords nobody is shown."""
    for member in loading.plan.staff:
        user = db.session.scalar(sa.select(User).where(User.email == member.email))
        if user is None:
            data = accounts.UserData(member.email, member.name, member.role)
            user, _password = accounts.create_user(None, data, secrets.token_urlsafe(24))
        loading.users[member.email] = user
        loading.result.staff.append(user)
    loading.users[None] = accounts.system_user()


def load_candidacies(loading: Loading) -> None:
    """Independent candidacies of the extraordinary elections, as catalog organisations.

    Written here because the catalog has no service for organisations yet; keyed, so a
    second run adds nothing.
    """
    known = set(db.session.scalars(sa.select(Organization.key)))
    states = dict(db.session.execute(sa.select(State.key, State.id)).all())
    for key, candidacy in loading.plan.candidacies:
        if key in known:
            continue
        db.session.add(
            Organization(
                key=key,
                kind=RequesterType.CANDIDACY,
                name=candidacy.name,
                acronym=candidacy.acronym,
                state_id=states[candidacy.state_key],
            )
        )
        loading.result.candidacies_added += 1
    commit()


def load_tickets(loading: Loading) -> None:
    """Every planned ticket, logged and worked through the helpdesk services."""
    loading.ids = _catalog_ids(loading.plan)
    tickets = tqdm(
        loading.plan.tickets,
        desc="Tickets de demostración",
        unit="ticket",
        disable=None if loading.progress else True,
    )
    for plan in tickets:
        _replay(loading, plan)
    counts = db.session.execute(sa.select(Ticket.status, sa.func.count()).group_by(Ticket.status))
    loading.result.by_status = {Status(status): n for status, n in counts}
    loading.result.tickets = sum(loading.result.by_status.values())


def _catalog_ids(plan: Plan) -> dict[tuple[str, str], int]:
    wanted = {
        "organizations": {t.request.organization_key for t in plan.tickets},
        "states": {t.request.state_key for t in plan.tickets} - {None},
        "processes": {t.request.process_key for t in plan.tickets} - {None},
        "systems": {t.request.system_key for t in plan.tickets},
        "categories": {t.request.category_key for t in plan.tickets},
    }
    models = {
        "organizations": Organization,
        "states": State,
        "processes": ElectoralProcess,
        "systems": System,
        "categories": Category,
    }
    ids = {}
    for table, keys in wanted.items():
        model = models[table]
        rows = db.session.execute(sa.select(model.key, model.id).where(model.key.in_(keys)))
        ids.update({(table, key): ident for key, ident in rows})
        missing = sorted(k for k in keys if (table, k) not in ids)
        if missing:
            raise DemoError(f"Faltan en los catálogos: {', '.join(missing)}.")
    return ids


def _replay(loading: Loading, plan: TicketPlan) -> None:
    data = ticket_data(loading, plan.request, plan.received_at)
    ticket, _code = services.open_ticket(loading.users[plan.opened_by], data, now=plan.opened_at)
    for step in plan.steps:
        ACTIONS[step.action](loading, ticket, step)


def ticket_data(loading: Loading, request, received_at: datetime) -> TicketData:
    """What the operator typed for ``request``, with catalog keys turned into ids."""
    return TicketData(
        requester_type=RequesterType(request.requester_type),
        organization_id=loading.catalog_id("organizations", request.organization_key),
        contact_name=request.contact_name,
        contact_email=request.contact_email,
        contact_phone=request.contact_phone,
        state_id=loading.catalog_id("states", request.state_key),
        process_id=loading.catalog_id("processes", request.process_key),
        system_id=loading.catalog_id("systems", request.system_key),
        category_id=loading.catalog_id("categories", request.category_key),
        channel=request.channel,
        priority=request.priority,
        subject=request.subject,
        description=request.description,
        received_at=received_at,
    )


def _assign(loading: Loading, ticket: Ticket, step: Step) -> None:
    services.assign(loading.users[step.actor], ticket, loading.users[step.value], now=step.at)


def _status(loading: Loading, ticket: Ticket, step: Step) -> None:
    services.transition(loading.users[step.actor], ticket, Status(step.value), now=step.at)


def _comment(loading: Loading, ticket: Ticket, step: Step, internal: bool = False) -> None:
    body = step.value.replace("{folio}", ticket.folio)
    services.add_comment(loading.users[step.actor], ticket, body, internal=internal, now=step.at)


def _note(loading: Loading, ticket: Ticket, step: Step) -> None:
    _comment(loading, ticket, step, internal=True)


ACTIONS: dict[str, Callable[[Loading, Ticket, Step], None]] = {
    "assign": _assign,
    "status": _status,
    "comment": _comment,
    "note": _note,
}

LOADERS: list[Callable[[Loading], None]] = [
    load_staff,
    load_candidacies,
    load_tickets,
    load_recent,
    load_prep,
    load_training,
]
