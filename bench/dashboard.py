"""Time each panel query of the supervisor's dashboard on the 1M-ticket data: median of N runs.

    .venv/bin/python bench/dashboard.py --fill-sla \
        --database-url sqlite:///bench/out/mesatic_1m.db
    .venv/bin/python bench/dashboard.py --fill-sla \
        --database-url postgresql+psycopg://postgres@127.0.0.1/bench_mesatic

Bring the database to the current schema first (`flask db upgrade`). ``--now`` is the instant
the board is read at (default: the last ``received_at`` in the data, so "today" is the data's
last day). ``--fill-sla`` first fills the SLA columns of the open tickets in ONE UPDATE, as if
the clock had run 24/7 since each ticket arrived with the default targets of
``tickets.sla.services.DEFAULT_MINUTES`` (risk at 75 %, waiting tickets stopped): the generator
predates those columns. It writes to the benchmark database and says so. ``--explain`` prints
the plan of every statement the board runs.

Each panel function runs in-process, one after the other, after one warm-up pass (a server's
pages are warm); the whole board is also timed with the fragment's rendering.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup import create_bench_app, normalise_url  # noqa: E402

# The board at rest is read every 30 s per screen; 100 ms per panel is the budget.
BUDGET_MS = 100


def _timed(func, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of each run. On SQLite this process's CPU time is all the work,
    so it moves less than the wall time when others load the machine; on PostgreSQL it leaves
    the server's work out."""
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        func()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _panels(now: datetime) -> dict:
    from tickets.dashboard import queries as q

    # The board reads the two SLA lists once and hands their per-person counts to the workload.
    risky, late = q.at_risk_tickets(now), q.breached_tickets(now)
    return {
        "open_by_status": q.open_by_status,
        "open_by_priority": q.open_by_priority,
        "open_by_requester_type": q.open_by_requester_type,
        "open_by_state": q.open_by_state,
        "open_by_process": q.open_by_process,
        "open_by_system": q.open_by_system,
        "today_by_hour": lambda: q.today_by_hour(now),
        "at_risk_tickets": lambda: q.at_risk_tickets(now),
        "breached_tickets": lambda: q.breached_tickets(now),
        "workload": lambda: q.workload(now, risky, late),
    }


def fill_sla(db) -> int:
    """One UPDATE: due and risk times of every open ticket from its received_at and priority."""
    from tickets.sla.queries import OPEN
    from tickets.sla.services import DEFAULT_MINUTES

    dialect = db.engine.dialect.name

    def plus(minutes_by_priority: dict) -> str:
        cases = " ".join(
            f"WHEN '{p.value}' THEN {_add('received_at', m, dialect)}"
            for p, m in minutes_by_priority.items()
        )
        return f"CASE priority {cases} END"

    fr = {p: m[0] for p, m in DEFAULT_MINUTES.items()}
    res = {p: m[1] for p, m in DEFAULT_MINUTES.items()}
    risk = {p: round(m * 0.75) for p, m in fr.items()}
    res_risk = {p: round(m * 0.75) for p, m in res.items()}
    running = "status <> 'waiting'"  # a waiting ticket's clock is stopped: no due time
    statuses = ", ".join(f"'{s.value}'" for s in OPEN)
    sql = f"""
        UPDATE tickets SET
          first_response_due_at = CASE WHEN {running} THEN {plus(fr)} END,
          first_response_risk_at = CASE WHEN {running} THEN {plus(risk)} END,
          resolution_due_at = CASE WHEN {running} THEN {plus(res)} END,
          resolution_risk_at = CASE WHEN {running} THEN {plus(res_risk)} END
        WHERE status IN ({statuses})
    """
    result = db.session.execute(sa.text(sql))
    db.session.commit()
    return result.rowcount


def _add(column: str, minutes: int, dialect: str) -> str:
    if dialect == "postgresql":
        return f"{column} + interval '{minutes} minutes'"
    # SQLAlchemy stores SQLite datetimes as 'YYYY-MM-DD HH:MM:SS.ffffff'; keep that shape so
    # text comparisons with bound parameters stay right.
    return f"strftime('%Y-%m-%d %H:%M:%S', {column}, '+{minutes} minutes') || '.000000'"


def _explain(db, now: datetime) -> None:
    """Run the board once, recording its statements, and print each one's plan."""
    from tickets.dashboard import queries

    statements = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    sa.event.listen(db.engine, "before_cursor_execute", record)
    queries.board(now)
    sa.event.remove(db.engine, "before_cursor_execute", record)
    prefix = "EXPLAIN QUERY PLAN " if db.engine.dialect.name == "sqlite" else "EXPLAIN "
    for statement, parameters in statements:
        print("\n" + " ".join(statement.split())[:160] + " …")
        with db.engine.connect() as conn:
            rows = conn.exec_driver_sql(prefix + statement, parameters).all()
        for row in rows:
            print("   ", row[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--now", help="ISO instant (UTC unless an offset is given)")
    parser.add_argument("--fill-sla", action="store_true", help="fill SLA columns (writes!)")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    app = create_bench_app(normalise_url(args.database_url))
    from flask import render_template

    from tickets.dashboard import queries
    from tickets.extensions import db
    from tickets.helpdesk.models import Ticket
    from tickets.sla.queries import OPEN

    with app.app_context():
        if args.fill_sla:
            print(f"--fill-sla: SLA columns of {fill_sla(db):,} open tickets written (one UPDATE)")
        now = _now(db, Ticket, args.now)
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket))
        open_ = db.session.scalar(
            sa.select(sa.func.count()).select_from(Ticket).where(Ticket.status.in_(OPEN))
        )
        board = queries.board(now)  # warm the caches once, as a server would be
        dialect = db.engine.dialect.name
        print(f"{dialect}: {total:,} tickets, {open_:,} open; now = {now:%Y-%m-%d %H:%M} UTC")
        print(
            f"  board: {board.today_total:,} received today, {board.at_risk.total:,} at risk, "
            f"{board.breached.total:,} breached, {len(board.workload)} people"
        )
        if args.explain:
            _explain(db, now)
        results = {name: _timed(func, args.runs) for name, func in _panels(now).items()}

        def whole():
            with app.test_request_context("/tablero/panel"):
                render_template("dashboard/_panels.html", board=queries.board(now))

        results["whole board + fragment HTML"] = _timed(whole, args.runs)
    width = max(len(name) for name in results)
    for name, (wall, cpu) in results.items():
        median = statistics.median(wall)
        flag = "" if median <= BUDGET_MS or name.startswith("whole") else "  OVER BUDGET"
        print(
            f"  {name:<{width}}  median {median:6.1f} ms  worst {max(wall):6.1f} ms  "
            f"(CPU median {statistics.median(cpu):5.1f} ms){flag}"
        )
    print(f"  load average while measuring: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def _now(db, ticket, value: str | None) -> datetime:
    if value:
        moment = datetime.fromisoformat(value)
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return db.session.scalar(sa.select(sa.func.max(ticket.received_at)))


if __name__ == "__main__":
    main()
