"""`flask tickets import`."""

from __future__ import annotations

from flask.cli import AppGroup

tickets_cli = AppGroup("tickets", help="Tickets: importación de bitácoras históricas.")
