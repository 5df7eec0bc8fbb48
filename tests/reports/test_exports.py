"""DOCX, XLSX and CSV opened back (python-docx, openpyxl, csv) and checked against the JSON."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import docx
import openpyxl
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH

from tests.factories import org
from tests.reports.test_services import HYPERLINK, november
from tickets.reports import render, services
from tickets.reports.build import build_report_data
from tickets.reports.render.csv import render_csv
from tickets.reports.render.docx import render_docx
from tickets.reports.render.xlsx import render_xlsx
from tickets.reports.services import ReportFields

FIELDS = ReportFields(
    visit_date="3 y 4 de noviembre",
    junta="Junta Local Ejecutiva en Guerrero",
    districts="05 y 08",
    objective="Revisar la operación del SIJE <b>en sitio</b>",
    agreements="Convenio con el IEPC",
    particular_matters="=1+1",
    opportunity_areas="Capacitación previa",
    ordinary_activity="Soporte cotidiano",
    pycipef="No aplica",
    observations="Primera línea.\nSegunda línea.",
)


@pytest.fixture
def month(supervisor):
    """November with tickets, a PREP drill, training, and a draft whose free fields are filled."""
    november()
    report = services.get_or_create_draft("2021-11", actor=supervisor)
    key = next(k for k in services.generated_texts("2021-11") if k.endswith(".intro"))
    services.update_fields(supervisor, report, FIELDS, {key: "Intro ajustada por supervisión."})
    return {"data": build_report_data("2021-11", report), "supervisor": supervisor}


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def _open_xlsx(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


# --- DOCX -------------------------------------------------------------------------------------


def test_the_docx_has_the_forms_paragraphs_in_order(month):
    data = month["data"]

    document = docx.Document(io.BytesIO(render_docx(data)))

    assert [p.text for p in document.paragraphs] == [
        data["title"],
        "Asuntos relevantes tratados o a tratar en las visitas realizadas.",
        *[item["text"] for item in data["narrative"]],
        f"Total de personal capacitado: {data['people_trained']}",
        "Observaciones: Primera línea.\nSegunda línea.",
    ]
    assert data["people_trained"] == 17
    assert "Intro ajustada por supervisión." in [p.text for p in document.paragraphs]


def test_the_docx_title_is_bold_and_centred_and_bullets_are_indented(month):
    data = month["data"]

    document = docx.Document(io.BytesIO(render_docx(data)))

    title = document.paragraphs[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert all(run.bold for run in title.runs)
    narrative = document.paragraphs[2 : 2 + len(data["narrative"])]
    bullets = [
        p for p, item in zip(narrative, data["narrative"], strict=True) if item["kind"] == "bullet"
    ]
    assert [p.text for p in bullets] == ["· Guerrero, 21 de noviembre."]
    assert all(p.paragraph_format.left_indent is not None for p in bullets)


def test_the_docx_header_table_is_the_forms_header(month):
    header = month["data"]["header"]

    table = docx.Document(io.BytesIO(render_docx(month["data"]))).tables[0]

    assert [[cell.text for cell in row.cells] for row in table.rows] == [
        ["Dirección Ejecutiva o Unidad Técnica:", "Unidad Técnica de Servicios de Informática"],
        ["Entidad Federativa:", header["states"]],
        ["Fecha de visita:", "3 y 4 de noviembre"],
        ["Junta:", "Junta Local Ejecutiva en Guerrero"],
        ["Distritos:", "05 y 08"],
        ["Objetivo de la visita:", "Revisar la operación del SIJE <b>en sitio</b>"],
    ]


def test_the_docx_six_column_block_ends_with_the_cip_project(month):
    matters = month["data"]["relevant_matters"]

    table = docx.Document(io.BytesIO(render_docx(month["data"]))).tables[1]

    assert [cell.text for cell in table.rows[0].cells] == [
        "Asuntos relacionados con la firma de Convenios de Apoyo y Colaboración",
        "Asuntos en particular",
        "Áreas de oportunidad",
        "Actividad ordinaria",
        "PyCIPEF",
        "Con qué proyecto de la CIP se relaciona",
    ]
    assert [cell.text for cell in table.rows[1].cells] == [
        matters["agreements"],
        matters["particular_matters"],
        matters["opportunity_areas"],
        matters["ordinary_activity"],
        matters["pycipef"],
        "F091910 Apoyo a procesos electorales en materia de TIC",
    ]


def test_control_characters_pasted_from_word_do_not_break_the_documents(month):
    data = {**month["data"], "observations": "Texto\x0bcon tabulador vertical\x00."}

    document = docx.Document(io.BytesIO(render_docx(data)))
    book = _open_xlsx(render_xlsx(data, []))

    assert document.paragraphs[-1].text == "Observaciones: Textocon tabulador vertical."
    assert book.sheetnames[0] == "Resumen"


# --- XLSX -------------------------------------------------------------------------------------


def test_the_xlsx_has_a_sheet_per_table_and_the_ticket_list(month):
    book = _open_xlsx(render_xlsx(month["data"], []))

    assert book.sheetnames == [
        "Resumen",
        "Por entidad",
        "Por tipo de solicitante",
        "Por sistema",
        "Por proceso",
        "Por día",
        "Tickets",
    ]


def test_the_xlsx_summary_and_tables_match_the_json_cell_by_cell(month):
    data = month["data"]
    totals = data["totals"]

    book = _open_xlsx(render_xlsx(data, []))

    assert _rows(book["Resumen"]) == [
        ("Concepto", "Valor"),
        ("Mes", "noviembre de 2021"),
        ("Tickets recibidos", totals["tickets"]),
        ("Resueltos al cierre del mes", totals["resolved"]),
        ("Pendientes al cierre del mes", totals["pending"]),
        ("Cancelados", totals["cancelled"]),
        ("Total de personal capacitado", data["people_trained"]),
    ]
    by_state = [(r["key"], r["name"], r["count"]) for r in totals["by_state"]]
    assert _rows(book["Por entidad"]) == [
        ("Clave", "Entidad", "Tickets"),
        *by_state,
        ("Total", None, sum(r[2] for r in by_state)),
    ]
    assert [r[1] for r in by_state] == ["Estado de México", "Guerrero"]
    assert _rows(book["Por tipo de solicitante"]) == [
        ("Tipo de solicitante", "Tickets"),
        *[(r["label"], r["count"]) for r in totals["by_requester_type"]],
        ("Total", totals["tickets"]),
    ]
    assert _rows(book["Por sistema"]) == [
        ("Clave", "Sistema", "Tickets"),
        *[(r["key"], r["name"], r["count"]) for r in totals["by_system"]],
        ("Total", None, totals["tickets"]),
    ]


def test_the_xlsx_process_and_day_sheets_match_the_json(month):
    totals = month["data"]["totals"]

    book = _open_xlsx(render_xlsx(month["data"], []))

    assert _rows(book["Por proceso"]) == [
        ("Clave", "Proceso electoral", "Tickets", "Resueltos", "Pendientes"),
        *[
            (r["key"], r["name"], r["count"], r["resolved"], r["pending"])
            for r in totals["by_process"]
        ],
        ("Total", None, totals["tickets"], totals["resolved"], totals["pending"]),
    ]
    days = _rows(book["Por día"])
    assert days[0] == ("Fecha", "Tickets")
    assert [(d.date(), n) for d, n in days[1:-1]] == [
        (date.fromisoformat(r["date"]), r["count"]) for r in totals["by_day"]
    ]
    assert len(days[1:-1]) == 30
    assert days[-1] == ("Total", sum(r["count"] for r in totals["by_day"]))


def test_the_xlsx_ticket_sheet_lists_the_months_tickets(month):
    rows = list(services.ticket_rows(month["supervisor"], "2021-11"))

    sheet = _open_xlsx(render_xlsx(month["data"], iter(rows)))["Tickets"]

    values = _rows(sheet)
    assert values[0] == render.TICKET_HEADERS
    assert len(values) == 1 + 4
    assert values[4][:3] == (rows[3].folio, datetime(2021, 11, 30, 23, 30), "Nuevo")
    assert values[1][6:9] == ("Guerrero", "05 Tlapa", "EXT-2021")


# --- CSV and formula neutralising ---------------------------------------------------------------


def test_the_csv_is_utf8_with_bom_and_one_line_per_ticket(month):
    rows = list(services.ticket_rows(month["supervisor"], "2021-11"))

    content = render_csv(iter(rows))

    assert content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert lines[0] == list(render.TICKET_HEADERS)
    assert [line[0] for line in lines[1:]] == [row.folio for row in rows]
    assert lines[4][1] == "2021-11-30 23:30"
    assert lines[1][5] == org("JD-12-05").name


def test_a_formula_typed_as_a_ticket_subject_comes_out_as_text(month):
    rows = list(services.ticket_rows(month["supervisor"], "2021-11"))
    assert rows[0].subject == HYPERLINK

    lines = list(csv.reader(io.StringIO(render_csv(iter(rows)).decode("utf-8-sig"))))
    book = _open_xlsx(render_xlsx(month["data"], iter(rows)))

    assert lines[1][-1] == "'" + HYPERLINK
    cell = book["Tickets"]["L2"]
    assert (cell.data_type, cell.value) == ("s", "'" + HYPERLINK)


def test_a_formula_typed_by_a_supervisor_is_text_in_the_workbook(month):
    data = {**month["data"], "month_label": "=cmd|' /C calc'!A0"}

    book = _open_xlsx(render_xlsx(data, []))

    cell = book["Resumen"]["B2"]
    assert (cell.data_type, cell.value) == ("s", "'=cmd|' /C calc'!A0")


# --- the command line ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["docx", "xlsx", "csv"])
def test_flask_reports_monthly_writes_each_export(app, runner, tmp_path, fmt):
    with app.app_context():
        november()
    target = tmp_path / f"noviembre.{fmt}"

    result = runner.invoke(args=["reports", "monthly", "2021-11", "--format", fmt, "-o", target])

    assert result.exit_code == 0, result.output
    content = target.read_bytes()
    if fmt == "docx":
        assert docx.Document(io.BytesIO(content)).paragraphs[0].text.startswith("INFORME QUE")
    elif fmt == "xlsx":
        assert _rows(_open_xlsx(content)["Resumen"])[2] == ("Tickets recibidos", 3)
    else:
        assert len(content.decode("utf-8-sig").splitlines()) == 1 + 4
