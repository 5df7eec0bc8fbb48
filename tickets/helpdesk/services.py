"""Ticket operations shared by the web UI, the JSON API, the CLI, imports and scheduled jobs.

Each public function checks permissions, validates, writes its audit events and commits once.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from tickets.accounts.models import User
from tickets.core.calendar import end_of_working_days
from tickets.core.db import utcnow
from tickets.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from tickets.core.session import commit
from tickets.core.timeutil import long_datetime, report_month, to_mx
from tickets.extensions import db
from tickets.helpdesk import access_codes, attachments, folios, permissions, workflow
from tickets.helpdesk.models import AuditEvent, Comment, Status, Ticket
from tickets.helpdesk.search import build_search_text
from tickets.helpdesk.validation import TicketData, validate
from tickets.helpdesk.workflow import STATUS_LABELS
from tickets.notifications import services as notify
from tickets.sla import clock
from tickets.sla import services as sla

EDITABLE_FIELDS = (
    "requester_type",
    "organization_id",
    "contact_name",
    "contact_email",
    "contact_phone",
    "state_id",
    "district_id",
    "office_id",
    "process_id",
    "system_id",
    "category_id",
    "channel",
    "priority",
    "subject",
    "description",
)

# A change to any of these moves the ticket's SLA due times (DESIGN.md, SLA).
SLA_FIELDS = frozenset({"priority", "state_id"})


def open_ticket(actor: User, data: TicketData, *, files=(), now: datetime | None = None):
    """Log a new ticket with its files; return it with its access code (never stored in clear).

    :raises NotAllowed: a requester opening a ticket for another organisation.
    :raises ValidationFailed: a field breaks a rule (per-field Spanish messages), or a file is
        refused; either way nothing is written.
    """
    now = now or utcnow()
    data = data.cleaned()
    if data.organization_id is not None and not permissions.can_open_ticket(
        actor, data.organization_id
    ):
        raise NotAllowed("Solo puede abrir solicitudes de su propia organización.")
    rows = validate(data, now)
    received_at = data.received_at or now
    code = access_codes.generate()
    ticket = build_ticket(data, rows, received_at=received_at, actor=actor, now=now)
    ticket.folio = folios.allocate(to_mx(received_at).year)[0]
    ticket.access_code_hash = access_codes.digest(code)
    sla.apply(ticket, now)
    refresh_search_text(ticket)
    db.session.add(ticket)
    _audit(ticket, actor, "created", None, ticket.folio, now)
    for attachment in _store_files(actor, ticket, files, now=now):
        _audit(ticket, actor, "attachment", None, attachment.filename, now)
    notify.ticket_opened(ticket, code)
    commit()
    return ticket, code


def build_ticket(data: TicketData, rows, *, received_at: datetime, actor: User, now: datetime):
    """A Ticket from validated data; the caller gives it a folio and adds it to the session."""
    values = {k: v for k, v in asdict(data).items() if k in EDITABLE_FIELDS}
    if rows.organization.kind.value == "junta" and values["office_id"] is None:
        values["office_id"] = rows.organization.id
    if rows.organization.district_id and values["district_id"] is None:
        values["district_id"] = rows.organization.district_id
    ticket = Ticket(
        **values,
        status=Status.NEW,
        received_at=received_at,
        report_month=report_month(received_at),
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    ticket.organization = rows.organization
    return ticket


def refresh_search_text(ticket: Ticket) -> None:
    """Keep the searchable text in step with what a person would search by."""
    from tickets.catalogs.models import Organization

    org = ticket.organization or db.session.get(Organization, ticket.organization_id)
    ticket.search_text = build_search_text(
        ticket.folio,
        ticket.subject,
        ticket.description,
        ticket.contact_name,
        ticket.contact_email,
        org.name if org else None,
        org.acronym if org else None,
    )


def update(
    actor: User,
    ticket: Ticket,
    data: TicketData,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Reclassify or correct a ticket; one audit event per changed field.

    :raises NotAllowed: the actor is not staff.
    :raises Conflict: someone changed the ticket since the caller read ``expected_version``.
    :raises ValidationFailed: a field breaks a rule.
    """
    now = now or utcnow()
    if not permissions.can_edit_ticket(actor, ticket):
        raise NotAllowed("No puede modificar este ticket.")
    _check_version(ticket, expected_version)
    data = data.cleaned()
    validate(data, now, allow_inactive_ids=_current_catalog_ids(ticket))
    new_values = asdict(data)
    changed = set()
    for name in EDITABLE_FIELDS:
        old, new = getattr(ticket, name), new_values[name]
        if old != new:
            setattr(ticket, name, new)
            _audit(ticket, actor, name, _text(old), _text(new), now)
            changed.add(name)
    if changed:
        if changed & SLA_FIELDS:
            sla.apply(ticket, now)
        db.session.flush()
        db.session.refresh(ticket, ["organization"])
        refresh_search_text(ticket)
        ticket.updated_at = now
        commit()
    return ticket


def assign(
    actor: User,
    ticket: Ticket,
    assignee: User | None,
    *,
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Give the ticket to a staff member; a new ticket becomes 'assigned'.

    :raises NotAllowed: an operator reassigning someone else's ticket.
    :raises ValidationFailed: the assignee is not active staff, or the ticket is finished.
    :raises Conflict: stale ``expected_version``.
    """
    now = now or utcnow()
    if not permissions.can_assign(actor, ticket, assignee):
        raise NotAllowed("Solo supervisión puede reasignar un ticket que ya tiene responsable.")
    _check_version(ticket, expected_version)
    if ticket.status in workflow.FINISHED_STATUSES:
        raise ValidationFailed({"assignee_id": "Un ticket cerrado o cancelado no se reasigna."})
    if assignee is not None and not (assignee.is_staff and assignee.is_active):
        raise ValidationFailed({"assignee_id": "Solo se asigna a personal activo de la mesa."})
    if assignee is None and ticket.status is not Status.NEW:
        raise ValidationFailed({"assignee_id": "Un ticket en atención necesita responsable."})
    if ticket.assignee_id == (assignee.id if assignee else None):
        return ticket
    _audit(ticket, actor, "assignee", _user_text(ticket.assignee), _user_text(assignee), now)
    ticket.assignee = assignee
    if ticket.status is Status.NEW and assignee is not None:
        _set_status(ticket, actor, Status.ASSIGNED, now)
    ticket.updated_at = now
    commit()
    return ticket


def transition(
    actor: User,
    ticket: Ticket,
    to: Status,
    *,
    reason: str = "",
    expected_version: int | None = None,
    now: datetime | None = None,
) -> Ticket:
    """Move ``ticket`` to status ``to``, stamping the lifecycle time the move implies.

    Reopening a resolved ticket (resolved → in progress) needs a ``reason`` from a requester,
    within REOPEN_WORKING_DAYS working days of the resolution; the reason is kept as a public
    comment. The requester hears of waiting, resolved and reopened tickets by e-mail.

    :raises NotAllowed: ``actor`` may not make this move on this ticket.
    :raises InvalidTransition: the workflow table forbids ``ticket.status -> to``.
    :raises ValidationFailed: the move needs an assignee, or a reopen lacks its reason or is late.
    :raises Conflict: stale ``expected_version``.
    """
    now = now or utcnow()
    if not permissions.can_transition(actor, ticket, to):
        raise NotAllowed("No puede cambiar el estado de este ticket.")
    if not workflow.is_allowed(ticket.status, to):
        raise InvalidTransition(
            f"Un ticket «{STATUS_LABELS[ticket.status]}» no puede pasar a «{STATUS_LABELS[to]}»."
        )
    _check_version(ticket, expected_version)
    reopening = ticket.status is Status.RESOLVED and to is Status.IN_PROGRESS
    if reopening:
        reason = _check_reopen(actor, ticket, reason, now)
    _ensure_assignee(actor, ticket, to, now)
    _set_status(ticket, actor, to, now)
    if reopening:
        _record_reopen(actor, ticket, reason, now)
    else:
        notify.status_changed(ticket)
    ticket.updated_at = now
    commit()
    return ticket


REOPEN_WORKING_DAYS = 5


def reopen_deadline(ticket: Ticket) -> datetime | None:
    """Until when a requester may reopen a resolved ticket."""
    if ticket.resolved_at is None:
        return None
    return end_of_working_days(ticket.resolved_at, REOPEN_WORKING_DAYS)


def _check_reopen(actor: User, ticket: Ticket, reason: str, now: datetime) -> str:
    reason = (reason or "").strip()
    if actor.is_staff:
        return reason
    if not reason:
        raise ValidationFailed({"reason": "Explique por qué la solución no resolvió su solicitud."})
    deadline = reopen_deadline(ticket)
    if deadline is not None and now >= deadline:
        raise ValidationFailed(
            {
                "reason": "El plazo para reabrir venció el "
                f"{long_datetime(deadline)}. Abra una solicitud nueva y mencione el folio "
                f"{ticket.folio}."
            }
        )
    return reason


def _record_reopen(actor: User, ticket: Ticket, reason: str, now: datetime) -> None:
    if reason:
        db.session.add(
            Comment(ticket=ticket, author=actor, body=f"Reapertura: {reason}", created_at=now)
        )
    notify.reopened(ticket, reason)


def _ensure_assignee(actor: User, ticket: Ticket, to: Status, now: datetime) -> None:
    if to is Status.ASSIGNED and ticket.assignee_id is None:
        raise ValidationFailed({"assignee_id": "Elija a quién asignar el ticket."})
    if to is Status.IN_PROGRESS and ticket.assignee_id is None:
        if not actor.is_staff:
            raise ValidationFailed({"assignee_id": "El ticket no tiene responsable."})
        _audit(ticket, actor, "assignee", None, _user_text(actor), now)
        ticket.assignee = actor


def _set_status(ticket: Ticket, actor: User, to: Status, now: datetime) -> None:
    old = ticket.status
    if actor.is_staff and to in (Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED):
        _mark_first_response(ticket, now)
    _audit(ticket, actor, "status", old.value, to.value, now)
    ticket.status = to
    if to is Status.RESOLVED:
        ticket.resolved_at = now
        sla.record_resolution(ticket, now)
    elif to is Status.CLOSED:
        ticket.closed_at = now
    elif to is Status.CANCELLED:
        ticket.cancelled_at = now
    elif to is Status.IN_PROGRESS and old is Status.RESOLVED:
        ticket.resolved_at = None  # reopened: the last resolution no longer stands
        ticket.resolution_met = None
    if (old in clock.STOPPED) != (to in clock.STOPPED):
        sla.apply(ticket, now)  # the clock stops or resumes


def add_comment(
    actor: User,
    ticket: Ticket,
    body: str,
    *,
    internal: bool = False,
    files=(),
    now: datetime | None = None,
) -> Comment:
    """Add a public reply or an internal note, with its files, in one transaction.

    :raises NotAllowed: a requester writing an internal note, or on a ticket they cannot see.
    :raises ValidationFailed: empty text, or a file over the limits.
    """
    now = now or utcnow()
    if not permissions.can_comment(actor, ticket, internal):
        raise NotAllowed("No puede comentar en este ticket.")
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"body": "Escriba el comentario."})
    if len(body) > 20000:
        raise ValidationFailed({"body": "El comentario admite hasta 20,000 caracteres."})
    comment = Comment(ticket=ticket, author=actor, body=body, is_internal=internal, created_at=now)
    db.session.add(comment)
    _store_files(actor, ticket, files, internal=internal, comment=comment, now=now)
    _audit(ticket, actor, "internal_note" if internal else "comment", None, None, now)
    if not internal and actor.is_staff:
        _mark_first_response(ticket, now)
        notify.public_reply(ticket, comment)
    elif not internal:
        _requester_wrote(actor, ticket, comment, now)
    ticket.updated_at = now
    commit()
    return comment


def _requester_wrote(actor: User, ticket: Ticket, comment: Comment, now: datetime) -> None:
    """The requester's answer resumes a ticket that was waiting on them, and tells the assignee."""
    if ticket.status is Status.WAITING:
        _set_status(ticket, actor, Status.IN_PROGRESS, now)
    notify.requester_replied(ticket, comment)


def reissue_access_code(ticket: Ticket, email: str, *, now: datetime | None = None) -> bool:
    """Send a new access code to the e-mail on file when ``email`` is that address.

    The old code stops working. Returns whether a code was sent; callers show the same answer
    either way, so nobody learns which e-mail a ticket has.
    """
    now = now or utcnow()
    on_file = (ticket.contact_email or "").strip().casefold()
    if not on_file or on_file != (email or "").strip().casefold():
        return False
    code = access_codes.generate()
    ticket.access_code_hash = access_codes.digest(code)
    from tickets.accounts.services import system_user

    _audit(ticket, system_user(), "access_code", None, "reemitido", now)
    notify.access_code_reissued(ticket, code)
    commit()
    return True


def attach(actor: User, ticket: Ticket, upload, *, internal: bool = False, now=None):
    """Attach one file to a ticket.

    :raises NotAllowed: the actor cannot see the ticket, or a requester marks it internal.
    :raises ValidationFailed: empty, too large, or a type that is not allowed.
    """
    now = now or utcnow()
    if not permissions.can_comment(actor, ticket, internal):
        raise NotAllowed("No puede adjuntar archivos a este ticket.")
    attachment = attachments.store(actor, ticket, upload, internal=internal, now=now)
    _audit(ticket, actor, "attachment", None, attachment.filename, now)
    ticket.updated_at = now
    commit()
    return attachment


def _store_files(actor, ticket, files, *, now, internal=False, comment=None) -> list:
    """Store every upload in the caller's unit of work; a refused file undoes the whole call."""
    try:
        return [
            attachments.store(actor, ticket, upload, internal=internal, comment=comment, now=now)
            for upload in files
        ]
    except ValidationFailed:
        db.session.rollback()  # the pending ticket/comment and folio must not reach a later commit
        raise


def _mark_first_response(ticket: Ticket, now: datetime) -> None:
    if ticket.first_response_at is None:
        ticket.first_response_at = now
        sla.record_first_response(ticket, now)


def _check_version(ticket: Ticket, expected_version: int | None) -> None:
    if expected_version is not None and expected_version != ticket.version:
        raise Conflict(
            f"El ticket {ticket.folio} fue modificado por otra persona mientras usted lo veía; "
            "sus cambios no se guardaron. Recargue la página para ver la versión actual."
        )


def _current_catalog_ids(ticket: Ticket) -> frozenset:
    return frozenset(
        {
            ("organizations", ticket.organization_id),
            ("organizations", ticket.office_id),
            ("states", ticket.state_id),
            ("districts", ticket.district_id),
            ("electoral_processes", ticket.process_id),
            ("systems", ticket.system_id),
            ("categories", ticket.category_id),
        }
    )


def _audit(ticket, actor, field, old, new, now) -> None:
    db.session.add(AuditEvent(ticket=ticket, actor=actor, field=field, old=old, new=new, at=now))


def _text(value) -> str | None:
    if value is None:
        return None
    return value.value if hasattr(value, "value") else str(value)


def _user_text(user: User | None) -> str | None:
    return user.name if user else None
