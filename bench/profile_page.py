"""Time one page in-process, statement by statement, and show the slow statements' plans.

    .venv/bin/python bench/profile_page.py --database-url sqlite:///bench/out/mesatic_1m.db \\
        '/tickets/?q=computo' [--repeat 5] [--explain-ms 5]

Logs in as the bench operator through the real login form (CSRF on), requests the page
``--repeat`` times, then prints the last request's SQL statements with their durations and,
for every statement slower than ``--explain-ms``, its plan (EXPLAIN QUERY PLAN on SQLite,
EXPLAIN ANALYZE on PostgreSQL).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.setup import BENCH_LOGIN, BENCH_PASSWORD, create_bench_app  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


class StatementTimer:
    """Collects (sql, params, seconds) for every statement the engine runs."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self.rows: list[tuple[str, object, float]] = []
        sa.event.listen(engine, "before_cursor_execute", self._before)
        sa.event.listen(engine, "after_cursor_execute", self._after)

    def stop(self) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._before)
        sa.event.remove(self.engine, "after_cursor_execute", self._after)

    def _before(self, conn, cursor, statement, parameters, context, executemany):
        conn.info["bench_started"] = time.perf_counter()

    def _after(self, conn, cursor, statement, parameters, context, executemany):
        elapsed = time.perf_counter() - conn.info.pop("bench_started", time.perf_counter())
        self.rows.append((statement, parameters, elapsed))


def explain(engine: sa.Engine, statement: str, parameters) -> str:
    prefix = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN ANALYZE "
    with engine.connect() as conn:
        rows = conn.exec_driver_sql(prefix + statement, parameters).all()
    return "\n".join("    " + " | ".join(str(c) for c in row) for row in rows)


def profile_python(client, path: str, top: int) -> None:
    """cProfile over five more requests, sorted by own time (where the Python time goes)."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(5):
        client.get(path)
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--explain-ms", type=float, default=5.0)
    parser.add_argument("--cprofile", type=int, default=0, help="print the top N functions")
    args = parser.parse_args()
    app = create_bench_app(args.database_url)
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post(
        "/login", data={"csrf_token": token, "email": BENCH_LOGIN, "password": BENCH_PASSWORD}
    )
    with app.app_context():
        from tickets.extensions import db

        engine = db.engine
    timer = StatementTimer(engine)
    for n in range(args.repeat):
        timer.rows.clear()
        started = time.perf_counter()
        response = client.get(args.path)
        total = (time.perf_counter() - started) * 1000
        sql_ms = sum(r[2] for r in timer.rows) * 1000
        print(
            f"request {n + 1}: HTTP {response.status_code}, {total:.1f} ms total, "
            f"{len(timer.rows)} statements, {sql_ms:.1f} ms in SQL, {len(response.data)} bytes"
        )
    statements = list(timer.rows)
    timer.stop()
    if args.cprofile:
        profile_python(client, args.path, args.cprofile)
    for statement, parameters, seconds in statements:
        one_line = " ".join(statement.split())
        print(f"\n{seconds * 1000:8.2f} ms  {one_line[:400]}\n          params={parameters}")
        if seconds * 1000 >= args.explain_ms:
            print(explain(engine, statement, parameters))


if __name__ == "__main__":
    main()
