"""Business rules a ticket's classification must satisfy; shared by forms, the API and imports."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime, timedelta

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
from tickets.core.errors import ValidationFailed
from tickets.core.timeutil import to_mx
from tickets.extensions import db
from tickets.helpdesk.models import Channel, Priority

CLOCK_SKEW = timedelta(minutes=5)


@dataclass(frozen=True)
class TicketData:
    """Everything an operator types to log a ticket; the web form, API and import fill it."""

    requester_type: RequesterType
    organization_id: int | None
    contact_name: str
    system_id: int | None
    category_id: int | None
    channel: Channel
    priority: Priority
    subject: str
    description: str
    state_id: int | None = None
    district_id: int | None = None
    office_id: int | None = None
    process_id: int | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    received_at: datetime | None = None

    def cleaned(self) -> TicketData:
        """Strip surrounding blanks from text, turning empty optional text into None."""
        changes = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str) and not isinstance(value, RequesterType | Channel | Priority):
                value = value.strip()
                if f.name in ("contact_email", "contact_phone") and not value:
                    value = None
                changes[f.name] = value
        return replace(self, **changes)


@dataclass(frozen=True)
class Resolved:
    """The catalog rows a valid TicketData points to."""

    organization: Organization
    state: State | None
    district: District | None
    office: Organization | None
    process: ElectoralProcess | None
    system: System
    category: Category


def validate(data: TicketData, now: datetime, *, allow_inactive_ids: frozenset = frozenset()):
    """Check every rule; raise ValidationFailed naming each bad field in Spanish.

    ``allow_inactive_ids`` lets an edit keep a catalog entry that was deactivated after the
    ticket was logged: deactivated entries stay on old tickets.
    """
    errors: dict[str, str] = {}
    _check_text(data, errors)
    rows = _load_rows(data, errors, allow_inactive_ids)
    _check_organization(data, rows, errors)
    _check_place(data, rows, errors)
    _check_process(data, rows, errors, now)
    if data.received_at is not None and data.received_at > now + CLOCK_SKEW:
        errors["received_at"] = "La fecha de recepción no puede estar en el futuro."
    if errors:
        raise ValidationFailed(errors)
    return Resolved(**rows)


def _check_text(data: TicketData, errors: dict[str, str]) -> None:
    if not data.subject:
        errors["subject"] = "Escriba el asunto."
    elif len(data.subject) > 200:
        errors["subject"] = "El asunto admite hasta 200 caracteres."
    if not data.description:
        errors["description"] = "Describa la solicitud."
    if not data.contact_name:
        errors["contact_name"] = "Escriba el nombre de quien solicita."
    elif len(data.contact_name) > 120:
        errors["contact_name"] = "El nombre admite hasta 120 caracteres."
    if data.contact_email and ("@" not in data.contact_email or len(data.contact_email) > 254):
        errors["contact_email"] = "El correo electrónico no es válido."


def _get(model, ident, field, errors, label, allow_inactive_ids, required=True):
    if ident is None:
        if required:
            errors[field] = f"Seleccione {label}."
        return None
    row = db.session.get(model, ident)
    active = row is not None and (
        getattr(row, "is_active", True) or (model.__tablename__, ident) in allow_inactive_ids
    )
    if not active:
        errors[field] = f"Seleccione {label} válido(a) del catálogo."
        return None
    return row


def _load_rows(data, errors, allow) -> dict:
    return {
        "organization": _get(
            Organization, data.organization_id, "organization_id", errors, "la organización", allow
        ),
        "state": _get(State, data.state_id, "state_id", errors, "la entidad", allow, False),
        "district": _get(
            District, data.district_id, "district_id", errors, "el distrito", allow, False
        ),
        "office": _get(Organization, data.office_id, "office_id", errors, "la junta", allow, False),
        "process": _get(
            ElectoralProcess, data.process_id, "process_id", errors, "el proceso", allow, False
        ),
        "system": _get(System, data.system_id, "system_id", errors, "el sistema", allow),
        "category": _get(Category, data.category_id, "category_id", errors, "la categoría", allow),
    }


def _check_organization(data: TicketData, rows: dict, errors: dict[str, str]) -> None:
    org = rows["organization"]
    if org is None:
        return
    if org.kind != data.requester_type:
        errors["organization_id"] = "La organización no corresponde al tipo de solicitante."
    elif org.state_id is not None and data.state_id is not None and org.state_id != data.state_id:
        errors["organization_id"] = "La organización no pertenece a la entidad seleccionada."
    elif org.district_id is not None and data.district_id not in (None, org.district_id):
        errors["district_id"] = "La junta distrital corresponde a otro distrito."


def _check_place(data: TicketData, rows: dict, errors: dict[str, str]) -> None:
    state, district, office = rows["state"], rows["district"], rows["office"]
    if state is None and data.requester_type is not RequesterType.CENTRAL:
        errors.setdefault("state_id", "Seleccione la entidad.")
    if district is not None and state is not None and district.state_id != state.id:
        errors["district_id"] = "El distrito no pertenece a la entidad seleccionada."
    if office is not None and (
        office.kind is not RequesterType.JUNTA
        or (state is not None and office.state_id != state.id)
    ):
        errors["office_id"] = "La junta debe ser una Junta Ejecutiva de la entidad seleccionada."


def _check_process(data: TicketData, rows: dict, errors: dict[str, str], now: datetime) -> None:
    process, state = rows["process"], rows["state"]
    if process is None:
        return
    if state is not None and not has_election(process.id, state.id):
        errors["process_id"] = (
            f"{state.display_name} no tiene elecciones en {process.key}; "
            "elija otro proceso o «Actividad ordinaria»."
        )
        return
    day = to_mx(data.received_at or now).date()
    if not process.starts_on <= day <= process.ends_on:
        errors["process_id"] = (
            f"El proceso {process.key} no estaba en curso en la fecha de recepción."
        )


def has_election(process_id: int, state_id: int) -> bool:
    """True when the process holds an election in the state."""
    return (
        db.session.scalar(
            sa.select(Election.id)
            .where(Election.process_id == process_id, Election.state_id == state_id)
            .limit(1)
        )
        is not None
    )
