"""PREP drills and operations from a CSV (or XLSX) list: `flask prep import FILE`.

Each row goes through prep.services.validate_event, the rules of the web form, inside one
transaction: if any row fails, nothing is written (unless ``skip_invalid``). A row names an
event by process, state, kind and number (a drill without a number: by its date); a row equal
to what is recorded changes nothing, so importing the same file twice is harmless, and a row
that differs corrects the recorded event. docs/prep.md has the format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tickets.accounts.models import User
from tickets.catalogs.models import ElectoralProcess, State
from tickets.core import tabular
from tickets.core.db import utcnow
from tickets.core.errors import Conflict, NotAllowed, ValidationFailed
from tickets.core.session import commit
from tickets.core.tabular import Record as _Record
from tickets.core.tabular import cell_text as _text
from tickets.core.text import fold
from tickets.extensions import db
from tickets.helpdesk.importer import RowError
from tickets.prep import services
from tickets.prep.models import PrepEvent, PrepEventKind

COLUMNS = ("process", "state", "kind", "date", "number", "followed_by", "outcome", "notes")
OPTIONAL_COLUMNS = frozenset({"outcome", "notes"})
FIELD_COLUMNS = {
    "process_id": "process",
    "state_id": "state",
    "kind": "kind",
    "held_on": "date",
    "number": "number",
    "followed_by": "followed_by",
    "outcome": "outcome",
    "notes": "notes",
}
KIND_WORDS = {
    "drill": PrepEventKind.DRILL,
    "simulacro": PrepEventKind.DRILL,
    "operation": PrepEventKind.OPERATION,
    "operacion": PrepEventKind.OPERATION,
}
FIELD_NAMES = {
    "held_on": "fecha",
    "number": "número",
    "followed_by": "seguimiento",
    "outcome": "resultado",
    "notes": "notas",
    "process_id": "proceso",
    "state_id": "entidad",
    "kind": "tipo",
}


@dataclass
class ImportResult:
    """What an import did; ``errors`` lists every bad cell, ``changes`` every corrected event."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """Rows failed and nothing went in: the command exits with status 1."""
        return self.invalid > 0 and self.created + self.updated == 0

    def summary(self) -> str:
        return (
            f"nuevos {self.created}, actualizados {self.updated}, sin cambios {self.unchanged}, "
            f"inválidos {self.invalid}"
        )


def import_file(
    actor: User, path: str | Path, *, skip_invalid: bool = False, now: datetime | None = None
) -> ImportResult:
    """Import a PREP list; nothing is written if a row fails, unless ``skip_invalid``.

    :raises NotAllowed: the actor is not a supervisor or an administrator.
    :raises UnreadableFile: no such file, not CSV/XLSX, not UTF-8, or columns missing.
    :raises Conflict: someone recorded the same events meanwhile (re-run the import).
    """
    if not services.can_record_prep(actor):
        raise NotAllowed(
            "Solo la supervisión y la administración importan el seguimiento del PREP."
        )
    now = now or utcnow()
    records = read_table(Path(path))
    result = ImportResult()
    try:
        _import_records(_Importer(actor, now, result), records, skip_invalid)
    except IntegrityError as exc:  # a number taken by someone else while the rows were checked
        db.session.rollback()
        raise Conflict(
            "Otra persona registró los mismos simulacros al mismo tiempo; vuelva a ejecutar la "
            "importación: lo ya registrado queda «sin cambios»."
        ) from exc
    return result


def _import_records(importer: _Importer, records: list[_Record], skip_invalid: bool) -> None:
    """Every row in one transaction: committed, or rolled back when a row fails."""
    result = importer.result
    for record in records:
        importer.row(record)
    if result.invalid and not skip_invalid:
        db.session.rollback()
        result.created = result.updated = 0  # nothing was written after all
        result.changes.clear()
    elif result.created + result.updated == 0:
        db.session.rollback()
    else:
        commit()


# --- reading ------------------------------------------------------------------------------


def read_table(path: Path) -> list[_Record]:
    """The data rows of a CSV (UTF-8) or of an XLSX's first sheet, keyed by column name."""
    return tabular.read_table(path, COLUMNS, optional=OPTIONAL_COLUMNS)


def _day(value: Any) -> date | str:
    """An Excel date cell is a date already; anything else is text for services.parse_day."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return _text(value)


# --- checking and writing -------------------------------------------------------------------


class _Importer:
    """Checks each row by the form's rules and applies it (flushed, committed by the caller)."""

    def __init__(self, actor: User, now: datetime, result: ImportResult) -> None:
        self.actor, self.now, self.result = actor, now, result
        self.processes = {p.key.upper(): p for p in db.session.scalars(sa.select(ElectoralProcess))}
        self.states: dict[str, State] = {}
        for state in db.session.scalars(sa.select(State)):
            self.states[state.key] = state
            self.states[fold(state.display_name)] = state
            self.states[fold(state.name)] = state
        self.seen: dict[tuple, int] = {}  # (process, state, kind, number) -> first line

    def row(self, record: _Record) -> None:
        errors: dict[str, str] = {}
        values = record.values
        process = self._process(_text(values["process"]), errors)
        state = self._state(_text(values["state"]), errors)
        kind = self._kind(_text(values["kind"]), errors)
        data = services.PrepEventData(
            process_id=process.id if process else None,
            state_id=state.id if state else None,
            kind=kind,
            held_on=_day(values["date"]),
            number=_text(values["number"]),
            followed_by=_text(values.get("followed_by")),
            outcome=_text(values.get("outcome")),
            notes=_text(values.get("notes")),
        )
        try:
            self._apply(record.line, data, process, state, kind, errors)
        except ValidationFailed as exc:
            for name, message in exc.fields.items():
                errors.setdefault(FIELD_COLUMNS.get(name, name), message)
        if errors:
            self.result.invalid += 1
            self.result.errors += [
                RowError(record.line, c, errors[c]) for c in COLUMNS if c in errors
            ]

    def _apply(self, line, data, process, state, kind, errors) -> None:
        current = None
        if process is not None and state is not None and kind is not None:
            current = services.matching_event(
                process.id,
                state.id,
                kind,
                _number_or_none(data.number),
                _date_or_none(data.held_on),
            )
        checked = services.validate_event(data, current=current)  # raises ValidationFailed
        if errors:
            return  # a column's own error (e.g. an unknown kind word) already refuses the row
        key = (checked.process.id, checked.state.id, checked.kind, checked.number)
        if key in self.seen:
            first = self.seen[key]
            raise ValidationFailed(
                {"number": f"{services.describe(checked)} ya está en la fila {first}"}
            )
        self.seen[key] = line
        if current is None:
            services.add_event(self.actor, checked, now=self.now)
            self.result.created += 1
            return
        self._update(line, current, checked)

    def _update(self, line: int, current: PrepEvent, checked: services.CheckedEvent) -> None:
        changed = services.apply_event(current, checked, now=self.now)
        if not changed:
            self.result.unchanged += 1
            return
        self.result.updated += 1
        fields = ", ".join(FIELD_NAMES.get(name, name) for name in changed)
        self.result.changes.append(
            f"fila {line}: se corrigió {services.describe(current)} ({fields})"
        )

    def _process(self, raw: str, errors: dict[str, str]) -> ElectoralProcess | None:
        if not raw:
            errors["process"] = "falta la clave del proceso (p. ej. EXT-2021)"
            return None
        process = self.processes.get(raw.upper())
        if process is None:
            errors["process"] = f"el proceso «{raw}» no existe"
        return process

    def _state(self, raw: str, errors: dict[str, str]) -> State | None:
        if not raw:
            errors["state"] = "falta la entidad (clave INEGI, p. ej. 12, o su nombre)"
            return None
        state = self.states.get(raw.zfill(2) if raw.isdigit() else fold(" ".join(raw.split())))
        if state is None:
            errors["state"] = f"la entidad «{raw}» no existe"
        return state

    def _kind(self, raw: str, errors: dict[str, str]) -> PrepEventKind | None:
        kind = KIND_WORDS.get(fold(raw))
        if kind is None:
            shown = f"«{raw}» no es válido" if raw else "falta el tipo"
            errors["kind"] = f"{shown}; use drill (simulacro) u operation (operación)"
        return kind


def _number_or_none(text: str) -> int | None:
    text = text.removesuffix(".0")
    return int(text) if text.isdigit() and len(text) < 6 else None


def _date_or_none(value: date | str) -> date | None:
    if isinstance(value, date):
        return value
    try:
        return services.parse_day(value) if value else None
    except ValueError:
        return None
