"""Admin operations on catalog entries.

Entries are never deleted: they are deactivated, stay on the tickets that use them and leave
the new-ticket choices (`tickets.catalogs.queries` lists active entries only). Elections are
the exception: they are rows of a process, added and removed while the process is set up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tickets.accounts.models import User
from tickets.catalogs.models import (
    ActiveMixin,
    Category,
    District,
    Election,
    ElectoralProcess,
    Organization,
    Party,
    ProcessKind,
    RequesterType,
    State,
    System,
)
from tickets.core.errors import Conflict, NotAllowed, ValidationFailed
from tickets.core.session import commit
from tickets.core.text import fold
from tickets.core.timeutil import long_date
from tickets.extensions import db

KEY_PATTERN = re.compile(r"[A-Z0-9][A-Z0-9_-]*")
KEY_HELP = "La clave admite letras sin acentos, números, guiones y guiones bajos, sin espacios."
ORG_KEY_PREFIXES = {
    RequesterType.JUNTA: "JUN",
    RequesterType.PARTY: "PP",
    RequesterType.CANDIDACY: "CI",
    RequesterType.OPL: "OPL",
    RequesterType.CENTRAL: "CEN",
}


@dataclass(frozen=True)
class ProcessData:
    """What an admin types for an electoral process; ``key`` is read only when creating."""

    name: str
    kind: ProcessKind | None
    starts_on: date | None
    ends_on: date | None
    key: str = ""


@dataclass(frozen=True)
class ElectionData:
    """One election of a process: a state and its election day."""

    state_id: int | None
    election_day: date | None
    description: str = ""


@dataclass(frozen=True)
class EntryData:
    """A system or a category; ``key`` is read only when creating."""

    name: str
    description: str = ""
    key: str = ""


@dataclass(frozen=True)
class OrganizationData:
    """An organisation; only name and acronym can change once it exists."""

    name: str
    acronym: str = ""
    kind: RequesterType | None = None
    state_id: int | None = None
    district_number: int | None = None
    party_id: int | None = None
    key: str = ""


def can_manage_catalogs(user: User) -> bool:
    """Only admins add, edit, deactivate and reactivate catalog entries."""
    return user.is_admin


def _require_admin(actor: User) -> None:
    if not can_manage_catalogs(actor):
        raise NotAllowed("Solo la administración modifica los catálogos.")


# --- Electoral processes and their elections -------------------------------------------------


def create_process(actor: User, data: ProcessData) -> ElectoralProcess:
    """Add an electoral process (its elections are added one by one afterwards).

    :raises NotAllowed: the actor is not an admin.
    :raises ValidationFailed: missing or malformed key, duplicate key, missing name or kind,
        missing dates, start after end.
    """
    _require_admin(actor)
    errors: dict[str, str] = {}
    key = _key(data.key, ElectoralProcess, 30, "un proceso", errors)
    values = _process_values(data, errors)
    if errors:
        raise ValidationFailed(errors)
    process = ElectoralProcess(key=key, **values)
    db.session.add(process)
    _commit_unique({"key": f"Ya existe un proceso con la clave {key}."})
    return process


def update_process(actor: User, process: ElectoralProcess, data: ProcessData) -> ElectoralProcess:
    """Change a process's name, kind or dates; its key never changes.

    :raises NotAllowed: the actor is not an admin.
    :raises ValidationFailed: as for create_process, or an election falls outside the new dates.
    """
    _require_admin(actor)
    errors: dict[str, str] = {}
    values = _process_values(data, errors)
    if not errors:
        _check_elections_inside(process, values["starts_on"], values["ends_on"], errors)
    if errors:
        raise ValidationFailed(errors)
    for name, value in values.items():
        setattr(process, name, value)
    commit()
    return process


def _process_values(data: ProcessData, errors: dict[str, str]) -> dict:
    values = {"name": _text(data.name, "name", "el nombre", 200, errors), "kind": data.kind}
    if data.kind is None:
        errors["kind"] = "Elija el tipo de proceso."
    if data.starts_on is None:
        errors["starts_on"] = "Escriba la fecha de inicio."
    if data.ends_on is None:
        errors["ends_on"] = "Escriba la fecha de término."
    if data.starts_on and data.ends_on and data.starts_on > data.ends_on:
        errors["starts_on"] = "La fecha de inicio no puede ser posterior a la de término."
    values.update(starts_on=data.starts_on, ends_on=data.ends_on)
    return values


def _check_elections_inside(process, starts_on, ends_on, errors: dict[str, str]) -> None:
    outside = [e for e in process.elections if not starts_on <= e.election_day <= ends_on]
    if outside:
        listed = ", ".join(f"{e.state.display_name} ({long_date(e.election_day)})" for e in outside)
        errors["starts_on" if outside[0].election_day < starts_on else "ends_on"] = (
            f"Hay elecciones fuera de esas fechas: {listed}. Quítelas o amplíe el periodo."
        )


def add_election(actor: User, process: ElectoralProcess, data: ElectionData) -> Election:
    """Add an election of ``process`` in one state; its day must fall inside the process.

    :raises NotAllowed: the actor is not an admin.
    :raises ValidationFailed: missing or inactive state, missing day, a day outside the process,
        the same state and day already in the process, a description too long.
    """
    _require_admin(actor)
    errors: dict[str, str] = {}
    description = _text(data.description, "description", "", 400, errors, required=False)
    state = _active_row(State, data.state_id, "state_id", "la entidad", errors)
    day = data.election_day
    if day is None:
        errors["election_day"] = "Escriba la fecha de la jornada electoral."
    elif not process.starts_on <= day <= process.ends_on:
        errors["election_day"] = (
            f"La jornada debe caer dentro del proceso {process.key}: del "
            f"{long_date(process.starts_on)} al {long_date(process.ends_on)}."
        )
    elif state is not None and _election_exists(process, state, day):
        errors["election_day"] = (
            f"El proceso {process.key} ya tiene una elección en {state.display_name} "
            f"el {long_date(day)}."
        )
    if errors:
        raise ValidationFailed(errors)
    election = Election(process=process, state=state, election_day=day, description=description)
    db.session.add(election)
    _commit_unique({"election_day": "Esa elección ya está registrada en el proceso."})
    return election


def _election_exists(process: ElectoralProcess, state: State, day: date) -> bool:
    query = sa.select(Election.id).where(
        Election.process_id == process.id,
        Election.state_id == state.id,
        Election.election_day == day,
    )
    return db.session.scalar(query) is not None


def remove_election(actor: User, election: Election) -> None:
    """Remove an election from its process, typically one registered by mistake.

    Tickets point at a process and a state, not at an election; the state's last election in
    the process cannot go while tickets of that state are filed under the process, or they
    would claim a process the state no longer has (and the SLA clock would change under them).

    :raises NotAllowed: the actor is not an admin.
    :raises Conflict: the state's last election in the process, with tickets filed under it.
    """
    _require_admin(actor)
    process, state = election.process, election.state
    if _is_last_election_with_tickets(election):
        raise Conflict(
            f"No se puede quitar la elección de {state.display_name}: hay tickets de esa "
            f"entidad registrados en {process.key}. Si la fecha es incorrecta, agregue primero "
            "la elección correcta y luego quite esta."
        )
    process.elections.remove(election)
    commit()


def _is_last_election_with_tickets(election: Election) -> bool:
    from tickets.helpdesk.models import Ticket  # helpdesk builds on catalogs, not the reverse

    sibling = sa.select(Election.id).where(
        Election.process_id == election.process_id,
        Election.state_id == election.state_id,
        Election.id != election.id,
    )
    if db.session.scalar(sibling.limit(1)) is not None:
        return False
    used = sa.select(Ticket.id).where(
        Ticket.process_id == election.process_id, Ticket.state_id == election.state_id
    )
    return db.session.scalar(used.limit(1)) is not None


# --- Systems and categories ------------------------------------------------------------------


def create_entry(actor: User, model: type[System] | type[Category], data: EntryData):
    """Add a system or a category.

    :raises NotAllowed: the actor is not an admin.
    :raises ValidationFailed: missing or malformed key, duplicate key, missing name.
    """
    _require_admin(actor)
    errors: dict[str, str] = {}
    article = "un sistema" if model is System else "una categoría"
    key = _key(data.key, model, 40, article, errors)
    values = _entry_values(model, data, errors)
    if errors:
        raise ValidationFailed(errors)
    entry = model(key=key, **values)
    db.session.add(entry)
    _commit_unique({"key": f"Ya existe {article} con la clave {key}."})
    return entry


def update_entry(actor: User, entry: System | Category, data: EntryData):
    """Rename or re-describe a system or a category; its key never changes.

    :raises NotAllowed: the actor is not an admin.
    :raises ValidationFailed: missing or too long name.
    """
    _require_admin(actor)
    errors: dict[str, str] = {}
    values = _entry_values(type(entry), data, errors)
    if errors:
        raise ValidationFailed(errors)
    entry.name, entry.description = values["name"], values["description"]
    commit()
    return entry


def _entry_values(model, data: EntryData, errors: dict[str, str]) -> dict:
    max_name = 250 if model is System else 120
    return {
        "name": _text(data.name, "name", "el nombre", max_name, errors),
        "description": _text(data.description, "description", "", 2000, errors, required=False),
    }


# --- Organisations ---------------------------------------------------------------------------


def create_organization(actor: User, data: OrganizationData) -> Organization:
    """Add a requesting organisation: an independent candidacy, a new central office…

    Without a key one is made from the kind, the party, the state and the district.

    :raises NotAllowed: the actor is not an admin.
    :raises ValidationFailed: missing kind or name, a state for a central office or none for
        the rest, a district the state lacks, a party missing or where none belongs, a second
        active OPL in a state, a malformed or duplicate key.
    """
    _require_admin(actor)
    errors: dict[str, str] = {}
    values = _organization_values(data, errors)
    place = _organization_place(data, errors)
    if data.kind is not None:
        _check_party_and_opl(data, place, errors)
    key = None
    if data.key.strip():
        key = _key(data.key, Organization, 60, "una organización", errors)
    if errors:
        raise ValidationFailed(errors)
    key = key or _organization_key(data, place)
    organization = Organization(kind=data.kind, key=key, **values, **place)
    db.session.add(organization)
    _commit_unique({"key": "Ya existe una organización con esa clave."})
    return organization


def update_organization(actor: User, organization: Organization, data: OrganizationData):
    """Rename an organisation or change its acronym (an OPL renamed by its state's law).

    :raises NotAllowed: the actor is not an admin.
    :raises ValidationFailed: missing or too long name, too long acronym.
    """
    _require_admin(actor)
    errors: dict[str, str] = {}
    values = _organization_values(data, errors)
    if errors:
        raise ValidationFailed(errors)
    organization.name, organization.acronym = values["name"], values["acronym"]
    commit()
    return organization


def _organization_values(data: OrganizationData, errors: dict[str, str]) -> dict:
    acronym = _text(data.acronym, "acronym", "", 40, errors, required=False)
    return {"name": _text(data.name, "name", "el nombre", 200, errors), "acronym": acronym or None}


def _organization_place(data: OrganizationData, errors: dict[str, str]) -> dict:
    """State, district and party rows for a new organisation."""
    if data.kind is None:
        errors["kind"] = "Elija el tipo de organización."
    if data.kind is RequesterType.CENTRAL:
        if data.state_id or data.district_number:
            errors["state_id"] = "Las oficinas centrales no pertenecen a una entidad ni distrito."
        state = None
    else:
        state = _active_row(State, data.state_id, "state_id", "la entidad", errors)
    district = None
    if state is not None and data.district_number is not None:
        district = db.session.scalar(
            sa.select(District).where(
                District.state_id == state.id, District.number == data.district_number
            )
        )
        if district is None:
            errors["district_number"] = (
                f"{state.display_name} no tiene el distrito {data.district_number} "
                f"(tiene {len(state.districts)})."
            )
    party = None
    if data.party_id is not None:
        party = _active_row(Party, data.party_id, "party_id", "el partido", errors)
    return {"state": state, "district": district, "party": party}


def _check_party_and_opl(data: OrganizationData, place: dict, errors: dict[str, str]) -> None:
    if data.kind is RequesterType.PARTY and data.party_id is None:
        errors["party_id"] = "Elija el partido de la representación."
    elif data.kind is not RequesterType.PARTY and data.party_id is not None:
        errors["party_id"] = "Solo las representaciones de partido llevan partido."
    state = place["state"]
    if data.kind is RequesterType.OPL and state is not None:
        current = db.session.scalar(
            sa.select(Organization).where(
                Organization.kind == RequesterType.OPL,
                Organization.state_id == state.id,
                Organization.is_active,
            )
        )
        if current is not None:
            errors["kind"] = (
                f"{state.display_name} ya tiene un OPL activo ({current.name}). "
                "Si cambió de nombre, edite ese registro en lugar de crear otro."
            )


def _organization_key(data: OrganizationData, place: dict) -> str:
    parts = [ORG_KEY_PREFIXES[data.kind]]
    if place["party"] is not None:
        parts.append(place["party"].acronym)
    if place["state"] is not None:
        parts.append(place["state"].key)
    if place["district"] is not None:
        parts.append(f"{place['district'].number:02d}")
    if data.kind is RequesterType.CENTRAL and data.acronym.strip():
        parts.append(re.sub(r"[^A-Z0-9]+", "-", fold(data.acronym).upper()).strip("-")[:20])
    base = "-".join(p for p in parts if p)
    taken = set(
        db.session.scalars(sa.select(Organization.key).where(Organization.key.startswith(base)))
    )
    suffix = 1
    key = base
    while key in taken:
        suffix += 1
        key = f"{base}-{suffix}"
    return key


# --- Deactivate and reactivate ---------------------------------------------------------------


def set_active(actor: User, entry: ActiveMixin, active: bool) -> ActiveMixin:
    """Deactivate (or reactivate) any catalog entry; nothing is ever deleted.

    A deactivated entry stays on the tickets that use it and leaves the new-ticket choices.

    :raises NotAllowed: the actor is not an admin.
    """
    _require_admin(actor)
    if not isinstance(entry, ActiveMixin):
        raise TypeError(f"{type(entry).__name__} cannot be deactivated")
    if entry.is_active is not active:
        entry.is_active = active
        commit()
    return entry


# --- Shared validation -----------------------------------------------------------------------


def _text(value: str | None, field: str, label: str, limit: int, errors, required=True) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[field] = f"Escriba {label}."
    elif len(text) > limit:
        errors[field] = f"Admite hasta {limit} caracteres; tiene {len(text)}."
    return text


def _key(value: str | None, model, limit: int, article: str, errors: dict[str, str]) -> str:
    """An upper-case key, unique in its catalog."""
    key = (value or "").strip().upper()
    if not key:
        errors["key"] = "Escriba la clave."
    elif len(key) > limit:
        errors["key"] = f"La clave admite hasta {limit} caracteres."
    elif not KEY_PATTERN.fullmatch(key):
        errors["key"] = KEY_HELP
    elif db.session.scalar(sa.select(model.id).where(model.key == key)):
        errors["key"] = f"Ya existe {article} con la clave {key}."
    return key


def _active_row(model, ident: int | None, field: str, label: str, errors: dict[str, str]):
    if ident is None:
        errors[field] = f"Elija {label}."
        return None
    row = db.session.get(model, ident)
    if row is None or not row.is_active:
        errors[field] = f"Elija {label} de entre las activas del catálogo."
        return None
    return row


def _commit_unique(fields: dict[str, str]) -> None:
    """Commit; a duplicate inserted by someone else in the meantime is a refused form."""
    try:
        commit()
    except IntegrityError as exc:
        raise ValidationFailed(fields) from exc
