"""Catalog look-ups shared by forms, the intake form's dependent choices and imports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so

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
from tickets.core.text import fold
from tickets.extensions import db

SECTIONS = [
    ("states", "Entidades federativas"),
    ("districts", "Distritos electorales federales"),
    ("organizations", "Organizaciones solicitantes"),
    ("processes", "Procesos electorales"),
    ("systems", "Sistemas informáticos"),
    ("categories", "Categorías de ticket"),
]


def active_states() -> list[State]:
    return list(db.session.scalars(sa.select(State).where(State.is_active).order_by(State.key)))


def active_systems() -> list[System]:
    return list(db.session.scalars(sa.select(System).where(System.is_active).order_by(System.name)))


def active_categories() -> list[Category]:
    return list(
        db.session.scalars(sa.select(Category).where(Category.is_active).order_by(Category.name))
    )


def all_processes() -> list[ElectoralProcess]:
    return list(
        db.session.scalars(sa.select(ElectoralProcess).order_by(ElectoralProcess.starts_on.desc()))
    )


def districts_of(state_id: int | None) -> list[District]:
    if not state_id:
        return []
    return list(
        db.session.scalars(
            sa.select(District)
            .where(District.state_id == state_id, District.is_active)
            .order_by(District.number)
        )
    )


def organizations_of(state_id: int | None, kind: RequesterType | None = None) -> list[Organization]:
    """Active organisations of a state (central offices when no state), optionally of one kind."""
    query = sa.select(Organization).where(Organization.is_active)
    if state_id:
        query = query.where(Organization.state_id == state_id)
    else:
        query = query.where(Organization.state_id.is_(None))
    if kind is not None:
        query = query.where(Organization.kind == kind)
    return list(db.session.scalars(query.order_by(Organization.kind, Organization.name)))


def processes_for_state(state_id: int | None) -> list[ElectoralProcess]:
    """Active processes with an election in the state; none means 'actividad ordinaria'."""
    query = sa.select(ElectoralProcess).where(ElectoralProcess.is_active)
    if state_id:
        query = query.where(
            ElectoralProcess.id.in_(
                sa.select(Election.process_id).where(Election.state_id == state_id)
            )
        )
    return list(db.session.scalars(query.order_by(ElectoralProcess.starts_on.desc())))


def options_for_state(state_id: int | None) -> dict:
    """What the intake form offers once a state is chosen."""
    orgs = organizations_of(state_id)
    return {
        "districts": [{"id": d.id, "label": str(d)} for d in districts_of(state_id)],
        "organizations": [
            {"id": o.id, "label": o.name, "kind": o.kind.value, "district_id": o.district_id}
            for o in orgs
        ],
        "offices": [{"id": o.id, "label": o.name} for o in orgs if o.kind is RequesterType.JUNTA],
        "processes": [{"id": p.id, "label": str(p)} for p in processes_for_state(state_id)],
    }


# --- The admins' catalog pages ------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """How many entries a catalog (or one kind of organisation) has, and how many are active."""

    total: int
    active: int


def catalog_counts() -> dict[str, Count]:
    """Entries per catalog section, keyed like `queries.SECTIONS`; one small query each."""
    models = {
        "states": State,
        "districts": District,
        "organizations": Organization,
        "processes": ElectoralProcess,
        "systems": System,
        "categories": Category,
    }
    return {
        name: Count(*db.session.execute(_counts(model)).one()) for name, model in models.items()
    }


def organization_counts() -> dict[RequesterType, Count]:
    """Organisations per kind, grouped in SQL over the kind index."""
    query = sa.select(
        Organization.kind, sa.func.count(), sa.func.count().filter(Organization.is_active)
    ).group_by(Organization.kind)
    return {kind: Count(total, active) for kind, total, active in db.session.execute(query)}


def _counts(model) -> sa.Select:
    return sa.select(sa.func.count(), sa.func.count().filter(model.is_active)).select_from(model)


def states_with_district_counts() -> list[tuple[State, int]]:
    """The 32 states in key order, each with its number of districts."""
    query = (
        sa.select(State, sa.func.count(District.id))
        .outerjoin(District, District.state_id == State.id)
        .group_by(State.id)
        .order_by(State.key)
    )
    return [(state, count) for state, count in db.session.execute(query)]


def districts_page(state_id: int | None, page: int, per_page: int = 50):
    """One page of districts, optionally of one state, in state and number order."""
    query = sa.select(District).join(District.state).options(so.contains_eager(District.state))
    if state_id:
        query = query.where(District.state_id == state_id)
    query = query.order_by(State.key, District.number)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


@dataclass(frozen=True)
class OrganizationFilters:
    """The organisation list's filter bar; empty values mean 'any'."""

    kind: RequesterType | None = None
    state_id: int | None = None
    q: str = ""
    active: bool | None = None


def organizations_page(filters: OrganizationFilters, page: int, per_page: int = 50):
    """One page of organisations matching the filters, by kind then name."""
    query = sa.select(Organization).options(so.joinedload(Organization.state))
    if filters.kind is not None:
        query = query.where(Organization.kind == filters.kind)
    if filters.state_id:
        query = query.where(Organization.state_id == filters.state_id)
    if filters.active is not None:
        query = query.where(Organization.is_active.is_(filters.active))
    if filters.q.strip():
        pattern = "%" + re.sub(r"([\\%_])", r"\\\1", filters.q.strip()) + "%"
        query = query.where(
            sa.or_(
                Organization.name.ilike(pattern, escape="\\"),
                Organization.acronym.ilike(pattern, escape="\\"),
                Organization.key.ilike(pattern, escape="\\"),
            )
        )
    query = query.order_by(Organization.kind, Organization.name, Organization.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def processes_with_elections() -> list[ElectoralProcess]:
    """Every process, newest first, with its elections and their states loaded."""
    query = (
        sa.select(ElectoralProcess)
        .options(so.selectinload(ElectoralProcess.elections).joinedload(Election.state))
        .order_by(ElectoralProcess.starts_on.desc(), ElectoralProcess.key)
    )
    return list(db.session.scalars(query))


def process_with_elections(process_id: int) -> ElectoralProcess | None:
    """One process with its elections and their states loaded in two queries, or None."""
    query = (
        sa.select(ElectoralProcess)
        .where(ElectoralProcess.id == process_id)
        .options(so.selectinload(ElectoralProcess.elections).joinedload(Election.state))
    )
    return db.session.scalar(query)


def election_days(process: ElectoralProcess) -> list[tuple[date, list[str]]]:
    """A process's election days, each with its states in alphabetical order."""
    days: dict[date, list[str]] = {}
    for election in process.elections:
        days.setdefault(election.election_day, []).append(election.state.display_name)
    return [(day, sorted(names, key=fold)) for day, names in sorted(days.items())]


def entries(model: type[System] | type[Category]) -> list:
    """Every system or category, by name (a few dozen rows)."""
    return list(db.session.scalars(sa.select(model).order_by(model.name)))


def state_choices() -> list[tuple[int, str]]:
    """Active states for select boxes, by key."""
    query = sa.select(State.id, State.display_name).where(State.is_active).order_by(State.key)
    return [(ident, name) for ident, name in db.session.execute(query)]


def party_choices() -> list[tuple[int, str]]:
    """Active parties for select boxes."""
    query = sa.select(Party.id, Party.acronym, Party.name).where(Party.is_active).order_by(Party.id)
    return [(i, f"{acronym} · {name}") for i, acronym, name in db.session.execute(query)]
