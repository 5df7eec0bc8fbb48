"""Catalog pages for admins, and the options the intake form asks for as the operator types."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from tickets.accounts.auth import admin_required, staff_required
from tickets.catalogs import queries

bp = Blueprint("catalogs", __name__, url_prefix="/catalogos")


@bp.get("/")
@admin_required
def index():
    """The list of catalogs an admin can edit."""
    from flask import render_template

    return render_template("catalogs/index.html", sections=queries.SECTIONS)


@bp.get("/opciones")
@staff_required
def options():
    """Dependent choices for one state: its districts, juntas, OPL, parties and processes."""
    state_id = request.args.get("state_id", type=int)
    return jsonify(queries.options_for_state(state_id))
