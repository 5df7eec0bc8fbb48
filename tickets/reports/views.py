"""Monthly report pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("reports", __name__, url_prefix="/informes")
