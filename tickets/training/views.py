"""Training log pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/capacitacion")
