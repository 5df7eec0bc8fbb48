"""Renderers of the monthly report: DOCX, XLSX and CSV files, and the page's chart geometry.

Every renderer takes plain data (the report JSON of ``tickets.reports.build`` and an iterable of
``TicketRow``) and returns bytes, so the web page, the approval snapshot and the CLI share them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import NamedTuple

from babel.dates import format_date

# Characters XML 1.0 (DOCX, XLSX) refuses; a paste from Word can carry a vertical tab.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class TicketRow(NamedTuple):
    """One ticket of the month's list, already in the words a person reads."""

    folio: str
    received_at: datetime  # naive, Mexico City wall clock
    status: str
    priority: str
    requester_type: str
    organization: str
    state: str
    district: str
    process: str
    system: str
    category: str
    subject: str


TICKET_HEADERS = (
    "Folio",
    "Recibido (hora de la Ciudad de México)",
    "Estatus",
    "Prioridad",
    "Tipo de solicitante",
    "Organización",
    "Entidad",
    "Distrito",
    "Proceso electoral",
    "Sistema",
    "Categoría",
    "Asunto",
)

HEADER_ROWS = (
    ("Dirección Ejecutiva o Unidad Técnica:", "unit"),
    ("Entidad Federativa:", "states"),
    ("Fecha de visita:", "visit_date"),
    ("Junta:", "junta"),
    ("Distritos:", "districts"),
    ("Objetivo de la visita:", "objective"),
)

RELEVANT_HEADING = "Asuntos relevantes tratados o a tratar en las visitas realizadas."

RELEVANT_COLUMNS = (
    ("Asuntos relacionados con la firma de Convenios de Apoyo y Colaboración", "agreements"),
    ("Asuntos en particular", "particular_matters"),
    ("Áreas de oportunidad", "opportunity_areas"),
    ("Actividad ordinaria", "ordinary_activity"),
    ("PyCIPEF", "pycipef"),
    ("Con qué proyecto de la CIP se relaciona", "cip_project"),
)

FORMATS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def xml_text(value) -> str:
    """Text an XML document accepts: None is blank, control characters are dropped."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def month_label(month: str) -> str:
    """'2021-11' -> 'noviembre de 2021'."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(date(year, number, 1), "MMMM 'de' y", locale="es_MX")


def filename(month: str, fmt: str, version: int | None) -> str:
    """'informe-mensual-2021-11-v2.docx'; a live draft is 'informe-mensual-2021-11-borrador'."""
    suffix = f"v{version}" if version else "borrador"
    return f"informe-mensual-{month}-{suffix}.{fmt}"


def render(fmt: str, data: dict, rows: Callable[[], Iterable[TicketRow]]) -> bytes:
    """The file of one format; ``rows`` is called only by the formats that list tickets."""
    from tickets.reports.render import csv, docx, xlsx

    if fmt == "docx":
        return docx.render_docx(data)
    if fmt == "xlsx":
        return xlsx.render_xlsx(data, rows())
    if fmt == "csv":
        return csv.render_csv(rows())
    raise ValueError(f"unknown report format {fmt!r}")


# --- Charts for the page and the print view (server-side SVG geometry, no script) -----------


def with_shares(rows: list[dict]) -> list[dict]:
    """Each row plus ``share``: its count as a percentage of the largest (bar length)."""
    top = max((row["count"] for row in rows), default=0)
    return [{**row, "share": round(100 * row["count"] / top, 1) if top else 0} for row in rows]


DAY_CHART = {"height": 160, "bar": 18, "gap": 6, "top": 16, "bottom": 22}


def day_chart(by_day: list[dict]) -> dict:
    """Vertical bars, one per day of the month: positions and sizes for an inline SVG."""
    g = DAY_CHART
    plot = g["height"] - g["top"] - g["bottom"]
    top = max((day["count"] for day in by_day), default=0)
    bars = []
    for index, day in enumerate(by_day):
        height = round(plot * day["count"] / top, 1) if top else 0
        x = g["gap"] + index * (g["bar"] + g["gap"])
        bars.append(
            {
                "x": x,
                "y": g["top"] + plot - height,
                "width": g["bar"],
                "height": height,
                "center": x + g["bar"] / 2,
                "day": int(day["date"][-2:]),
                "date": date.fromisoformat(day["date"]),
                "count": day["count"],
            }
        )
    width = g["gap"] + len(by_day) * (g["bar"] + g["gap"])
    return {"bars": bars, "width": width, "height": g["height"], "baseline": g["top"] + plot}
