"""`flask jobs run`, `flask jobs run-once`, `flask jobs list`."""

from __future__ import annotations

import logging
import signal

import click
from flask import current_app
from flask.cli import AppGroup

jobs_cli = AppGroup("jobs", help="Tareas programadas.")

logger = logging.getLogger("tickets.jobs")


@jobs_cli.command("run")
@click.option(
    "--heartbeat",
    type=click.IntRange(1, 59),
    envvar="JOBS_TEST_INTERVAL_SECONDS",
    hidden=True,
    help="Añade una tarea de prueba 'heartbeat' cada N segundos.",
)
def run_command(heartbeat: int | None) -> None:
    """Inicia el programador de tareas en este proceso (Ctrl+C o SIGTERM lo detienen).

    Nunca dentro de los procesos web: un proceso propio (o dos, en equipos distintos; cada
    ejecución la hace uno solo).
    """
    from tickets.jobs import runner
    from tickets.jobs.scheduler import JOBS, build_scheduler, catch_up, heartbeat_job

    app = current_app._get_current_object()
    _console_logging(app)
    jobs = JOBS + ((heartbeat_job(heartbeat),) if heartbeat else ())
    holder = runner.process_holder()
    scheduler = build_scheduler(app, jobs, holder=holder)
    stop = _stop_on_signals(scheduler)
    click.echo(f"Programador de tareas iniciado como {holder}: {', '.join(j.name for j in jobs)}")
    catch_up(app, jobs, holder)  # e.g. the 1st at 07:00 fell while no scheduler was running
    if not stop.requested:
        scheduler.start()  # blocks until a signal stops it; running jobs finish first
    _release(app, holder)
    click.echo("Programador de tareas detenido.")


def _release(app, holder: str) -> None:
    """Hand the leases over at once; if the database is unreachable they simply expire."""
    from sqlalchemy.exc import SQLAlchemyError

    from tickets.extensions import db
    from tickets.jobs import leases

    with app.app_context():
        try:
            leases.release_all(holder)
        except SQLAlchemyError as exc:
            logger.warning("No se liberaron las tareas de %s (vencerán solas): %s", holder, exc)
        finally:
            db.session.remove()
            db.engine.dispose()  # close pooled connections before the interpreter exits


@jobs_cli.command("run-once")
@click.argument("name")
@click.option(
    "--now",
    "now_text",
    metavar="ISO",
    help="Instante de la ejecución, p. ej. 2021-12-01T07:00 (sin zona: hora de la CDMX).",
)
def run_once_command(name: str, now_text: str | None) -> None:
    """Ejecuta una tarea una vez, con el mismo permiso (lease) y registro que el programador."""
    from tickets.core.db import utcnow
    from tickets.core.timeutil import parse_local, short_datetime
    from tickets.jobs import leases, runner, scheduler

    job = scheduler.job_named(name)
    if job is None:
        names = ", ".join(j.name for j in scheduler.JOBS)
        message = f"No existe la tarea «{name}». Tareas: {names}."
        raise click.BadParameter(message, param_hint="NAME")
    try:
        now = parse_local(now_text) if now_text else utcnow()
    except ValueError as exc:
        raise click.BadParameter(
            "Use una fecha ISO 8601, p. ej. 2021-12-01T07:00.", param_hint="--now"
        ) from exc
    app = current_app._get_current_object()
    holder = runner.process_holder("cli")
    result = runner.run_job(app, job.name, job.func, now, now, holder=holder, ttl=job.lease)
    leases.release_all(holder)  # a manual run must not keep the scheduler out for a lease
    when = short_datetime(now)
    if result.outcome == runner.OK:
        click.echo(f"Tarea {job.name} ({when}): correcta. {result.detail}".rstrip())
        return
    raise click.ClickException(_failure_message(job.name, when, result))


def _failure_message(name: str, when: str, result) -> str:
    from tickets.jobs import runner

    if result.outcome == runner.BUSY:
        return f"Otro proceso tiene la tarea {name} en este momento; no se ejecutó."
    if result.outcome == runner.DONE:
        return f"La tarea {name} ya se ejecutó para {when}; no se repite."
    last_line = (result.detail.strip().splitlines() or ["sin detalle"])[-1]
    return f"La tarea {name} ({when}) falló: {last_line}. Vea `flask jobs list`."


@jobs_cli.command("list")
@click.option(
    "--limit",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    help="Cuántas ejecuciones recientes mostrar.",
)
@click.option("--job", "job_name", metavar="NAME", help="Solo las ejecuciones de esta tarea.")
def list_command(limit: int, job_name: str | None) -> None:
    """Las tareas, su horario, su última ejecución y las ejecuciones recientes."""
    from tickets.core.timeutil import short_datetime
    from tickets.jobs import runner, scheduler

    last = runner.last_runs([job.name for job in scheduler.JOBS])
    click.echo("Tareas:")
    for job in scheduler.JOBS:
        run = last.get(job.name)
        seen = f"{short_datetime(run.started_at)} {_outcome(run)}" if run else "nunca"
        click.echo(f"  {job.name} ({job.title}) · {job.schedule} · última: {seen}")
    runs = runner.recent_runs(job_name, limit)
    click.echo("Ejecuciones recientes:" if runs else "Aún no hay ejecuciones registradas.")
    for run in runs:
        click.echo(
            f"  #{run.id} · {run.job} · {run.tick} · {_outcome(run)} · "
            f"{short_datetime(run.started_at)} · {run.holder}"
            + (f" · {run.summary}" if run.summary else "")
        )
        if run.error:
            click.echo(f"      Error: {run.error.strip().splitlines()[-1]}")


def _outcome(run) -> str:
    from tickets.jobs.runner import OUTCOME_LABELS

    return OUTCOME_LABELS.get(run.outcome, run.outcome)


class _StopRequest:
    """Set by SIGTERM/SIGINT; stops the scheduler, or keeps it from starting."""

    requested: int | None = None  # the first signal received


def _stop_on_signals(scheduler) -> _StopRequest:
    """SIGTERM (systemd, supervisor) and SIGINT (Ctrl+C) stop it after the running jobs end;
    Ctrl+C twice stops it at once."""
    stop = _StopRequest()

    def handle(signum, _frame):
        if stop.requested == signal.SIGINT == signum:
            raise SystemExit(1)
        if stop.requested:
            return
        stop.requested = signum
        logger.info("Señal %s: se detiene el programador al terminar lo que está en curso", signum)
        if scheduler.running:
            scheduler.shutdown(wait=True)

    signal.signal(signal.SIGTERM, handle)
    signal.signal(signal.SIGINT, handle)
    return stop


def _console_logging(app) -> None:
    """Runs, skips and errors reach the console (or the service's journal)."""
    app.logger  # noqa: B018 - Flask attaches its stderr handler to the "tickets" logger here
    for name in ("tickets.jobs", "tickets.mail"):
        if logging.getLogger(name).level == logging.NOTSET:
            logging.getLogger(name).setLevel(logging.INFO)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
