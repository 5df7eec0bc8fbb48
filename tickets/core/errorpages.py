"""Error pages in Spanish; JSON for API callers."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _

from tickets.core.errors import DomainError
from tickets.extensions import db

MESSAGES = {
    400: "La solicitud no es válida.",
    403: "No tiene permiso para ver esta página.",
    404: "No encontramos lo que busca.",
    405: "Método no permitido.",
    413: "El archivo es demasiado grande.",
    429: "Demasiados intentos. Espere un momento e intente de nuevo.",
    500: "Ocurrió un error inesperado. El equipo técnico ya fue notificado.",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _page(status: int, detail: str | None = None):
    message = detail or _(MESSAGES.get(status, MESSAGES[400]))
    if _wants_json():
        return jsonify({"status": status, "detail": message}), status
    return render_template("errors/error.html", status=status, message=message), status


def register(app: Flask) -> None:
    """Map HTTP errors and escaped DomainErrors to friendly pages."""
    for status in set(MESSAGES) - {500}:
        app.register_error_handler(status, lambda exc, s=status: _page(s))

    @app.errorhandler(500)
    def _unexpected(exc):
        # A statement that failed inside a flush leaves the session unusable until rolled back,
        # and the page reads the logged-in user (the menu): undo first, then render. The
        # request's writes are lost either way: it failed.
        db.session.rollback()
        return _page(500)

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):
        return _page(exc.status, str(exc))
