"""Catalog look-ups shared by forms, the intake form's dependent choices and imports."""

from __future__ import annotations

import sqlalchemy as sa

from tickets.catalogs.models import (
    Category,
    District,
    Election,
    ElectoralProcess,
    Organization,
    RequesterType,
    State,
    System,
)
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
