"""Admins' view of the scheduled jobs and their runs."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("jobs", __name__, url_prefix="/admin/tareas")
