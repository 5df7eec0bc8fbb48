"""Turn the wrk outputs of one run_load.sh run into a Markdown table.

.venv/bin/python bench/summarize.py bench/out/load_sqlite
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

PAGES = (
    ("bare", "bare Flask page, 50 rows"),
    ("queue", "queue: in progress + Guerrero, page 1"),
    ("search", "search ?q=computo, page 1"),
    ("detail", "ticket page"),
)
UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * UNITS[unit]


def parse(path: Path) -> dict:
    text = path.read_text()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    pct = dict(re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M))
    requests = int(re.search(r"(\d+) requests in", text).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return {
        "rps": rps,
        "p50": _ms(pct["50"]),
        "p99": _ms(pct["99"]),
        "requests": requests,
        "non2xx": int(bad.group(1)) if bad else 0,
        "errors": errors.group(1) if errors else "",
    }


def table(folder: Path) -> str:
    results = {
        key: parse(folder / f"{key}.txt") for key, _ in PAGES if (folder / f"{key}.txt").exists()
    }
    base = results.get("bare")
    lines = [
        "| page | requests/s | p50 (ms) | p99 (ms) | cost vs bare (bare req/s ÷ req/s) | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, label in PAGES:
        r = results.get(key)
        if r is None:
            continue
        ratio = f"{base['rps'] / r['rps']:.2f}×" if base else "—"
        lines.append(
            f"| {label} | {r['rps']:.1f} | {r['p50']:.1f} | {r['p99']:.1f} | {ratio} | "
            f"{r['non2xx']}{' ' + r['errors'] if r['errors'] else ''} |"
        )
    return "\n".join(lines + paired(folder))


def paired(folder: Path) -> list[str]:
    """The alternating windows of run_load.sh (PAIRED_ROUNDS): bare requests ÷ page requests,
    summed over the rounds, and the spread of the per-round ratios."""
    lines = []
    for key, label in PAGES[1:]:
        pages = sorted(folder.glob(f"paired_{key}_[0-9]*.txt"))
        if not pages:
            continue
        bare = [parse(folder / f"paired_{key}_bare_{p.stem.rsplit('_', 1)[1]}.txt") for p in pages]
        page = [parse(p) for p in pages]
        ratios = [b["requests"] / max(p["requests"], 1) for b, p in zip(bare, page, strict=True)]
        total = sum(b["requests"] for b in bare) / max(sum(p["requests"] for p in page), 1)
        lines.append(
            f"| {label}, paired ({len(pages)} alternating windows) | — | — | — | "
            f"**{total:.2f}×** (rounds {min(ratios):.2f}–{max(ratios):.2f}×) | "
            f"{sum(p['non2xx'] for p in page)} |"
        )
    return lines


if __name__ == "__main__":
    print(table(Path(sys.argv[1])))
