"""The month's figures as a workbook: a sheet per table, plus the month's ticket list.

Written in openpyxl's write-only mode, row by row, so a month of many tickets is streamed from
the database cursor into the file without holding every row in memory.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from tickets.core.security import neutralise_cell
from tickets.reports.render import TICKET_HEADERS, TicketRow, xml_text

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def render_xlsx(data: dict, tickets_rows: Iterable[TicketRow]) -> bytes:
    """Resumen, Por entidad, Por tipo de solicitante, Por sistema, Por proceso, Por día, Tickets."""
    book = Workbook(write_only=True)
    totals = data["totals"]
    _sheet(book, "Resumen", ("Concepto", "Valor"), _summary(data), widths=(40, 24))
    _sheet(
        book,
        "Por entidad",
        ("Clave", "Entidad", "Tickets"),
        [(r["key"], r["name"], r["count"]) for r in totals["by_state"]],
        widths=(8, 30, 10),
        total=True,
    )
    _sheet(
        book,
        "Por tipo de solicitante",
        ("Tipo de solicitante", "Tickets"),
        [(r["label"], r["count"]) for r in totals["by_requester_type"]],
        widths=(44, 10),
        total=True,
    )
    _sheet(
        book,
        "Por sistema",
        ("Clave", "Sistema", "Tickets"),
        [(r["key"], r["name"], r["count"]) for r in totals["by_system"]],
        widths=(16, 50, 10),
        total=True,
    )
    _sheet(
        book,
        "Por proceso",
        ("Clave", "Proceso electoral", "Tickets", "Resueltos", "Pendientes"),
        [
            (r["key"] or "", r["name"], r["count"], r["resolved"], r["pending"])
            for r in totals["by_process"]
        ],
        widths=(16, 60, 10, 11, 11),
        total=True,
    )
    _sheet(
        book,
        "Por día",
        ("Fecha", "Tickets"),
        [(date.fromisoformat(r["date"]), r["count"]) for r in totals["by_day"]],
        widths=(14, 10),
        total=True,
    )
    _tickets_sheet(book, tickets_rows)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _summary(data: dict) -> list[tuple]:
    totals = data["totals"]
    return [
        ("Mes", data["month_label"]),
        ("Tickets recibidos", totals["tickets"]),
        ("Resueltos al cierre del mes", totals["resolved"]),
        ("Pendientes al cierre del mes", totals["pending"]),
        ("Cancelados", totals["cancelled"]),
        ("Total de personal capacitado", data["people_trained"]),
    ]


def _sheet(book, title, headers, rows, *, widths, total=False) -> None:
    sheet = book.create_sheet(title)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([_bold(sheet, text) for text in headers])
    for row in rows:
        sheet.append([_cell(sheet, value) for value in row])
    if total and rows:
        sums = [
            sum(row[i] for row in rows) if isinstance(rows[0][i], int) else None
            for i in range(len(headers))
        ]
        sums[0] = "Total"
        sheet.append([None if value is None else _bold(sheet, value) for value in sums])


def _tickets_sheet(book, tickets_rows: Iterable[TicketRow]) -> None:
    sheet = book.create_sheet("Tickets")
    widths = (17, 20, 12, 10, 30, 40, 22, 22, 16, 30, 24, 60)
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_bold(sheet, text) for text in TICKET_HEADERS])
    for row in tickets_rows:
        sheet.append([_cell(sheet, value) for value in row])


def _cell(sheet, value):
    """A cell: dates formatted, text made XML-safe and never a formula."""
    if isinstance(value, str):
        return neutralise_cell(xml_text(value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT if type(value) is date else DATETIME_FORMAT
    return cell


def _bold(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    cell.font = Font(bold=True)
    return cell
