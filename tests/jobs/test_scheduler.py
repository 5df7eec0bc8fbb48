"""The schedule: job ids, Mexico City times, the tick a run belongs to; never started here."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from apscheduler.triggers.cron import CronTrigger

from tickets.extensions import db
from tickets.jobs.models import JobRun
from tickets.jobs.scheduler import (
    JOBS,
    Job,
    build_scheduler,
    heartbeat_job,
    scheduled_tick,
)

MX = ZoneInfo("America/Mexico_City")


def test_build_scheduler_registers_the_jobs_without_starting(app):
    scheduler = build_scheduler(app, holder="prueba")

    assert [job.id for job in scheduler.get_jobs()] == [
        "mail",
        "sla-sweep",
        "auto-close",
        "monthly-report",
        "prune-runs",
        "backup",
        "search-index",
    ]
    assert scheduler.running is False
    assert str(scheduler.timezone) == "America/Mexico_City"
    job = scheduler.get_job("monthly-report")
    assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 60)


def test_the_monthly_draft_fires_on_the_first_at_seven_mexico_city_time(app):
    trigger = build_scheduler(app, holder="prueba").get_job("monthly-report").trigger

    fire = trigger.get_next_fire_time(None, datetime(2021, 11, 14, 12, 0, tzinfo=MX))

    assert fire == datetime(2021, 12, 1, 7, 0, tzinfo=MX)
    assert fire.astimezone(UTC) == datetime(2021, 12, 1, 13, 0, tzinfo=UTC)


def test_the_heartbeat_is_only_there_when_asked_for(app):
    scheduler = build_scheduler(app, (*JOBS, heartbeat_job(2)), holder="prueba")

    assert "heartbeat" in [job.id for job in scheduler.get_jobs()]


def test_a_run_belongs_to_the_tick_that_fired_even_when_it_starts_late():
    monthly = CronTrigger(day=1, hour=7, minute=0, timezone=MX)
    every_minute = CronTrigger(minute="*", timezone=MX)
    late = datetime(2021, 12, 1, 7, 0, 40, tzinfo=MX)

    assert scheduled_tick(monthly, late) == datetime(2021, 12, 1, 7, 0, tzinfo=MX)
    assert scheduled_tick(every_minute, late) == datetime(2021, 12, 1, 7, 0, tzinfo=MX)
    assert scheduled_tick(monthly, late + timedelta(hours=1)) is None  # outside the grace


def test_the_registered_callable_runs_the_job_through_the_runner(app):
    calls = []
    job = Job("prueba", calls.append, {"minute": "*"}, "Prueba", "Cada minuto", "Prueba.")
    scheduler = build_scheduler(app, (job,), holder="prueba")

    scheduler.get_job("prueba").func()  # what APScheduler does at the tick

    assert len(calls) == 1
    with app.app_context():
        run = db.session.scalar(sa.select(JobRun))
        tick = datetime.fromisoformat(run.tick)
    assert (run.job, run.holder, run.outcome) == ("prueba", "prueba", "ok")
    assert tick.second == 0 and abs(datetime.now(UTC) - tick) < timedelta(minutes=2)
