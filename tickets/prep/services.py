"""PREP follow-up: record and correct the drills and the operation a Junta Local followed.

Supervisors and administrators write; operators only read. Every rule lives here, and the
CSV import (prep.importer) checks its rows with the same ``validate_event``:

* the process holds an election in the state (Reglamento de Elecciones, art. 354: the
  Institute follows the PREP of each OPL with elections);
* the date is a real date ("42 de noviembre" is refused) inside the process's start and end;
  an operation without a date takes the state's election day in the process;
* drills are numbered 1, 2, 3… per process and state (blank: the next number), with no
  repeated number and no two drills of a state on one day; one operation per process and state;
* someone at the Junta Local followed it (``followed_by``).
"""

from __future__ import annotations

import calendar
import re
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from babel.dates import format_date, get_month_names
from sqlalchemy.exc import IntegrityError

from tickets.accounts.models import User
from tickets.catalogs.models import Election, ElectoralProcess, State
from tickets.core.db import utcnow
from tickets.core.errors import Conflict, NotAllowed, ValidationFailed
from tickets.core.session import commit
from tickets.core.text import fold
from tickets.core.timeutil import long_date
from tickets.extensions import db
from tickets.prep.models import PrepEvent, PrepEventKind

KIND_LABELS = {PrepEventKind.DRILL: "Simulacro", PrepEventKind.OPERATION: "Operación"}
FIRST_YEAR, LAST_YEAR = 2000, 2100
MAX_DRILL_NUMBER = 99
MAX_NOTES = 4000
TEXT_LIMITS = {"followed_by": 200, "outcome": 200, "notes": MAX_NOTES}
# C0 controls other than tab and line breaks: never typed on purpose, and PostgreSQL refuses NUL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_WORDS = re.compile(r"(\d{1,2})\s+de\s+([a-z]+)\s+(?:de|del)\s+(\d{4})")
_MONTHS = {fold(name): number for number, name in get_month_names("wide", locale="es_MX").items()}
_MONTHS["setiembre"] = 9


@dataclass(frozen=True)
class PrepEventData:
    """What a person types about one drill or operation; the form and the CSV fill it.

    ``held_on`` and ``number`` may be the text as typed: the service reads it, so that
    "42/11/2021" gets a message that says why it is not a date.
    """

    process_id: int | None
    state_id: int | None
    kind: PrepEventKind | str | None
    held_on: date | str | None = None
    number: int | str | None = None
    followed_by: str = ""
    outcome: str = ""
    notes: str = ""


@dataclass(frozen=True)
class CheckedEvent:
    """A PrepEventData that passed every rule, with its catalog rows and final values."""

    process: ElectoralProcess
    state: State
    kind: PrepEventKind
    number: int
    held_on: date
    followed_by: str
    outcome: str
    notes: str

    def values(self) -> dict:
        return {
            "process_id": self.process.id,
            "state_id": self.state.id,
            "kind": self.kind,
            "number": self.number,
            "held_on": self.held_on,
            "followed_by": self.followed_by,
            "outcome": self.outcome,
            "notes": self.notes,
        }


def can_record_prep(user: User) -> bool:
    """Supervisors and administrators record PREP follow-ups; operators only read them."""
    return user.is_supervisor


def record_event(actor: User, data: PrepEventData, *, now: datetime | None = None) -> PrepEvent:
    """Record one drill or operation, then commit.

    :raises NotAllowed: the actor is not a supervisor or an administrator.
    :raises ValidationFailed: a field breaks a rule (Spanish messages by field); nothing written.
    :raises Conflict: someone recorded the same drill or operation at the same moment.
    """
    _require_writer(actor)
    checked = validate_event(data)
    with _duplicates_as_conflict():
        event = add_event(actor, checked, now=now)
        commit()
    return event


def update_event(
    actor: User,
    event: PrepEvent,
    data: PrepEventData,
    *,
    expected_updated_at: datetime | None = None,
    now: datetime | None = None,
) -> PrepEvent:
    """Correct a recorded drill or operation (there is no delete: a mistake is edited), commit.

    :raises NotAllowed: the actor is not a supervisor or an administrator.
    :raises Conflict: the event changed since the caller read it (``expected_updated_at``), or a
        concurrent write took its number.
    :raises ValidationFailed: a field breaks a rule; nothing written.
    """
    _require_writer(actor)
    if expected_updated_at is not None and expected_updated_at != event.updated_at:
        raise Conflict(
            "Otra persona modificó este registro mientras lo editaba. Recargue e intente de nuevo."
        )
    checked = validate_event(data, current=event)
    with _duplicates_as_conflict():
        apply_event(event, checked, now=now)
        commit()
    return event


def describe(event: PrepEvent | CheckedEvent) -> str:
    """'el simulacro 2 de Guerrero en EXT-2021' / 'la operación del PREP de Guerrero en …'."""
    where = f"de {event.state.display_name} en {event.process.key}"
    if event.kind is PrepEventKind.OPERATION:
        return f"la operación del PREP {where}"
    return f"el simulacro {event.number} {where}"


# --- steps shared with the import (they flush, never commit) ------------------------------


def add_event(actor: User, checked: CheckedEvent, *, now: datetime | None = None) -> PrepEvent:
    """A new event from checked values, added and flushed; the caller commits."""
    now = now or utcnow()
    event = PrepEvent(**checked.values(), created_by=actor, created_at=now, updated_at=now)
    db.session.add(event)
    db.session.flush()
    return event


def apply_event(
    event: PrepEvent, checked: CheckedEvent, *, now: datetime | None = None
) -> list[str]:
    """Copy checked values onto an event; return the names of the fields that changed."""
    changed = [name for name, value in checked.values().items() if getattr(event, name) != value]
    for name in changed:
        setattr(event, name, checked.values()[name])
    if changed:
        event.updated_at = now or utcnow()
        db.session.flush()
    return changed


def matching_event(
    process_id: int, state_id: int, kind: PrepEventKind, number: int | None, held_on: date | None
) -> PrepEvent | None:
    """The recorded event a row describes: the operation, the drill by number or, for a drill
    without a number, the one held that day (so a file without numbers imports twice the same)."""
    query = sa.select(PrepEvent).where(
        PrepEvent.process_id == process_id, PrepEvent.state_id == state_id, PrepEvent.kind == kind
    )
    if kind is PrepEventKind.OPERATION:
        return db.session.scalar(query.limit(1))
    if number is not None:
        return db.session.scalar(query.where(PrepEvent.number == number))
    if held_on is not None:
        return db.session.scalar(query.where(PrepEvent.held_on == held_on).limit(1))
    return None


def validate_event(data: PrepEventData, *, current: PrepEvent | None = None) -> CheckedEvent:
    """Check every rule at once; ``current`` is the event being corrected, if any.

    :raises ValidationFailed: each broken rule under its field, in Spanish.
    """
    errors: dict[str, str] = {}
    texts = {name: _clean(getattr(data, name)) for name in TEXT_LIMITS}
    _check_texts(texts, errors)
    process = _catalog_row(ElectoralProcess, data.process_id, current, "process_id", errors)
    state = _catalog_row(State, data.state_id, current, "state_id", errors)
    kind = _kind(data.kind, errors)
    days = _election_days(process, state, errors)
    held_on = _held_on(data.held_on, kind, process, state, days, errors)
    number = _number(data.number, kind, current, errors)
    if days and kind is not None and "number" not in errors:
        number = _check_numbering(process, state, kind, number, held_on, current, errors)
    if errors:
        raise ValidationFailed(errors)
    return CheckedEvent(process, state, kind, number, held_on, **texts)


# --- dates --------------------------------------------------------------------------------


def parse_day(text: str) -> date:
    """A date as people write it: 2021-11-21, 21/11/2021 or 21 de noviembre de 2021.

    :raises ValueError: with a Spanish message saying why it is not a real date.
    """
    shown = " ".join(text.split())
    folded = fold(shown)
    if match := _ISO.fullmatch(folded):
        year, month, day = (int(g) for g in match.groups())
    elif match := _DMY.fullmatch(folded):
        day, month, year = (int(g) for g in match.groups())
    elif (match := _WORDS.fullmatch(folded)) and match.group(2) in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2)], int(match.group(3))
    else:
        raise ValueError(
            f"«{shown}» no es una fecha; escríbala como dd/mm/aaaa (p. ej. 21/11/2021)."
        )
    return _real_date(shown, year, month, day)


def _real_date(shown: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"«{shown}» no es una fecha real: los meses van del 1 al 12.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"Escriba una fecha entre {FIRST_YEAR} y {LAST_YEAR}.")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        month_name = format_date(date(year, month, 1), "MMMM 'de' y", locale="es_MX")
        raise ValueError(f"«{shown}» no es una fecha real: {month_name} tiene {last} días.")
    return date(year, month, day)


# --- the rules, one helper each ------------------------------------------------------------


def _require_writer(actor: User) -> None:
    if not can_record_prep(actor):
        raise NotAllowed(
            "Solo la supervisión y la administración registran el seguimiento del PREP."
        )


@contextmanager
def _duplicates_as_conflict():
    """The unique (process, state, kind, number) taken by someone else between check and write."""
    try:
        yield
    except IntegrityError as exc:
        db.session.rollback()
        raise Conflict(
            "Otra persona registró ese simulacro u operación al mismo tiempo. "
            "Recargue la página y revise el número."
        ) from exc


def _clean(value: str | None) -> str:
    return _CONTROL.sub("", value or "").strip()


def _check_texts(texts: dict[str, str], errors: dict[str, str]) -> None:
    if not texts["followed_by"]:
        errors["followed_by"] = (
            "Escriba quién dio seguimiento en la Junta Local (p. ej. Vocalía del Registro "
            "Federal de Electores)."
        )
    for name, limit in TEXT_LIMITS.items():
        if len(texts[name]) > limit:
            errors[name] = f"Admite hasta {limit} caracteres; tiene {len(texts[name])}."


_CATALOG_LABELS = {"process_id": "el proceso electoral", "state_id": "la entidad federativa"}


def _catalog_row(model, ident, current, field: str, errors: dict[str, str]):
    """An active catalog row; a correction may keep the one it has even if deactivated since."""
    label = _CATALOG_LABELS[field]
    if ident is None:
        errors[field] = f"Elija {label}."
        return None
    row = db.session.get(model, ident)
    kept = current is not None and getattr(current, field) == ident
    if row is None or not (row.is_active or kept):
        errors[field] = f"Elija {label} de la lista."
        return None
    return row


def _kind(value, errors: dict[str, str]) -> PrepEventKind | None:
    try:
        return PrepEventKind(value)
    except ValueError:
        errors["kind"] = "Elija si fue un simulacro o la operación del PREP."
        return None


def _election_days(process, state, errors: dict[str, str]) -> list[date]:
    """The state's election days in the process; none is an error (no PREP to follow there)."""
    if process is None or state is None:
        return []
    days = list(
        db.session.scalars(
            sa.select(Election.election_day)
            .where(Election.process_id == process.id, Election.state_id == state.id)
            .order_by(Election.election_day)
        )
    )
    if not days:
        errors["state_id"] = (
            f"{state.display_name} no tiene elecciones en {process.key}; "
            "elija una entidad con elección en ese proceso."
        )
    return days


def _held_on(value, kind, process, state, days, errors: dict[str, str]) -> date | None:
    if isinstance(value, str) and value.strip():
        try:
            value = parse_day(value)
        except ValueError as exc:
            errors["held_on"] = str(exc)
            return None
    if isinstance(value, date):
        _inside_process(value, process, errors)
        return value
    if kind is PrepEventKind.OPERATION:
        return _default_operation_day(state, days, errors)
    errors["held_on"] = "Escriba la fecha del simulacro (dd/mm/aaaa)."
    return None


def _inside_process(day: date, process, errors: dict[str, str]) -> None:
    if process is not None and not process.starts_on <= day <= process.ends_on:
        errors["held_on"] = (
            f"La fecha debe estar dentro del proceso {process.key}: del "
            f"{long_date(process.starts_on)} al {long_date(process.ends_on)}."
        )


def _default_operation_day(state, days, errors: dict[str, str]) -> date | None:
    """The operation runs on election night: without a date it is the state's election day."""
    if len(days) == 1:
        return days[0]
    if days:
        listed = ", ".join(long_date(day) for day in days)
        errors["held_on"] = (
            f"{state.display_name} tiene varias jornadas en este proceso ({listed}); "
            "escriba la fecha de la operación."
        )
    return None


def _number(value, kind, current, errors: dict[str, str]) -> int | None:
    """The typed number, if any; an operation has none (it is stored as 1)."""
    text = str(value).strip() if value is not None else ""
    if kind is PrepEventKind.OPERATION:
        if text not in ("", "1"):
            errors["number"] = "La operación del PREP no lleva número; deje el campo vacío."
        return 1
    if not text:
        return None
    if text.endswith(".0"):  # spreadsheets store 2 as 2.0
        text = text[:-2]
    if not text.isdigit() or not 1 <= int(text) <= MAX_DRILL_NUMBER:
        errors["number"] = f"El número de simulacro es un entero del 1 al {MAX_DRILL_NUMBER}."
        return None
    return int(text)


def _check_numbering(process, state, kind, number, held_on, current, errors) -> int:
    """Drill numbers unique and defaulted to the next; one drill a day; one operation."""
    others = [
        PrepEvent.process_id == process.id,
        PrepEvent.state_id == state.id,
        PrepEvent.kind == kind,
    ]
    if current is not None:
        others.append(PrepEvent.id != current.id)
    where = f"de {state.display_name} en {process.key}"
    if kind is PrepEventKind.OPERATION:
        taken = _first(others)
        if taken is not None:
            errors["kind"] = (
                f"Ya está registrada la operación del PREP {where} ({long_date(taken.held_on)}); "
                "edítela en lugar de registrar otra."
            )
        return 1
    same_day = _first([*others, PrepEvent.held_on == held_on]) if held_on else None
    if same_day is not None:
        errors["held_on"] = (
            f"Ya está registrado el simulacro {same_day.number} {where} el {long_date(held_on)}."
        )
    if number is None:
        return _default_number(others, current, process, state)
    taken = _first([*others, PrepEvent.number == number])
    if taken is not None:
        errors["number"] = (
            f"Ya está registrado el simulacro {number} {where} ({long_date(taken.held_on)}); "
            f"el siguiente número libre es {_default_number(others, None, process, state)}."
        )
    return number


def _first(conditions) -> PrepEvent | None:
    return db.session.scalar(sa.select(PrepEvent).where(*conditions).limit(1))


def _default_number(others, current, process, state) -> int:
    """A correction that leaves the number blank keeps its own; a new drill takes the next."""
    if (
        current is not None
        and current.kind is PrepEventKind.DRILL
        and (current.process_id, current.state_id) == (process.id, state.id)
    ):
        return current.number
    highest = db.session.scalar(sa.select(sa.func.max(PrepEvent.number)).where(*others))
    return (highest or 0) + 1
