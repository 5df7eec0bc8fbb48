#!/usr/bin/env bash
# Load the real app's queue, search and ticket pages and the bare baseline page with wrk,
# for one database. Loopback only; every wrk run is bounded by DURATION.
#
#   bench/run_load.sh DATABASE_URL LABEL [DURATION] [CONNECTIONS]
#   bench/run_load.sh sqlite:///bench/out/mesatic_1m.db load_sqlite 20s 4
#   bench/run_load.sh postgresql://postgres@127.0.0.1:5432/bench_mesatic load_pg 20s 4
#
# Starts gunicorn (2 sync workers) for wsgi:app on 127.0.0.1:$APP_PORT (8001) and for
# bench/bare.py on 127.0.0.1:$BARE_PORT (8002), logs in once (bench/prepare_load.py), warms
# each page for 5 s, then measures it for DURATION; outputs go to bench/out/LABEL/.
#
# PAIRED_ROUNDS=N (default 0: off) then measures each page N more times in windows of
# PAIRED_WINDOW (5s) that alternate with the bare page (bare, page, bare, page...), so that a
# change in other people's load hits both sides of the ratio alike; summarize.py reports the
# ratio of their request counts as "paired cost vs bare".
#
# UNIQUE_QUERY=1 sends every app request with a query string never seen before
# (bench/unique_query.lua), so the queue and the search pay for building their filter bar each
# time: the cost of a first view, such as a newly typed search, instead of a reloaded one.
set -euo pipefail
cd "$(dirname "$0")/.."

URL_IN=${1:?DATABASE_URL}
LABEL=${2:?LABEL}
DURATION=${3:-20s}
CONNS=${4:-4}
APP_PORT=${APP_PORT:-8001}
BARE_PORT=${BARE_PORT:-8002}
WORKERS=${WORKERS:-2}
PAIRED_ROUNDS=${PAIRED_ROUNDS:-0}
PAIRED_WINDOW=${PAIRED_WINDOW:-5s}
UNIQUE_QUERY=${UNIQUE_QUERY:-0}
APP_SCRIPT=()
[ "$UNIQUE_QUERY" = 1 ] && APP_SCRIPT=(-s bench/unique_query.lua)
OUT="bench/out/$LABEL"
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }

URL=$(.venv/bin/python -c 'import sys; sys.path.insert(0, "."); from bench.setup import normalise_url; print(normalise_url(sys.argv[1]))' "$URL_IN")
export DATABASE_URL="$URL" SECRET_KEY=bench-only-not-secret TICKETS_CONFIG=production SESSION_COOKIE_SECURE=0

.venv/bin/gunicorn -w "$WORKERS" -b "127.0.0.1:$APP_PORT" 'wsgi:app' >"$OUT/gunicorn_app.log" 2>&1 &
APP_PID=$!
.venv/bin/gunicorn -w "$WORKERS" -b "127.0.0.1:$BARE_PORT" --chdir bench 'bare:app' >"$OUT/gunicorn_bare.log" 2>&1 &
BARE_PID=$!
trap 'kill "$APP_PID" "$BARE_PID" 2>/dev/null || true; wait 2>/dev/null || true' EXIT

for port in "$APP_PORT" "$BARE_PORT"; do
  for _ in $(seq 1 60); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 1
  done
done

# An assignment keeps set -e's effect: a failed login or page check stops the run here.
TARGETS=$(.venv/bin/python bench/prepare_load.py --base "http://127.0.0.1:$APP_PORT" --database-url "$URL")
eval "$TARGETS"
{
  echo "database: ${URL%%@*}@…"
  echo "queue:  $QUEUE_PATH ($QUEUE_BYTES bytes)"
  echo "search: $SEARCH_PATH ($SEARCH_BYTES bytes)"
  echo "detail: $DETAIL_PATH ($DETAIL_BYTES bytes)"
  echo "bare:   / ($(curl -s "http://127.0.0.1:$BARE_PORT/" | wc -c) bytes)"
  echo "wrk: -t2 -c$CONNS -d$DURATION --timeout 30s --latency; gunicorn -w $WORKERS (sync); $(nproc) cores"
  echo "unique query strings (UNIQUE_QUERY): $UNIQUE_QUERY"
} | tee "$OUT/pages.txt"

load() {  # name url [cookie]
  local name=$1 url=$2
  local headers=(-H "User-Agent: $USER_AGENT")
  [ "${3:-}" = cookie ] && headers+=(-H "Cookie: $COOKIE" "${APP_SCRIPT[@]}")
  wrk -t2 -c"$CONNS" -d5s --timeout 30s "${headers[@]}" "$url" >/dev/null
  echo "load average before $name: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/pages.txt"
  wrk -t2 -c"$CONNS" -d"$DURATION" --timeout 30s --latency "${headers[@]}" "$url" >"$OUT/$name.txt"
  echo "== $name"; grep -E "Requests/sec|^ +(50|99)%|Non-2xx|Socket errors" "$OUT/$name.txt"
}

load bare "http://127.0.0.1:$BARE_PORT/"
load queue "http://127.0.0.1:$APP_PORT$QUEUE_PATH" cookie
load search "http://127.0.0.1:$APP_PORT$SEARCH_PATH" cookie
load detail "http://127.0.0.1:$APP_PORT$DETAIL_PATH" cookie

paired() {  # name url: PAIRED_ROUNDS windows of the bare page, each followed by one of the page
  local name=$1 url=$2 round
  local app_headers=(-H "User-Agent: $USER_AGENT" -H "Cookie: $COOKIE" "${APP_SCRIPT[@]}")
  for round in $(seq 1 "$PAIRED_ROUNDS"); do
    wrk -t2 -c"$CONNS" -d"$PAIRED_WINDOW" --timeout 30s --latency -H "User-Agent: $USER_AGENT" \
      "http://127.0.0.1:$BARE_PORT/" >"$OUT/paired_${name}_bare_$round.txt"
    wrk -t2 -c"$CONNS" -d"$PAIRED_WINDOW" --timeout 30s --latency "${app_headers[@]}" "$url" \
      >"$OUT/paired_${name}_$round.txt"
  done
  echo "load average after paired $name: $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$OUT/pages.txt"
}

if [ "$PAIRED_ROUNDS" -gt 0 ]; then
  paired queue "http://127.0.0.1:$APP_PORT$QUEUE_PATH"
  paired search "http://127.0.0.1:$APP_PORT$SEARCH_PATH"
  paired detail "http://127.0.0.1:$APP_PORT$DETAIL_PATH"
fi

# The session must still be valid after the runs (a redirect to /login would be a 302 that
# wrk counts as success).
status=$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" -H "User-Agent: $USER_AGENT" \
  "http://127.0.0.1:$APP_PORT$QUEUE_PATH")
[ "$status" = 200 ] || { echo "queue answered $status after the run" >&2; exit 1; }

.venv/bin/python bench/summarize.py "$OUT" | tee "$OUT/summary.md"
