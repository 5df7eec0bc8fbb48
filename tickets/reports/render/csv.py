"""The month's ticket list as CSV: UTF-8 with BOM so Excel reads the accents; no formulas."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from tickets.core.security import neutralise_cell
from tickets.reports.render import TICKET_HEADERS, TicketRow


def render_csv(tickets_rows: Iterable[TicketRow]) -> bytes:
    """One header line and one line per ticket; text a spreadsheet would run is neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(TICKET_HEADERS)
    for row in tickets_rows:
        writer.writerow(_cells(row))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _cells(row: TicketRow) -> list[str]:
    received = row.received_at.strftime("%Y-%m-%d %H:%M")
    values = row._replace(received_at=received)
    return [neutralise_cell(value) for value in values]
