"""Read side of the training log: the month's total for the report, the list and its filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort

from tickets.accounts.models import User
from tickets.catalogs.models import Organization, RequesterType
from tickets.extensions import db
from tickets.training.models import Modality, TrainingSession

MONTH = re.compile(r"(\d{4})-(\d{2})")
MAX_ID = 2**31 - 1  # primary keys are 32-bit INTEGER on PostgreSQL
OFFICE_KINDS = (RequesterType.JUNTA, RequesterType.OPL)


def month_bounds(month: str) -> tuple[date, date]:
    """First day of a 'YYYY-MM' month and first day of the next one (a half-open range).

    :raises ValueError: ``month`` is not a real 'YYYY-MM' month.
    """
    match = MONTH.fullmatch(month or "")
    if match is None:
        raise ValueError(f"not a YYYY-MM month: {month!r}")
    year, number = int(match[1]), int(match[2])
    if not (1 <= year and 1 <= number <= 12) or (year, number) == (9999, 12):
        raise ValueError(f"not a YYYY-MM month: {month!r}")
    first = date(year, number, 1)
    after = date(year + 1, 1, 1) if number == 12 else date(year, number + 1, 1)
    return first, after


def people_trained(month: str) -> int:
    """People trained in sessions held in ``month`` ('YYYY-MM'): the monthly report's figure.

    One SUM over the indexed ``held_on`` column; 0 for a month without sessions.

    :raises ValueError: ``month`` is not a real 'YYYY-MM' month.
    """
    first, after = month_bounds(month)
    query = sa.select(sa.func.coalesce(sa.func.sum(TrainingSession.people_trained), 0)).where(
        TrainingSession.held_on >= first, TrainingSession.held_on < after
    )
    return int(db.session.scalar(query))


def latest_month() -> str | None:
    """'YYYY-MM' of the most recent session, or None when the log is empty."""
    last = db.session.scalar(sa.select(sa.func.max(TrainingSession.held_on)))
    return last.strftime("%Y-%m") if last else None


def visible_sessions(actor: User) -> sa.Select:
    """Every read of the log starts here: the desk's staff see it; requesters see nothing."""
    query = sa.select(TrainingSession)
    return query if actor.is_staff else query.where(sa.false())


def session_or_404(actor: User, session_id: int) -> TrainingSession:
    """The session with this id if the actor may see it; 404 otherwise."""
    if not 0 < session_id <= MAX_ID:  # PostgreSQL refuses a bigger INTEGER parameter
        abort(404)
    session = db.session.scalar(visible_sessions(actor).where(TrainingSession.id == session_id))
    if session is None:
        abort(404)
    return session


@dataclass(frozen=True)
class SessionFilters:
    """The list's filter bar; empty values mean 'any'."""

    month: str | None = None
    state_id: int | None = None
    modality: Modality | None = None
    system_id: int | None = None

    @property
    def narrower_than_month(self) -> bool:
        """True when something besides the month filters the list."""
        return any((self.state_id, self.modality, self.system_id))


@dataclass(frozen=True)
class SessionPage:
    """One page of the list; ``has_next`` comes from fetching one extra row, never a count."""

    sessions: list[TrainingSession]
    page: int
    has_next: bool

    @property
    def has_prev(self) -> bool:
        return self.page > 1


@dataclass(frozen=True)
class Summary:
    """How many sessions match the filters and how many people they trained."""

    sessions: int
    people: int


def _filtered(query: sa.Select, filters: SessionFilters) -> sa.Select:
    conditions = [
        TrainingSession.state_id == filters.state_id if filters.state_id else None,
        TrainingSession.modality == filters.modality if filters.modality else None,
        TrainingSession.system_id == filters.system_id if filters.system_id else None,
    ]
    if filters.month:
        first, after = month_bounds(filters.month)
        conditions += [TrainingSession.held_on >= first, TrainingSession.held_on < after]
    return query.where(*[c for c in conditions if c is not None])


def sessions_page(
    actor: User, filters: SessionFilters, page: int = 1, per_page: int = 50
) -> SessionPage:
    """The filtered sessions, newest first, one page at a time."""
    page = max(page, 1)
    query = (
        _filtered(visible_sessions(actor), filters)
        .options(
            so.joinedload(TrainingSession.state),
            so.joinedload(TrainingSession.office),
            so.joinedload(TrainingSession.system),
        )
        .order_by(TrainingSession.held_on.desc(), TrainingSession.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    )
    rows = list(db.session.scalars(query))
    return SessionPage(sessions=rows[:per_page], page=page, has_next=len(rows) > per_page)


def summary(actor: User, filters: SessionFilters) -> Summary:
    """COUNT and SUM over the filtered sessions, in one SQL aggregate."""
    query = _filtered(
        sa.select(
            sa.func.count(TrainingSession.id),
            sa.func.coalesce(sa.func.sum(TrainingSession.people_trained), 0),
        ),
        filters,
    )
    if not actor.is_staff:
        query = query.where(sa.false())
    sessions, people = db.session.execute(query).one()
    return Summary(int(sessions), int(people))


def offices_of(state_id: int | None) -> list[Organization]:
    """Active Juntas (the Local first, then the Distritales) and the OPL of one state."""
    if not state_id or not 0 < state_id <= MAX_ID:
        return []
    query = (
        sa.select(Organization)
        .where(
            Organization.is_active,
            Organization.state_id == state_id,
            Organization.kind.in_(OFFICE_KINDS),
        )
        .order_by(Organization.kind, Organization.district_id.is_not(None), Organization.name)
    )
    return list(db.session.scalars(query))
