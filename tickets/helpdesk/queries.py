"""Read side: the one query that scopes tickets for a user, the queue, the timeline."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import abort

from tickets.accounts.models import User
from tickets.catalogs.models import RequesterType
from tickets.core.timeutil import MX_TZ
from tickets.extensions import db
from tickets.helpdesk import search
from tickets.helpdesk.models import Attachment, AuditEvent, Comment, Priority, Status, Ticket


def visible_tickets(actor: User) -> sa.Select:
    """Every list, count and export starts here: requesters only ever see their organisation."""
    query = sa.select(Ticket)
    if actor.is_staff:
        return query
    if actor.organization_id is None:
        return query.where(sa.false())
    return query.where(Ticket.organization_id == actor.organization_id)


def visible_ticket_or_404(actor: User, folio: str) -> Ticket:
    """The ticket with this folio if the actor may see it; 404 otherwise (never 403: no leak)."""
    if "\x00" in folio:  # no folio has one, and PostgreSQL refuses NUL in a query parameter
        abort(404)
    ticket = db.session.scalar(visible_tickets(actor).where(Ticket.folio == folio.upper()))
    if ticket is None:
        abort(404)
    return ticket


SORTS = {
    "recent": (Ticket.received_at.desc(), Ticket.id.desc()),
    "oldest": (Ticket.received_at.asc(), Ticket.id.asc()),
    "priority": (
        sa.case(
            {Priority.CRITICAL.value: 0, Priority.HIGH.value: 1, Priority.MEDIUM.value: 2},
            value=Ticket.priority,
            else_=3,
        ),
        Ticket.received_at.desc(),
        Ticket.id.desc(),
    ),
    "updated": (Ticket.updated_at.desc(), Ticket.id.desc()),
}


@dataclass
class QueueFilters:
    """What the queue's filter bar sends; empty values mean 'any'."""

    statuses: list[Status] = field(default_factory=list)
    priority: Priority | None = None
    state_id: int | None = None
    process_id: int | None = None
    ordinary: bool = False  # "actividad ordinaria": tickets without a process
    system_id: int | None = None
    requester_type: RequesterType | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    mine: bool = False
    received_from: date | None = None
    received_to: date | None = None
    q: str = ""
    sort: str = "recent"


@dataclass
class QueuePage:
    """One page of the queue; ``has_next`` comes from fetching one extra row, never a count."""

    tickets: list[Ticket]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1


def queue(actor: User, filters: QueueFilters, page: int = 1, per_page: int = 50) -> QueuePage:
    """The filtered, sorted queue page the actor may see."""
    query = apply_filters(visible_tickets(actor), actor, filters)
    query = query.order_by(*SORTS.get(filters.sort, SORTS["recent"]))
    page = max(page, 1)
    rows = list(
        db.session.scalars(
            query.options(
                sa.orm.joinedload(Ticket.state),
                sa.orm.joinedload(Ticket.system),
                sa.orm.joinedload(Ticket.organization),
                sa.orm.joinedload(Ticket.assignee),
                sa.orm.joinedload(Ticket.process),
            )
            .limit(per_page + 1)
            .offset((page - 1) * per_page)
        )
    )
    return QueuePage(tickets=rows[:per_page], page=page, has_next=len(rows) > per_page)


def apply_filters(query: sa.Select, actor: User, f: QueueFilters) -> sa.Select:
    """Add one WHERE per filter that has a value."""
    conditions = [
        Ticket.status.in_(f.statuses) if f.statuses else None,
        Ticket.priority == f.priority if f.priority else None,
        Ticket.state_id == f.state_id if f.state_id else None,
        Ticket.process_id == f.process_id if f.process_id else None,
        Ticket.process_id.is_(None) if f.ordinary else None,
        Ticket.system_id == f.system_id if f.system_id else None,
        Ticket.requester_type == f.requester_type if f.requester_type else None,
        Ticket.assignee_id == f.assignee_id if f.assignee_id else None,
        Ticket.assignee_id.is_(None) if f.unassigned else None,
        Ticket.assignee_id == actor.id if f.mine else None,
        Ticket.received_at >= _mx_midnight(f.received_from) if f.received_from else None,
        Ticket.received_at < _mx_midnight(f.received_to + timedelta(days=1))
        if f.received_to
        else None,
    ]
    query = query.where(*[c for c in conditions if c is not None])
    if f.q.strip():
        query = query.where(_search_condition(f.q))
    return query


def _search_condition(q: str):
    """A folio finds its ticket; anything else is matched word by word, accents aside."""
    text = q.strip()
    if search.is_folio(text):
        return Ticket.folio == text.upper()
    return search.matches(db.session, text, Ticket.id)


def _mx_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=MX_TZ)


def timeline(actor: User, ticket: Ticket) -> list[dict]:
    """Comments, internal notes (staff only), files and events, oldest first."""
    staff = actor.is_staff
    comments = db.session.scalars(
        ticket.comments.select()
        .where(sa.true() if staff else Comment.is_internal.is_(False))
        .options(sa.orm.joinedload(Comment.author))
    ).all()
    files = db.session.scalars(
        ticket.attachments.select().where(sa.true() if staff else Attachment.is_internal.is_(False))
    ).all()
    events = db.session.scalars(
        ticket.audit_events.select()
        .where(AuditEvent.field.in_(["status", "assignee", "created", "priority"]))
        .options(sa.orm.joinedload(AuditEvent.actor))
    ).all()
    files_by_comment: dict[int | None, list[Attachment]] = {}
    for f in files:
        files_by_comment.setdefault(f.comment_id, []).append(f)
    entries = [
        {"kind": "comment", "at": c.created_at, "item": c, "files": files_by_comment.get(c.id, [])}
        for c in comments
    ]
    entries += [
        {"kind": "file", "at": f.created_at, "item": f} for f in files_by_comment.get(None, [])
    ]
    if staff:
        entries += [{"kind": "event", "at": e.at, "item": e} for e in events]
    else:
        entries += [
            {"kind": "event", "at": e.at, "item": e}
            for e in events
            if e.field in ("status", "created")
        ]
    return sorted(entries, key=lambda e: (e["at"], e["kind"] != "event"))


def attachment_or_404(actor: User, ticket: Ticket, attachment_id: int) -> Attachment:
    """A file of this (already visible) ticket; internal files only for staff."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.ticket_id != ticket.id:
        abort(404)
    if attachment.is_internal and not actor.is_staff:
        abort(404)
    return attachment


def staff_users() -> list[User]:
    """Active staff, for the assignee choices."""
    from tickets.accounts.models import STAFF_ROLES

    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role.in_(STAFF_ROLES), User.is_enabled.is_(True), User.is_system.is_(False))
            .order_by(User.name)
        )
    )
