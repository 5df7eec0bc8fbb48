"""What to tell whom when a ticket changes; messages go to the outbox in the caller's transaction.

Every function here only adds rows to the session: the helpdesk service that calls it commits the
change and its mail together, so a mail-server outage loses nothing and never fails a request.
"""

from __future__ import annotations

from flask import current_app, render_template

from tickets.extensions import db
from tickets.helpdesk.models import Comment, Status, Ticket
from tickets.notifications.models import OutboxMessage


def base_url() -> str:
    """Where links in mails point (BASE_URL), without a trailing slash."""
    return current_app.config["BASE_URL"].rstrip("/")


def enqueue(kind: str, to: str | None, subject: str, template: str, ticket=None, **context):
    """Render ``templates/mail/<template>.txt`` (and ``.html``) into an outbox row.

    Returns None when there is nobody to write to (a ticket without a contact e-mail).
    """
    if not to:
        return None
    context = {"ticket": ticket, "base_url": base_url(), **context}
    message = OutboxMessage(
        to_address=to,
        subject=subject,
        body_text=render_template(f"mail/{template}.txt", **context),
        body_html=render_template(f"mail/{template}.html", **context),
        kind=kind,
        ticket=ticket,
    )
    db.session.add(message)
    return message


def _subject(ticket: Ticket, text: str) -> str:
    return f"[{ticket.folio}] {text}"


def ticket_opened(ticket: Ticket, access_code: str) -> None:
    """To the requester: the folio and the access code to follow the ticket."""
    enqueue(
        "opened",
        ticket.contact_email,
        _subject(ticket, "Recibimos su solicitud"),
        "ticket_opened",
        ticket,
        access_code=access_code,
    )


def public_reply(ticket: Ticket, comment: Comment) -> None:
    """To the requester, when the desk answers publicly (never for internal notes)."""
    if comment.is_internal:
        return
    enqueue(
        "reply",
        ticket.contact_email,
        _subject(ticket, "Respuesta de la mesa de ayuda"),
        "public_reply",
        ticket,
        comment=comment,
    )


def status_changed(ticket: Ticket) -> None:
    """To the requester when the ticket waits on them or is resolved."""
    if ticket.status is Status.WAITING:
        subject, template = "Necesitamos información de usted", "status_waiting"
    elif ticket.status is Status.RESOLVED:
        subject, template = "Su solicitud fue resuelta", "status_resolved"
    else:
        return
    enqueue("status", ticket.contact_email, _subject(ticket, subject), template, ticket)


def reopened(ticket: Ticket, reason: str) -> None:
    """To the requester and to the assignee when a resolved ticket is reopened."""
    enqueue(
        "reopened",
        ticket.contact_email,
        _subject(ticket, "Su solicitud fue reabierta"),
        "reopened_requester",
        ticket,
        reason=reason,
    )
    if ticket.assignee is not None:
        enqueue(
            "reopened",
            ticket.assignee.email,
            _subject(ticket, "La persona solicitante reabrió el ticket"),
            "reopened_assignee",
            ticket,
            reason=reason,
        )


def requester_replied(ticket: Ticket, comment: Comment) -> None:
    """To the assignee when the requester writes on the ticket."""
    if ticket.assignee is None:
        return
    enqueue(
        "requester_reply",
        ticket.assignee.email,
        _subject(ticket, "Nueva respuesta de la persona solicitante"),
        "requester_reply",
        ticket,
        comment=comment,
    )


def access_code_reissued(ticket: Ticket, access_code: str) -> None:
    """To the e-mail on file: a new access code (the old one no longer works)."""
    enqueue(
        "access_code",
        ticket.contact_email,
        _subject(ticket, "Nuevo código de acceso"),
        "access_code",
        ticket,
        access_code=access_code,
    )
