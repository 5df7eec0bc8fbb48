"""One run of one job: the lease, the run table, failures recorded, never raised."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from tickets.extensions import db
from tickets.jobs import leases, runner
from tickets.jobs.models import JobRun

TICK = datetime(2021, 12, 1, 13, 0, tzinfo=UTC)  # 07:00 in Mexico City
NEXT_TICK = TICK + timedelta(minutes=1)


def _runs(app) -> list[JobRun]:
    with app.app_context():
        runs = db.session.scalars(sa.select(JobRun).order_by(JobRun.id)).all()
        db.session.expunge_all()
        return runs


def boom(now):
    raise RuntimeError("sin conexión al servidor de archivos")


def fine(now):
    return f"hecho a las {now:%H:%M}"


def test_a_run_is_recorded_with_its_tick_holder_and_summary(app):
    result = runner.run_job(app, "demo", fine, TICK, TICK, holder="a")

    [run] = _runs(app)
    assert result.outcome == runner.OK
    assert (run.job, run.tick, run.holder, run.outcome) == (
        "demo",
        "2021-12-01T07:00:00-06:00",
        "a",
        "ok",
    )
    assert run.summary == "hecho a las 13:00"
    assert run.finished_at >= run.started_at
    assert run.error is None


def test_a_job_that_raises_is_recorded_and_the_next_tick_still_runs(app):
    failed = runner.run_job(app, "demo", boom, TICK, TICK, holder="a")
    later = runner.run_job(app, "demo", fine, NEXT_TICK, NEXT_TICK, holder="a")

    first, second = _runs(app)
    assert (failed.outcome, later.outcome) == (runner.ERROR, runner.OK)
    assert first.outcome == "error"
    assert "RuntimeError: sin conexión al servidor de archivos" in first.error
    assert "Traceback" in first.error and first.finished_at is not None
    assert second.outcome == "ok"


def test_a_failed_job_leaves_nothing_half_written(app):
    def writes_then_fails(now):
        db.session.add(JobRun(job="escrito-a-medias", tick="x", holder="a"))
        db.session.flush()
        raise ValueError("a la mitad")

    runner.run_job(app, "demo", writes_then_fails, TICK, TICK, holder="a")

    assert [run.job for run in _runs(app)] == ["demo"]


def test_the_same_tick_runs_once_even_for_another_holder_with_the_lease(app):
    runner.run_job(app, "demo", fine, TICK, TICK, holder="a")
    with app.app_context():
        leases.release_all("a")  # "a" is gone; "b" gets the lease but the tick is taken

    again = runner.run_job(app, "demo", fine, TICK, TICK, holder="b")

    assert again.outcome == runner.DONE
    assert len(_runs(app)) == 1


def test_a_holder_without_the_lease_skips_and_records_nothing(app):
    with app.app_context():
        leases.acquire("demo", "a", datetime.now(UTC), timedelta(minutes=5))

    result = runner.run_job(app, "demo", fine, TICK, TICK, holder="b")

    assert result.outcome == runner.BUSY
    assert _runs(app) == []


def test_the_lease_is_kept_after_a_run_so_a_standby_does_not_jump_in(app):
    runner.run_job(app, "demo", fine, TICK, TICK, holder="a")

    other = runner.run_job(app, "demo", fine, NEXT_TICK, NEXT_TICK, holder="b")

    assert other.outcome == runner.BUSY


def test_a_run_left_running_by_a_dead_process_is_marked_interrupted(app):
    with app.app_context():
        long_ago = datetime.now(UTC) - timedelta(hours=2)
        db.session.add(JobRun(job="demo", tick="viejo", holder="muerto", started_at=long_ago))
        db.session.commit()

    runner.run_job(app, "demo", fine, TICK, TICK, holder="a")

    dead, new = _runs(app)
    assert (dead.outcome, new.outcome) == ("interrupted", "ok")


def test_a_database_failure_around_the_job_does_not_escape(app, monkeypatch):
    def database_down(*args):
        raise OperationalError("UPDATE scheduler_leases", {}, Exception("server closed"))

    monkeypatch.setattr(leases, "acquire", database_down)

    result = runner.run_job(app, "demo", fine, TICK, TICK, holder="a")

    assert result.outcome == runner.ERROR
    assert "server closed" in result.detail


def test_pruning_deletes_old_finished_runs_only(app):
    now = datetime.now(UTC)
    with app.app_context():
        old = now - timedelta(days=40)
        db.session.add_all(
            [
                JobRun(job="mail", tick="1", holder="a", started_at=old, outcome="ok"),
                JobRun(job="mail", tick="2", holder="a", started_at=old, outcome="running"),
                JobRun(job="mail", tick="3", holder="a", started_at=now, outcome="ok"),
            ]
        )
        db.session.commit()
        deleted = runner.prune_runs(now, timedelta(days=30))

    assert deleted == 1
    assert sorted(run.tick for run in _runs(app)) == ["2", "3"]
