"""Admins' view of the scheduled jobs and their runs."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, abort, current_app, render_template, request

from tickets.accounts.auth import admin_required
from tickets.core.db import utcnow
from tickets.core.timeutil import short_datetime
from tickets.jobs import leases, runner, scheduler

bp = Blueprint("jobs", __name__, url_prefix="/admin/tareas")

RUNS_SHOWN = 50


@bp.get("/")
@admin_required
def index():
    """The jobs with their schedule and holder, then the latest runs (of one job with ?tarea=)."""
    selected = request.args.get("tarea") or None
    names = [job.name for job in scheduler.JOBS]
    if selected is not None and selected not in names:
        abort(404)
    now = utcnow()
    tz = scheduler.timezone_of(current_app)
    return render_template(
        "jobs/index.html",
        jobs=scheduler.JOBS,
        titles={job.name: job.title for job in scheduler.JOBS},
        next_runs={job.name: scheduler.next_run(job, now, tz) for job in scheduler.JOBS},
        last=runner.last_runs(names),
        leases=leases.current(),
        runs=runner.recent_runs(selected, RUNS_SHOWN),
        selected=selected,
        now=now,
        labels=runner.OUTCOME_LABELS,
        tick_text=_tick_text,
    )


def _tick_text(tick: str) -> str:
    """'2021-12-01T07:00:00-06:00' as '01/12/2021 07:00'; seconds only when there are any."""
    try:
        moment = datetime.fromisoformat(tick)
    except ValueError:
        return tick
    text = short_datetime(moment)
    return f"{text}:{moment.second:02d}" if moment.second else text
