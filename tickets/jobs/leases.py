"""Row leases: which scheduler process may run a job right now.

One row per job in ``scheduler_leases``. A process takes the lease with ONE portable conditional
UPDATE and runs the job only when that UPDATE changed exactly one row: the row is free, its lease
expired, or the process already holds it (renewal). PostgreSQL re-checks the WHERE clause against
the committed row when two processes race, and SQLite serialises writers, so on both databases
exactly one holder wins. Every function commits: a lease must be visible to the other processes
at once, never wait for the caller's unit of work.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tickets.extensions import db
from tickets.jobs.models import SchedulerLease


def acquire(name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    """Take or renew the lease on ``name`` until ``now + ttl``; True when this holder has it."""
    _ensure_row(name)
    result = db.session.execute(
        sa.update(SchedulerLease)
        .where(
            SchedulerLease.name == name,
            sa.or_(
                SchedulerLease.expires_at.is_(None),
                SchedulerLease.expires_at < now,
                SchedulerLease.holder == holder,
            ),
        )
        .values(holder=holder, expires_at=now + ttl)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def release_all(holder: str) -> int:
    """Give back every lease of ``holder`` (a clean shutdown): a standby takes over at once."""
    result = db.session.execute(
        sa.update(SchedulerLease)
        .where(SchedulerLease.holder == holder)
        .values(holder=None, expires_at=None)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount


def current() -> dict[str, SchedulerLease]:
    """Every lease row by job name, for the admin page and `flask jobs list`."""
    return {lease.name: lease for lease in db.session.scalars(sa.select(SchedulerLease))}


def _ensure_row(name: str) -> None:
    """Insert the free lease row the first time a job runs; a concurrent insert is a no-op."""
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database {dialect}")
    db.session.execute(
        insert(SchedulerLease)
        .values(name=name, holder=None, expires_at=None)
        .on_conflict_do_nothing(index_elements=["name"])
    )
