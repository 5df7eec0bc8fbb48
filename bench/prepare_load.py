"""Log in once and pick the pages to load; prints shell assignments for run_load.sh.

    eval "$(.venv/bin/python bench/prepare_load.py --base http://127.0.0.1:8001 \\
        --database-url sqlite:///bench/out/mesatic_1m.db)"

Sets COOKIE (the session cookie header value), USER_AGENT, QUEUE_PATH (first page of
in-progress tickets in Guerrero), SEARCH_PATH (?q=computo), DETAIL_PATH (a ticket with
three or more comments). Each page is fetched once with the cookie and must answer 200 with
the content it promises, or this script exits non-zero. Only loopback bases are accepted.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import re
import shlex
import sys
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402

from bench.setup import BENCH_LOGIN, BENCH_PASSWORD, normalise_url  # noqa: E402

USER_AGENT = "mesatic-bench/1.0"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def targets(database_url: str) -> dict[str, str]:
    """Paths of the three pages, from the benchmark database."""
    engine = sa.create_engine(normalise_url(database_url))
    with engine.connect() as conn:
        guerrero = conn.execute(sa.text("SELECT id FROM states WHERE key = '12'")).scalar_one()
        middle = conn.execute(sa.text("SELECT max(id) / 2 FROM tickets")).scalar_one()
        folio = conn.execute(
            sa.text(
                "SELECT t.folio FROM tickets t WHERE t.id = (SELECT ticket_id FROM comments "
                "WHERE ticket_id > :middle GROUP BY ticket_id HAVING count(*) >= 3 "
                "ORDER BY ticket_id LIMIT 1)"
            ),
            {"middle": middle},
        ).scalar_one()
    engine.dispose()
    return {
        "QUEUE_PATH": f"/tickets/?status=in_progress&state={guerrero}",
        "SEARCH_PATH": "/tickets/?q=computo",
        "DETAIL_PATH": f"/tickets/{folio}",
        "DETAIL_FOLIO": folio,
    }


def login(base: str) -> tuple[urllib.request.OpenerDirector, str]:
    """GET /login for the CSRF token, POST the bench operator's credentials; return the cookie."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("User-Agent", USER_AGENT)]
    page = opener.open(f"{base}/login", timeout=30).read().decode()
    match = CSRF.search(page)
    if not match:
        sys.exit("No csrf_token on /login")
    form = {"csrf_token": match.group(1), "email": BENCH_LOGIN, "password": BENCH_PASSWORD}
    response = opener.open(f"{base}/login", urllib.parse.urlencode(form).encode(), timeout=30)
    if response.geturl().rstrip("/").endswith("/login"):
        sys.exit("Login failed: still on /login")
    cookie = "; ".join(f"{c.name}={c.value}" for c in jar)
    return opener, cookie


def check(opener, base: str, path: str, must_contain: str) -> int:
    """Fetch a page once; it must be a 200 with the expected text. Returns its size."""
    response = opener.open(f"{base}{path}", timeout=120)
    body = response.read().decode()
    if response.status != 200 or must_contain not in body or "Iniciar sesión</h1>" in body:
        sys.exit(f"{path}: HTTP {response.status}, expected text {must_contain!r} missing")
    return len(body)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    host = urllib.parse.urlsplit(args.base).hostname or ""
    if not (host.startswith("127.") or host in ("localhost", "::1")):
        sys.exit("Only loopback addresses are allowed")
    values = targets(args.database_url)
    opener, cookie = login(args.base)
    sizes = {
        "QUEUE_BYTES": check(opener, args.base, values["QUEUE_PATH"], "<table"),
        "SEARCH_BYTES": check(opener, args.base, values["SEARCH_PATH"], "<table"),
        "DETAIL_BYTES": check(opener, args.base, values["DETAIL_PATH"], values["DETAIL_FOLIO"]),
    }
    for key, value in {**values, **sizes, "COOKIE": cookie, "USER_AGENT": USER_AGENT}.items():
        print(f"{key}={shlex.quote(str(value))}")


if __name__ == "__main__":
    main()
