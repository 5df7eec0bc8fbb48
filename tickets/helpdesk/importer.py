"""Historical ticket logs (CSV or XLSX) into tickets: `flask tickets import FILE`.

Every row is checked first, by the intake form's own rules (``validation.validate``) plus the
import's (unique ``external_id``, a valid status, a resolution date where the status needs one).
Only then are the valid rows written, in bulk, a few thousand per transaction, each with its
folio, search text and one audit event. Rows whose ``external_id`` is already in the database
are skipped, so importing the same file twice changes nothing. docs/import.md has the format.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import groupby
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from tickets.accounts.models import User
from tickets.catalogs.loader import junta_distrital_key, junta_local_key, opl_key, party_key
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
from tickets.core import tabular
from tickets.core.db import UTCDateTime, utcnow
from tickets.core.errors import Conflict, NotAllowed
from tickets.core.session import commit
from tickets.core.tabular import Record as _Record
from tickets.core.tabular import cell_text as _text
from tickets.core.text import fold
from tickets.core.timeutil import local_to_utc, parse_local, report_month, to_mx
from tickets.extensions import db
from tickets.helpdesk import folios, validation
from tickets.helpdesk.models import AuditEvent, Channel, Priority, Status, Ticket
from tickets.helpdesk.search import build_search_text
from tickets.helpdesk.services import EDITABLE_FIELDS
from tickets.helpdesk.validation import CLOCK_SKEW, TicketData
from tickets.helpdesk.workflow import OPEN_STATUSES, STATUS_LABELS
from tickets.sla import services as sla

COLUMNS = (
    "external_id",
    "received_at",
    "requester_type",
    "organization",
    "contact_name",
    "contact_email",
    "state",
    "district",
    "process",
    "system",
    "category",
    "channel",
    "priority",
    "subject",
    "description",
    "status",
    "resolved_at",
)

# validate() names TicketData fields; a person fixing the file needs the column.
FIELD_COLUMNS = {
    "organization_id": "organization",
    "office_id": "organization",
    "state_id": "state",
    "district_id": "district",
    "process_id": "process",
    "system_id": "system",
    "category_id": "category",
}

# The intake form's plausible years (helpdesk.forms.Plausible): outside them a date is a typo,
# and years near 9999 overflow the time-zone arithmetic.
FIRST_YEAR, LAST_YEAR = 2000, 2100

BATCH_SIZE = 2000
EXISTING_CHUNK = 1000
FINISHED_WITH_RESOLUTION = frozenset({Status.RESOLVED, Status.CLOSED})


@dataclass(frozen=True)
class RowError:
    """One bad cell, by the row number a spreadsheet shows (the header is row 1)."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"fila {self.row}, columna {self.column}: {self.message}"


@dataclass
class ImportResult:
    """What an import did; ``errors`` lists every bad cell of every invalid row."""

    imported: int = 0
    existing: int = 0
    invalid: int = 0
    candidacies_created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def refused(self) -> bool:
        """Rows failed and nothing went in: the command exits with status 1."""
        return self.invalid > 0 and self.imported == 0

    def summary(self) -> str:
        return (
            f"importados {self.imported}, ya existentes {self.existing}, "
            f"inválidos {self.invalid}, candidaturas creadas {self.candidacies_created}"
        )


@dataclass(frozen=True)
class _Valid:
    """A checked row, with plain values only (batches commit, and commits expire ORM rows)."""

    line: int
    external_id: str
    data: TicketData
    status: Status
    resolved_at: datetime | None
    org_name: str
    org_acronym: str | None


class _NoBar:
    def update(self, n: int = 1) -> None:
        """Progress is optional; without a bar there is nothing to draw."""


@contextmanager
def _no_progress(description: str, total: int) -> Iterator[_NoBar]:
    yield _NoBar()


ProgressFactory = Callable[[str, int], Any]


def import_file(
    actor: User,
    path: str | Path,
    *,
    skip_invalid: bool = False,
    now: datetime | None = None,
    batch_size: int = BATCH_SIZE,
    progress: ProgressFactory | None = None,
) -> ImportResult:
    """Import a CSV or XLSX ticket log; nothing is written if a row fails, unless skip_invalid.

    ``progress(description, total)`` is a context manager giving an object with ``update(n)``
    (the command passes a tqdm bar).

    :raises NotAllowed: the actor is not an administrator (the command acts as the system).
    :raises UnreadableFile: no such file, not CSV/XLSX, not UTF-8, or columns missing.
    :raises Conflict: another import wrote the same rows meanwhile (re-run: they are skipped).
    """
    if not actor.is_admin:
        raise NotAllowed("Solo la administración importa bitácoras.")
    now = now or utcnow()
    progress = progress or _no_progress
    path = Path(path)
    records = read_table(path)
    result = ImportResult()
    catalogs = _Catalogs()
    try:
        valid = _check_all(records, catalogs, now, result, progress)
    except IntegrityError as exc:  # a candidacy key taken by another import meanwhile
        db.session.rollback()
        raise Conflict(_CONCURRENT) from exc
    if not valid or (result.invalid and not skip_invalid):
        db.session.rollback()  # also undoes candidacies created while checking
        return result
    result.candidacies_created = catalogs.drop_unused_candidacies(valid)
    result.imported = _insert(valid, actor.id, path.name, now, batch_size, progress)
    return result


# --- reading ------------------------------------------------------------------------------


def read_table(path: Path) -> list[_Record]:
    """The data rows of a CSV (UTF-8) or the first sheet of an XLSX, keyed by column name."""
    return tabular.read_table(path, COLUMNS)


def _moment(value: Any) -> datetime:
    """A cell as an aware UTC instant; text and naive Excel dates are Mexico City time."""
    if isinstance(value, datetime):
        return local_to_utc(value) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return local_to_utc(datetime(value.year, value.month, value.day))
    return parse_local(_text(value))


def _norm(text: str | None) -> str:
    return " ".join(fold(text).split())


# --- catalogs -----------------------------------------------------------------------------


class _Catalogs:
    """Every catalog entry a row can name, loaded once: no query per row."""

    def __init__(self) -> None:
        self.states = {s.key: s for s in db.session.scalars(sa.select(State))}
        districts = list(db.session.scalars(sa.select(District)))
        self.districts = {(d.state_id, d.number): d for d in districts}
        self.processes = _by_key(ElectoralProcess)
        self.systems = _by_key(System)
        self.categories = _by_key(Category)
        self.elections = {
            (row.process_id, row.state_id)
            for row in db.session.execute(sa.select(Election.process_id, Election.state_id))
        }
        self.party_acronyms = {}
        for party in db.session.scalars(sa.select(Party)):
            self.party_acronyms[_norm(party.name)] = party.acronym
            self.party_acronyms[_norm(party.acronym)] = party.acronym
        self.orgs_by_key: dict[str, Organization] = {}
        self.orgs_by_label: dict[tuple, Organization] = {}
        self.by_id: dict[str, dict[int, Any]] = {
            "organization": {},
            "state": {s.id: s for s in self.states.values()},
            "district": {d.id: d for d in districts},
            "process": {p.id: p for p in self.processes.values()},
            "system": {s.id: s for s in self.systems.values()},
            "category": {c.id: c for c in self.categories.values()},
        }
        for org in db.session.scalars(sa.select(Organization)):
            self._remember(org)
        self.created: list[Organization] = []

    def _remember(self, org: Organization) -> None:
        self.orgs_by_key[org.key.upper()] = org
        self.by_id["organization"][org.id] = org
        for label in (org.name, org.acronym):
            if label:
                self.orgs_by_label.setdefault((org.kind, org.state_id, _norm(label)), org)

    def named(self, kind: RequesterType, state: State | None, value: str) -> Organization | None:
        """An organisation by catalog key, or by name or acronym among those of its kind."""
        state_id = state.id if state is not None and kind is not RequesterType.CENTRAL else None
        return self.orgs_by_key.get(value.upper()) or self.orgs_by_label.get(
            (kind, state_id, _norm(value))
        )

    def create_candidacy(self, state: State, name: str) -> Organization:
        """A candidacy the catalog lacks; flushed for its id, undone by the caller's rollback.

        Its key follows the catalog's candidacies, CI-<state>-NN, with the next free number.
        """
        number = 1
        while f"CI-{state.key}-{number:02d}" in self.orgs_by_key:
            number += 1
        key = f"CI-{state.key}-{number:02d}"
        org = Organization(key=key, kind=RequesterType.CANDIDACY, name=name, state_id=state.id)
        db.session.add(org)
        db.session.flush()
        self._remember(org)
        self.created.append(org)
        return org

    def drop_unused_candidacies(self, valid: list[_Valid]) -> int:
        """Delete candidacies only invalid rows named; return how many stay."""
        used = {row.data.organization_id for row in valid}
        kept = 0
        for org in self.created:
            if org.id in used:
                kept += 1
            else:
                db.session.delete(org)
        db.session.flush()
        return kept


def _by_key(model) -> dict[str, Any]:
    return {row.key.upper(): row for row in db.session.scalars(sa.select(model))}


# --- the intake form's rules, without a query per row ------------------------------------

# validate()'s look-ups: (TicketData field, catalog, label, required), in its order.
_LOOKUPS = (
    ("organization_id", "organization", "la organización", True),
    ("state_id", "state", "la entidad", False),
    ("district_id", "district", "el distrito", False),
    ("office_id", "organization", "la junta", False),
    ("process_id", "process", "el proceso", False),
    ("system_id", "system", "el sistema", True),
    ("category_id", "category", "la categoría", True),
)
_ROW_NAMES = ("organization", "state", "district", "office", "process", "system", "category")


def validate_in_memory(data: TicketData, catalogs: _Catalogs, now: datetime) -> dict[str, str]:
    """validation.validate() for a new ticket, reading preloaded catalogs; errors by field.

    validate() fetches seven catalog rows and asks the database whether the process has an
    election in the state: about 0.5 ms a row, most of a 100,000-row import (docs/import.md).
    Here the text, organisation and place checks are validate()'s own helpers; the two steps
    that query (loading the rows, the process check) are rewritten over dicts, word for word.
    tests/helpdesk/test_import.py checks that the intake form and the import refuse the same
    rows with the same messages, so a change to one side that skips the other fails there.
    """
    errors: dict[str, str] = {}
    validation._check_text(data, errors)
    rows = {
        name: _catalog_row(
            catalogs.by_id[table], getattr(data, field), field, label, required, errors
        )
        for name, (field, table, label, required) in zip(_ROW_NAMES, _LOOKUPS, strict=True)
    }
    validation._check_organization(data, rows, errors)
    validation._check_place(data, rows, errors)
    _check_process(data, rows, errors, now, catalogs.elections)
    if data.received_at is not None and data.received_at > now + CLOCK_SKEW:
        errors["received_at"] = "La fecha de recepción no puede estar en el futuro."
    return errors


def _catalog_row(table, ident, field, label, required, errors):
    """validation._get, on a dict: missing, unknown and inactive entries are refused."""
    if ident is None:
        if required:
            errors[field] = f"Seleccione {label}."
        return None
    row = table.get(ident)
    if row is None or not row.is_active:
        errors[field] = f"Seleccione {label} válido(a) del catálogo."
        return None
    return row


def _check_process(data, rows, errors, now, elections) -> None:
    """validation._check_process, with the (process, state) election pairs preloaded."""
    process, state = rows["process"], rows["state"]
    if process is None:
        return
    if state is not None and (process.id, state.id) not in elections:
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


# --- checking -----------------------------------------------------------------------------


def _check_all(records, catalogs, now, result, progress) -> list[_Valid]:
    existing = _existing_external_ids({_text(r.values["external_id"]) for r in records})
    seen: dict[str, int] = {}
    valid: list[_Valid] = []
    with progress("Validando", len(records)) as bar:
        for record in records:
            bar.update(1)
            external_id = _text(record.values["external_id"])
            if external_id in existing and external_id not in seen:
                seen[external_id] = record.line
                result.existing += 1
                continue
            checker = _RowChecker(record.values, catalogs, now)
            row = checker.check(record.line, external_id, seen)
            if row is None:
                result.invalid += 1
                result.errors += [
                    RowError(record.line, column, checker.errors[column])
                    for column in COLUMNS
                    if column in checker.errors
                ]
            else:
                valid.append(row)
    return valid


def _existing_external_ids(candidates: set[str]) -> set[str]:
    ids = sorted(c for c in candidates if c)
    found: set[str] = set()
    for start in range(0, len(ids), EXISTING_CHUNK):
        chunk = ids[start : start + EXISTING_CHUNK]
        found.update(
            db.session.scalars(sa.select(Ticket.external_id).where(Ticket.external_id.in_(chunk)))
        )
    return found


class _RowChecker:
    """Parses one row against the catalogs, then checks it by the intake form's rules."""

    def __init__(self, values: dict[str, Any], catalogs: _Catalogs, now: datetime) -> None:
        self.values, self.catalogs, self.now = values, catalogs, now
        self.errors: dict[str, str] = {}
        self.quiet: set[str] = set()  # columns whose error would only echo another one's

    def fail(self, column: str, message: str) -> None:
        self.errors.setdefault(column, message)  # the first problem of a cell is the one to fix

    def text(self, column: str) -> str:
        return _text(self.values[column])

    def check(self, line: int, external_id: str, seen: dict[str, int]) -> _Valid | None:
        self._external_id(line, external_id, seen)
        received_at = self._moment("received_at", required=True)
        kind = self._choice("requester_type", RequesterType)
        channel = self._choice("channel", Channel)
        priority = self._choice("priority", Priority)
        status = self._choice("status", Status)
        resolved_at = self._moment("resolved_at", required=False)
        self._resolution(status, received_at, resolved_at)
        if None in (received_at, kind, channel, priority):
            return None  # validate() cannot run without these
        data, org = self._ticket_data(kind, channel, priority, received_at)
        self._validate(data)
        if self.errors:
            return None
        return _Valid(line, external_id, data, status, resolved_at, org.name, org.acronym)

    def _external_id(self, line: int, external_id: str, seen: dict[str, int]) -> None:
        if not external_id:
            self.fail("external_id", "falta el identificador de la bitácora")
        elif len(external_id) > 64:
            self.fail("external_id", "el identificador admite hasta 64 caracteres")
        elif external_id in seen:
            self.fail(
                "external_id", f"«{external_id}» se repite: ya está en la fila {seen[external_id]}"
            )
        else:
            seen[external_id] = line

    def _moment(self, column: str, *, required: bool) -> datetime | None:
        value = self.values[column]
        if not _text(value):
            if required:
                self.fail(column, "falta la fecha y hora (ISO 8601, p. ej. 2021-11-14T09:30)")
            return None
        try:
            moment = _moment(value)
            if FIRST_YEAR <= to_mx(moment).year <= LAST_YEAR:
                return moment
        except ValueError:
            self.fail(
                column, f"«{_text(value)}» no es una fecha ISO 8601 (p. ej. 2021-11-14T09:30)"
            )
            return None
        except OverflowError:
            pass
        self.fail(column, f"escriba una fecha entre {FIRST_YEAR} y {LAST_YEAR}")
        return None

    def _choice(self, column: str, enum_cls):
        raw = self.text(column).lower()
        try:
            return enum_cls(raw)
        except ValueError:
            allowed = ", ".join(member.value for member in enum_cls)
            shown = f"«{raw}» no es válido" if raw else "falta el valor"
            self.fail(column, f"{shown}; use uno de: {allowed}")
            return None

    def _resolution(self, status, received_at, resolved_at) -> None:
        if status in FINISHED_WITH_RESOLUTION and resolved_at is None:
            if "resolved_at" not in self.errors:
                self.fail(
                    "resolved_at", "un ticket resuelto o cerrado necesita fecha de resolución"
                )
        elif status in OPEN_STATUSES and resolved_at is not None:
            self.fail(
                "resolved_at",
                f"un ticket «{STATUS_LABELS[status]}» no tiene fecha de resolución; "
                "déjela vacía o corrija el estado",
            )
        elif resolved_at is not None and received_at is not None and resolved_at < received_at:
            self.fail("resolved_at", "la fecha de resolución es anterior a la de recepción")
        elif resolved_at is not None and resolved_at > self.now + CLOCK_SKEW:
            self.fail("resolved_at", "la fecha de resolución no puede estar en el futuro")

    def _ticket_data(self, kind, channel, priority, received_at):
        state = self._state()
        district = self._district(state)
        org = self._organization(kind, state, district)
        if org is not None and district is None and org.district_id is not None:
            district = self.catalogs.by_id["district"][org.district_id]
        data = TicketData(
            requester_type=kind,
            organization_id=org.id if org else None,
            contact_name=self.text("contact_name"),
            contact_email=self.text("contact_email") or None,
            system_id=self._keyed("system", self.catalogs.systems, "el sistema"),
            category_id=self._keyed("category", self.catalogs.categories, "la categoría"),
            channel=channel,
            priority=priority,
            subject=self.text("subject"),
            description=self.text("description"),
            state_id=state.id if state else None,
            district_id=district.id if district else None,
            # what open_ticket's build_ticket does, but before validate() so it is checked
            office_id=org.id if org is not None and kind is RequesterType.JUNTA else None,
            process_id=self._keyed("process", self.catalogs.processes, "el proceso"),
            received_at=received_at,
        )
        return data, org  # already what TicketData.cleaned() makes (tested), at no cost

    def _validate(self, data: TicketData) -> None:
        for name, message in validate_in_memory(data, self.catalogs, self.now).items():
            column = FIELD_COLUMNS.get(name, name)
            if column not in self.quiet:
                self.fail(column, message)

    def _keyed(self, column: str, table: dict[str, Any], label: str) -> int | None:
        raw = self.text(column)
        if not raw:
            return None  # validate() says whether the column is required
        row = table.get(raw.upper())
        if row is None:
            self.fail(column, f"{label} «{raw}» no existe")
            return None
        return row.id

    def _state(self) -> State | None:
        raw = self.text("state")
        if not raw:
            return None
        state = self.catalogs.states.get(raw.zfill(2))
        if state is None:
            self.fail("state", f"la entidad «{raw}» no existe")
        return state

    def _district(self, state: State | None) -> District | None:
        """'5' or '05' is a district of the row's state; '14-05' names another state's."""
        raw = self.text("district")
        if not raw:
            return None
        state_key, _, number = raw.rpartition("-")
        target = self.catalogs.states.get(state_key.zfill(2)) if state_key else state
        district = None
        if target is not None and number.isdigit():
            district = self.catalogs.districts.get((target.id, int(number)))
        if district is None and (target is not None or state_key):
            where = f" en {target.display_name}" if target is not None else ""
            self.fail("district", f"el distrito «{raw}» no existe{where}")
        return district

    def _organization(self, kind, state, district) -> Organization | None:
        raw = self.text("organization")
        if state is None and kind is not RequesterType.CENTRAL:
            self.quiet.add("organization")  # the state's error says what to fix
            return None
        if not raw:
            return self._implied_organization(kind, state, district)
        org = self.catalogs.named(kind, state, raw)
        if org is None and kind is RequesterType.PARTY:
            acronym = self.catalogs.party_acronyms.get(_norm(raw), raw.upper())
            org = self.catalogs.orgs_by_key.get(party_key(acronym, state.key))
        elif org is None and kind is RequesterType.CENTRAL:
            org = self.catalogs.orgs_by_key.get(f"CEN-{raw.upper()}")
        elif org is None and kind is RequesterType.CANDIDACY:
            if len(raw) > 200:
                self.fail("organization", "el nombre de la candidatura admite hasta 200 caracteres")
                return None
            org = self.catalogs.create_candidacy(state, " ".join(raw.split()))
        if org is None:
            self.fail("organization", _unknown_organization(kind, state, raw))
        return org

    def _implied_organization(self, kind, state, district) -> Organization | None:
        keys = self.catalogs.orgs_by_key
        if kind is RequesterType.JUNTA and district is not None:
            return keys.get(junta_distrital_key(state.key, district.number))
        if kind is RequesterType.JUNTA:
            return keys.get(junta_local_key(state.key))
        if kind is RequesterType.OPL:
            return keys.get(opl_key(state.key))
        self.fail("organization", _MISSING_ORGANIZATION[kind])
        return None


_MISSING_ORGANIZATION = {
    RequesterType.PARTY: "escriba las siglas del partido (p. ej. PAN)",
    RequesterType.CANDIDACY: "escriba el nombre de la candidatura",
    RequesterType.CENTRAL: "escriba las siglas o el nombre de la oficina central (p. ej. DEOE)",
}


def _unknown_organization(kind: RequesterType, state: State | None, raw: str) -> str:
    where = state.display_name if state is not None else ""
    return {
        RequesterType.JUNTA: f"no hay una junta «{raw}» en {where}",
        RequesterType.OPL: f"«{raw}» no es el OPL de {where}",
        RequesterType.PARTY: f"no hay representación del partido «{raw}» en {where}",
        RequesterType.CENTRAL: f"la oficina central «{raw}» no existe",
    }.get(kind, f"la organización «{raw}» no existe")


# --- writing ------------------------------------------------------------------------------


def _insert(valid, actor_id, filename, now, batch_size, progress) -> int:
    """Bulk-insert the rows, oldest first so folios follow time; one commit per batch."""
    valid.sort(key=lambda row: (row.data.received_at, row.line))
    calendars = sla.Calendars()
    targets = {priority: sla.targets_for(priority) for priority in Priority}
    with progress("Importando", len(valid)) as bar:
        for start in range(0, len(valid), batch_size):
            batch = valid[start : start + batch_size]
            numbers = _folios(batch)
            values = [
                {
                    **_ticket_values(row, folio, actor_id, now),
                    **_sla_values(row, now, calendars, targets),
                }
                for row, folio in zip(batch, numbers, strict=True)
            ]
            _write_batch(values, _audit_events(numbers, actor_id, filename, now))
            bar.update(len(batch))
    return len(valid)


def _audit_events(numbers: list[str], actor_id: int, filename: str, now: datetime):
    """One 'imported' event per new ticket, written by the database from the folios."""
    tickets = Ticket.__table__
    source = sa.select(
        tickets.c.id,
        sa.literal(actor_id),
        sa.literal("imported"),
        sa.null(),
        sa.literal(filename),
        sa.literal(now, UTCDateTime()),
    ).where(tickets.c.folio.in_(numbers))
    columns = ["ticket_id", "actor_id", "field", "old", "new", "at"]
    return sa.insert(AuditEvent.__table__).from_select(columns, source)


def _folios(batch: list[_Valid]) -> list[str]:
    """Folios of the batch's rows, in order: numbered per Mexico City year of receipt."""
    result: list[str] = []
    for year, rows in groupby(batch, key=lambda row: to_mx(row.data.received_at).year):
        result += folios.allocate(year, len(list(rows)))
    return result


def _ticket_values(row: _Valid, folio: str, actor_id: int, now: datetime) -> dict[str, Any]:
    """Every NOT NULL column of a ticket; imported tickets have no access code or assignee."""
    d = row.data
    resolved = row.resolved_at if row.status in FINISHED_WITH_RESOLUTION else None
    cancelled = (row.resolved_at or d.received_at) if row.status is Status.CANCELLED else None
    return {
        **{name: getattr(d, name) for name in EDITABLE_FIELDS},
        "folio": folio,
        "access_code_hash": None,  # a requester can have a code issued later
        "external_id": row.external_id,
        "status": row.status,
        "assignee_id": None,
        "created_by_id": actor_id,
        "received_at": d.received_at,
        "report_month": report_month(d.received_at),
        "created_at": now,
        "updated_at": now,
        "first_response_at": resolved,  # the log only says when it was solved
        "resolved_at": resolved,
        "closed_at": resolved if row.status is Status.CLOSED else None,
        "cancelled_at": cancelled,
        "search_text": build_search_text(
            folio,
            d.subject,
            d.description,
            d.contact_name,
            d.contact_email,
            row.org_name,
            row.org_acronym,
        ),
        "version": 1,
    }


def _sla_values(row: _Valid, now: datetime, calendars, targets) -> dict[str, Any]:
    """Due times for the rows still open, so the sweep and the dashboard see them.

    A finished row gets none: the log does not say when the first answer came, so a met or
    missed verdict would be invented (and the clock walk per row would slow a 100,000-row
    history for nothing).
    """
    if row.status not in OPEN_STATUSES:
        return dict.fromkeys(sla.DUE_NAMES)
    points = sla.status_points(row.data.received_at, [], row.status, now)
    calendar = calendars.of(row.data.state_id)
    times = sla.due_times(calendar, points, targets[row.data.priority])
    return dict(zip(sla.DUE_NAMES, times, strict=True))


def _write_batch(values: list[dict[str, Any]], audit_events) -> None:
    """One transaction: the batch's tickets, their audit events, the folio counter."""
    try:
        _insert_tickets(values)
        db.session.execute(audit_events)
        commit()
    except (IntegrityError, psycopg.IntegrityError) as exc:  # external_id or folio taken meanwhile
        db.session.rollback()
        raise Conflict(_CONCURRENT) from exc


def _insert_tickets(values: list[dict[str, Any]]) -> None:
    """A Core executemany of the rows; on PostgreSQL, a COPY of the very same values.

    PostgreSQL spends about twice the CPU on 2,000 one-row INSERTs as on one COPY of the same
    rows (docs/import.md, Rendimiento); each value still goes through its column type's own
    bind processor (UTCDateTime, the enums), exactly as the INSERT would send it.
    """
    connection = db.session.connection()
    if connection.dialect.name != "postgresql":
        db.session.execute(sa.insert(Ticket.__table__), values)
        return
    names = list(values[0])
    columns = [Ticket.__table__.c[name] for name in names]
    processors = [column.type.bind_processor(connection.dialect) for column in columns]
    cursor = connection.connection.dbapi_connection.cursor()
    with cursor.copy(f"COPY {Ticket.__tablename__} ({', '.join(names)}) FROM STDIN") as copy:
        for row in values:
            copy.write_row(
                [
                    process(row[name]) if process else row[name]
                    for name, process in zip(names, processors, strict=True)
                ]
            )


_CONCURRENT = (
    "Otra importación escribió en el catálogo o en los tickets al mismo tiempo; vuelva a "
    "ejecutar la importación: las filas ya importadas se omiten."
)
