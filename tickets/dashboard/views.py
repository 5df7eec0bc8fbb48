"""The supervisor's dashboard page and the fragment its script fetches to refresh the panels."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, current_app, make_response, render_template

from tickets.accounts.auth import roles_required
from tickets.accounts.models import Role
from tickets.core.db import utcnow
from tickets.dashboard import queries
from tickets.sla.queries import OPEN

bp = Blueprint("dashboard", __name__, url_prefix="/tablero")

# Issue 5 calls it the supervisor dashboard: operators work the queue, supervision watches it.
supervisor_required = roles_required(Role.ADMIN, Role.SUPERVISOR)


@bp.context_processor
def _template_helpers() -> dict:
    """The open statuses (every count links to the queue limited to them) and due-time text."""
    return {"open_statuses": [s.value for s in OPEN], "relative_time": relative_time}


@bp.get("/")
@supervisor_required
def index():
    """The whole page; without JavaScript it is still complete, and "Actualizar" reloads it."""
    seconds = current_app.config["DASHBOARD_REFRESH_SECONDS"]
    return _no_store(
        render_template("dashboard/index.html", board=queries.board(utcnow()), refresh=seconds)
    )


@bp.get("/panel")
@supervisor_required
def panels():
    """Only the panels, as HTML: the script swaps them in place every few seconds."""
    return _no_store(render_template("dashboard/_panels.html", board=queries.board(utcnow())))


def relative_time(moment: datetime | None, now: datetime) -> str:
    """'en 25 min', 'hace 2 h 5 min', 'hace 3 d 4 h': how far a due time is, at a glance."""
    if moment is None:
        return "sin plazo"
    minutes = int(abs((moment - now).total_seconds()) // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        span = f"{days} d {hours} h" if hours else f"{days} d"
    elif hours:
        span = f"{hours} h {mins} min" if mins else f"{hours} h"
    else:
        span = f"{mins} min"
    return f"hace {span}" if moment <= now else f"en {span}"


def _no_store(body: str):
    # A wall screen must never be shown a cached board (nor a proxy keep one).
    response = make_response(body)
    response.headers["Cache-Control"] = "no-store"
    return response
