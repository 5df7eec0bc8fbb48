"""Read side: the one query that scopes tickets for a user, the queue, the timeline."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from flask import abort

from tickets.accounts.models import STAFF_ROLES, User
from tickets.catalogs.models import (
    Category,
    District,
    ElectoralProcess,
    Organization,
    RequesterType,
    State,
    System,
)
from tickets.catalogs.revision import current_token, kept_while_unchanged
from tickets.core.timeutil import MX_TZ
from tickets.extensions import db
from tickets.helpdesk import search
from tickets.helpdesk.models import Attachment, AuditEvent, Comment, Priority, Status, Ticket
from tickets.helpdesk.workflow import OPEN_STATUSES


def visible_tickets(actor: User) -> sa.Select:
    """Every list, count and export starts here: requesters only ever see their organisation."""
    scope, params = _scope(actor)
    query = _visible(scope)
    return query.params(params) if params else query


def _scope(actor: User) -> tuple[str, dict]:
    """Which tickets the actor may see, as a name and the statement's parameters: staff every
    ticket, a requester their organisation's, a requester without one none."""
    if actor.is_staff:
        return "all", {}
    if actor.organization_id is None:
        return "nobody", {}
    return "organization", {"organization_id": actor.organization_id}


def _visible(scope: str) -> sa.Select:
    """The tickets of a scope; a requester's organisation is the `organization_id` parameter,
    so a statement built from this never holds one requester's organisation."""
    query = sa.select(Ticket)
    if scope == "all":
        return query
    if scope == "nobody":
        return query.where(sa.false())
    return query.where(Ticket.organization_id == sa.bindparam("organization_id"))


# Every ticket has these three and every page that loads a Ticket with visible_ticket_or_404
# shows them: loaded with the ticket, not by three more round trips. The optional ones (state,
# district, office, process) and the people still load on first use. Joining them all made the
# page 3-5 ms slower on PostgreSQL, which plans such a join anew on every request (the staff
# ticket page reads its names as scalar subqueries instead: ticket_page_or_404).
TICKET_PAGE_RELATIONS = (Ticket.organization, Ticket.system, Ticket.category)


def visible_ticket_or_404(actor: User, folio: str) -> Ticket:
    """The ticket with this folio if the actor may see it; 404 otherwise (never 403: no leak)."""
    ticket = db.session.scalar(_visible_by_folio(actor, folio).options(*_ticket_page_options()))
    if ticket is None:
        abort(404)
    return ticket


def _visible_by_folio(actor: User, folio: str) -> sa.Select:
    if "\x00" in folio:  # no folio has one, and PostgreSQL refuses NUL in a query parameter
        abort(404)
    return visible_tickets(actor).where(Ticket.folio == folio.upper())


@dataclass(frozen=True)
class TicketNames:
    """What the staff ticket page shows of the ticket's catalog entries and people."""

    organization: str
    system: str
    category: str
    created_by: str
    state: str | None
    district: str | None
    office: str | None
    process: str | None
    assignee: str | None


def ticket_page_or_404(actor: User, folio: str) -> tuple[Ticket, TicketNames]:
    """visible_ticket_or_404 for the staff ticket page, with the names the page shows read in
    the same statement, one scalar subquery each. Loading the relations instead cost a lazy
    load per optional one (state, district, office, process, people: a round trip each on
    PostgreSQL), and joining them all made PostgreSQL plan an eight-table join on every
    request (3-10 ms; three more joins cost about 0.5 ms, the subqueries about 0.2 ms)."""
    query = _visible_by_folio(actor, folio).add_columns(*_ticket_name_columns())
    row = db.session.execute(query).one_or_none()
    if row is None:
        abort(404)
    return row[0], _ticket_names(row)


def ticket_names(ticket: Ticket) -> TicketNames:
    """The same names for a ticket already loaded (its page shown again with a refused form)."""
    query = sa.select(Ticket.id, *_ticket_name_columns()).where(Ticket.id == ticket.id)
    return _ticket_names(db.session.execute(query).one())


@functools.cache
def _ticket_name_columns() -> tuple:
    def named(column, key, foreign_key, label: str):
        return sa.select(column).where(key == foreign_key).scalar_subquery().label(label)

    people = ((Ticket.created_by_id, "created_by"), (Ticket.assignee_id, "assignee"))
    return (
        named(Organization.name, Organization.id, Ticket.organization_id, "organization"),
        named(System.name, System.id, Ticket.system_id, "system"),
        named(Category.name, Category.id, Ticket.category_id, "category"),
        named(State.display_name, State.id, Ticket.state_id, "state"),
        named(District.number, District.id, Ticket.district_id, "district_number"),
        named(District.head_town, District.id, Ticket.district_id, "district_town"),
        named(Organization.name, Organization.id, Ticket.office_id, "office"),
        named(ElectoralProcess.key, ElectoralProcess.id, Ticket.process_id, "process_key"),
        named(ElectoralProcess.name, ElectoralProcess.id, Ticket.process_id, "process_name"),
        *(named(User.name, User.id, key, label) for key, label in people),
    )


def _ticket_names(row) -> TicketNames:
    """District and process read as their models write them (a transient object's str())."""
    m = row._mapping
    district = process = None
    if m["district_number"] is not None:
        district = str(District(number=m["district_number"], head_town=m["district_town"]))
    if m["process_key"] is not None:
        process = str(ElectoralProcess(key=m["process_key"], name=m["process_name"]))
    names = ("organization", "system", "category", "created_by", "state", "office", "assignee")
    return TicketNames(district=district, process=process, **{n: m[n] for n in names})


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


@dataclass(frozen=True)
class QueueFilters:
    """What the queue's filter bar sends; empty values mean 'any'. Frozen: the staff queue
    keeps one per query string (helpdesk.views._filter_bar) and every request reads it."""

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
    shape, params = _queue_plan(actor, filters, page, per_page)
    rows = list(db.session.scalars(_queue_statement(shape, as_rows=False), params))
    return QueuePage(tickets=rows[:per_page], page=max(page, 1), has_next=len(rows) > per_page)


def _while_open(column):
    """An SLA time, for a ticket that still owes one (`sla_state` reads none of a finished
    ticket's). Most tickets a search finds are closed, and turning their five stored times
    into datetimes was a tenth of the search page's time on SQLite."""
    return sa.case((_STILL_OPEN, column)).label(column.key)


# Written into the statement (our own constants): five expanding parameters cost more to send.
_STILL_OPEN = Ticket.status.in_([sa.literal_column(f"'{s.value}'") for s in sorted(OPEN_STATUSES)])


# The staff queue's rows: what its table shows, as plain rows (attribute access, like a
# ticket). Building 51 Ticket objects and their four relations was a quarter of the page's
# time, and a list row never writes. To show another column, add it here and to QueueRow.
# The names the row shows (state, organisation, system, assignee) are not read with it: they
# come from `list_names`, kept per worker while the catalogs and the people are unchanged.
# Joining their four tables made PostgreSQL plan a five-table join on every request (longer
# than running it); four scalar subqueries ran four lookups per row. At 1M tickets, in progress
# in Guerrero: the statement took 2.0 ms in the request with joins (planning 1.2 ms), 1.35 ms
# with subqueries, 0.5 ms now (planning 0.13, running 0.14); the search `computo` 4.7, 2.2 and
# 0.65 ms. PostgreSQL's CPU per queue page halved (docs/performance.md, fifth round).
QUEUE_ROW_COLUMNS = (
    Ticket.folio,
    Ticket.status,
    Ticket.priority,
    Ticket.received_at,
    Ticket.subject,
    Ticket.contact_name,
    Ticket.organization_id,
    Ticket.system_id,
    Ticket.assignee_id,
    # What the "Plazo" cell needs (tickets.sla.display.sla_state).
    Ticket.state_id,
    *(
        _while_open(column)
        for column in (
            Ticket.first_response_at,
            Ticket.first_response_due_at,
            Ticket.first_response_risk_at,
            Ticket.resolution_due_at,
            Ticket.resolution_risk_at,
        )
    ),
)


class QueueRow(NamedTuple):
    """One row of the staff queue: hashable, so its HTML can be kept (views._table_rows)."""

    folio: str
    status: Status
    priority: Priority
    received_at: datetime
    subject: str
    contact_name: str
    state_name: str | None
    organization_name: str
    system_name: str
    assignee_name: str | None
    state_id: int | None
    first_response_at: datetime | None
    first_response_due_at: datetime | None
    first_response_risk_at: datetime | None
    resolution_due_at: datetime | None
    resolution_risk_at: datetime | None


def queue_rows(actor: User, filters: QueueFilters, page: int = 1, per_page: int = 50) -> QueuePage:
    """The same page as `queue`, same scope, filters and order, as QueueRows.

    Run on the session's connection: plain rows need none of the ORM's result handling (a
    fifth of this function's time). A GET has nothing to flush first."""
    shape, params = _queue_plan(actor, filters, page, per_page)
    statement = _queue_statement(shape, as_rows=True)
    rows = db.session.connection().execute(statement, params).all()
    tickets = _named_rows(rows[:per_page], list_names())
    return QueuePage(tickets=tickets, page=max(page, 1), has_next=len(rows) > per_page)


def _named_rows(rows, names: ListNames) -> list[QueueRow]:
    """The rows with their names (dict lookups in a loop: this runs for every row of every
    queue page)."""
    states, organizations, systems, people = names.by_kind
    look_up = names.look_up
    named = []
    for row in rows:
        org_id, system_id, assignee_id, state_id = row[6:10]
        state = None if state_id is None else states.get(state_id) or look_up(State, state_id)
        person = None if assignee_id is None else people.get(assignee_id)
        named.append(
            QueueRow(
                *row[:6],
                state,
                organizations.get(org_id) or look_up(Organization, org_id),
                systems.get(system_id) or look_up(System, system_id),
                person if person or assignee_id is None else look_up(User, assignee_id),
                *row[9:],
            )
        )
    return named


class QueueShape(NamedTuple):
    """What a queue statement looks like, without any value in it: the key it is kept by."""

    dialect: str
    scope: str  # _scope's name
    filters: tuple[str, ...]  # the filters with a value (FILTER_CONDITIONS' keys), in its order
    sort: str
    search: str  # "", "folio", "walk_newest", "walk_oldest", "ids", "ids_index_leads", "postgresql"


def _queue_plan(actor: User, f: QueueFilters, page: int, per_page: int) -> tuple[QueueShape, dict]:
    """The shape of the actor's queue statement and every value it runs with: the page's window
    (one row more than a page: is there a next one?), the scope's, the filters', the search's."""
    scope, params = _scope(actor)
    values = _filter_values(actor, f)
    unfiltered = scope == "all" and not values
    search_mode, search_params = _search_plan(f, unfiltered)
    params.update(values)
    params.update(search_params)
    params.update(row_limit=per_page + 1, row_offset=(max(page, 1) - 1) * per_page)
    sort = f.sort if f.sort in SORTS else "recent"
    return QueueShape(_dialect(), scope, tuple(values), sort, search_mode), params


@functools.lru_cache(maxsize=1024)
def _queue_statement(shape: QueueShape, *, as_rows: bool) -> sa.Select:
    """Built once per shape: building the statement and its cache key was half of queue_rows'
    time (with the ORM's result handling, 2.5-3.5 ms of CPU a page; now 0.6-0.8 ms). Every
    value is a parameter (`_queue_plan`'s), never part of the kept statement."""
    query = _visible(shape.scope).where(*(FILTER_CONDITIONS[name]() for name in shape.filters))
    query = _searched_and_sorted(query, shape)
    query = query.limit(sa.bindparam("row_limit", type_=sa.Integer))
    query = query.offset(sa.bindparam("row_offset", type_=sa.Integer))
    if not as_rows:
        return query.options(*_list_options())
    return query.with_only_columns(*QUEUE_ROW_COLUMNS, maintain_column_froms=False).select_from(
        Ticket
    )


# The sorts whose order SQLite's search index (`search_key`) follows.
SEARCH_INDEX_ORDER = {"recent": True, "oldest": False}  # sort -> newest first


def _search_plan(f: QueueFilters, unfiltered: bool) -> tuple[str, dict]:
    """How the search words, if any, are looked for, and the value they are looked for with.

    On SQLite a search with no other filter (a staff member's search box) is read from the
    search index in reception order, so its first page costs the same for 10 matches or
    100,000. With a filter, most matches read that way may be thrown away (at 1M tickets,
    `computo` in one state's tickets in progress: 125-175 ms against 22-38 ms), so the
    filter's index leads and each row is checked against the matches. Sorted by priority or
    last update with no filter, no index follows the order: the matches are read by id.
    """
    text = f.q.strip()
    if not text:
        return "", {}
    if search.is_folio(text):
        return "folio", {"folio": text.upper()}
    words = search.search_words(text)
    if not words:
        return "", {}  # every ticket matches: the plain queue
    params = {search.SEARCH_PARAMETER: search.match_value(db.session, words)}
    if _dialect() == "postgresql":
        return "postgresql", params
    if unfiltered and f.sort in SEARCH_INDEX_ORDER:
        return ("walk_newest" if SEARCH_INDEX_ORDER[f.sort] else "walk_oldest"), params
    index_may_lead = not unfiltered or f.sort in SEARCH_INDEX_ORDER
    fts_query = params[search.SEARCH_PARAMETER]
    if index_may_lead and search.sqlite_index_should_lead(db.session, fts_query):
        return "ids_index_leads", params
    return "ids", params


def _searched_and_sorted(query: sa.Select, shape: QueueShape) -> sa.Select:
    """Add the search (`_search_plan` chose how) and the order."""
    order = SORTS[shape.sort]
    if shape.search in ("walk_newest", "walk_oldest"):
        newest_first = shape.search == "walk_newest"
        return search.sqlite_in_received_order(query, Ticket.id, newest_first=newest_first)
    if shape.search == "folio":
        query = query.where(Ticket.folio == sa.bindparam("folio"))
    elif shape.search:
        query = query.where(_search_condition(shape))
    return query.order_by(*order)


# Loader options are immutable: built on first use, then shared by every request.
@functools.cache
def _list_options() -> tuple:
    return (sa.orm.load_only(*LIST_COLUMNS), *(sa.orm.joinedload(r) for r in LIST_RELATIONS))


@functools.cache
def _ticket_page_options() -> tuple:
    return tuple(sa.orm.joinedload(r) for r in TICKET_PAGE_RELATIONS)


# One WHERE per filter that has a value, the value a parameter of the same name
# (`_filter_values`); the two flags have none.
FILTER_CONDITIONS = {
    "statuses": lambda: Ticket.status.in_(sa.bindparam("statuses", expanding=True)),
    "priority": lambda: Ticket.priority == sa.bindparam("priority"),
    "state_id": lambda: Ticket.state_id == sa.bindparam("state_id"),
    "process_id": lambda: Ticket.process_id == sa.bindparam("process_id"),
    "ordinary": lambda: Ticket.process_id.is_(None),
    "system_id": lambda: Ticket.system_id == sa.bindparam("system_id"),
    "requester_type": lambda: Ticket.requester_type == sa.bindparam("requester_type"),
    "assignee_id": lambda: Ticket.assignee_id == sa.bindparam("assignee_id"),
    "unassigned": lambda: Ticket.assignee_id.is_(None),
    "mine": lambda: Ticket.assignee_id == sa.bindparam("mine"),
    "received_from": lambda: Ticket.received_at >= sa.bindparam("received_from"),
    "received_before": lambda: Ticket.received_at < sa.bindparam("received_before"),
}


def _filter_values(actor: User, f: QueueFilters) -> dict:
    """The filters that have a value, in FILTER_CONDITIONS' order; the search words are
    `_search_plan`'s. "mine" is the actor's id; the dates are Mexico City midnights."""
    values = {
        "statuses": list(f.statuses),
        "priority": f.priority,
        "state_id": f.state_id,
        "process_id": f.process_id,
        "ordinary": f.ordinary,
        "system_id": f.system_id,
        "requester_type": f.requester_type,
        "assignee_id": f.assignee_id,
        "unassigned": f.unassigned,
        "mine": actor.id if f.mine else None,
        "received_from": _mx_midnight(f.received_from) if f.received_from else None,
        "received_before": _mx_midnight(f.received_to + timedelta(days=1))
        if f.received_to
        else None,
    }
    return {name: value for name, value in values.items() if value}


def _search_condition(shape: QueueShape):
    """Tickets matching every word, accents aside (a folio is looked up by the caller)."""
    index_leads = shape.search == "ids_index_leads"
    return search.matches(shape.dialect, Ticket.id, index_leads=index_leads)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _mx_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=MX_TZ)


# The timeline's three kinds are read as one UNION ALL of plain rows: one statement instead of
# three (on PostgreSQL each is a round trip and a plan), and no Comment, Attachment, AuditEvent
# or User objects built for a page that only shows their text. Each row has kind, id, at,
# is_internal, comment_id (a file's comment), text (a comment's body or a file's name), size,
# person (author, uploader or actor; None for an event without one), and an event's field, old
# and new.
TIMELINE_FIELDS = ("status", "assignee", "created", "priority")
PUBLIC_EVENT_FIELDS = ("status", "created")


def timeline(actor: User, ticket: Ticket) -> list[dict]:
    """Comments, internal notes (staff only), files and events, oldest first."""
    statement = _timeline_statement(actor.is_staff)
    rows = db.session.execute(statement, {"ticket_id": ticket.id}).all()
    files_by_comment: dict[int | None, list] = {}
    for row in rows:
        if row.kind == "file":
            files_by_comment.setdefault(row.comment_id, []).append(row)
    entries = [
        {"kind": "comment", "at": r.at, "item": r, "files": files_by_comment.get(r.id, [])}
        for r in rows
        if r.kind == "comment"
    ]
    entries += [{"kind": "file", "at": r.at, "item": r} for r in files_by_comment.get(None, [])]
    entries += [{"kind": "event", "at": r.at, "item": r} for r in rows if r.kind == "event"]
    return sorted(entries, key=lambda e: (e["at"], e["kind"] != "event"))


@functools.cache
def _timeline_statement(staff: bool) -> sa.CompoundSelect:
    """Requesters see neither internal notes and files nor assignment and priority events.
    Built once per audience with the ticket as a parameter: building the three selects and
    their union cost as much as SQLAlchemy's whole execution of it."""
    none = sa.null()
    ticket_id = sa.bindparam("ticket_id", type_=sa.Integer)
    comments = (
        sa.select(
            sa.literal_column("'comment'", sa.String).label("kind"),
            Comment.id.label("id"),  # a compound select's ORDER BY names an output label
            Comment.created_at.label("at"),
            Comment.is_internal.label("is_internal"),
            none.label("comment_id"),
            Comment.body.label("text"),
            none.label("size"),
            User.name.label("person"),
            *(none.label(name) for name in ("field", "old", "new")),
        )
        .join(User, User.id == Comment.author_id)
        .where(Comment.ticket_id == ticket_id)
    )
    files = (
        sa.select(
            sa.literal_column("'file'", sa.String),
            Attachment.id,
            Attachment.created_at,
            Attachment.is_internal,
            Attachment.comment_id,
            Attachment.filename,
            Attachment.size,
            User.name,
            none,
            none,
            none,
        )
        .join(User, User.id == Attachment.uploaded_by_id)
        .where(Attachment.ticket_id == ticket_id)
    )
    fields = TIMELINE_FIELDS if staff else PUBLIC_EVENT_FIELDS
    events = (
        sa.select(
            sa.literal_column("'event'", sa.String),
            AuditEvent.id,
            AuditEvent.at,
            sa.false(),
            none,
            none,
            none,
            User.name,
            AuditEvent.field,
            AuditEvent.old,
            AuditEvent.new,
        )
        .outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.ticket_id == ticket_id, AuditEvent.field.in_(fields))
    )
    if not staff:
        comments = comments.where(Comment.is_internal.is_(False))
        files = files.where(Attachment.is_internal.is_(False))
    # Each kind in id order: the order that sort keeps for entries of the same instant.
    return sa.union_all(comments, files, events).order_by(sa.literal_column("id"))


def attachment_or_404(actor: User, ticket: Ticket, attachment_id: int) -> Attachment:
    """A file of this (already visible) ticket; internal files only for staff."""
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.ticket_id != ticket.id:
        abort(404)
    if attachment.is_internal and not actor.is_staff:
        abort(404)
    return attachment


def queue_filter_catalogs() -> tuple[tuple, ...]:
    """Everything the queue's filter bar offers, in display order.

    Rows of (section, id, label, extra): active states by key, every process newest first (label
    its key, extra its name), active systems by name, active staff by name. About a hundred small
    tuples, kept per worker with the catalog token they were read with, and read again (one
    statement, with the token) only when the token the request's user came with differs: any
    change to a catalog or to a person's name, role or status replaces it (see
    tickets.catalogs.revision), so a change made through any worker shows on the next page.
    """
    return kept_while_unchanged(
        "queue_filter_catalogs",
        _filter_catalogs_statement(),
        lambda rows: tuple(tuple(row[:4]) for row in rows),
    )


class ListNames:
    """The names a list of tickets shows, by id: states, organisations, systems, staff.

    Read in one statement and kept per worker with the catalog token they were read with
    (catalogs.revision.kept_while_unchanged). An id they lack (an entry added after the
    request's token was read) is looked up on its own, never shown blank."""

    def __init__(self, rows) -> None:
        names: dict[str, dict[int, str]] = {kind: {} for kind in _NAME_SOURCES}
        for kind, id_, name, _token in rows:
            names[kind][id_] = name
        self.by_kind = tuple(names.values())  # _NAME_SOURCES' order

    def system(self, id_: int) -> str:
        return self.by_kind[2].get(id_) or self.look_up(System, id_)

    @staticmethod
    def look_up(model, id_: int) -> str:
        column = model.display_name if model is State else model.name
        return db.session.scalar(sa.select(column).where(model.id == id_))


# kind -> (name column, id column, which rows): every state, organisation and system (a
# deactivated one still names old tickets), and the staff (only staff are assigned tickets).
_NAME_SOURCES = {
    "state": (State.display_name, State.id, ()),
    "organization": (Organization.name, Organization.id, ()),
    "system": (System.name, System.id, ()),
    "person": (User.name, User.id, (User.role.in_(sorted(STAFF_ROLES)),)),
}


def list_names() -> ListNames:
    """The ListNames for this request: kept while the request's catalog token is the one they
    were read with (any change to a catalog or to a person's name, role or status replaces it)."""
    return kept_while_unchanged("list_names", _list_names_statement(), ListNames)


@functools.cache
def _list_names_statement() -> sa.CompoundSelect:
    token = current_token().label("token")
    return sa.union_all(
        *(
            sa.select(sa.literal(kind).label("kind"), key, column, token).where(*where)
            for kind, (column, key, where) in _NAME_SOURCES.items()
        )
    )


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
    token = current_token().label("token")  # read with the rows: the same snapshot
    return sa.select(*columns, token).order_by(sections.c.section, sections.c.position)


_ACTIVE_STAFF = (User.role.in_(STAFF_ROLES), User.is_enabled.is_(True), User.is_system.is_(False))


def staff_users() -> list[User]:
    """Active staff, for the assignee choices."""
    return list(db.session.scalars(sa.select(User).where(*_ACTIVE_STAFF).order_by(User.name)))


def staff_choices() -> list[tuple[int, str]]:
    """(id, name) of the active staff in staff_users' order: the ticket page's assignee select
    shows no more than that, and needs no User objects built for it."""
    query = sa.select(User.id, User.name).where(*_ACTIVE_STAFF).order_by(User.name)
    return [tuple(row) for row in db.session.execute(query)]
