"""Read side of the PREP follow-up: the page's table and the form's choices."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import abort

from tickets.catalogs.loader import opl_key
from tickets.catalogs.models import Election, ElectoralProcess, Organization, State
from tickets.core.text import fold
from tickets.extensions import db
from tickets.prep.models import PrepEvent, PrepEventKind


@dataclass(frozen=True)
class DrillCell:
    """One drill as the follow-up table shows it, against the election day."""

    id: int
    number: int
    held_on: date
    days_before: int | None  # election day minus drill day; negative: after the election


@dataclass
class StateRow:
    """One state of a process: its OPL, election day(s), drills and operation."""

    state_key: str
    state_name: str
    opl_name: str
    opl_acronym: str
    election_days: list[date]
    drills: list[DrillCell] = field(default_factory=list)
    operation: PrepEvent | None = None
    operation_offset: int | None = None  # operation day minus election day (0: election night)


@dataclass
class ProcessFollowUp:
    """A process, its states with elections (alphabetical) and every event recorded in it."""

    process: ElectoralProcess
    rows: list[StateRow]
    events: list[PrepEvent]

    @property
    def drill_count(self) -> int:
        return sum(len(row.drills) for row in self.rows)


def event_or_404(event_id: int) -> PrepEvent:
    """One event with its process and state, or 404."""
    query = (
        sa.select(PrepEvent)
        .where(PrepEvent.id == event_id)
        .options(so.joinedload(PrepEvent.process), so.joinedload(PrepEvent.state))
    )
    return db.session.scalar(query) or abort(404)


def processes_with_elections(keep: ElectoralProcess | None = None) -> list[ElectoralProcess]:
    """Active processes holding at least one election, newest first (and ``keep`` if not)."""
    query = (
        sa.select(ElectoralProcess)
        .where(
            ElectoralProcess.is_active,
            ElectoralProcess.id.in_(sa.select(Election.process_id)),
        )
        .order_by(ElectoralProcess.starts_on.desc(), ElectoralProcess.key)
    )
    processes = list(db.session.scalars(query))
    if keep is not None and keep not in processes:
        processes.append(keep)
    return processes


def all_processes_with_elections() -> list[ElectoralProcess]:
    """Every process with elections, active or not, for the page's filter; newest first."""
    query = (
        sa.select(ElectoralProcess)
        .where(ElectoralProcess.id.in_(sa.select(Election.process_id)))
        .order_by(ElectoralProcess.starts_on.desc(), ElectoralProcess.key)
    )
    return list(db.session.scalars(query))


def process_by_key(key: str | None) -> ElectoralProcess | None:
    if not key:
        return None
    return db.session.scalar(
        sa.select(ElectoralProcess).where(ElectoralProcess.key == key.strip().upper())
    )


def state_by_key(key: str | None) -> State | None:
    if not key or not key.strip().isdigit():
        return None
    return db.session.scalar(sa.select(State).where(State.key == key.strip().zfill(2)))


def current_process(processes: list[ElectoralProcess], today: date) -> ElectoralProcess | None:
    """The process a new event most likely belongs to: one in course today, else the one of
    the latest recorded event, else the newest."""
    for process in processes:
        if process.starts_on <= today <= process.ends_on:
            return process
    latest = db.session.scalar(
        sa.select(PrepEvent.process_id).order_by(PrepEvent.created_at.desc()).limit(1)
    )
    for process in processes:
        if process.id == latest:
            return process
    return processes[0] if processes else None


def states_of(process_id: int | None) -> list[tuple[State, list[date]]]:
    """The states with an election in the process, alphabetical, each with its election days."""
    if process_id is None:
        return []
    query = (
        sa.select(State, Election.election_day)
        .join(Election, Election.state_id == State.id)
        .where(Election.process_id == process_id)
        .order_by(Election.election_day)
    )
    days: dict[int, tuple[State, list[date]]] = {}
    for state, day in db.session.execute(query):
        days.setdefault(state.id, (state, []))[1].append(day)
    return sorted(days.values(), key=lambda item: fold(item[0].display_name))


def process_ids_with_events() -> list[int]:
    """Processes that have any PREP event, newest first: what the page shows unfiltered."""
    query = (
        sa.select(ElectoralProcess.id)
        .where(ElectoralProcess.id.in_(sa.select(PrepEvent.process_id)))
        .order_by(ElectoralProcess.starts_on.desc(), ElectoralProcess.key)
    )
    return list(db.session.scalars(query))


def follow_up(process_ids: list[int]) -> list[ProcessFollowUp]:
    """Per process, every state with an election: its OPL, election day, drills and operation.

    Three queries whatever the number of states: elections, OPL, events.
    """
    if not process_ids:
        return []
    processes = {
        p.id: p
        for p in db.session.scalars(
            sa.select(ElectoralProcess).where(ElectoralProcess.id.in_(process_ids))
        )
    }
    events = list(
        db.session.scalars(
            sa.select(PrepEvent)
            .where(PrepEvent.process_id.in_(process_ids))
            .options(so.joinedload(PrepEvent.state))
            .order_by(PrepEvent.held_on, PrepEvent.kind, PrepEvent.number)
        )
    )
    rows = _rows(process_ids, events)
    return [
        ProcessFollowUp(
            processes[pid],
            sorted(rows[pid].values(), key=lambda row: fold(row.state_name)),
            [event for event in events if event.process_id == pid],
        )
        for pid in process_ids
        if pid in processes
    ]


def _rows(process_ids: list[int], events: list[PrepEvent]) -> dict[int, dict[int, StateRow]]:
    rows: dict[int, dict[int, StateRow]] = {pid: {} for pid in process_ids}
    elections = db.session.execute(
        sa.select(
            Election.process_id, State.id, State.key, State.display_name, Election.election_day
        )
        .join(Election.state)
        .where(Election.process_id.in_(process_ids))
        .order_by(Election.election_day)
    )
    for pid, state_id, key, name, day in elections:
        _row(rows[pid], state_id, key, name).election_days.append(day)
    for event in events:  # an event whose election was removed from the catalog still shows
        _row(rows[event.process_id], event.state_id, event.state.key, event.state.display_name)
    opl = _opl_names({row.state_key for by_state in rows.values() for row in by_state.values()})
    for by_state in rows.values():
        for row in by_state.values():
            row.opl_name, row.opl_acronym = opl.get(row.state_key, ("", ""))
    for event in events:
        _place(rows[event.process_id][event.state_id], event)
    return rows


def _row(by_state: dict[int, StateRow], state_id: int, key: str, name: str) -> StateRow:
    if state_id not in by_state:
        by_state[state_id] = StateRow(key, name, "", "", [])
    return by_state[state_id]


def _opl_names(state_keys: set[str]) -> dict[str, tuple[str, str]]:
    """The OPL of each state (catalog key OPL-<state>): name and acronym."""
    wanted = {opl_key(key): key for key in state_keys}
    query = sa.select(Organization.key, Organization.name, Organization.acronym).where(
        Organization.key.in_(wanted)
    )
    return {wanted[key]: (name, acronym or "") for key, name, acronym in db.session.execute(query)}


def _place(row: StateRow, event: PrepEvent) -> None:
    reference = _reference_day(row.election_days, event.held_on)
    if event.kind is PrepEventKind.OPERATION:
        row.operation = event
        row.operation_offset = None if reference is None else (event.held_on - reference).days
        return
    days = None if reference is None else (reference - event.held_on).days
    row.drills.append(DrillCell(event.id, event.number, event.held_on, days))
    row.drills.sort(key=lambda cell: (cell.held_on, cell.number))


def _reference_day(days: list[date], held_on: date) -> date | None:
    """The election a drill prepares: the first election day on or after it, else the last."""
    for day in days:
        if day >= held_on:
            return day
    return days[-1] if days else None
