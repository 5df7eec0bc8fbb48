"""Training log operations, shared by the web form, the demo loader and any future import.

Supervisors and admins record and correct sessions; each call validates every rule at once and
commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from tickets.accounts.models import User
from tickets.catalogs.models import Organization, State, System
from tickets.core.db import utcnow
from tickets.core.errors import NotAllowed, ValidationFailed
from tickets.core.session import commit
from tickets.core.timeutil import to_mx
from tickets.extensions import db
from tickets.training.models import Modality, TrainingSession
from tickets.training.queries import OFFICE_KINDS

# The Instituto Nacional Electoral exists since 4 April 2014; an earlier date is a typo.
FIRST_DAY = date(2014, 4, 4)
MAX_PEOPLE = 5000  # far above any one session; a bigger figure is a typo (an extra zero)
MAX_TOPIC = 200  # the column's length
MAX_NOTES = 2000


@dataclass(frozen=True)
class SessionData:
    """What a person types to log a session; the web form and the demo fill it."""

    held_on: date | None
    state_id: int | None
    topic: str
    modality: Modality | None
    people_trained: int | None
    office_id: int | None = None
    system_id: int | None = None
    notes: str = ""

    def cleaned(self) -> SessionData:
        """Strip surrounding blanks from the typed text."""
        return replace(self, topic=(self.topic or "").strip(), notes=(self.notes or "").strip())


def can_record_training(user: User) -> bool:
    """Supervisors and admins keep the training log; operators only read it."""
    return user.is_supervisor


def record_session(
    actor: User, data: SessionData, *, now: datetime | None = None
) -> TrainingSession:
    """Log a training session.

    :raises NotAllowed: the actor is not a supervisor or an admin.
    :raises ValidationFailed: a field breaks a rule (per-field Spanish messages); nothing is
        written.
    """
    now = now or utcnow()
    if not can_record_training(actor):
        raise NotAllowed("Solo supervisión registra sesiones de capacitación.")
    data = data.cleaned()
    rows = _validate(data, now)
    session = TrainingSession(created_by=actor, created_at=now, updated_at=now)
    _apply(session, data, rows)
    db.session.add(session)
    commit()
    return session


def update_session(
    actor: User, session: TrainingSession, data: SessionData, *, now: datetime | None = None
) -> TrainingSession:
    """Correct a logged session. A state, office or system deactivated after the session was
    logged may stay on it.

    :raises NotAllowed: the actor is not a supervisor or an admin.
    :raises ValidationFailed: a field breaks a rule; the session is left as it was.
    """
    now = now or utcnow()
    if not can_record_training(actor):
        raise NotAllowed("Solo supervisión corrige sesiones de capacitación.")
    data = data.cleaned()
    kept = {
        ("states", session.state_id),
        ("organizations", session.office_id),
        ("systems", session.system_id),
    }
    rows = _validate(data, now, kept=kept)
    _apply(session, data, rows)
    session.updated_at = now
    commit()
    return session


def _apply(session: TrainingSession, data: SessionData, rows: dict) -> None:
    session.held_on = data.held_on
    session.state = rows["state"]
    session.office = rows["office"]
    session.system = rows["system"]
    session.topic = data.topic
    session.modality = data.modality
    session.people_trained = data.people_trained
    session.notes = data.notes


def _validate(data: SessionData, now: datetime, kept: frozenset | set = frozenset()) -> dict:
    """Check every rule; raise ValidationFailed naming each bad field in Spanish."""
    errors: dict[str, str] = {}
    _check_date(data.held_on, to_mx(now).date(), errors)
    _check_text(data, errors)
    _check_people(data.people_trained, errors)
    if data.modality is None:
        errors["modality"] = "Seleccione la modalidad."
    rows = {
        "state": _catalog_row(State, data.state_id, kept),
        "office": _catalog_row(Organization, data.office_id, kept),
        "system": _catalog_row(System, data.system_id, kept),
    }
    _check_place(data, rows, errors)
    if data.system_id is not None and rows["system"] is None:
        errors["system_id"] = "Seleccione un sistema activo del catálogo."
    if errors:
        raise ValidationFailed(errors)
    return rows


def _check_date(held_on: date | None, today: date, errors: dict[str, str]) -> None:
    if held_on is None:
        errors["held_on"] = "Escriba la fecha de la sesión."
    elif held_on > today:
        errors["held_on"] = "La fecha de la sesión no puede estar en el futuro."
    elif held_on < FIRST_DAY:
        errors["held_on"] = "La fecha es anterior a la creación del INE (4 de abril de 2014)."


def _check_text(data: SessionData, errors: dict[str, str]) -> None:
    if not data.topic:
        errors["topic"] = "Escriba el tema de la sesión."
    elif len(data.topic) > MAX_TOPIC:
        errors["topic"] = f"El tema admite hasta {MAX_TOPIC} caracteres."
    if len(data.notes) > MAX_NOTES:
        errors["notes"] = f"Las notas admiten hasta {MAX_NOTES:,} caracteres."


def _check_people(people: int | None, errors: dict[str, str]) -> None:
    if people is None:
        errors["people_trained"] = "Escriba cuántas personas se capacitaron."
    elif not 1 <= people <= MAX_PEOPLE:
        errors["people_trained"] = (
            f"Escriba un número entero entre 1 y {MAX_PEOPLE:,}; si la sesión fue mayor, "
            "regístrela por entidad u oficina."
        )


def _catalog_row(model, ident: int | None, kept):
    """The active catalog row, or the row already on the session being corrected."""
    if ident is None:
        return None
    row = db.session.get(model, ident)
    if row is None or not (row.is_active or (model.__tablename__, ident) in kept):
        return None
    return row


def _check_place(data: SessionData, rows: dict, errors: dict[str, str]) -> None:
    state, office = rows["state"], rows["office"]
    if data.state_id is None:
        errors["state_id"] = "Seleccione la entidad."
    elif state is None:
        errors["state_id"] = "Seleccione una entidad activa del catálogo."
    if data.office_id is None:
        return
    if office is None:
        errors["office_id"] = "Seleccione una oficina activa del catálogo."
    elif office.kind not in OFFICE_KINDS or (state is not None and office.state_id != state.id):
        errors["office_id"] = "La oficina debe ser una Junta o el OPL de la entidad seleccionada."
