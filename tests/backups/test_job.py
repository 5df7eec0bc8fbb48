"""The "backup" job through the scheduler's runner: recorded like every job, caught up at start."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.backups.conftest import sqlite_only
from tickets.extensions import db
from tickets.jobs import leases, runner, scheduler
from tickets.jobs.models import JobRun

NIGHT = datetime(2021, 11, 15, 8, 30, tzinfo=UTC)  # 02:30 in Mexico City


def _runs(app) -> list[tuple]:
    with app.app_context():
        query = sa.select(JobRun.job, JobRun.tick, JobRun.outcome, JobRun.summary)
        return [tuple(row) for row in db.session.execute(query.order_by(JobRun.id))]


@sqlite_only
def test_the_nightly_job_records_an_ok_run_naming_the_file_and_its_size(sqlite_app, tmp_path):
    job = scheduler.job_named("backup")

    result = runner.run_job(sqlite_app, job.name, job.func, NIGHT, NIGHT, holder="a")

    [(name, tick, outcome, summary)] = _runs(sqlite_app)
    assert result.outcome == runner.OK
    assert (name, tick, outcome) == ("backup", "2021-11-15T02:30:00-06:00", "ok")
    copy = tmp_path / "copias" / "mesatic-20211115-0230.db"
    assert copy.is_file()
    assert f"Copia {copy} (" in summary and " KB), verificada." in summary
    assert "Copias conservadas: 1 (máximo 14)." in summary


@sqlite_only
def test_a_night_missed_while_no_scheduler_ran_is_copied_at_start_and_only_once(sqlite_app):
    job = scheduler.job_named("backup")
    morning = NIGHT + timedelta(hours=7)  # 09:30: the scheduler was down at 02:30

    first = scheduler.catch_up(sqlite_app, (job,), "a", now=morning)
    with sqlite_app.app_context():
        leases.release_all("a")  # "a" stopped cleanly; "b" starts a few minutes later
    again = scheduler.catch_up(sqlite_app, (job,), "b", now=morning + timedelta(minutes=5))

    assert (first["backup"].outcome, again["backup"].outcome) == (runner.OK, runner.DONE)
    assert [(name, tick) for name, tick, _o, _s in _runs(sqlite_app)] == [
        ("backup", "2021-11-15T02:30:00-06:00")
    ]


def test_the_backup_job_is_scheduled_nightly_at_half_past_two_mexico_city_time(app):
    job = scheduler.job_named("backup")
    tz = scheduler.timezone_of(app)

    assert scheduler.next_run(job, NIGHT + timedelta(minutes=1), tz) == NIGHT + timedelta(days=1)
    assert job.catch_up == timedelta(days=1)


@pytest.mark.postgres
def test_on_postgresql_the_job_records_that_it_does_not_apply(app, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "BACKUP_DIR", str(tmp_path / "copias"))
    job = scheduler.job_named("backup")

    result = runner.run_job(app, job.name, job.func, NIGHT, NIGHT, holder="a")

    [(name, _tick, outcome, summary)] = _runs(app)
    assert (result.outcome, name, outcome) == (runner.OK, "backup", "ok")
    assert summary == (
        "No aplica: la base de datos es PostgreSQL; use pg_dump (docs/deploy/backup-postgres.sh)."
    )
    assert not (tmp_path / "copias").exists()


@pytest.mark.postgres
def test_on_postgresql_the_commands_point_to_pg_dump(app, runner):
    created = runner.invoke(args=["backup", "create"])
    restored = runner.invoke(args=["backup", "restore", "mesatic-20211115-0230.db", "--yes"])

    assert created.exit_code == 1 and "use pg_dump" in created.output
    assert restored.exit_code == 1 and "pg_restore" in restored.output
