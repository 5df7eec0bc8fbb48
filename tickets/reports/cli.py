"""`flask reports monthly`."""

from __future__ import annotations

from flask.cli import AppGroup

reports_cli = AppGroup("reports", help="Informe mensual.")
