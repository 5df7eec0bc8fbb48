"""`flask prep import`."""

from __future__ import annotations

from flask.cli import AppGroup

prep_cli = AppGroup("prep", help="Seguimiento del PREP: simulacros y operación.")
