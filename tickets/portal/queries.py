"""Read side of the portal: the folio + code lookup and the public projection of a ticket.

The public projection is what a requester, or anyone holding a folio and its code, may read:
public comments, files that are not internal, creation and status changes. Internal notes and
internal files are filtered out in SQL, and people are named by first name only, never by
e-mail address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort

from tickets.accounts.models import User
from tickets.catalogs.models import Election, ElectoralProcess
from tickets.extensions import db
from tickets.helpdesk import access_codes
from tickets.helpdesk.models import Attachment, AuditEvent, Comment, Status, Ticket
from tickets.helpdesk.workflow import STATUS_LABELS

MAX_FOLIO_LENGTH = 40  # real folios have 15 characters; anything longer matches nothing
DESK = "Mesa de ayuda"


def normalise_folio(folio: str | None) -> str:
    """What a person typed as a folio, in the form folios are stored ('tic-2021-1 ' → 'TIC-…')."""
    return "".join((folio or "").split()).upper()[:MAX_FOLIO_LENGTH]


def ticket_by_folio(folio: str | None) -> Ticket | None:
    """The ticket with this folio, whoever asks; only for the code check and the re-issue."""
    folio = normalise_folio(folio)
    if not folio or "\x00" in folio:
        return None
    return db.session.scalar(sa.select(Ticket).where(Ticket.folio == folio))


def ticket_by_code(folio: str | None, code: str | None) -> Ticket | None:
    """The ticket when folio and access code match; None for a wrong folio or a wrong code.

    The code is compared in constant time, and compared against a dummy digest when the folio
    does not exist, so both failures take the same path and about the same time.
    """
    ticket = ticket_by_folio(folio)
    matches = access_codes.verify(code or "", ticket.access_code_hash if ticket else None)
    return ticket if ticket is not None and matches else None


def processes_open_for(state_id: int | None, today: date) -> list[ElectoralProcess]:
    """Active processes in course today with an election in the state (any state when None)."""
    query = sa.select(ElectoralProcess).where(
        ElectoralProcess.is_active,
        ElectoralProcess.starts_on <= today,
        ElectoralProcess.ends_on >= today,
    )
    if state_id:
        query = query.where(
            ElectoralProcess.id.in_(
                sa.select(Election.process_id).where(Election.state_id == state_id)
            )
        )
    return list(db.session.scalars(query.order_by(ElectoralProcess.starts_on.desc())))


# --- The public projection -----------------------------------------------------------------


@dataclass(frozen=True)
class PublicFile:
    id: int
    filename: str
    size: int


@dataclass(frozen=True)
class PublicEntry:
    """One line of the public timeline: a comment, a loose file or a status event."""

    kind: str  # "comment", "file" or "event"
    at: datetime
    who: str
    text: str
    from_desk: bool = False
    files: tuple[PublicFile, ...] = ()


def public_name(user: User | None) -> str:
    """'Mesa de ayuda · Ana' for staff, 'Luis (solicitante)' for requesters; never an e-mail."""
    if user is None or user.is_system:
        return DESK
    first = (user.name or "").split()[0] if (user.name or "").split() else ""
    if "@" in first:
        first = ""
    if user.is_staff:
        return f"{DESK} · {first}" if first else DESK
    return f"{first} (solicitante)" if first else "Solicitante"


def public_timeline(ticket: Ticket) -> list[PublicEntry]:
    """Public comments with their files, loose public files and status events, oldest first."""
    comments = db.session.scalars(
        ticket.comments.select()
        .where(Comment.is_internal.is_(False))
        .options(so.joinedload(Comment.author))
    ).all()
    public_ids = {c.id for c in comments}
    files_by_comment: dict[int | None, list[Attachment]] = {}
    for f in _public_files(ticket):
        if f.comment_id is None or f.comment_id in public_ids:
            files_by_comment.setdefault(f.comment_id, []).append(f)
    entries = [_comment_entry(c, files_by_comment.get(c.id, [])) for c in comments]
    entries += [_file_entry(f) for f in files_by_comment.get(None, [])]
    entries += [_event_entry(e) for e in _public_events(ticket)]
    return sorted(entries, key=lambda e: (e.at, e.kind != "event"))


def public_attachment_or_404(ticket: Ticket, attachment_id: int) -> Attachment:
    """A file of this ticket that the public projection shows; 404 for anything else."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.ticket_id != ticket.id or attachment.is_internal:
        abort(404)
    if attachment.comment is not None and attachment.comment.is_internal:
        abort(404)
    return attachment


def _public_files(ticket: Ticket) -> list[Attachment]:
    return list(
        db.session.scalars(
            ticket.attachments.select()
            .where(Attachment.is_internal.is_(False))
            .options(so.joinedload(Attachment.uploaded_by))
        )
    )


def _public_events(ticket: Ticket) -> list[AuditEvent]:
    return list(
        db.session.scalars(
            ticket.audit_events.select()
            .where(AuditEvent.field.in_(("created", "status")))
            .options(so.joinedload(AuditEvent.actor))
        )
    )


def _files(files: list[Attachment]) -> tuple[PublicFile, ...]:
    return tuple(PublicFile(f.id, f.filename, f.size) for f in files)


def _from_desk(user: User | None) -> bool:
    return user is None or user.is_staff or user.is_system


def _comment_entry(comment: Comment, files: list[Attachment]) -> PublicEntry:
    return PublicEntry(
        kind="comment",
        at=comment.created_at,
        who=public_name(comment.author),
        text=comment.body,
        from_desk=_from_desk(comment.author),
        files=_files(files),
    )


def _file_entry(attachment: Attachment) -> PublicEntry:
    return PublicEntry(
        kind="file",
        at=attachment.created_at,
        who=public_name(attachment.uploaded_by),
        text="adjuntó un archivo.",
        from_desk=_from_desk(attachment.uploaded_by),
        files=_files([attachment]),
    )


# Moves a requester makes read better in their own words.
_MOVE_TEXTS = {
    (Status.RESOLVED.value, Status.CLOSED.value): "confirmó la solución; la solicitud quedó "
    "cerrada.",
    (Status.RESOLVED.value, Status.IN_PROGRESS.value): "reabrió la solicitud.",
}


def _event_entry(event: AuditEvent) -> PublicEntry:
    if event.field == "created":
        text = "registró la solicitud."
    else:
        text = _MOVE_TEXTS.get((event.old, event.new)) or (
            f"cambió el estado a «{_status_label(event.new)}»."
        )
    return PublicEntry(
        kind="event",
        at=event.at,
        who=public_name(event.actor),
        text=text,
        from_desk=_from_desk(event.actor),
    )


def _status_label(value: str | None) -> str:
    try:
        return STATUS_LABELS[Status(value)]
    except ValueError:
        return value or ""
