"""`flask mail send-pending`."""

from __future__ import annotations

from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="Correo: envío de la bandeja de salida.")
