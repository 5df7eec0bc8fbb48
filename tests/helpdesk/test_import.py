"""`flask tickets import`: historical logs in CSV or XLSX, validated like the intake form."""

from __future__ import annotations

import csv
import re
import zipfile
from contextlib import contextmanager
from datetime import datetime, timedelta

import openpyxl
import pytest
import sqlalchemy as sa

from tests.factories import (
    district,
    make_ticket,
    make_user,
    org,
    process,
    state,
    system,
    ticket_data,
)
from tickets.accounts.models import Role
from tickets.accounts.services import system_user
from tickets.catalogs.models import Organization, RequesterType
from tickets.core.db import utcnow
from tickets.core.errors import Conflict, NotAllowed, ValidationFailed
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import importer, queries, services
from tickets.helpdesk.models import AuditEvent, Status, Ticket


def row(**overrides) -> dict[str, str]:
    """A valid log row: Junta Distrital 05 of Guerrero, SIJE, EXT-2021, November 2021."""
    values = {
        "external_id": "LOG-1",
        "received_at": "2021-11-14T09:30",
        "requester_type": "junta",
        "organization": "",
        "contact_name": "María Hernández",
        "contact_email": "maria.hernandez@ine.test",
        "state": "12",
        "district": "5",
        "process": "EXT-2021",
        "system": "SIJE",
        "category": "INCIDENCIA",
        "channel": "phone",
        "priority": "high",
        "subject": "El SIJE no carga el reporte de instalación",
        "description": "Desde las 8:00 marca error al abrir el reporte.",
        "status": "new",
        "resolved_at": "",
    }
    values.update(overrides)
    return values


def write_csv(path, rows: list[dict[str, str]]):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=importer.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_import(runner, path, *options):
    return runner.invoke(args=["tickets", "import", str(path), *options])


def stored(app) -> dict[str, dict]:
    """Every ticket as plain values, keyed by external_id, read in a fresh context."""
    with app.app_context():
        tickets = db.session.scalars(sa.select(Ticket)).all()
        return {
            t.external_id: {
                "folio": t.folio,
                "status": t.status,
                "report_month": t.report_month,
                "org_key": t.organization.key,
                "office_key": t.office.key if t.office else None,
                "district": t.district.number if t.district else None,
                "received_at": t.received_at,
                "resolved_at": t.resolved_at,
                "closed_at": t.closed_at,
                "cancelled_at": t.cancelled_at,
                "first_response_at": t.first_response_at,
                "first_response_due_at": t.first_response_due_at,
                "resolution_due_at": t.resolution_due_at,
                "subject": t.subject,
                "contact_email": t.contact_email,
                "access_code_hash": t.access_code_hash,
                "created_by_system": t.created_by.is_system,
                "version": t.version,
            }
            for t in tickets
        }


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


GOOD_ROWS = [
    row(external_id="A-3", received_at="2021-12-01T00:30", status="in_progress"),
    row(
        external_id="A-1",
        received_at="2021-11-14T09:30",
        status="resolved",
        resolved_at="2021-11-14T12:00",
    ),
    row(
        external_id="A-2",
        received_at="2021-11-30T23:30",
        status="closed",
        resolved_at="2021-12-01T10:00",
    ),
    row(external_id="A-4", received_at="2021-11-20T10:00", status="cancelled"),
]


def test_good_csv_imports_every_row_with_folios_in_time_order(app, runner, tmp_path):
    result = run_import(runner, write_csv(tmp_path / "bitacora.csv", GOOD_ROWS))

    assert result.exit_code == 0, result.output
    assert "importados 4, ya existentes 0, inválidos 0, candidaturas creadas 0" in result.output
    tickets = stored(app)
    assert [tickets[k]["folio"] for k in ("A-1", "A-4", "A-2", "A-3")] == [
        "TIC-2021-000001",
        "TIC-2021-000002",
        "TIC-2021-000003",
        "TIC-2021-000004",
    ]
    assert tickets["A-3"]["status"] is Status.IN_PROGRESS
    assert tickets["A-4"]["status"] is Status.CANCELLED
    assert {t["access_code_hash"] for t in tickets.values()} == {None}
    assert all(t["created_by_system"] and t["version"] == 1 for t in tickets.values())


def test_report_month_is_the_month_in_mexico_city(app, runner, tmp_path):
    run_import(runner, write_csv(tmp_path / "bitacora.csv", GOOD_ROWS))

    tickets = stored(app)
    assert tickets["A-2"]["report_month"] == "2021-11"  # 30 Nov 23:30 local is 1 Dec in UTC
    assert tickets["A-3"]["report_month"] == "2021-12"
    assert tickets["A-2"]["received_at"] == parse_local("2021-11-30T23:30")


def test_resolution_times_follow_the_status(app, runner, tmp_path):
    run_import(runner, write_csv(tmp_path / "bitacora.csv", GOOD_ROWS))

    tickets = stored(app)
    solved = parse_local("2021-11-14T12:00")
    resolved = tickets["A-1"]
    assert (resolved["resolved_at"], resolved["first_response_at"]) == (solved, solved)
    assert resolved["closed_at"] is None
    closed = tickets["A-2"]
    assert closed["closed_at"] == closed["resolved_at"] == parse_local("2021-12-01T10:00")
    assert tickets["A-3"]["resolved_at"] is None
    assert tickets["A-3"]["first_response_at"] is None
    assert tickets["A-4"]["cancelled_at"] == parse_local("2021-11-20T10:00")


def test_open_rows_get_sla_due_times_and_finished_rows_none(app, runner, tmp_path):
    run_import(runner, write_csv(tmp_path / "bitacora.csv", GOOD_ROWS))

    tickets = stored(app)
    # Guerrero is in process on 1 December 2021: high priority, 30 min and 8 h round the clock.
    assert tickets["A-3"]["first_response_due_at"] == parse_local("2021-12-01T01:00")
    assert tickets["A-3"]["resolution_due_at"] == parse_local("2021-12-01T08:30")
    assert {tickets[k]["resolution_due_at"] for k in ("A-1", "A-2", "A-4")} == {None}


def test_each_imported_ticket_has_one_audit_event_naming_the_file(app, runner, tmp_path):
    run_import(runner, write_csv(tmp_path / "bitacora-2021.csv", GOOD_ROWS))

    with app.app_context():
        events = db.session.execute(sa.select(AuditEvent.field, AuditEvent.new)).all()
    assert sorted(events) == [("imported", "bitacora-2021.csv")] * 4


def test_text_is_stored_as_the_intake_form_stores_it(app, runner, tmp_path):
    run_import(
        runner,
        write_csv(tmp_path / "b.csv", [row(subject="  Falla del SIJE  ", contact_email="")]),
    )

    ticket = stored(app)["LOG-1"]
    assert (ticket["subject"], ticket["contact_email"]) == ("Falla del SIJE", None)


def test_folios_are_numbered_per_mexico_city_year_across_batches(app, runner, tmp_path):
    rows = [
        row(external_id="Y-1", received_at="2021-12-31T20:00"),
        row(external_id="Y-2", received_at="2021-12-31T21:30-06:00"),  # 1 Jan 03:30 UTC
        row(external_id="Y-3", received_at="2021-12-31T23:59"),
        row(external_id="Y-4", received_at="2022-01-01T00:30", process=""),
    ]

    result = run_import(runner, write_csv(tmp_path / "b.csv", rows), "--batch-size", "2")

    assert result.exit_code == 0, result.output
    folios = {key: t["folio"] for key, t in stored(app).items()}
    assert folios == {
        "Y-1": "TIC-2021-000001",
        "Y-2": "TIC-2021-000002",
        "Y-3": "TIC-2021-000003",
        "Y-4": "TIC-2022-000001",
    }


def test_a_row_without_organization_resolves_by_requester_type(app, runner, tmp_path):
    rows = [
        row(external_id="JL", district=""),
        row(external_id="JD", district="05"),
        row(external_id="OPL", requester_type="opl", district=""),
        row(external_id="PP", requester_type="party", organization="PAN", district=""),
        row(
            external_id="CI",
            requester_type="candidacy",
            organization="Juan Pérez, candidato independiente",
            district="",
        ),
        row(
            external_id="CEN",
            requester_type="central",
            organization="DEOE",
            state="",
            district="",
            process="",
        ),
    ]

    result = run_import(runner, write_csv(tmp_path / "b.csv", rows))

    assert result.exit_code == 0, result.output
    assert "candidaturas creadas 1" in result.output
    tickets = stored(app)
    assert {key: t["org_key"] for key, t in tickets.items() if key != "CI"} == {
        "JL": "JL-12",
        "JD": "JD-12-05",
        "OPL": "OPL-12",
        "PP": "PP-PAN-12",
        "CEN": "CEN-DEOE",
    }
    assert (tickets["JD"]["office_key"], tickets["JD"]["district"]) == ("JD-12-05", 5)
    assert tickets["JL"]["office_key"] == "JL-12"
    with app.app_context():
        created = db.session.scalar(
            sa.select(Organization).where(Organization.key == tickets["CI"]["org_key"])
        )
        assert created.key == "CI-12-01"  # the catalog's CI-<state>-NN
        assert created.kind is RequesterType.CANDIDACY
        assert created.name == "Juan Pérez, candidato independiente"
        assert created.state_id == state("12").id


def test_a_candidacy_is_matched_by_name_ignoring_accents_and_case(app, runner, tmp_path):
    with app.app_context():
        db.session.add(
            Organization(
                key="CI-12-JOSE",
                kind=RequesterType.CANDIDACY,
                name="José Núñez Independiente",
                state_id=state("12").id,
            )
        )
        db.session.commit()
    rows = [
        row(
            external_id="C-1", requester_type="candidacy", organization="jose nunez  INDEPENDIENTE"
        ),
        row(external_id="C-2", requester_type="candidacy", organization="José Núñez Independiente"),
    ]

    result = run_import(runner, write_csv(tmp_path / "b.csv", [r | {"district": ""} for r in rows]))

    assert "importados 2, ya existentes 0, inválidos 0, candidaturas creadas 0" in result.output
    assert {t["org_key"] for t in stored(app).values()} == {"CI-12-JOSE"}


BAD_ROWS = [
    row(external_id="OK-1"),
    row(external_id="B-2", state="99"),
    row(external_id="OK-1", received_at="ayer", status="done"),
    row(external_id="B-4", status="resolved"),
    row(external_id="B-5", status="closed", resolved_at="2021-11-14T08:00"),
    row(external_id="B-6", requester_type="party", organization="XYZ", district=""),
    row(external_id="B-7", requester_type="candidacy", organization="Nueva candidatura"),
    row(external_id="B-8", system="NO-EXISTE", district="40"),
    row(external_id="B-9", received_at="9999-12-31T23:59"),
]


def test_a_bad_file_is_reported_by_row_and_column_and_nothing_is_written(app, runner, tmp_path):
    result = run_import(runner, write_csv(tmp_path / "b.csv", BAD_ROWS))

    assert result.exit_code == 1
    for line in (
        "fila 3, columna state: la entidad «99» no existe",
        "fila 4, columna external_id: «OK-1» se repite: ya está en la fila 2",
        "fila 4, columna received_at: «ayer» no es una fecha ISO 8601",
        "fila 4, columna status: «done» no es válido; use uno de: new, assigned,",
        "fila 5, columna resolved_at: un ticket resuelto o cerrado necesita fecha de resolución",
        "fila 6, columna resolved_at: la fecha de resolución es anterior a la de recepción",
        "fila 7, columna organization: no hay representación del partido «XYZ» en Guerrero",
        "fila 9, columna system: el sistema «NO-EXISTE» no existe",
        "fila 9, columna district: el distrito «40» no existe en Guerrero",
        "fila 10, columna received_at: escriba una fecha entre 2000 y 2100",
    ):
        assert line in result.output
    assert "fila 2," not in result.output
    assert "fila 8," not in result.output  # a new candidacy is fine; it is just not kept
    assert "No se importó nada" in result.output
    assert "importados 0, ya existentes 0, inválidos 7, candidaturas creadas 0" in result.output
    assert count(app, Ticket) == 0
    with app.app_context():
        names = db.session.scalars(
            sa.select(Organization.name).where(Organization.kind == RequesterType.CANDIDACY)
        ).all()
    assert "Nueva candidatura" not in names


def test_a_refused_import_leaves_the_folio_sequence_untouched(app, runner, tmp_path):
    run_import(runner, write_csv(tmp_path / "bad.csv", BAD_ROWS))

    run_import(runner, write_csv(tmp_path / "good.csv", [row(external_id="G-1")]))

    assert stored(app)["G-1"]["folio"] == "TIC-2021-000001"


def test_skip_invalid_imports_the_good_rows_and_lists_the_bad(app, runner, tmp_path):
    result = run_import(runner, write_csv(tmp_path / "b.csv", BAD_ROWS), "--skip-invalid")

    assert result.exit_code == 0, result.output
    assert "fila 3, columna state: la entidad «99» no existe" in result.output
    assert "importados 2, ya existentes 0, inválidos 7, candidaturas creadas 1" in result.output
    assert set(stored(app)) == {"OK-1", "B-7"}


def test_skip_invalid_with_every_row_bad_exits_with_an_error(app, runner, tmp_path):
    result = run_import(runner, write_csv(tmp_path / "b.csv", [row(state="99")]), "--skip-invalid")

    assert result.exit_code == 1
    assert count(app, Ticket) == 0


def test_importing_the_same_file_again_changes_nothing(app, runner, tmp_path):
    path = write_csv(
        tmp_path / "b.csv",
        GOOD_ROWS
        + [row(external_id="CI", requester_type="candidacy", organization="Ana Ruiz", district="")],
    )
    run_import(runner, path)
    before = stored(app)
    organizations = count(app, Organization)

    result = run_import(runner, path)

    assert result.exit_code == 0, result.output
    assert "importados 0, ya existentes 5, inválidos 0, candidaturas creadas 0" in result.output
    assert stored(app) == before
    assert count(app, AuditEvent) == 5
    assert count(app, Organization) == organizations


def test_a_file_mixing_old_and_new_rows_imports_only_the_new(app, runner, tmp_path):
    run_import(runner, write_csv(tmp_path / "first.csv", GOOD_ROWS[:2]))

    result = run_import(runner, write_csv(tmp_path / "second.csv", GOOD_ROWS))

    assert "importados 2, ya existentes 2, inválidos 0" in result.output
    assert len(stored(app)) == 4


def test_xlsx_imports_the_same_as_csv(app, runner, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(importer.COLUMNS))
    for values in GOOD_ROWS:
        cells = dict(values)
        # what Excel hands back: real (naive, local) dates, and numbers for numeric text
        for column in ("received_at", "resolved_at"):
            cells[column] = datetime.fromisoformat(cells[column]) if cells[column] else None
        cells["state"], cells["district"] = 12, 5.0
        sheet.append([cells[c] for c in importer.COLUMNS])
    sheet.append([None] * len(importer.COLUMNS))  # the blank rows spreadsheets end with
    book.save(tmp_path / "bitacora.xlsx")

    result = run_import(runner, tmp_path / "bitacora.xlsx")

    assert result.exit_code == 0, result.output
    tickets = stored(app)
    assert tickets["A-2"]["report_month"] == "2021-11"
    assert tickets["A-3"]["report_month"] == "2021-12"
    assert tickets["A-2"]["received_at"] == parse_local("2021-11-30T23:30")
    assert tickets["A-1"]["folio"] == "TIC-2021-000001"
    assert tickets["A-1"]["org_key"] == "JD-12-05"


def test_xlsx_errors_name_the_spreadsheet_row(app, runner, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(list(importer.COLUMNS))
    book.active.append([row()[c] for c in importer.COLUMNS])
    book.active.append([row(external_id="X-2", state="77")[c] for c in importer.COLUMNS])
    book.save(tmp_path / "b.xlsx")

    result = run_import(runner, tmp_path / "b.xlsx")

    assert result.exit_code == 1
    assert "fila 3, columna state: la entidad «77» no existe" in result.output


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("b.txt", b"x", "Formato no reconocido"),
        ("b.csv", b"external_id,subject\nA,B\n", "Faltan columnas en el encabezado: received_at"),
        ("b.csv", "external_id\nñ\n".encode("latin-1"), "no está en UTF-8"),
        ("b.xlsx", b"not a zip", "No se pudo abrir el libro de Excel"),
        ("b.csv", b"", "El archivo está vacío"),
    ],
)
def test_an_unreadable_file_is_refused_with_a_spanish_message(
    app, runner, tmp_path, name, content, message
):
    (tmp_path / name).write_bytes(content)

    result = run_import(runner, tmp_path / name)

    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_missing_file_is_refused(runner, tmp_path):
    result = run_import(runner, tmp_path / "no-existe.csv")

    assert result.exit_code == 1
    assert "No existe el archivo" in result.output


def test_a_csv_saved_by_excel_with_bom_and_semicolons_is_read(app, runner, tmp_path):
    path = tmp_path / "excel.csv"
    lines = [";".join(importer.COLUMNS), ";".join(row().values())]
    path.write_bytes("\r\n".join(lines).encode("utf-8-sig"))

    result = run_import(runner, path)

    assert result.exit_code == 0, result.output
    assert set(stored(app)) == {"LOG-1"}


@pytest.mark.parametrize(
    ("q", "subject"),
    [("computo", "Falla en el cómputo distrital"), ("cómputo", "Falla en el computo distrital")],
)
def test_search_finds_imported_tickets_with_or_without_accents(app, runner, tmp_path, q, subject):
    run_import(
        runner, write_csv(tmp_path / "b.csv", [row(subject=subject), row(external_id="L-2")])
    )

    with app.app_context():
        operator = make_user(Role.OPERATOR)
        page = queries.queue(operator, queries.QueueFilters(q=q))
        assert [t.external_id for t in page.tickets] == ["LOG-1"]


def test_the_progress_bar_goes_to_stderr(app, runner, tmp_path):
    result = run_import(runner, write_csv(tmp_path / "b.csv", [row()]), "--progress")

    assert "Importando" in result.stderr
    assert "Importando" not in result.stdout
    assert "importados 1" in result.stdout


# The intake form and the import must refuse the same rows with the same words. Each case:
# (TicketData overrides for the intake form, row overrides for the import).
PARITY_CASES = {
    "district of another state": (
        {"organization": "JL-12", "district_id": ("14", 5)},
        {"organization": "JL-12", "district": "14-05"},
    ),
    "process without election in the state": (
        {"organization": "JL-01"},
        {"state": "01", "district": ""},
    ),
    "process not in course on the received date": (
        {"organization": "JL-10", "process": "PEL-2021-2022", "received": "2021-08-01T10:00"},
        {
            "state": "10",
            "district": "",
            "process": "PEL-2021-2022",
            "received_at": "2021-08-01T10:00",
        },
    ),
    "inactive system": ({"deactivate": "system"}, {"deactivate": "system"}),
    "inactive junta": ({"deactivate": "junta"}, {"deactivate": "junta"}),
    "organisation of another state": (
        {"organization": "OPL-14", "state": "12"},
        {"requester_type": "opl", "organization": "OPL-14", "district": ""},
    ),
    "organisation of another requester type": (
        {"organization": "JL-12", "requester_type": RequesterType.OPL},
        {"requester_type": "opl", "organization": "JL-12", "district": ""},
    ),
    "junta distrital of another district": (
        {"district_id": ("12", 4)},
        {"organization": "JD-12-05", "district": "4"},
    ),
    "received in the future": (
        {"future": True},
        {"future": True},
    ),
    "empty subject and bad e-mail": (
        {"subject": "", "contact_email": "sin-arroba"},
        {"subject": "", "contact_email": "sin-arroba"},
    ),
    "subject too long": ({"subject": "x" * 201}, {"subject": "x" * 201}),
}


def _intake_data(overrides: dict):
    values = dict(overrides)
    data = {}
    if "organization" in values:
        data["organization"] = org(values.pop("organization"))
    if "district_id" in values:
        data["district_id"] = district(*values.pop("district_id")).id
    if "state" in values:
        data["state_id"] = state(values.pop("state")).id
    if "process" in values:
        data["process_id"] = process(values.pop("process")).id
    if "received" in values:
        data["received_at"] = parse_local(values.pop("received"))
    if values.pop("future", False):
        data["received_at"], data["process_id"] = utcnow() + timedelta(days=2), None
    values.pop("deactivate", None)
    return ticket_data(**data, **values)


def _import_row(overrides: dict) -> dict[str, str]:
    values = dict(overrides)
    values.pop("deactivate", None)
    if values.pop("future", False):
        values["received_at"] = (utcnow() + timedelta(days=2)).isoformat()
        values["process"] = ""
    return row(**values)


@pytest.mark.parametrize("case", PARITY_CASES, ids=str)
def test_the_import_and_the_intake_form_refuse_the_same_rows(ctx, operator, tmp_path, case):
    intake, imported = PARITY_CASES[case]
    if intake.get("deactivate"):
        {"system": system("SIJE"), "junta": org("JD-12-05")}[intake["deactivate"]].is_active = False
        db.session.commit()

    with pytest.raises(ValidationFailed) as refused:
        services.open_ticket(operator, _intake_data(intake))
    result = importer.import_file(
        system_user(), write_csv(tmp_path / "b.csv", [_import_row(imported)])
    )

    intake_errors = {
        importer.FIELD_COLUMNS.get(field, field): message
        for field, message in refused.value.fields.items()
    }
    assert {e.column: e.message for e in result.errors} == intake_errors
    assert result.refused


def test_only_administrators_import(ctx, operator, tmp_path):
    with pytest.raises(NotAllowed):
        importer.import_file(operator, write_csv(tmp_path / "b.csv", [row()]))


def test_rows_written_meanwhile_by_another_import_are_a_conflict_not_a_crash(ctx, tmp_path):
    @contextmanager
    def another_import_first(description, total):
        if description == "Importando":  # between checking and writing
            make_ticket().external_id = "LOG-1"
            db.session.commit()
        yield importer._NoBar()

    with pytest.raises(Conflict):
        importer.import_file(
            system_user(),
            write_csv(tmp_path / "b.csv", [row()]),
            progress=another_import_first,
        )

    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 1


def test_long_error_lists_are_cut_but_the_summary_counts_every_row(app, runner, tmp_path):
    rows = [row(external_id=f"E-{n}", state="99") for n in range(3)]

    result = run_import(runner, write_csv(tmp_path / "b.csv", rows), "--max-errors", "1")

    assert "fila 2, columna state" in result.output
    assert "fila 3," not in result.output
    assert "… y 2 errores más." in result.output
    assert "inválidos 3" in result.output


def test_xlsx_with_a_wrong_dimension_tag_still_imports_every_row(app, runner, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(list(importer.COLUMNS))
    for n in range(3):
        book.active.append([row(external_id=f"D-{n}")[c] for c in importer.COLUMNS])
    book.save(tmp_path / "ok.xlsx")
    # Some writers record a one-cell <dimension>; trusting it would drop every row but A1.
    with (
        zipfile.ZipFile(tmp_path / "ok.xlsx") as source,
        zipfile.ZipFile(tmp_path / "b.xlsx", "w") as target,
    ):
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            target.writestr(item, data)

    result = run_import(runner, tmp_path / "b.xlsx")

    assert result.exit_code == 0, result.output
    assert set(stored(app)) == {"D-0", "D-1", "D-2"}


def test_descriptions_keep_line_breaks_tabs_and_backslashes(app, runner, tmp_path):
    text = 'Paso 1: abrir\n\tPaso 2: "capturar" C:\\SIJE\\datos; 50% \\N'

    run_import(runner, write_csv(tmp_path / "b.csv", [row(description=text)]))

    with app.app_context():
        assert db.session.scalar(sa.select(Ticket.description)) == text
