"""Time the SLA recompute of every open ticket (an admin's change) on a benchmark database.

Run with DATABASE_URL pointing at a copy of a 1M-ticket database; the transaction is rolled
back, so nothing changes. `now` is the end of the generated data (2022-06-30 18:00 UTC).
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tickets import create_app  # noqa: E402


def main() -> None:
    app = create_app()
    with app.app_context():
        from tickets.extensions import db
        from tickets.sla import services

        now = datetime(2022, 6, 30, 18, tzinfo=UTC)
        started = time.perf_counter()
        count = services.recompute_open_tickets(now)
        seconds = time.perf_counter() - started
        per_ticket = seconds / max(count, 1) * 1000
        print(f"{count} open tickets recomputed in {seconds:.2f} s ({per_ticket:.2f} ms each)")
        db.session.rollback()


if __name__ == "__main__":
    main()
