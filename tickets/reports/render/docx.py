"""The report as a Word document laid out like the institutional form (the seed document)."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from tickets.reports.render import HEADER_ROWS, RELEVANT_COLUMNS, RELEVANT_HEADING, xml_text

PEOPLE_TRAINED_LABEL = "Total de personal capacitado: "
OBSERVATIONS_LABEL = "Observaciones: "


def render_docx(data: dict) -> bytes:
    """Title, header table, the six-column block, the narrative, people trained, observations."""
    document = Document()
    _page_setup(document, data)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.add_run(xml_text(data["title"])).bold = True
    _header_table(document, data["header"])
    heading = document.add_paragraph()
    heading.paragraph_format.space_before = Pt(12)
    heading.add_run(RELEVANT_HEADING).bold = True
    _relevant_table(document, data["relevant_matters"])
    for item in data["narrative"]:
        _narrative_paragraph(document, item)
    _labelled(document, PEOPLE_TRAINED_LABEL, str(data["people_trained"]))
    _labelled(document, OBSERVATIONS_LABEL, data["observations"])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _page_setup(document, data: dict) -> None:
    """Letter paper, 2.5 cm margins, Arial 10 in Mexican Spanish (spell-checking)."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    normal = document.styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(10)
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "es-MX")
    normal.element.get_or_add_rPr().append(language)
    properties = document.core_properties
    properties.title = f"Informe mensual, {data['month_label']}"
    properties.author = "Mesa TIC · Unidad Técnica de Servicios de Informática"
    properties.language = "es-MX"


def _header_table(document, header: dict) -> None:
    table = document.add_table(rows=len(HEADER_ROWS), cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for row, (label, key) in zip(table.rows, HEADER_ROWS, strict=True):
        row.cells[0].width, row.cells[1].width = Cm(5.5), Cm(11.0)
        _cell_text(row.cells[0], label, bold=True)
        _cell_text(row.cells[1], header.get(key, ""))


def _relevant_table(document, matters: dict) -> None:
    table = document.add_table(rows=2, cols=len(RELEVANT_COLUMNS))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for index, (label, key) in enumerate(RELEVANT_COLUMNS):
        _cell_text(table.rows[0].cells[index], label, bold=True, size=8)
        _cell_text(table.rows[1].cells[index], matters.get(key, ""), size=8)


def _cell_text(cell, text, *, bold: bool = False, size: int | None = None) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(xml_text(text))
    run.bold = bold
    if size:
        run.font.size = Pt(size)


def _narrative_paragraph(document, item: dict) -> None:
    paragraph = document.add_paragraph(xml_text(item["text"]))
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if item["kind"] == "bullet":
        paragraph.paragraph_format.left_indent = Cm(1.0)
        paragraph.paragraph_format.space_after = Pt(0)


def _labelled(document, label: str, text) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(12)
    paragraph.add_run(label).bold = True
    paragraph.add_run(xml_text(text))
