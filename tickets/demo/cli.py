"""`flask demo load`."""

from __future__ import annotations

from flask.cli import AppGroup

demo_cli = AppGroup("demo", help="Datos de demostración (noviembre de 2021).")
