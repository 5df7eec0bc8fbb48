"""Per-request cost without HTTP, workers or load generator: median of N in-process requests.

    .venv/bin/python bench/inprocess.py --database-url sqlite:///bench/out/mesatic_1m.db

Runs the bare page and the three Mesa TIC pages through Flask's test client, one request at
a time on one core, and prints the median and 90th percentile milliseconds and the ratio to
the bare page. It complements run_load.sh: on a shared machine the median of sequential
requests moves less with other people's load than throughput does.
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


def timings(client, path: str, n: int, headers=None) -> list[float]:
    for _ in range(5):  # warm caches and connections
        client.get(path, headers=headers)
    out = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(path, headers=headers)
        out.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code}")
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("-n", type=int, default=60)
    args = parser.parse_args()
    url = normalise_url(args.database_url)
    os.environ["DATABASE_URL"] = url
    sys.path.insert(0, str(ROOT / "bench"))
    import bare

    results = {"bare": timings(bare.create_app().test_client(), "/", args.n)}
    app = create_bench_app(url)
    client = app.test_client()
    token = CSRF.search(client.get("/login").get_data(as_text=True)).group(1)
    client.post(
        "/login", data={"csrf_token": token, "email": BENCH_LOGIN, "password": BENCH_PASSWORD}
    )
    paths = targets(url)
    for name in ("QUEUE_PATH", "SEARCH_PATH", "DETAIL_PATH"):
        results[name.removesuffix("_PATH").lower()] = timings(client, paths[name], args.n)
    base = statistics.median(results["bare"])
    print("| page | median (ms) | p90 (ms) | median ÷ bare |")
    print("| --- | ---: | ---: | ---: |")
    for name, values in results.items():
        median = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"| {name} | {median:.1f} | {p90:.1f} | {median / base:.2f}× |")


if __name__ == "__main__":
    main()
