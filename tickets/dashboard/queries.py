"""One read-only query per dashboard panel.

Every open-work panel filters on the open statuses first: at a million tickets only a few
percent are open, and ``ix_tickets_open_board``, a partial index over the open tickets holding
every column the panels read, lets each panel read those entries without touching ticket rows.
Today's volume reads a range of ``ix_tickets_received_at``. Supervisors and admins see every
ticket, so the panels count the whole desk; no requester ever reaches them (views.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa

from tickets.accounts.models import User
from tickets.catalogs.models import REQUESTER_TYPE_LABELS, ElectoralProcess, State, System
from tickets.core.timeutil import MX_TZ, to_mx
from tickets.extensions import db
from tickets.helpdesk.models import Priority, Ticket
from tickets.helpdesk.workflow import PRIORITY_LABELS, STATUS_LABELS
from tickets.sla.queries import OPEN, at_risk, breached, owes_first_response

# The queue's filter values for "no process" and "no assignee" (tickets/helpdesk/forms.py).
ORDINARY = "ordinaria"
UNASSIGNED = "ninguno"
PRIORITY_ORDER = (Priority.CRITICAL, Priority.HIGH, Priority.MEDIUM, Priority.LOW)
LIST_LIMIT = 10  # rows per SLA list, legible on a wall screen; the total is always shown


@dataclass(frozen=True)
class Count:
    """One bar of a panel: the queue filter value it links to, its Spanish label, its count."""

    key: str | None
    label: str
    count: int
    detail: str = ""


@dataclass(frozen=True)
class Hour:
    """Tickets received in one hour of today (Mexico City); ``future`` hours are still to come."""

    hour: int
    count: int
    future: bool


@dataclass(frozen=True)
class Load:
    """What one person (or nobody: ``key`` UNASSIGNED) holds: open, at risk, breached."""

    key: str
    name: str
    open: int
    at_risk: int
    breached: int


@dataclass(frozen=True)
class SlaRow:
    """A ticket of the at-risk or breached list, with the target that puts it there."""

    folio: str
    subject: str
    priority: Priority
    status: object
    assignee: str | None
    target: str  # "Primera respuesta" or "Solución"
    due_at: datetime | None


@dataclass(frozen=True)
class SlaList:
    """The first tickets of a list, and how many each person holds (None: unassigned)."""

    rows: list[SlaRow]
    by_assignee: dict[int | None, int]

    @property
    def total(self) -> int:
        return sum(self.by_assignee.values())


@dataclass
class Board:
    """Every panel, read at one instant ``now``."""

    now: datetime
    today: date
    by_status: list[Count] = field(default_factory=list)
    by_priority: list[Count] = field(default_factory=list)
    by_requester_type: list[Count] = field(default_factory=list)
    by_state: list[Count] = field(default_factory=list)
    by_process: list[Count] = field(default_factory=list)
    by_system: list[Count] = field(default_factory=list)
    today_by_hour: list[Hour] = field(default_factory=list)
    at_risk: SlaList | None = None
    breached: SlaList | None = None
    workload: list[Load] = field(default_factory=list)

    @property
    def updated(self) -> str:
        """'14:32': when the board was read, on a Mexico City clock."""
        return to_mx(self.now).strftime("%H:%M")

    @property
    def open_total(self) -> int:
        return sum(c.count for c in self.by_status)

    @property
    def today_total(self) -> int:
        return sum(h.count for h in self.today_by_hour)


def is_open() -> sa.ColumnElement[bool]:
    """The open statuses written into the SQL as literals, not bound parameters: only a query
    that repeats the partial index's own condition may use it (SQLite always; PostgreSQL once it
    switches a prepared statement to a generic plan)."""
    values = sa.bindparam(None, [s.value for s in OPEN], expanding=True, literal_execute=True)
    return Ticket.status.in_(values)


def board(now: datetime) -> Board:
    """All the panels at ``now``: twelve statements, each over open tickets or today's."""
    risky, late = at_risk_tickets(now), breached_tickets(now)
    return Board(
        now=now,
        today=to_mx(now).date(),
        by_status=open_by_status(),
        by_priority=open_by_priority(),
        by_requester_type=open_by_requester_type(),
        by_state=open_by_state(),
        by_process=open_by_process(),
        by_system=open_by_system(),
        today_by_hour=today_by_hour(now),
        at_risk=risky,
        breached=late,
        workload=workload(now, risky, late),
    )


def open_by_status() -> list[Count]:
    """Every open status, in workflow order, zeros included (a zero is news on election night)."""
    counts = _open_counts(Ticket.status)
    return [Count(s.value, STATUS_LABELS[s], counts.get(s, 0)) for s in OPEN]


def open_by_priority() -> list[Count]:
    """Every priority, critical first, zeros included."""
    counts = _open_counts(Ticket.priority)
    return [Count(p.value, PRIORITY_LABELS[p], counts.get(p, 0)) for p in PRIORITY_ORDER]


def open_by_requester_type() -> list[Count]:
    """Open tickets per requester type, busiest first."""
    counts = _open_counts(Ticket.requester_type)
    rows = [Count(t.value, REQUESTER_TYPE_LABELS[t], n) for t, n in counts.items()]
    return sorted(rows, key=lambda c: (-c.count, c.label))


def open_by_state() -> list[Count]:
    """Open tickets per state, busiest first; central offices' tickets have no state."""
    return _open_counts_named(
        Ticket.state_id, State, State.display_name, none=(None, "Sin entidad")
    )


def open_by_process() -> list[Count]:
    """Open tickets per electoral process, busiest first; no process is ordinary activity."""
    return _open_counts_named(
        Ticket.process_id,
        ElectoralProcess,
        ElectoralProcess.key,
        detail=ElectoralProcess.name,
        none=(ORDINARY, "Actividad ordinaria"),
    )


def open_by_system() -> list[Count]:
    """Open tickets per computer system, busiest first."""
    return _open_counts_named(Ticket.system_id, System, System.name)


def today_by_hour(now: datetime) -> list[Hour]:
    """Tickets received in each hour of ``now``'s Mexico City day, whatever their status.

    One range of the received_at index and one row per hour: the hour is a CASE over the hour
    boundaries, computed here in UTC from the Mexico City calendar, so it is the same SQL on both
    databases and right on a day whose clock changed (23 or 25 hours, before 2022).
    """
    starts = _hour_starts(to_mx(now).date())
    # Grouped from a subquery: PostgreSQL would not match a GROUP BY CASE whose bound
    # parameters are numbered apart from the SELECT's.
    today = (
        sa.select(
            sa.case(*((Ticket.received_at < end, i) for i, end in enumerate(starts[1:]))).label(
                "bucket"
            )
        )
        .where(Ticket.received_at >= starts[0], Ticket.received_at < starts[-1])
        .subquery()
    )
    query = sa.select(today.c.bucket, sa.func.count()).group_by(today.c.bucket)
    counts = {i: n for i, n in db.session.execute(query)}
    return [
        Hour(hour=to_mx(start).hour, count=counts.get(i, 0), future=start > now)
        for i, start in enumerate(starts[:-1])
    ]


def at_risk_tickets(now: datetime, limit: int = LIST_LIMIT) -> SlaList:
    """Open tickets with under 25% of a target left: the nearest due time first."""
    return _sla_list(at_risk(now), now, limit, risk=True)


def breached_tickets(now: datetime, limit: int = LIST_LIMIT) -> SlaList:
    """Open tickets past a target they still owe: the longest overdue first."""
    return _sla_list(breached(now), now, limit, risk=False)


def workload(
    now: datetime, at_risk_list: SlaList | None = None, breached_list: SlaList | None = None
) -> list[Load]:
    """Who holds how many open tickets, and how many of those are at risk or breached.

    The at-risk and breached figures per person are the lists' own counts (``board`` passes
    the lists it already read): one more pass of the SLA conditions over every open ticket
    would cost as much as the lists themselves.
    """
    risky = (at_risk_list or at_risk_tickets(now, limit=0)).by_assignee
    late = (breached_list or breached_tickets(now, limit=0)).by_assignee
    grouped = (
        sa.select(Ticket.assignee_id.label("key"), sa.func.count().label("open"))
        .where(is_open())
        .group_by(Ticket.assignee_id)
        .subquery()
    )
    query = sa.select(grouped, User.name).outerjoin(User, User.id == grouped.c.key)
    rows = [
        Load(
            key=str(r.key) if r.key is not None else UNASSIGNED,
            name=r.name if r.key is not None else "Sin asignar",
            open=r.open,
            at_risk=risky.get(r.key, 0),
            breached=late.get(r.key, 0),
        )
        for r in db.session.execute(query)
    ]
    return sorted(rows, key=lambda load: (load.key == UNASSIGNED, -load.open, load.name))


def _open_counts(column) -> dict:
    """{value: open tickets} for one column of the ticket."""
    query = sa.select(column, sa.func.count()).where(is_open()).group_by(column)
    return {value: n for value, n in db.session.execute(query)}


def _open_counts_named(column, model, label, detail=None, none=None) -> list[Count]:
    """Open tickets grouped by a catalog id, named by one catalog column, busiest first.

    The grouping runs on the ticket index alone; the catalog is joined to its few result rows.
    """
    grouped = (
        sa.select(column.label("key"), sa.func.count().label("n"))
        .where(is_open())
        .group_by(column)
        .subquery()
    )
    extra = detail if detail is not None else sa.literal("")
    query = sa.select(grouped.c.key, grouped.c.n, label, extra).outerjoin(
        model, model.id == grouped.c.key
    )
    rows = []
    for key, n, name, more in db.session.execute(query):
        if key is None:
            none_key, none_label = none or (None, "Sin dato")
            rows.append(Count(none_key, none_label, n))
        else:
            rows.append(Count(str(key), name, n, more or ""))
    return sorted(rows, key=lambda c: (-c.count, c.label))


def _hour_starts(day: date) -> list[datetime]:
    """The UTC instant each Mexico City hour of ``day`` starts, plus the next midnight."""
    start = datetime.combine(day, time.min, tzinfo=MX_TZ).astimezone(UTC)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=MX_TZ).astimezone(UTC)
    hours = int((end - start).total_seconds() // 3600)  # 24; 23 or 25 on a clock-change day
    return [start + timedelta(hours=h) for h in range(hours)] + [end]


def _next_due() -> sa.ColumnElement:
    """The first due time a ticket still owes: the first response's while it is unanswered
    (always the earlier of the two), otherwise the resolution's."""
    return sa.case(
        (
            sa.and_(owes_first_response(), Ticket.first_response_due_at.is_not(None)),
            Ticket.first_response_due_at,
        ),
        else_=Ticket.resolution_due_at,
    )


SLA_COLUMNS = (
    Ticket.folio,
    Ticket.subject,
    Ticket.priority,
    Ticket.status,
    Ticket.first_response_at,
    Ticket.first_response_risk_at,
    Ticket.first_response_due_at,
    Ticket.resolution_due_at,
    User.name.label("assignee"),
)


def _sla_list(condition, now: datetime, limit: int, risk: bool) -> SlaList:
    """The first ``limit`` tickets meeting an SLA condition, by due time, and how many each
    person holds (their sum is the list's total).

    The condition is evaluated once, over the open tickets' index entries, into a materialised
    CTE that both the per-person counts and the first ids read; folio and subject are then read
    for those few ids only. The list never loads descriptions or comments: an internal note
    cannot reach the wall screen.
    """
    # Inside a CASE the condition is tested on each open ticket's index entry. Left bare,
    # PostgreSQL underestimates it (it counts the open-status test twice) and picks a bitmap
    # scan that visits ten thousand heap pages, three to five times slower at 1M tickets.
    tested = sa.case((condition, 1), else_=0) == 1
    hits = (
        sa.select(Ticket.id, Ticket.assignee_id, _next_due().label("due"))
        .where(is_open(), tested)
        .cte("hits")
        .prefix_with("MATERIALIZED")
    )
    none = sa.cast(sa.null(), sa.Integer)  # typed, so PostgreSQL can match the UNION's columns
    counts = sa.select(none.label("id"), hits.c.assignee_id, sa.func.count()).group_by(
        hits.c.assignee_id
    )
    first = sa.select(hits.c.id, none, none).order_by(hits.c.due, hits.c.id).limit(limit).subquery()
    by_assignee, ids = {}, []
    for ident, assignee_id, n in db.session.execute(sa.union_all(counts, sa.select(first))):
        if ident is None:
            by_assignee[assignee_id] = n
        else:
            ids.append(ident)
    return SlaList(rows=_sla_rows(ids, now, risk), by_assignee=by_assignee)


def _sla_rows(ids: list[int], now: datetime, risk: bool) -> list[SlaRow]:
    if not ids:
        return []
    query = (
        sa.select(*SLA_COLUMNS)
        .outerjoin(User, User.id == Ticket.assignee_id)
        .where(Ticket.id.in_(ids))
        .order_by(_next_due(), Ticket.id)
    )
    return [_sla_row(r, now, risk) for r in db.session.execute(query)]


def _sla_row(r, now: datetime, risk: bool) -> SlaRow:
    """Which target puts the ticket on the list: the first response if it is the one at risk
    (or breached), otherwise the resolution."""
    mark = r.first_response_risk_at if risk else r.first_response_due_at
    first = r.first_response_at is None and mark is not None and mark <= now
    return SlaRow(
        folio=r.folio,
        subject=r.subject,
        priority=r.priority,
        status=r.status,
        assignee=r.assignee,
        target="Primera respuesta" if first else "Solución",
        due_at=r.first_response_due_at if first else r.resolution_due_at,
    )
