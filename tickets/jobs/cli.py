"""`flask jobs run`, `flask jobs run-once`, `flask jobs list`."""

from __future__ import annotations

from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Tareas programadas.")
