"""`flask tickets import` and `flask demo load`."""

from __future__ import annotations

from flask.cli import AppGroup

tickets_cli = AppGroup("tickets", help="Tickets: importación de bitácoras históricas.")
demo_cli = AppGroup("demo", help="Datos de demostración (noviembre de 2021).")
