"""CPU time per request of each page, served by gunicorn, with the database server's share.

    .venv/bin/python bench/cpu_cost.py --database-url sqlite:///bench/out/mesatic_1m.db
    .venv/bin/python bench/cpu_cost.py --database-url postgresql://postgres@127.0.0.1:5432/bench_mesatic

Throughput on a shared virtual machine moves with other people's load and with stolen CPU
(the bare page served 322 to 1,009 requests/s on the same day). The CPU time a request costs
moves much less: this script serves the app and the bare page with one gunicorn worker each,
sends each page one request at a time with wrk for a few seconds, pages taken in turn for
several rounds, and reads how much CPU the worker and, on PostgreSQL, the server's processes
used meanwhile (/proc). The ratio of a page's CPU per request to the bare page's is its cost
in the sense of the performance target, without the noise of req/s. Loopback only.
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shlex
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.setup import normalise_url  # noqa: E402

APP_PORT, BARE_PORT = 8031, 8032
TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int) -> float:
    """User + system seconds of one process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def server_cpu() -> float:
    """User + system seconds of every PostgreSQL process (0 when there is none: SQLite)."""
    total = 0.0
    for comm in glob.glob("/proc/[0-9]*/comm"):
        try:
            if Path(comm).read_text().strip() == "postgres":
                total += process_cpu(int(comm.split("/")[2]))
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def serve(app: str, port: int, env: dict, cwd: Path) -> subprocess.Popen:
    command = [str(ROOT / ".venv/bin/gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}", app]
    return subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def worker_pid(arbiter: subprocess.Popen) -> int:
    """The one worker of a gunicorn arbiter (its only child)."""
    for _ in range(100):
        children = Path(f"/proc/{arbiter.pid}/task/{arbiter.pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.1)
    raise SystemExit("gunicorn started no worker")


def wait_until_up(port: int) -> None:
    for _ in range(120):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return
        except urllib.error.HTTPError:  # it answers (a redirect to the login, a 404)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"nothing answers on port {port}")


def requests_in(url: str, headers: list[str], seconds: int) -> int:
    """Requests wrk completed, one at a time, in ``seconds``; every answer must be 2xx."""
    command = ["wrk", "-t1", "-c1", f"-d{seconds}s", *headers, url]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"{url}: non-2xx answers\n{out}")
    return int(re.search(r"(\d+) requests in", out).group(1))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--seconds", type=int, default=4, help="per page and round")
    args = parser.parse_args()
    url = normalise_url(args.database_url)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench-only-not-secret",
        "TICKETS_CONFIG": "production",
        "SESSION_COOKIE_SECURE": "0",
    }
    app = serve("wsgi:app", APP_PORT, env, ROOT)
    bare = serve("bare:app", BARE_PORT, env, ROOT / "bench")
    try:
        wait_until_up(APP_PORT)
        wait_until_up(BARE_PORT)
        prepared = subprocess.run(
            [str(ROOT / ".venv/bin/python"), "bench/prepare_load.py", "--base",
             f"http://127.0.0.1:{APP_PORT}", "--database-url", url],
            cwd=ROOT, capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
        values = dict(shlex.split(line)[0].split("=", 1) for line in prepared.splitlines())
        login = ["-H", f"Cookie: {values['COOKIE']}", "-H", f"User-Agent: {values['USER_AGENT']}"]
        pages = {
            "bare": (f"http://127.0.0.1:{BARE_PORT}/", [], worker_pid(bare)),
            "queue": (f"http://127.0.0.1:{APP_PORT}{values['QUEUE_PATH']}", login, None),
            "search": (f"http://127.0.0.1:{APP_PORT}{values['SEARCH_PATH']}", login, None),
            "detail": (f"http://127.0.0.1:{APP_PORT}{values['DETAIL_PATH']}", login, None),
        }
        app_worker = worker_pid(app)
        totals = {name: [0, 0.0, 0.0] for name in pages}
        for page_url, headers, _pid in pages.values():  # warm up: kept rows, plans
            requests_in(page_url, headers, 2)
        for round_ in range(args.rounds):
            order = list(pages.items())
            for name, (page_url, headers, pid) in order if round_ % 2 == 0 else order[::-1]:
                pid = pid or app_worker
                worker, server = process_cpu(pid), server_cpu()
                count = requests_in(page_url, headers, args.seconds)
                totals[name][0] += count
                totals[name][1] += process_cpu(pid) - worker
                totals[name][2] += server_cpu() - server
    finally:
        app.terminate()
        bare.terminate()
        app.wait()
        bare.wait()
    print(f"database: {url.split('@')[-1]}; {args.rounds} rounds of {args.seconds} s per page")
    print("| page | requests | worker CPU (ms/request) | database server CPU (ms/request) "
          "| total (ms/request) | total ÷ bare |")  # fmt: skip
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    count, worker, server = totals["bare"]
    bare_total = (worker + server) / count
    for name, (count, worker, server) in totals.items():
        total = (worker + server) / count
        print(
            f"| {name} | {count} | {1000 * worker / count:.2f} | {1000 * server / count:.2f} "
            f"| {1000 * total:.2f} | {total / bare_total:.2f}× |"
        )


if __name__ == "__main__":
    main()
