"""Run one job for one tick: lease, run record, the job itself, the outcome. Never raises.

The scheduler and `flask jobs run-once` both come through `run_job`, so a manual run obeys the
same lease and the same run table as a scheduled one. Two guards make a tick run once:

1. the job's lease (`leases.acquire`): only the process holding it runs the job;
2. the run table's unique (job, tick): a second process that still got through (its clock was
   late, the first one's lease had just expired) cannot record the same tick, so it skips it.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.exc import IntegrityError

from tickets.core.db import utcnow
from tickets.core.timeutil import to_mx
from tickets.extensions import db
from tickets.jobs import leases
from tickets.jobs.models import JobRun

logger = logging.getLogger("tickets.jobs")

OK, ERROR, BUSY, DONE = "ok", "error", "busy", "done"
RUNNING, INTERRUPTED = "running", "interrupted"
OUTCOME_LABELS = {
    RUNNING: "En curso",
    OK: "Correcta",
    ERROR: "Con error",
    INTERRUPTED: "Interrumpida",
}
DEFAULT_LEASE = timedelta(minutes=30)
SUMMARY_MAX_CHARS = 2000
ERROR_MAX_CHARS = 20000


@dataclass(frozen=True)
class RunResult:
    """What `run_job` did: ok, error, busy (another process holds the lease) or done (this tick
    was already run)."""

    outcome: str
    run_id: int | None = None
    detail: str = ""


def process_holder(kind: str = "programador") -> str:
    """This process's name in leases and runs: kind, host, pid and a random tag (pids repeat)."""
    return f"{kind}@{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


def tick_key(moment: datetime) -> str:
    """The scheduled instant as stored in the run table: '2021-12-01T07:00:00-06:00'."""
    return to_mx(moment.replace(microsecond=0)).isoformat(timespec="seconds")


def run_job(
    app: Flask,
    name: str,
    func: Callable[[datetime], object],
    tick: datetime,
    now: datetime,
    *,
    holder: str,
    ttl: timedelta = DEFAULT_LEASE,
) -> RunResult:
    """Run ``func(now)`` for ``tick`` if this holder gets the lease and the tick is not taken.

    Runs inside its own app context and removes its session at the end. A job that raises is
    recorded with outcome ``error`` and its traceback; nothing escapes to APScheduler, so the
    next tick runs as usual. The lease is renewed when the run ends and covers ``ttl`` after it.
    """
    with app.app_context():
        try:
            return _run(name, func, tick, now, holder, ttl)
        except Exception:  # noqa: BLE001 - the lease or the run table failed (database down…)
            logger.exception("La tarea %s (%s) no pudo ejecutarse ni registrarse", name, tick)
            db.session.rollback()
            return RunResult(ERROR, detail=traceback.format_exc()[-ERROR_MAX_CHARS:])
        finally:
            db.session.remove()


def _run(name, func, tick, now, holder, ttl) -> RunResult:
    key = tick_key(tick)
    if not leases.acquire(name, holder, utcnow(), ttl):
        logger.info("%s %s: otro proceso tiene la tarea; se omite", name, key)
        return RunResult(BUSY)
    run_id = _start(name, key, holder, ttl)
    if run_id is None:
        logger.info("%s %s: ya se ejecutó para este horario; se omite", name, key)
        return RunResult(DONE)
    try:
        result = func(now)
    except Exception:  # noqa: BLE001 - recorded, and the next tick runs
        db.session.rollback()
        error = traceback.format_exc()[-ERROR_MAX_CHARS:]
        _finish(run_id, ERROR, "", error)
        logger.error("%s %s: error\n%s", name, key, error)
        outcome = RunResult(ERROR, run_id, error)
    else:
        summary = "" if result is None else str(result)
        _finish(run_id, OK, summary, None)
        logger.info("%s %s: correcta. %s", name, key, summary)
        outcome = RunResult(OK, run_id, summary)
    leases.acquire(name, holder, utcnow(), ttl)
    return outcome


def _start(name: str, key: str, holder: str, ttl: timedelta) -> int | None:
    """Record the run as running; None when this (job, tick) is already in the table."""
    started = utcnow()
    run = JobRun(job=name, tick=key, holder=holder, started_at=started, outcome=RUNNING)
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    _mark_interrupted(name, run.id, started - ttl)
    return run.id


def _mark_interrupted(name: str, current_id: int, before: datetime) -> None:
    """Runs still 'running' from before the last lease: their process died with the lease."""
    db.session.execute(
        sa.update(JobRun)
        .where(
            JobRun.job == name,
            JobRun.outcome == RUNNING,
            JobRun.id != current_id,
            JobRun.started_at < before,
        )
        .values(outcome=INTERRUPTED)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _finish(run_id: int, outcome: str, summary: str, error: str | None) -> None:
    db.session.execute(
        sa.update(JobRun)
        .where(JobRun.id == run_id)
        .values(
            finished_at=utcnow(), outcome=outcome, summary=summary[:SUMMARY_MAX_CHARS], error=error
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


# --- the run table, read and pruned ----------------------------------------------------------


def recent_runs(job: str | None = None, limit: int = 50) -> list[JobRun]:
    """The newest runs first, of one job or of all."""
    query = sa.select(JobRun).order_by(JobRun.started_at.desc(), JobRun.id.desc()).limit(limit)
    if job:
        query = query.where(JobRun.job == job)
    return list(db.session.scalars(query))


def last_runs(names: list[str]) -> dict[str, JobRun]:
    """Each named job's newest run (one indexed lookup per job), by job name."""
    runs = {}
    for name in names:
        query = sa.select(JobRun).where(JobRun.job == name)
        run = db.session.scalar(query.order_by(JobRun.started_at.desc()).limit(1))
        if run is not None:
            runs[name] = run
    return runs


def prune_runs(now: datetime, keep: timedelta) -> int:
    """Delete finished runs that started more than ``keep`` before ``now``; returns how many."""
    result = db.session.execute(
        sa.delete(JobRun)
        .where(JobRun.started_at < now - keep, JobRun.outcome != RUNNING)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount
