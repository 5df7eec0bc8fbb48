"""Build a benchmark database: real schema, catalogs, staff and N realistic tickets.

    .venv/bin/python bench/generate.py --database-url sqlite:///bench/out/mesatic_1m.db \\
        --tickets 1000000 --fresh

The schema comes from the real migrations and the catalogs from the real loader; tickets,
comments and audit events are bulk-inserted with SQLAlchemy Core executemany (the per-ticket
services would take hours for a million rows). Every column is filled the way the services
fill it: consecutive folios per year, report_month in Mexico City time, search_text from
build_search_text, organisations matching the requester type and state, a process only
where the state has an election and the date lies inside the process.

Secondary indexes (and, on SQLite, the FTS5 table and its triggers) are dropped before the
load and recreated afterwards from the exact DDL the migration created.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench import ddl  # noqa: E402
from bench.rows import END_MX, Catalog, TicketFactory, build_day_plan  # noqa: E402
from bench.setup import build_schema, create_bench_app, ensure_fresh, seed_reference  # noqa: E402
from tickets.extensions import db  # noqa: E402
from tickets.helpdesk.models import AuditEvent, Comment, FolioCounter, Ticket  # noqa: E402


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--tickets", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=18, help="ending 2022-06-30")
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--comments", type=float, default=1.5, help="average per ticket")
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="delete the SQLite file / recreate the PostgreSQL database (name must start "
        "with 'bench') before building",
    )
    parser.add_argument(
        "--keep-indexes", action="store_true", help="load with every index in place (slower)"
    )
    return parser.parse_args(argv)


def main(argv=None) -> None:
    args = parse_args(argv)
    started = time.perf_counter()
    if args.fresh:
        ensure_fresh(args.database_url)
    app = create_bench_app(args.database_url)
    with app.app_context():
        phase = Phases()
        how = build_schema(ROOT / "migrations")
        if db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)):
            sys.exit("The database already has tickets; use --fresh or another database.")
        seed_reference()
        phase.done(f"schema by {how}; catalogs, staff")
        catalog = Catalog.load()
        rng = random.Random(args.seed)
        plan = build_day_plan(catalog, args.months, args.tickets, rng)
        phase.done(f"plan of {args.tickets:,} arrival times")
        saved = None if args.keep_indexes else ddl.drop_secondary(db.engine)
        phase.done("dropped secondary indexes" if saved else "kept indexes")
        counts = load(catalog, plan, args, rng)
        phase.done(
            f"inserted {counts['tickets']:,} tickets, {counts['comments']:,} comments, "
            f"{counts['audit']:,} audit events"
        )
        if saved:
            ddl.recreate(db.engine, saved)
            phase.done("recreated indexes and search")
        ddl.finish(db.engine)
        phase.done("sequences and statistics")
    total = time.perf_counter() - started
    print(f"TOTAL {total:,.0f} s ({total / 60:.1f} min) for {args.tickets:,} tickets")


class Phases:
    """Prints how long each step took."""

    def __init__(self) -> None:
        self.last = time.perf_counter()

    def done(self, label: str) -> None:
        now = time.perf_counter()
        print(f"[{now - self.last:8.1f} s] {label}", flush=True)
        self.last = now


def load(catalog: Catalog, plan, args: argparse.Namespace, rng: random.Random) -> dict:
    """Insert tickets in arrival order, batch by batch, each batch in its own transaction."""
    from tqdm import tqdm

    factory = TicketFactory(catalog, rng, comments=args.comments)
    counts = {"tickets": 0, "comments": 0, "audit": 0}
    tables = (Ticket.__table__, Comment.__table__, AuditEvent.__table__)
    with tqdm(total=len(plan), unit="tickets", mininterval=5, file=sys.stdout) as bar:
        for start in range(0, len(plan), args.batch):
            tickets, comments, audit = factory.batch(plan[start : start + args.batch])
            with db.engine.begin() as conn:
                for table, rows in zip(tables, (tickets, comments, audit), strict=True):
                    if rows:
                        conn.execute(sa.insert(table), rows)
            counts["tickets"] += len(tickets)
            counts["comments"] += len(comments)
            counts["audit"] += len(audit)
            bar.update(len(tickets))
    with db.engine.begin() as conn:
        conn.execute(sa.delete(FolioCounter))
        conn.execute(
            sa.insert(FolioCounter.__table__),
            [{"year": y, "last": n} for y, n in sorted(factory.folio_last.items())],
        )
    print(f"folio counters: {dict(sorted(factory.folio_last.items()))}; data ends {END_MX}")
    return counts


if __name__ == "__main__":
    main()
