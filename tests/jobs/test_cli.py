"""`flask jobs run-once` and `flask jobs list`: what an operator types and reads."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from tests.factories import make_ticket, make_user
from tickets.accounts.models import Role
from tickets.extensions import db
from tickets.jobs import leases, scheduler
from tickets.jobs.models import JobRun
from tickets.jobs.scheduler import Job
from tickets.notifications.models import OutboxMessage


def _runs(app) -> list[tuple]:
    with app.app_context():
        query = sa.select(JobRun.job, JobRun.tick, JobRun.outcome).order_by(JobRun.id)
        return [tuple(row) for row in db.session.execute(query)]


def test_run_once_mail_sends_the_outbox_and_records_an_ok_run(app, runner):
    with app.app_context():
        make_ticket(make_user(Role.OPERATOR))  # queues the "we received it" mail

    result = runner.invoke(args=["jobs", "run-once", "mail"])

    assert result.exit_code == 0, result.output
    assert "correcta. Enviados: 1 · Fallidos: 0 · Omitidos: 0" in result.output
    assert [(job, outcome) for job, _tick, outcome in _runs(app)] == [("mail", "ok")]
    with app.app_context():
        unsent = db.session.scalar(
            sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))
        )
    assert unsent == 0


def test_run_once_twice_for_the_same_instant_runs_once(app, runner):
    runner.invoke(args=["jobs", "run-once", "mail", "--now", "2021-12-01T07:00"])

    again = runner.invoke(args=["jobs", "run-once", "mail", "--now", "2021-12-01T07:00"])

    assert again.exit_code == 1
    assert "La tarea mail ya se ejecutó para 01/12/2021 07:00; no se repite." in again.output
    assert len(_runs(app)) == 1


def test_run_once_gives_the_lease_back_for_the_scheduler(app, runner):
    runner.invoke(args=["jobs", "run-once", "mail"])

    with app.app_context():
        taken = leases.acquire("mail", "programador", datetime.now(UTC), timedelta(minutes=2))
    assert taken is True


def test_run_once_refuses_while_a_scheduler_holds_the_job(app, runner):
    with app.app_context():
        leases.acquire("mail", "programador", datetime.now(UTC), timedelta(minutes=2))

    result = runner.invoke(args=["jobs", "run-once", "mail"])

    assert result.exit_code == 1
    assert "Otro proceso tiene la tarea mail en este momento; no se ejecutó." in result.output
    assert _runs(app) == []


def test_run_once_of_an_unknown_job_lists_the_real_ones(runner):
    result = runner.invoke(args=["jobs", "run-once", "correo"])

    assert result.exit_code == 2
    assert (
        "No existe la tarea «correo». Tareas: mail, sla-sweep, auto-close, "
        "monthly-report, prune-runs, backup, search-index." in result.output
    )


def test_run_once_with_a_bad_date_says_how_to_write_it(runner):
    result = runner.invoke(args=["jobs", "run-once", "mail", "--now", "42 de noviembre"])

    assert result.exit_code == 2
    assert "Use una fecha ISO 8601, p. ej. 2021-12-01T07:00." in result.output


def _with_a_failing_job(monkeypatch) -> None:
    def fails(now):
        raise RuntimeError("el servidor de respaldos no responde")

    broken = Job("respaldo", fails, {"hour": 2}, "Respaldo", "Diario a las 02:00", "Copia la base.")
    monkeypatch.setattr(scheduler, "JOBS", (*scheduler.JOBS, broken))


def test_a_failing_job_exits_with_its_error_and_the_next_run_still_happens(
    app, runner, monkeypatch
):
    _with_a_failing_job(monkeypatch)

    failed = runner.invoke(args=["jobs", "run-once", "respaldo", "--now", "2021-12-01T02:00"])
    again = runner.invoke(args=["jobs", "run-once", "respaldo", "--now", "2021-12-02T02:00"])

    assert failed.exit_code == 1
    assert (
        "La tarea respaldo (01/12/2021 02:00) falló: "
        "RuntimeError: el servidor de respaldos no responde. Vea `flask jobs list`."
    ) in failed.output
    assert again.exit_code == 1  # it ran again (and failed again): a failure blocks nothing
    assert [outcome for _job, _tick, outcome in _runs(app)] == ["error", "error"]


def test_list_shows_each_job_its_last_run_and_the_errors(app, runner, monkeypatch):
    _with_a_failing_job(monkeypatch)
    runner.invoke(args=["jobs", "run-once", "mail", "--now", "2021-12-01T07:00"])
    runner.invoke(args=["jobs", "run-once", "respaldo", "--now", "2021-12-01T02:00"])

    listed = runner.invoke(args=["jobs", "list"])

    assert listed.exit_code == 0
    out = listed.output
    assert "mail (Envío de correos) · Cada minuto · última: " in out
    assert (
        "monthly-report (Borrador del informe mensual) · El día 1 de cada mes a las 07:00 · "
        "última: nunca"
    ) in out
    assert "mail · 2021-12-01T07:00:00-06:00 · Correcta" in out
    assert "respaldo · 2021-12-01T02:00:00-06:00 · Con error" in out
    assert "Error: RuntimeError: el servidor de respaldos no responde" in out


def test_list_with_no_runs_says_so(runner):
    result = runner.invoke(args=["jobs", "list"])

    assert result.exit_code == 0
    assert "Aún no hay ejecuciones registradas." in result.output
