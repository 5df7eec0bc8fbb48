"""Reading CSV and XLSX tables for the importers: rows keyed by column name, with line numbers."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

from tickets.core.errors import DomainError


class UnreadableFile(DomainError):
    """The file as a whole cannot be imported: format, encoding or header."""

    code, status = "unreadable_file", 422


@dataclass(frozen=True)
class Record:
    """One data row: its line number as the spreadsheet shows it, and its cells by column."""

    line: int
    values: dict[str, Any]


def read_table(
    path: Path, columns: tuple[str, ...], *, optional: frozenset[str] = frozenset()
) -> list[Record]:
    """The data rows of a CSV (UTF-8) or the first sheet of an XLSX, keyed by column name.

    Every name in ``columns`` must head a column, except those in ``optional``.
    """
    if not path.is_file():
        raise UnreadableFile(f"No existe el archivo «{path}».")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _read_csv(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _read_xlsx(path)
    else:
        raise UnreadableFile("Formato no reconocido: use un archivo .csv (UTF-8) o .xlsx.")
    if not table:
        raise UnreadableFile("El archivo está vacío: falta la fila de encabezados.")
    positions = _header_positions(table[0], columns, optional)
    records = []
    for line, raw in enumerate(table[1:], start=2):
        if any(cell_text(cell) for cell in raw):  # spreadsheets end in blank rows
            values = {name: raw[i] if i < len(raw) else None for name, i in positions.items()}
            records.append(Record(line, values))
    return records


def _read_csv(path: Path) -> list[list[str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "El archivo no está en UTF-8; en Excel guárdelo como «CSV UTF-8 (delimitado por "
            "comas)»."
        ) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise UnreadableFile(f"El CSV está mal formado: {exc}.") from exc


def _read_xlsx(path: Path) -> list[list[Any]]:
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise UnreadableFile("No se pudo abrir el libro de Excel (.xlsx).") from exc
    try:
        sheet = book.worksheets[0]
        # Stream every row instead of trusting the file's <dimension> tag: some writers leave it
        # out (openpyxl then reads the whole sheet twice) or get it wrong (rows would be lost).
        sheet.reset_dimensions()
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _header_positions(header: list[Any], columns, optional) -> dict[str, int]:
    names = [cell_text(cell).lower() for cell in header]
    missing = [c for c in columns if c not in names and c not in optional]
    if missing:
        raise UnreadableFile(
            "Faltan columnas en el encabezado: " + ", ".join(missing) + ". "
            "Se esperan: " + ", ".join(columns) + "."
        )
    return {column: names.index(column) for column in columns if column in names}


def cell_text(value: Any) -> str:
    """A cell as trimmed text; Excel's 12.0 reads as 12 and dates as ISO."""
    if type(value) is str:  # every CSV cell: the fast path matters at 100,000 rows
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Excel stores 12 as 12.0
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()
