"""Per-request cost without HTTP, workers or load generator: median of N in-process requests.

    .venv/bin/python bench/inprocess.py --database-url sqlite:///bench/out/mesatic_1m.db

Runs the bare page and the three Mesa TIC pages through Flask's test client, one request at
a time on one core, and prints the median and 90th percentile milliseconds and the ratio to
the bare page. It complements run_load.sh: on a shared machine the median of sequential
requests moves less with other people's load than throughput does.

The pages are taken in turn (bare, queue, search, ticket, bare, queue, ...), so a burst of
someone else's load hits every page alike instead of one block of requests. Besides the wall
time it records this process's CPU time per request (``time.process_time``): on PostgreSQL
that leaves out the server's work, on SQLite it is all of it.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.prepare_load import targets  # noqa: E402
from bench.setup import BENCH_LOGIN, BENCH_PASSWORD, create_bench_app, normalise_url  # noqa: E402

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
WARM_UP = 5


def one_request(client, path: str) -> tuple[float, float]:
    """Wall and CPU milliseconds of one GET, which must answer 200."""
    wall, cpu = time.perf_counter(), time.process_time()
    response = client.get(path)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if response.status_code != 200:
        raise SystemExit(f"{path}: HTTP {response.status_code}")
    return wall * 1000, cpu * 1000


def logged_in_client(url: str):
    """A test client of the real app, logged in through the real form (CSRF on)."""
    client = create_bench_app(url).test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post(
        "/login", data={"csrf_token": token, "email": BENCH_LOGIN, "password": BENCH_PASSWORD}
    )
    return client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("-n", type=int, default=60, help="requests per page, after warm-up")
    args = parser.parse_args()
    url = normalise_url(args.database_url)
    os.environ["DATABASE_URL"] = url
    sys.path.insert(0, str(ROOT / "bench"))
    import bare

    paths = targets(url)
    client = logged_in_client(url)
    pages = {
        "bare": (bare.create_app().test_client(), "/"),
        **{
            name.removesuffix("_PATH").lower(): (client, paths[name])
            for name in ("QUEUE_PATH", "SEARCH_PATH", "DETAIL_PATH")
        },
    }
    wall: dict[str, list[float]] = {name: [] for name in pages}
    cpu: dict[str, list[float]] = {name: [] for name in pages}
    for round_ in range(WARM_UP + args.n):
        for name, (page_client, path) in pages.items():
            w, c = one_request(page_client, path)
            if round_ >= WARM_UP:
                wall[name].append(w)
                cpu[name].append(c)
    base_wall, base_cpu = statistics.median(wall["bare"]), statistics.median(cpu["bare"])
    print(f"load average: {os.getloadavg()[0]:.2f}; {args.n} rounds after {WARM_UP} warm-up")
    print("| page | median (ms) | p90 (ms) | median ÷ bare | CPU median (ms) | CPU ÷ bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name in pages:
        median = statistics.median(wall[name])
        p90 = statistics.quantiles(wall[name], n=10)[-1]
        cpu_median = statistics.median(cpu[name])
        print(
            f"| {name} | {median:.1f} | {p90:.1f} | {median / base_wall:.2f}× "
            f"| {cpu_median:.1f} | {cpu_median / base_cpu:.2f}× |"
        )


if __name__ == "__main__":
    main()
