"""Read side: the one query that scopes tickets for a user, the queue, the timeline."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import abort

from tickets.accounts.models import STAFF_ROLES, User
from tickets.catalogs.models import ElectoralProcess, Organization, RequesterType, State, System
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


# Every ticket has these three and every ticket page shows them: loaded with the ticket, not by
# three more round trips. The optional ones (state, district, office, process) and the people
# (already in the session on the staff page) still load on first use. Joining them all made the
# page 3-5 ms slower on PostgreSQL, which plans a ten-table join anew on every request (psycopg
# drops its prepared statements at the ROLLBACK that ends each request).
TICKET_PAGE_RELATIONS = (Ticket.organization, Ticket.system, Ticket.category)


def visible_ticket_or_404(actor: User, folio: str) -> Ticket:
    """The ticket with this folio if the actor may see it; 404 otherwise (never 403: no leak)."""
    if "\x00" in folio:  # no folio has one, and PostgreSQL refuses NUL in a query parameter
        abort(404)
    query = visible_tickets(actor).where(Ticket.folio == folio.upper())
    ticket = db.session.scalar(query.options(*_ticket_page_options()))
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


# What a list of tickets shows (the staff queue, the requesters' list). The rest (description,
# search text, a dozen dates) is most of a row, and a list never reads it; were something to
# read it, it would still load, one query per ticket.
LIST_COLUMNS = (
    Ticket.folio,
    Ticket.status,
    Ticket.priority,
    Ticket.received_at,
    Ticket.subject,
    Ticket.contact_name,
    Ticket.requester_type,
    Ticket.organization_id,
    Ticket.state_id,
    Ticket.system_id,
    Ticket.assignee_id,
    Ticket.version,
)
LIST_RELATIONS = (Ticket.state, Ticket.system, Ticket.organization, Ticket.assignee)


def queue(actor: User, filters: QueueFilters, page: int = 1, per_page: int = 50) -> QueuePage:
    """The filtered, sorted queue page the actor may see, with what a list shows loaded."""
    query = _queue_page(visible_tickets(actor), actor, filters, page, per_page)
    rows = list(db.session.scalars(query.options(*_list_options())))
    return QueuePage(tickets=rows[:per_page], page=max(page, 1), has_next=len(rows) > per_page)


# The staff queue's rows: what its table shows, as plain rows (attribute access, like a
# ticket). Building 51 Ticket objects and their four relations was a quarter of the page's
# time, and a list row never writes. Add a column here to show it in the queue.
Assignee = sa.orm.aliased(User, name="assignee")
QUEUE_ROW_COLUMNS = (
    Ticket.folio,
    Ticket.status,
    Ticket.priority,
    Ticket.received_at,
    Ticket.subject,
    Ticket.contact_name,
    State.display_name.label("state_name"),
    Organization.name.label("organization_name"),
    System.name.label("system_name"),
    Assignee.name.label("assignee_name"),
    # What the "Plazo" cell needs (tickets.sla.display.sla_state).
    Ticket.state_id,
    Ticket.first_response_at,
    Ticket.first_response_due_at,
    Ticket.first_response_risk_at,
    Ticket.resolution_due_at,
    Ticket.resolution_risk_at,
)


def queue_rows(actor: User, filters: QueueFilters, page: int = 1, per_page: int = 50) -> QueuePage:
    """The same page as `queue`, same scope, filters and order, as rows of QUEUE_ROW_COLUMNS."""
    query = (
        _queue_page(visible_tickets(actor), actor, filters, page, per_page)
        .with_only_columns(*QUEUE_ROW_COLUMNS, maintain_column_froms=False)
        .select_from(Ticket)
        .join(Organization, Ticket.organization_id == Organization.id)
        .join(System, Ticket.system_id == System.id)
        .outerjoin(State, Ticket.state_id == State.id)
        .outerjoin(Assignee, Ticket.assignee_id == Assignee.id)
    )
    rows = db.session.execute(query).all()
    return QueuePage(tickets=rows[:per_page], page=max(page, 1), has_next=len(rows) > per_page)


def _queue_page(query: sa.Select, actor: User, f: QueueFilters, page: int, per_page: int):
    """Filters, order and the page's window (one row more than a page: is there a next one?)."""
    query = apply_filters(query, actor, f).order_by(*SORTS.get(f.sort, SORTS["recent"]))
    return query.limit(per_page + 1).offset((max(page, 1) - 1) * per_page)


# Loader options are immutable: built on first use, then shared by every request.
@functools.cache
def _list_options() -> tuple:
    return (sa.orm.load_only(*LIST_COLUMNS), *(sa.orm.joinedload(r) for r in LIST_RELATIONS))


@functools.cache
def _ticket_page_options() -> tuple:
    return tuple(sa.orm.joinedload(r) for r in TICKET_PAGE_RELATIONS)


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
    # Plain selects rather than the write-only relationships' .select(), which copies the
    # relationship's criteria on every call: the same statements, cheaper to build.
    comments = db.session.scalars(
        sa.select(Comment)
        .where(
            Comment.ticket_id == ticket.id, sa.true() if staff else Comment.is_internal.is_(False)
        )
        .order_by(Comment.id)
        .options(sa.orm.joinedload(Comment.author))
    ).all()
    files = db.session.scalars(
        sa.select(Attachment)
        .where(
            Attachment.ticket_id == ticket.id,
            sa.true() if staff else Attachment.is_internal.is_(False),
        )
        .order_by(Attachment.id)
    ).all()
    events = db.session.scalars(
        sa.select(AuditEvent)
        .where(
            AuditEvent.ticket_id == ticket.id,
            AuditEvent.field.in_(["status", "assignee", "created", "priority"]),
        )
        .order_by(AuditEvent.id)
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


def queue_filter_catalogs() -> tuple[tuple, ...]:
    """Everything the queue's filter bar offers, in one round trip and in display order.

    Rows of (section, id, label, extra): active states by key, every process newest first (label
    its key, extra its name), active systems by name, active staff by name. About a hundred small
    tuples: cheap to compare, so a form can reuse the choices it built from equal rows.
    """
    return tuple(tuple(row) for row in db.session.execute(_filter_catalogs_statement()))


@functools.cache
def _filter_catalogs_statement() -> sa.Select:
    """Built once: the statement never changes, and building it took as long as running it."""

    def section(name: str, model, label, extra, where, order_by) -> sa.Select:
        return sa.select(
            sa.literal_column(f"'{name}'").label("section"),
            model.id.label("id"),
            label.label("label"),
            extra.label("extra"),
            sa.func.row_number().over(order_by=order_by).label("position"),
        ).where(*where)

    no_extra = sa.cast(sa.null(), sa.String(200))
    staff = [User.role.in_(STAFF_ROLES), User.is_enabled.is_(True), User.is_system.is_(False)]
    by_start = (ElectoralProcess.starts_on.desc(), ElectoralProcess.id)
    process_label, process_name = ElectoralProcess.key, ElectoralProcess.name
    sections = sa.union_all(
        section("1state", State, State.display_name, no_extra, [State.is_active], State.key),
        section("2process", ElectoralProcess, process_label, process_name, [], by_start),
        section("3system", System, System.name, no_extra, [System.is_active], System.name),
        section("4staff", User, User.name, no_extra, staff, User.name),
    ).subquery()
    columns = (sections.c.section, sections.c.id, sections.c.label, sections.c.extra)
    return sa.select(*columns).order_by(sections.c.section, sections.c.position)


def staff_users() -> list[User]:
    """Active staff, for the assignee choices."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role.in_(STAFF_ROLES), User.is_enabled.is_(True), User.is_system.is_(False))
            .order_by(User.name)
        )
    )
