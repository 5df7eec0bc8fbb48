"""Monthly report operations: the month's draft, its free fields, approval, reopening.

Each public write checks who acts, validates, and commits once. Approval freezes the report
JSON (``tickets.reports.build.build_report_data``) and the rendered DOCX, XLSX and CSV; later
edits to tickets never change them, and a fingerprint of the month's source data tells whether
the data moved since ("datos modificados desde la aprobación").
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
import sqlalchemy.orm as so
from sqlalchemy.exc import IntegrityError

from tickets.accounts.models import User
from tickets.catalogs.models import (
    REQUESTER_TYPE_LABELS,
    Category,
    District,
    ElectoralProcess,
    Organization,
    State,
    System,
)
from tickets.core.db import utcnow
from tickets.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from tickets.core.session import commit
from tickets.core.timeutil import MX_TZ, to_mx
from tickets.extensions import db
from tickets.helpdesk.models import Ticket
from tickets.helpdesk.queries import visible_tickets
from tickets.helpdesk.workflow import PRIORITY_LABELS
from tickets.helpdesk.workflow import STATUS_LABELS as TICKET_STATUS_LABELS
from tickets.prep.models import PrepEvent
from tickets.reports import render
from tickets.reports.models import MonthlyReport, ReportDocument, ReportStatus
from tickets.reports.render import TicketRow
from tickets.training.models import TrainingSession

MONTH_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
FIRST_YEAR, LAST_YEAR = 2000, 2100
PARAGRAPH_KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{1,120}$")
MAX_OVERRIDES = 300
MAX_PARAGRAPH_CHARS = 5000
ROWS_PER_FETCH = 1000
MAX_VERSION = 10_000

STATUS_LABELS = {
    ReportStatus.DRAFT: "Borrador",
    ReportStatus.APPROVED: "Aprobado",
    ReportStatus.SUPERSEDED: "Sustituido",
}

BAD_MONTH = "No existe ese mes. Escríbalo como AAAA-MM, por ejemplo 2021-11."
STALE = "Otra persona modificó este informe mientras usted lo veía. Recargue e intente de nuevo."


@dataclass(frozen=True)
class ReportFields:
    """The free fields of the form a supervisor fills in (blank by default, as in the seed)."""

    visit_date: str = ""
    junta: str = ""
    districts: str = ""
    objective: str = ""
    agreements: str = ""
    particular_matters: str = ""
    opportunity_areas: str = ""
    ordinary_activity: str = ""
    pycipef: str = ""
    cip_project: str = "F091910 Apoyo a procesos electorales en materia de TIC"
    observations: str = ""

    @classmethod
    def of(cls, report: MonthlyReport | None) -> ReportFields:
        if report is None:
            return cls()
        return cls(**{f.name: getattr(report, f.name) or "" for f in fields(cls)})


# Longest text each free field takes (the columns of String(200) and a bound for the rest).
FIELD_LIMITS = {
    "visit_date": 200,
    "junta": 200,
    "districts": 200,
    "cip_project": 200,
    "objective": 5000,
    "agreements": 5000,
    "particular_matters": 5000,
    "opportunity_areas": 5000,
    "ordinary_activity": 5000,
    "pycipef": 5000,
    "observations": 5000,
}


@dataclass(frozen=True)
class Document:
    """A file to hand to a person: its name and its bytes."""

    filename: str
    content: bytes


# --- Permissions ------------------------------------------------------------------------------


def can_view_reports(user: User) -> bool:
    """The whole desk reads the report; requesters never do."""
    return user.is_staff


def can_edit_reports(user: User) -> bool:
    """Supervisors and admins edit, approve and reopen (DESIGN.md, who uses it)."""
    return user.is_supervisor


def _require_editor(actor: User) -> None:
    if not can_edit_reports(actor):
        raise NotAllowed("Solo supervisión puede modificar, aprobar o reabrir el informe.")


# --- Months -----------------------------------------------------------------------------------


def parse_month(text: str) -> str:
    """'2021-11' as given, or NotFound for anything that is not a real month.

    :raises NotFound: not of the form YYYY-MM, month outside 01..12, or a far-off year.
    """
    match = MONTH_RE.match(text or "")
    if not match or not FIRST_YEAR <= int(match.group(1)) <= LAST_YEAR:
        raise NotFound(BAD_MONTH)
    return text


def month_days(month: str) -> tuple[date, date]:
    """First and last day of a 'YYYY-MM' month."""
    year, number = (int(part) for part in month.split("-"))
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return first, following - timedelta(days=1)


def previous_month(now: datetime | None = None) -> str:
    """The month before ``now``'s month in Mexico City: the one a supervisor reports on."""
    first = to_mx(now or utcnow()).date().replace(day=1)
    return (first - timedelta(days=1)).strftime("%Y-%m")


def month_end(month: str) -> datetime:
    """The first instant after the month, in Mexico City time (aware)."""
    _first, last = month_days(month)
    return datetime.combine(last + timedelta(days=1), time.min, tzinfo=MX_TZ)


# --- Read side --------------------------------------------------------------------------------


def current_version(month: str) -> MonthlyReport | None:
    """The month's current version: the newest one not superseded."""
    return db.session.scalar(
        sa.select(MonthlyReport)
        .where(MonthlyReport.month == month, MonthlyReport.status != ReportStatus.SUPERSEDED)
        .order_by(MonthlyReport.version.desc())
        .limit(1)
    )


def version_of(month: str, number: int) -> MonthlyReport:
    """One version of a month.

    :raises NotFound: the month has no such version.
    """
    if not 1 <= number <= MAX_VERSION:  # also keeps a huge ?version= out of an INTEGER compare
        raise NotFound(f"El informe de ese mes no tiene una versión {number}.")
    report = db.session.scalar(
        sa.select(MonthlyReport).where(
            MonthlyReport.month == month, MonthlyReport.version == number
        )
    )
    if report is None:
        raise NotFound(f"El informe de ese mes no tiene una versión {number}.")
    return report


def versions(month: str) -> list[MonthlyReport]:
    """Every version of a month, newest first, with who approved it."""
    return list(
        db.session.scalars(
            sa.select(MonthlyReport)
            .where(MonthlyReport.month == month)
            .options(so.joinedload(MonthlyReport.approved_by), so.defer(MonthlyReport.snapshot))
            .order_by(MonthlyReport.version.desc())
        )
    )


def months_with_reports() -> list[MonthlyReport]:
    """The current version of every month that has a report, newest month first."""
    return list(
        db.session.scalars(
            sa.select(MonthlyReport)
            .where(MonthlyReport.status != ReportStatus.SUPERSEDED)
            .options(so.joinedload(MonthlyReport.approved_by), so.defer(MonthlyReport.snapshot))
            .order_by(MonthlyReport.month.desc(), MonthlyReport.version.desc())
        )
    )


def report_data(month: str, report: MonthlyReport | None) -> dict:
    """What the page shows: the frozen snapshot of an approved version, else the live data."""
    if report is not None and report.snapshot is not None:
        return report.snapshot
    from tickets.reports.build import build_report_data

    return build_report_data(month, report)


def generated_texts(month: str) -> dict[str, str]:
    """The narrative as the system writes it, without a supervisor's adjustments: key -> text,
    in document order."""
    from tickets.reports.build import build_report_data

    return {item["key"]: item["text"] for item in build_report_data(month, None)["narrative"]}


def is_data_modified(report: MonthlyReport) -> bool:
    """True when the month's tickets, PREP events or training changed after approval."""
    if report.data_fingerprint is None:
        return False
    return report.data_fingerprint != data_fingerprint(report.month)


def data_fingerprint(month: str) -> str:
    """A hash of the month's source data, from aggregates (indexed, no rows loaded).

    Any write to a ticket bumps its version (optimistic locking), so SUM(version) moves even
    when a service stamps ``updated_at`` with an earlier ``now``; COUNT catches tickets moved
    in or out of the month, MAX(updated_at) edits of PREP events and training sessions.
    """
    first, last = month_days(month)
    tickets = db.session.execute(
        sa.select(
            sa.func.count(Ticket.id), sa.func.sum(Ticket.version), sa.func.max(Ticket.updated_at)
        ).where(Ticket.report_month == month)
    ).one()
    prep = db.session.execute(
        sa.select(
            sa.func.count(PrepEvent.id),
            sa.func.max(PrepEvent.id),
            sa.func.max(PrepEvent.updated_at),
        ).where(PrepEvent.held_on.between(first, last))
    ).one()
    training = db.session.execute(
        sa.select(
            sa.func.count(TrainingSession.id),
            sa.func.sum(TrainingSession.people_trained),
            sa.func.max(TrainingSession.updated_at),
        ).where(TrainingSession.held_on.between(first, last))
    ).one()
    payload = json.dumps([month, *map(list, (tickets, prep, training))], default=str)
    return hashlib.sha256(payload.encode()).hexdigest()


def ticket_rows(actor: User, month: str) -> Iterator[TicketRow]:
    """The month's tickets the actor may see, oldest first, fetched in batches from a cursor."""
    query = (
        visible_tickets(actor)
        .with_only_columns(*_ROW_COLUMNS, maintain_column_froms=False)
        .select_from(Ticket)
        .join(Organization, Organization.id == Ticket.organization_id)
        .join(System, System.id == Ticket.system_id)
        .join(Category, Category.id == Ticket.category_id)
        .outerjoin(State, State.id == Ticket.state_id)
        .outerjoin(District, District.id == Ticket.district_id)
        .outerjoin(ElectoralProcess, ElectoralProcess.id == Ticket.process_id)
        .where(Ticket.report_month == month)
        .order_by(Ticket.received_at, Ticket.id)
        .execution_options(yield_per=ROWS_PER_FETCH)
    )
    for row in db.session.execute(query):
        yield _ticket_row(row)


_ROW_COLUMNS = (
    Ticket.folio,
    Ticket.received_at,
    Ticket.status,
    Ticket.priority,
    Ticket.requester_type,
    Organization.name.label("organization"),
    State.display_name.label("state"),
    District.number.label("district_number"),
    District.head_town.label("district_town"),
    ElectoralProcess.key.label("process"),
    System.name.label("system"),
    Category.name.label("category"),
    Ticket.subject,
)


def _ticket_row(row) -> TicketRow:
    """Labels and Mexico City time for one row (positional: this runs once per ticket)."""
    folio, received, status, priority, kind, organization, state, number, town = row[:9]
    process, system_name, category, subject = row[9:]
    return TicketRow(
        folio,
        received.astimezone(MX_TZ).replace(tzinfo=None),
        TICKET_STATUS_LABELS[status],
        PRIORITY_LABELS[priority],
        REQUESTER_TYPE_LABELS[kind],
        organization,
        state or "",
        f"{number:02d} {town}" if number else "",
        process or "Actividad ordinaria",
        system_name,
        category,
        subject,
    )


def document(actor: User, month: str, fmt: str, report: MonthlyReport | None) -> Document:
    """A file of the report: an approved version's frozen bytes, or a draft rendered now.

    :raises NotFound: an unknown format.
    """
    if fmt not in render.FORMATS:
        raise NotFound("Ese formato de descarga no existe.")
    if report is not None and report.snapshot is not None:
        stored = db.session.scalar(report.documents.select().where(ReportDocument.format == fmt))
        if stored is not None:
            return Document(stored.filename, stored.content)
    data = report_data(month, report)
    content = render.render(fmt, data, lambda: ticket_rows(actor, month))
    version = report.version if report is not None and report.snapshot is not None else None
    return Document(render.filename(month, fmt, version), content)


# --- Writes -----------------------------------------------------------------------------------


def get_or_create_draft(
    month: str, *, actor: User | None = None, now: datetime | None = None
) -> MonthlyReport:
    """The month's current version; a new blank draft when the month has none yet.

    Used by the scheduled job (no actor) and by supervisors.

    :raises NotFound: not a real month.
    :raises NotAllowed: ``actor`` given and not a supervisor or admin.
    :raises Conflict: another request created the month's draft at the same moment.
    """
    month = parse_month(month)
    if actor is not None:
        _require_editor(actor)
    report = current_version(month)
    if report is not None:
        return report
    report = _new_draft(month, now or utcnow())
    _commit()
    return report


def update_fields(
    actor: User,
    report: MonthlyReport,
    values: ReportFields,
    wording_overrides: dict[str, str],
    expected_version: int | None = None,
    *,
    now: datetime | None = None,
) -> MonthlyReport:
    """Save the free fields and the adjusted wording of a draft.

    An adjusted paragraph left blank, or equal to the generated text, is no adjustment: the
    paragraph goes back to the generated text (and follows the data again).

    :raises NotAllowed: the actor is not a supervisor or admin.
    :raises Conflict: the version is approved or superseded, or changed since ``expected_version``.
    :raises ValidationFailed: a field too long, or a malformed paragraph key.
    """
    _require_editor(actor)
    _require_draft(report)
    _check_version(report, expected_version)
    values = _clean_fields(values)
    overrides = _clean_overrides(report.month, wording_overrides)
    for name, value in vars(values).items():
        setattr(report, name, value)
    report.wording_overrides = overrides
    report.updated_at = now or utcnow()
    _commit()
    return report


def save_draft(
    actor: User,
    month: str,
    values: ReportFields,
    wording_overrides: dict[str, str],
    expected_version: int | None,
    *,
    now: datetime | None = None,
) -> MonthlyReport:
    """The edit page's save: creates the month's draft on its first save, in the same commit.

    ``expected_version`` 0 means the person saw no report for the month.

    :raises: as ``update_fields``; Conflict also when a draft appeared since the page was read.
    """
    _require_editor(actor)
    with _undo_on_error():
        report, created = _current_or_new(parse_month(month), expected_version, now or utcnow())
        expected = None if created else expected_version
        return update_fields(actor, report, values, wording_overrides, expected, now=now)


def approve(
    actor: User,
    report: MonthlyReport,
    now: datetime | None = None,
    *,
    expected_version: int | None = None,
) -> MonthlyReport:
    """Freeze a draft: its data, its documents, who approved it and when.

    :raises NotAllowed: the actor is not a supervisor or admin.
    :raises Conflict: not a draft, or changed since ``expected_version``.
    :raises ValidationFailed: the month has not ended yet (its figures would still move).
    """
    from tickets.reports.build import build_report_data

    now = now or utcnow()
    _require_editor(actor)
    _require_draft(report)
    _check_version(report, expected_version)
    if now < month_end(report.month):
        raise ValidationFailed(
            {"month": "El mes aún no termina: el informe se aprueba a partir del día 1 siguiente."}
        )
    report.data_fingerprint = data_fingerprint(report.month)  # before reading: errs on "modified"
    data = build_report_data(report.month, report)
    for fmt in render.FORMATS:
        content = render.render(fmt, data, lambda: ticket_rows(actor, report.month))
        name = render.filename(report.month, fmt, report.version)
        report.documents.add(ReportDocument(format=fmt, filename=name, content=content))
    report.snapshot = data
    report.status = ReportStatus.APPROVED
    report.approved_by = actor
    report.approved_at = now
    report.updated_at = now
    _commit()
    return report


def approve_month(
    actor: User, month: str, expected_version: int | None, *, now: datetime | None = None
) -> MonthlyReport:
    """The page's approve button: approves the month's draft, creating it if it had none.

    ``expected_version`` 0 means the person saw no report for the month.

    :raises: as ``approve``.
    """
    _require_editor(actor)
    now = now or utcnow()
    with _undo_on_error():
        report, created = _current_or_new(parse_month(month), expected_version, now)
        expected = None if created else expected_version
        return approve(actor, report, now, expected_version=expected)


def reopen(
    actor: User,
    report: MonthlyReport,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> MonthlyReport:
    """Supersede an approved version with a new draft (version + 1) that copies its free fields
    and adjusted wording; the approved version and its documents stay, downloadable.

    :raises NotAllowed: the actor is not a supervisor or admin.
    :raises Conflict: the version is not the approved current one, or changed meanwhile.
    """
    now = now or utcnow()
    _require_editor(actor)
    if report.status is not ReportStatus.APPROVED:
        raise Conflict("Solo se reabre un informe aprobado.")
    _check_version(report, expected_version)
    report.status = ReportStatus.SUPERSEDED
    report.updated_at = now
    draft = MonthlyReport(
        month=report.month,
        version=report.version + 1,
        status=ReportStatus.DRAFT,
        wording_overrides=dict(report.wording_overrides or {}),
        created_at=now,
        updated_at=now,
        **vars(ReportFields.of(report)),
    )
    db.session.add(draft)
    _commit()
    return draft


# --- Helpers ----------------------------------------------------------------------------------


def _new_draft(month: str, now: datetime) -> MonthlyReport:
    """A blank draft, version max + 1, flushed at once so a concurrent twin fails here."""
    last = db.session.scalar(
        sa.select(sa.func.max(MonthlyReport.version)).where(MonthlyReport.month == month)
    )
    report = MonthlyReport(
        month=month,
        version=(last or 0) + 1,
        status=ReportStatus.DRAFT,
        wording_overrides={},
        created_at=now,
        updated_at=now,
        **vars(ReportFields()),
    )
    db.session.add(report)
    try:
        db.session.flush()
    except IntegrityError as exc:  # uq_monthly_reports_month_version
        db.session.rollback()
        raise Conflict(STALE) from exc
    return report


def _current_or_new(
    month: str, expected_version: int | None, now: datetime
) -> tuple[MonthlyReport, bool]:
    """The current version, or a new draft; refused when the page saw another state."""
    report = current_version(month)
    if report is None:
        if expected_version:
            raise Conflict(STALE)
        return _new_draft(month, now), True
    if expected_version == 0:
        raise Conflict(STALE)
    return report, False


@contextmanager
def _undo_on_error():
    """A draft created on the way must not outlive a refused operation."""
    try:
        yield
    except Exception:
        db.session.rollback()
        raise


def _commit() -> None:
    """Commit; two people creating the same version at once is a Conflict, not a 500."""
    try:
        commit()
    except IntegrityError as exc:  # uq_monthly_reports_month_version
        raise Conflict(STALE) from exc


def _require_draft(report: MonthlyReport) -> None:
    if report.status is not ReportStatus.DRAFT:
        raise Conflict(
            "Esta versión del informe ya está aprobada; para cambiarla, reábrala como una nueva "
            "versión."
        )


def _check_version(report: MonthlyReport, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != report.version_id:
        raise Conflict(STALE)


def _clean_fields(values: ReportFields) -> ReportFields:
    cleaned = {name: _clean_text(text) for name, text in vars(values).items()}
    errors = {
        name: f"Escriba como máximo {limit} caracteres."
        for name, limit in FIELD_LIMITS.items()
        if len(cleaned[name]) > limit
    }
    if not cleaned["cip_project"]:
        errors["cip_project"] = "Escriba el proyecto de la CIP con el que se relaciona."
    if errors:
        raise ValidationFailed(errors)
    return ReportFields(**cleaned)


def _clean_overrides(month: str, overrides: dict[str, str]) -> dict[str, str]:
    texts = {key: _clean_text(text) for key, text in overrides.items()}
    if len(texts) > MAX_OVERRIDES or not all(map(PARAGRAPH_KEY_RE.match, texts)):
        raise ValidationFailed({"wording": "Recargue la página: el formulario no es válido."})
    if any(len(text) > MAX_PARAGRAPH_CHARS for text in texts.values()):
        raise ValidationFailed(
            {"wording": f"Cada párrafo admite como máximo {MAX_PARAGRAPH_CHARS} caracteres."}
        )
    texts = {key: text for key, text in texts.items() if text}
    if not texts:
        return {}
    generated = generated_texts(month)
    return {key: text for key, text in texts.items() if generated.get(key) != text}


def _clean_text(text: str | None) -> str:
    """Trimmed, with the browser's CRLF line ends as LF."""
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
