"""Requester pages and the folio + access code lookup."""

from __future__ import annotations

from flask import Blueprint

from tickets.accounts.auth import roles_required
from tickets.accounts.models import Role

bp = Blueprint("portal", __name__)


@bp.get("/solicitudes/")
@roles_required(Role.REQUESTER)
def my_requests():
    """The requester's organisation's tickets (placeholder until the portal lands)."""
    return "Mis solicitudes"
