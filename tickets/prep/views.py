"""PREP follow-up pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("prep", __name__, url_prefix="/prep")
