"""Time the monthly report on the 1M-ticket data: the busiest month, median of N runs.

    .venv/bin/python bench/report.py --database-url sqlite:///bench/out/mesatic_1m.db
    .venv/bin/python bench/report.py --database-url postgresql+psycopg://postgres@127.0.0.1/bench_mesatic

Bring the database to the current schema first (`flask db upgrade`): the report reads the
covering index `ix_tickets_report_month_cover`. Prints, for the month with most tickets, the
median and worst wall time of `build_report_data` (every figure and the narrative) and of
`data_fingerprint` (the "modified since approval" check).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup import create_bench_app, normalise_url  # noqa: E402


def _timed(func, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    app = create_bench_app(normalise_url(args.database_url))
    from tickets.extensions import db
    from tickets.helpdesk.models import Ticket
    from tickets.reports.build import build_report_data
    from tickets.reports.services import data_fingerprint

    with app.app_context():
        total = db.session.scalar(sa.select(sa.func.count()).select_from(Ticket))
        month, size = db.session.execute(
            sa.select(Ticket.report_month, sa.func.count())
            .group_by(Ticket.report_month)
            .order_by(sa.func.count().desc())
            .limit(1)
        ).one()
        build_report_data(month)  # warm the caches once, as a server would be
        report = _timed(lambda: build_report_data(month), args.runs)
        fingerprint = _timed(lambda: data_fingerprint(month), args.runs)
        dialect = db.engine.dialect.name
    print(f"{dialect}: {total:,} tickets; {month} has {size:,}")
    for name, times in (("build_report_data", report), ("data_fingerprint", fingerprint)):
        print(f"  {name}: median {statistics.median(times):.0f} ms, worst {max(times):.0f} ms")


if __name__ == "__main__":
    main()
