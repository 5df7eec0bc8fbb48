"""Domain errors: raised by services, translated by each adapter (web, API, CLI)."""

from __future__ import annotations


class DomainError(Exception):
    """A rule said no. ``code`` is stable for the API; the message is for a person."""

    code = "error"
    status = 400

    def __init__(self, message: str = "", fields: dict[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def __str__(self) -> str:
        return self.message


class NotAllowed(DomainError):
    code, status = "not_allowed", 403


class NotFound(DomainError):
    code, status = "not_found", 404


class InvalidTransition(DomainError):
    code, status = "invalid_transition", 409


class Conflict(DomainError):
    code, status = "conflict", 409


class ValidationFailed(DomainError):
    """Business-rule failures, per field, that a form can show next to each input."""

    code, status = "validation_failed", 422

    def __init__(self, fields: dict[str, str], message: str = ""):
        super().__init__(message or "; ".join(fields.values()), fields)
