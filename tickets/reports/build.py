"""build_report_data(): the month's report as one JSON-ready dict (THE REPORT DATA CONTRACT).

The figures come from ``queries`` (SQL aggregates), the wording from ``narrative`` and the
phrase templates, the free fields and wording overrides from the MonthlyReport row. The web
pages, the CLI, the exports and the approval snapshot all start from this one dict.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from pathlib import Path

from flask import current_app

from tickets.reports import narrative, queries
from tickets.reports.models import MonthlyReport
from tickets.reports.narrative import Attention, ProcessFacts, StateDates
from tickets.reports.queries import Month, TicketFigures, parse_month
from tickets.training.queries import people_trained

__all__ = ["build_report_data", "parse_month", "phrases", "Month"]

TITLE = (
    "INFORME QUE PRESENTAN LOS INTEGRANTES DE LA JUNTA GENERAL EJECUTIVA SOBRE LAS ACTIVIDADES "
    "VINCULADAS CON LOS ÓRGANOS DESCONCENTRADOS DEL INSTITUTO NACIONAL ELECTORAL"
)
UNIT = "Unidad Técnica de Servicios de Informática"
ALL_STATES = "32 entidades federativas"
CIP_PROJECT = "F091910 Apoyo a procesos electorales en materia de TIC"
ORDINARY_NAME = "Actividad ordinaria"
NO_STATE_NAME = "Sin entidad federativa"

# Table labels of the requester types (the narrative's wording is in requesters.txt).
REQUESTER_TABLE_LABELS = {
    "junta": "Juntas Ejecutivas del INE",
    "party": "Representaciones de partidos políticos",
    "candidacy": "Candidaturas independientes",
    "opl": "Organismos Públicos Locales (OPL)",
    "central": "Oficinas centrales del INE",
}

HEADER_FIELDS = ("visit_date", "junta", "districts", "objective")
MATTER_FIELDS = (
    "agreements",
    "particular_matters",
    "opportunity_areas",
    "ordinary_activity",
    "pycipef",
    "cip_project",
)


def phrases() -> narrative.Phrases:
    """The phrase templates: REPORT_PHRASES_DIR (default instance/report_phrases) first, so a
    file there replaces the shipped one of the same name, then templates/reports/phrases."""
    override = Path(
        current_app.config.get("REPORT_PHRASES_DIR")
        or Path(current_app.instance_path) / "report_phrases"
    )
    shipped = Path(current_app.template_folder or "templates") / "reports" / "phrases"
    if not override.is_dir():
        return _phrases((str(shipped),), ())
    # The override folder's listing is part of the cache key: adding, editing or removing a
    # file there takes effect on the next report (Jinja alone would keep using the shipped one).
    listing = tuple(
        sorted((f.name, f.stat().st_mtime_ns) for f in override.glob("*.txt") if f.is_file())
    )
    return _phrases((str(override), str(shipped)), listing)


@functools.lru_cache(maxsize=8)
def _phrases(dirs: tuple[str, ...], _listing: tuple) -> narrative.Phrases:
    # One environment per folder list: templates compile once and reload when a file changes.
    return narrative.Phrases(dirs)


def build_report_data(month: str, report: MonthlyReport | None = None) -> dict:
    """The report of ``month`` ('YYYY-MM') as plain JSON-serialisable data.

    ``report`` supplies the free fields and the supervisor's wording overrides; without it
    they are blank (the CIP project has its default).

    :raises ValidationFailed: ``month`` is not a real AAAA-MM month.
    """
    span = parse_month(month)
    counts = queries.ticket_counts(span)
    figures = queries.figures(counts)
    prep = queries.prep_events(span)
    process_ids = {f.process_id for f in figures if f.process_id and f.counted}
    process_ids |= {row.process_id for row in prep}
    catalog = queries.processes(process_ids)
    with_tickets = {f.process_id for f in figures if f.process_id}
    earlier = queries.processes_with_earlier_tickets(with_tickets & process_ids, span)
    facts = _process_facts(catalog, figures, prep, earlier)
    ordinary = _attention([f for f in figures if f.process_id is None])
    overrides = (report.wording_overrides if report else None) or {}
    paragraphs = narrative.build_narrative(facts, ordinary, phrases(), overrides)
    texts = {p.key: p.text for p in paragraphs}
    return {
        "month": span.key,
        "month_label": narrative.month_label(span.year, span.number),
        "title": TITLE,
        "header": _header(report),
        "relevant_matters": {name: _field(report, name) for name in MATTER_FIELDS},
        "narrative": [p.as_dict() for p in paragraphs],
        "prep_lines": _prep_lines(facts, texts),
        "prep_operations": _prep_operations(facts),
        "totals": _totals(span, counts, figures, facts),
        "people_trained": people_trained(span.key),
        "observations": _field(report, "observations"),
    }


def _field(report: MonthlyReport | None, name: str) -> str:
    value = getattr(report, name, None) if report is not None else None
    if value is None:
        return CIP_PROJECT if name == "cip_project" else ""
    return value


def _header(report: MonthlyReport | None) -> dict:
    header = {"unit": UNIT, "states": ALL_STATES}
    header.update({name: _field(report, name) for name in HEADER_FIELDS})
    return header


def _attention(rows: list[TicketFigures]) -> Attention | None:
    """Counted tickets, resolved and pending at month end, and tickets per requester type."""
    by_requester: dict[str, int] = defaultdict(int)
    resolved = pending = 0
    for row in rows:
        by_requester[row.requester_type] += row.counted
        resolved += row.resolved
        pending += row.pending
    total = resolved + pending
    return Attention(total, resolved, pending, dict(by_requester)) if total else None


def _process_facts(catalog, figures, prep, earlier) -> list[ProcessFacts]:
    dates: dict[tuple, list] = defaultdict(list)
    names: dict[str, str] = {}
    for row in prep:
        dates[(row.process_id, row.kind.value, row.state_key)].append(row.held_on)
        names[row.state_key] = row.state

    def state_dates(process_id: int, kind: str) -> tuple[StateDates, ...]:
        return tuple(
            StateDates(state_key, names[state_key], tuple(days))
            for (pid, k, state_key), days in dates.items()
            if pid == process_id and k == kind
        )

    return [
        ProcessFacts(
            key=process.key,
            name=process.name,
            kind=process.kind,
            states_with_elections=process.states_with_elections,
            first_month=process.id not in earlier,
            attention=_attention([f for f in figures if f.process_id == process.id]),
            drills=state_dates(process.id, "drill"),
            operations=state_dates(process.id, "operation"),
            starts_on=process.starts_on,
        )
        for process in catalog.values()
    ]


def _prep_lines(facts: list[ProcessFacts], texts: dict[str, str]) -> list[dict]:
    """One entry per drill line, in the narrative's order; ``text`` as the narrative says it."""
    lines = []
    for process in narrative.ordered_processes(facts):
        for item in sorted(process.drills, key=lambda s: narrative.state_sort_key(s.state)):
            key = f"{process.key}.prep_drills.{item.state_key}"
            lines.append(
                {
                    "process": process.key,
                    "state_key": item.state_key,
                    "state": item.state,
                    "dates": [day.isoformat() for day in sorted(set(item.dates))],
                    "text": texts[key],
                }
            )
    return lines


def _prep_operations(facts: list[ProcessFacts]) -> list[dict]:
    """One entry per PREP operation, processes in the narrative's order, states alphabetical."""
    rows = []
    for process in narrative.ordered_processes(facts):
        for item in sorted(process.operations, key=lambda s: narrative.state_sort_key(s.state)):
            for day in sorted(set(item.dates)):
                rows.append(
                    {
                        "process": process.key,
                        "state_key": item.state_key,
                        "state": item.state,
                        "date": day.isoformat(),
                    }
                )
    return rows


def _totals(span: Month, counts, figures: list[TicketFigures], facts) -> dict:
    places = queries.counts_by_state_and_system(span)
    everything = _attention(figures) or Attention(0, 0, 0, {})
    return {
        "tickets": everything.tickets,
        "resolved": everything.resolved,
        "pending": everything.pending,
        "cancelled": sum(f.cancelled for f in figures),
        "by_requester_type": [
            {"key": key, "label": label, "count": everything.by_requester.get(key, 0)}
            for key, label in REQUESTER_TABLE_LABELS.items()
        ],
        "by_state": _by_state(places),
        "by_system": _by_system(places),
        "by_process": _by_process(figures, facts),
        "by_day": [
            {"date": day.isoformat(), "count": n} for day, n in queries.by_day(span, counts).items()
        ],
    }


def _by_state(places: list[tuple]) -> list[dict]:
    """States with tickets, alphabetical (accents folded); tickets without a state last."""
    counts: dict[int | None, int] = defaultdict(int)
    for state_id, _system_id, n in places:
        counts[state_id] += n
    names = queries.states({state_id for state_id in counts if state_id is not None})
    rows = sorted(
        (
            {"key": key, "name": name, "count": counts[state_id]}
            for state_id, (key, name) in names.items()
        ),
        key=lambda row: narrative.state_sort_key(row["name"]),
    )
    if counts.get(None):
        rows.append({"key": None, "name": NO_STATE_NAME, "count": counts[None]})
    return rows


def _by_system(places: list[tuple]) -> list[dict]:
    """Systems with tickets, most tickets first, then by name."""
    counts: dict[int, int] = defaultdict(int)
    for _state_id, system_id, n in places:
        counts[system_id] += n
    names = queries.systems(set(counts))
    rows = [
        {"key": key, "name": name, "count": counts[system_id]}
        for system_id, (key, name) in names.items()
    ]
    return sorted(rows, key=lambda row: (-row["count"], narrative.state_sort_key(row["name"])))


def _by_process(figures: list[TicketFigures], facts: list[ProcessFacts]) -> list[dict]:
    """Processes with tickets in the narrative's order, then ordinary activity."""
    rows = []
    for process in narrative.ordered_processes(facts):
        if process.attention:
            rows.append(_process_row(process.key, process.name, process.attention))
    ordinary = _attention([f for f in figures if f.process_id is None])
    if ordinary:
        rows.append(_process_row(None, ORDINARY_NAME, ordinary))
    return rows


def _process_row(key: str | None, name: str, attention: Attention) -> dict:
    return {
        "key": key,
        "name": name,
        "count": attention.tickets,
        "resolved": attention.resolved,
        "pending": attention.pending,
    }
