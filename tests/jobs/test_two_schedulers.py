"""Two `flask jobs run` processes on one PostgreSQL database: each tick runs exactly once.

Each process runs the real command with a test job, "heartbeat", every 2 seconds on the clock
(`JOBS_TEST_INTERVAL_SECONDS=2`), next to the real jobs (mail and sla-sweep every minute, the
backup's catch-up at start…), against the test database. The run table then shows which process
ran which tick, and each process's log which job functions it actually ran.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from apscheduler.triggers.cron import CronTrigger

from tests.conftest import TEST_DATABASE_URL
from tickets.extensions import db
from tickets.jobs import runner, scheduler
from tickets.jobs.models import JobRun

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
INTERVAL = 2
TTL = timedelta(seconds=2 * INTERVAL)  # heartbeat_job's lease
WINDOW = 30  # seconds both processes run in the long test
RAN = re.compile(r"(\S+) (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[-+]\d\d:\d\d): (correcta|error)")


class SchedulerProcess:
    """One `flask jobs run` in a subprocess, its output in a file."""

    def __init__(self, log: Path) -> None:
        self.log = log
        env = {
            **os.environ,
            "FLASK_APP": "wsgi",
            "TICKETS_CONFIG": "testing",
            "TEST_DATABASE_URL": TEST_DATABASE_URL,
            "JOBS_TEST_INTERVAL_SECONDS": str(INTERVAL),
            "PYTHONUNBUFFERED": "1",
        }
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "flask", "jobs", "run"],
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    @property
    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def wait_started(self, timeout: float = 30) -> str:
        """The holder name the process announces when its scheduler starts."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            match = re.search(r"iniciado como (\S+):", self.output)
            if match:
                return match.group(1)
            assert self.process.poll() is None, self.output
            time.sleep(0.1)
        raise AssertionError(f"the scheduler did not start:\n{self.output}")

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        return self.process.wait(timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(5)


@pytest.fixture
def start(tmp_path):
    """Start scheduler processes; whatever is still running at the end is killed."""
    started: list[SchedulerProcess] = []

    def make(name: str) -> SchedulerProcess:
        process = SchedulerProcess(tmp_path / f"{name}.log")
        started.append(process)
        return process

    yield make
    for process in started:
        process.kill()


def _heartbeats(app) -> list[tuple[datetime, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(JobRun.tick, JobRun.holder, JobRun.outcome)
            .where(JobRun.job == "heartbeat")
            .order_by(JobRun.tick)
        ).all()
    return [(datetime.fromisoformat(tick), holder, outcome) for tick, holder, outcome in rows]


def _table(runs) -> str:
    """The heartbeat runs as lines, for assertion messages."""
    return "\n".join(f"{tick:%H:%M:%S} {holder} {outcome}" for tick, holder, outcome in runs)


def _sleep_to_mid_interval() -> None:
    """Wait until halfway between two ticks, so a stop never lands on a tick."""
    now = time.time()
    time.sleep((INTERVAL - now % INTERVAL) + INTERVAL / 2)


def _leader(app) -> str:
    return _heartbeats(app)[-1][1]


def _steps(runs) -> list[float]:
    ticks = [tick for tick, _holder, _outcome in runs]
    return [(b - a).total_seconds() for a, b in zip(ticks, ticks[1:], strict=False)]


def _holder_of(processes: dict[str, SchedulerProcess], holder: str) -> SchedulerProcess:
    return processes[holder]


def _all_runs(app) -> Counter:
    """(job, tick) -> rows in the run table, every job."""
    with app.app_context():
        rows = db.session.execute(sa.select(JobRun.job, JobRun.tick)).all()
    return Counter((job, tick) for job, tick in rows)


def _expected_ticks(app, start: datetime, end: datetime) -> set[tuple[str, str]]:
    """Every (job, tick) the clock fired strictly inside (start, end): heartbeat, mail, sla…"""
    tz = scheduler.timezone_of(app)
    expected = set()
    for job in (*scheduler.JOBS, scheduler.heartbeat_job(INTERVAL)):
        trigger = CronTrigger(timezone=tz, **job.when)
        fire = trigger.get_next_fire_time(None, start)
        while fire is not None and fire < end:
            expected.add((job.name, runner.tick_key(fire)))
            fire = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
    return expected


def _assert_each_tick_ran_once(app, start: datetime, end: datetime, *processes) -> None:
    """From the run table and from both logs: each tick in the window ran once, none missed."""
    expected = _expected_ticks(app, start, end)
    runs = _all_runs(app)
    ran = _ran_in_logs(*processes)
    inside = {key for key in runs if start < datetime.fromisoformat(key[1]) < end}
    table = "\n".join(f"{job} {tick} rows={runs[job, tick]}" for job, tick in sorted(runs))
    assert {"heartbeat", "mail", "sla-sweep"} <= {job for job, _tick in expected}
    assert inside == expected, table  # no tick missed, none invented
    assert {key: runs[key] for key in expected} == dict.fromkeys(expected, 1), table
    assert {key: ran[key] for key in expected} == dict.fromkeys(expected, 1), table
    # At start both processes tried the backup's catch-up (the latest 02:30): one ran it.
    [backup] = [key for key in runs if key[0] == "backup"]
    assert (runs[backup], ran[backup]) == (1, 1)


def _ran_in_logs(*processes: SchedulerProcess) -> Counter:
    """(job, tick) -> how many processes logged that they ran the job function for it."""
    return Counter(
        (job, tick) for process in processes for job, tick, _how in RAN.findall(process.output)
    )


def _start_so_a_minute_boundary_falls_inside() -> None:
    """Start ~36 s past a minute: the window opens once both processes run (1-10 s later, more
    on a busy machine), after second 30, so its 30 s or more hold a minute's tick (mail,
    sla-sweep). Starting at second 20-34 let a slow start open the window at :26 and close it
    at :59, with no minute tick inside."""
    second = time.time() % 60
    if not 34 <= second <= 40:
        time.sleep((36 - second) % 60)


def test_two_schedulers_run_each_tick_once_and_a_clean_stop_hands_over_at_once(app, start):
    _start_so_a_minute_boundary_falls_inside()
    a, b = start("a"), start("b")
    processes = {a.wait_started(): a, b.wait_started(): b}
    time.sleep(1)  # the catch-up runs (backup) end and both schedulers are started
    window_start = datetime.now().astimezone()
    time.sleep(WINDOW * 2 / 3)
    _sleep_to_mid_interval()
    leader_name = _leader(app)
    leader = _holder_of(processes, leader_name)
    standby = next(p for name, p in processes.items() if name != leader_name)

    handed_over_at = datetime.now().astimezone()
    assert leader.stop(signal.SIGTERM) == 0
    time.sleep(max(3 * INTERVAL, WINDOW - (handed_over_at - window_start).total_seconds()))
    _sleep_to_mid_interval()
    window_end = datetime.now().astimezone()
    assert standby.stop(signal.SIGTERM) == 0

    assert (window_end - window_start).total_seconds() >= WINDOW
    _assert_each_tick_ran_once(app, window_start, window_end, a, b)

    runs = _heartbeats(app)
    assert max(Counter(tick for tick, _h, _o in runs).values()) == 1  # each tick once
    assert set(_steps(runs)) == {float(INTERVAL)}  # and none missed, even at the handover
    assert {outcome for _t, _h, outcome in runs} == {"ok"}
    before = {holder for tick, holder, _o in runs if tick < handed_over_at}
    after = [holder for tick, holder, _o in runs if tick > handed_over_at]
    assert before == {leader_name}, _table(runs) + f"\nstop at {handed_over_at:%H:%M:%S}"
    assert len(after) >= 2 and set(after) == set(processes) - before, _table(runs)
    assert "heartbeat" in standby.output and "otro proceso tiene la tarea; se omite" in (
        standby.output
    )  # the standby fired every tick too, and the lease held it back
    assert "Programador de tareas detenido." in leader.output


def test_when_the_leader_dies_the_other_takes_over_once_its_lease_expires(app, start):
    a, b = start("a"), start("b")
    processes = {a.wait_started(): a, b.wait_started(): b}
    time.sleep(2 * INTERVAL)
    _sleep_to_mid_interval()
    leader_name = _leader(app)
    standby = next(p for name, p in processes.items() if name != leader_name)

    _holder_of(processes, leader_name).kill()  # SIGKILL: no clean release of the lease
    time.sleep(TTL.total_seconds() + 3 * INTERVAL)
    assert standby.stop(signal.SIGTERM) == 0

    runs = _heartbeats(app)
    assert max(Counter(tick for tick, _h, _o in runs).values()) == 1
    holders = [holder for _t, holder, _o in runs]
    switch = holders.index(next(h for h in holders if h != leader_name))
    assert set(holders[:switch]) == {leader_name} and leader_name not in holders[switch:]
    steps = _steps(runs)
    gap = steps[switch - 1]
    assert INTERVAL < gap <= TTL.total_seconds() + INTERVAL  # held out until the lease expired
    assert set(steps[: switch - 1] + steps[switch:]) == {float(INTERVAL)}
