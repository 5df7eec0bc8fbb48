"""The schedule: which job runs when. The work itself lives in each feature's services.

Every job is a plain function taking ``now`` (an aware UTC instant) and returning a short
summary for the run table. Adding one is one entry in ``JOBS``. Times are Mexico City wall-clock
times (CronTrigger fields); every scheduler process fires at the same instants, which is what
makes the scheduled instant (the tick) a shared key across processes. See docs/jobs.md.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from babel.dates import format_date
from flask import Flask, current_app

from tickets.core.db import utcnow
from tickets.jobs import runner

MISFIRE_GRACE = timedelta(seconds=60)
# coalesce: a backlog of missed ticks becomes one run; max_instances=1: a slow run never overlaps
# the next one in this process (the lease does it across processes).
JOB_OPTIONS = {
    "coalesce": True,
    "max_instances": 1,
    "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
}


@dataclass(frozen=True)
class Job:
    """One scheduled job: its id, function, Mexico City cron fields and texts for admins."""

    name: str  # the id in `flask jobs run-once NAME`, the lease and the run table
    func: Callable[[datetime], object]
    when: dict = field(hash=False)  # CronTrigger fields: {"minute": "*"}, {"day": 1, "hour": 7}
    title: str  # what admins read
    schedule: str  # the schedule in words
    description: str
    lease: timedelta = runner.DEFAULT_LEASE  # covers one run and this long after it
    catch_up: timedelta | None = None  # at start, run a tick missed this recently (was down)


# --- the jobs -----------------------------------------------------------------------------------


def send_mail(now: datetime) -> str:
    """The outbox worker (issue 3): send the due messages."""
    from tickets.notifications.sender import send_pending

    report = send_pending(now=now)
    return f"Enviados: {report.sent} · Fallidos: {report.failed} · Omitidos: {report.skipped}"


def draft_monthly_report(now: datetime) -> str:
    """On the 1st: draft last month's report and tell supervisors and admins it is ready."""
    from tickets.reports import services as reports
    from tickets.reports.models import ReportStatus

    month = reports.previous_month(now)
    report = reports.get_or_create_draft(month, now=now)
    if report.status != ReportStatus.DRAFT:
        return f"El informe de {month_label(month)} ya está aprobado; no se avisó a nadie."
    sent = notify_report_drafted(month)
    return f"Borrador de {month_label(month)} (versión {report.version}); avisos: {sent}."


def prune_job_runs(now: datetime) -> str:
    """Keep the run table small: the mail job alone records 1,440 runs a day."""
    days = int(current_app.config.get("JOBS_KEEP_RUNS_DAYS", 30))
    deleted = runner.prune_runs(now, timedelta(days=days))
    return f"Ejecuciones de más de {days} días borradas: {deleted}"


def sweep_sla(now: datetime) -> str:
    """Issue 5: record new SLA breaches and tell the assignee and supervision once per breach."""
    from tickets.sla.sweep import sweep

    report = sweep(now)
    text = f"Incumplimientos nuevos: {report.breaches} · Avisos: {report.notices}"
    if report.recomputed is not None:
        text = f"Vencimientos recalculados: {report.recomputed} · {text}"
    return text


def close_resolved(now: datetime) -> str:
    """Issue 5: close tickets resolved 5 working days ago that the requester did not answer."""
    from tickets.helpdesk.autoclose import close_stale_resolved

    closed = close_stale_resolved(now)
    return f"Tickets cerrados automáticamente: {closed}"


def back_up_database(now: datetime) -> str:
    """Issue 5: nightly verified copy of the SQLite database, rotated; PostgreSQL uses pg_dump."""
    from tickets.backups.services import nightly_backup

    return nightly_backup(now)


def optimize_search_index(now: datetime) -> str:
    """SQLite: merge the search index's segments, so every search reads one (see search.py)."""
    from tickets.extensions import db
    from tickets.helpdesk.search import optimize_index

    return optimize_index(db.session)


def heartbeat(now: datetime) -> str:
    """Test job (`flask jobs run --heartbeat N`): does nothing, so each tick shows in the table."""
    return "Latido"


JOBS: tuple[Job, ...] = (
    Job(
        "mail",
        send_mail,
        {"minute": "*"},
        "Envío de correos",
        "Cada minuto",
        "Envía los correos pendientes de la bandeja de salida.",
        lease=timedelta(minutes=2),
    ),
    Job(
        "sla-sweep",
        sweep_sla,
        {"minute": "*"},
        "Revisión de plazos (SLA)",
        "Cada minuto",
        "Marca los tickets que vencieron su plazo y avisa una vez a la persona responsable y a "
        "supervisión.",
        lease=timedelta(minutes=2),
    ),
    Job(
        "auto-close",
        close_resolved,
        {"minute": 5},
        "Cierre automático de resueltos",
        "Cada hora, al minuto 5",
        "Cierra los tickets resueltos hace 5 días hábiles sin respuesta de quien los pidió.",
    ),
    Job(
        "monthly-report",
        draft_monthly_report,
        {"day": 1, "hour": 7, "minute": 0},
        "Borrador del informe mensual",
        "El día 1 de cada mes a las 07:00",
        "Prepara el borrador del informe del mes anterior y avisa a supervisión.",
        catch_up=timedelta(days=3),
    ),
    Job(
        "prune-runs",
        prune_job_runs,
        {"hour": 3, "minute": 30},
        "Limpieza del registro de ejecuciones",
        "Todos los días a las 03:30",
        "Borra del registro las ejecuciones de más de 30 días.",
    ),
    Job(
        "backup",
        back_up_database,
        {"hour": 2, "minute": 30},
        "Copia de seguridad de la base SQLite",
        "Todos los días a las 02:30",
        "Copia verificada de la base SQLite, con rotación; en PostgreSQL no aplica (pg_dump).",
        lease=timedelta(hours=1),
        catch_up=timedelta(days=1),  # a night missed while no scheduler ran is done at start
    ),
    Job(
        "search-index",
        optimize_search_index,
        {"hour": 3, "minute": 0},
        "Mantenimiento del índice de búsqueda",
        "Todos los días a las 03:00",
        "Compacta el índice de búsqueda de la base SQLite en un solo segmento, para que cada "
        "búsqueda lea menos; en PostgreSQL no aplica (autovacuum).",
        lease=timedelta(hours=1),
    ),
)


def heartbeat_job(seconds: int) -> Job:
    """A job every ``seconds`` (aligned on the clock), for the two-process test."""
    return Job(
        "heartbeat",
        heartbeat,
        {"second": f"*/{seconds}"},
        "Latido de prueba",
        f"Cada {seconds} s (prueba)",
        "Tarea de prueba: no hace nada.",
        timedelta(seconds=2 * seconds),
    )


def job_named(name: str) -> Job | None:
    """The job in ``JOBS`` with this id, or None."""
    return next((job for job in JOBS if job.name == name), None)


# --- the scheduler ------------------------------------------------------------------------------


def build_scheduler(
    app: Flask, jobs: tuple[Job, ...] = JOBS, *, holder: str | None = None
) -> BlockingScheduler:
    """A BlockingScheduler in Mexico City time with every job registered; not started."""
    tz = timezone_of(app)
    scheduler = BlockingScheduler(timezone=tz, job_defaults=JOB_OPTIONS)
    holder = holder or runner.process_holder()
    for job in jobs:
        trigger = CronTrigger(timezone=tz, **job.when)
        call = functools.partial(run_scheduled, app, job, trigger, holder)
        scheduler.add_job(call, trigger, id=job.name, name=job.schedule, **JOB_OPTIONS)
    return scheduler


def run_scheduled(app: Flask, job: Job, trigger: CronTrigger, holder: str) -> runner.RunResult:
    """What APScheduler calls: the run for the tick that just fired."""
    now = utcnow()
    tick = scheduled_tick(trigger, now) or now
    return runner.run_job(app, job.name, job.func, tick, now, holder=holder, ttl=job.lease)


def catch_up(
    app: Flask, jobs: tuple[Job, ...], holder: str, now: datetime | None = None
) -> dict[str, runner.RunResult]:
    """At start: run each catch-up job's latest tick if it fell while no scheduler was running.

    A tick that already has a run is skipped by the run table (outcome ``done``), so starting a
    second process, or restarting one, never repeats the monthly draft.
    """
    now = now or utcnow()
    tz = timezone_of(app)
    results = {}
    for job in jobs:
        if job.catch_up is None:
            continue
        tick = scheduled_tick(CronTrigger(timezone=tz, **job.when), now, job.catch_up)
        if tick is not None:
            results[job.name] = runner.run_job(
                app, job.name, job.func, tick, now, holder=holder, ttl=job.lease
            )
    return results


def scheduled_tick(
    trigger: CronTrigger, now: datetime, window: timedelta = MISFIRE_GRACE
) -> datetime | None:
    """The latest instant the trigger fired at or before ``now``, if within ``window``."""
    latest = None
    fire = trigger.get_next_fire_time(None, now - window)
    while fire is not None and fire <= now:
        latest = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return latest


def next_run(job: Job, now: datetime, tz: ZoneInfo) -> datetime | None:
    """When the job fires next, for the admin page."""
    return CronTrigger(timezone=tz, **job.when).get_next_fire_time(None, now)


def timezone_of(app: Flask) -> ZoneInfo:
    return ZoneInfo(app.config.get("TICKETS_TIMEZONE") or "America/Mexico_City")


# --- helpers of the monthly job -----------------------------------------------------------------


def month_label(month: str) -> str:
    """'noviembre de 2021'."""
    year, number = (int(part) for part in month.split("-"))
    return format_date(date(year, number, 1), "MMMM 'de' y", locale="es_MX")


def notify_report_drafted(month: str) -> int:
    """One outbox mail to every enabled supervisor and admin; commits; returns how many."""
    from tickets.accounts.models import Role
    from tickets.accounts.queries import active_people
    from tickets.core.session import commit
    from tickets.notifications.services import enqueue

    people = active_people(Role.SUPERVISOR, Role.ADMIN)
    label = month_label(month)
    for person in people:
        enqueue(
            "report_drafted",
            person.email,
            f"Informe mensual: borrador de {label} listo para revisión",
            "report_drafted",
            user=person,
            month=month,
            month_label=label,
        )
    commit()
    return len(people)
