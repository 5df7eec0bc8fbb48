"""Staff pages for logging and working tickets."""

from __future__ import annotations

from flask import Blueprint

from tickets.accounts.auth import staff_required

bp = Blueprint("helpdesk", __name__, url_prefix="/tickets")


@bp.get("/")
@staff_required
def queue():
    """The queue."""
    return "cola"


@bp.get("/nuevo")
@staff_required
def new():
    """Intake."""
    return "nuevo"
