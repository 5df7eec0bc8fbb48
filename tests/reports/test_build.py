"""build_report_data(): the month's figures from the database, per THE REPORT DATA CONTRACT."""

from __future__ import annotations

import json
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_ticket, org, process, state, system
from tickets.core.errors import ValidationFailed
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import services
from tickets.helpdesk.models import Status
from tickets.prep.models import PrepEvent, PrepEventKind
from tickets.reports.build import build_report_data
from tickets.reports.models import MonthlyReport
from tickets.training.models import Modality, TrainingSession


def ticket(actor, when: str, **overrides):
    """A ticket received at ``when`` (Mexico City wall clock), logged at that moment."""
    moment = parse_local(when)
    return make_ticket(actor, now=moment, received_at=moment, **overrides)


def resolve(actor, item, when: str, *, close: str | None = None) -> None:
    moment = parse_local(when)
    services.assign(actor, item, actor, now=moment)
    services.transition(actor, item, Status.IN_PROGRESS, now=moment)
    services.transition(actor, item, Status.RESOLVED, now=moment)
    if close:
        services.transition(actor, item, Status.CLOSED, now=parse_local(close))


def cancel(actor, item, when: str) -> None:
    services.transition(actor, item, Status.CANCELLED, now=parse_local(when))


def texts(data: dict) -> dict[str, str]:
    return {p["key"]: p["text"] for p in data["narrative"]}


def day_count(data: dict, day: str) -> int:
    return next(row["count"] for row in data["totals"]["by_day"] if row["date"] == day)


def test_a_ticket_at_2330_on_the_last_day_belongs_to_that_month_but_not_one_at_0030(operator):
    ticket(operator, "2021-11-30T23:30:00")
    ticket(operator, "2021-12-01T00:30:00")

    november = build_report_data("2021-11")
    december = build_report_data("2021-12")

    assert november["totals"]["tickets"] == 1
    assert day_count(november, "2021-11-30") == 1
    assert december["totals"]["tickets"] == 1
    assert day_count(december, "2021-12-01") == 1


def test_days_are_mexico_city_days_across_daylight_saving_time(operator):
    # October 2021: UTC-5 until 31 Oct 02:00, UTC-6 after; a fixed shift misplaces one of them.
    ticket(operator, "2021-10-16T00:30:00")
    ticket(operator, "2021-10-31T23:30:00")

    data = build_report_data("2021-10")

    by_day = data["totals"]["by_day"]
    assert [row["date"] for row in by_day] == [f"2021-10-{n:02d}" for n in range(1, 32)]
    assert day_count(data, "2021-10-15") == 0
    assert day_count(data, "2021-10-16") == 1
    assert day_count(data, "2021-10-31") == 1
    assert sum(row["count"] for row in by_day) == 2


def test_resolved_and_pending_are_counted_as_they_stood_when_the_month_ended(operator):
    closed_later = ticket(operator, "2021-11-05T10:00:00")
    resolved_late = ticket(operator, "2021-11-06T10:00:00")
    cancelled_in_month = ticket(operator, "2021-11-07T10:00:00")
    cancelled_later = ticket(operator, "2021-11-08T10:00:00")
    ticket(operator, "2021-11-09T10:00:00")
    resolve(operator, closed_later, "2021-11-20T10:00:00", close="2021-12-01T10:00:00")
    resolve(operator, resolved_late, "2021-12-02T10:00:00")
    cancel(operator, cancelled_in_month, "2021-11-10T10:00:00")
    cancel(operator, cancelled_later, "2021-12-03T10:00:00")

    data = build_report_data("2021-11")

    totals = data["totals"]
    assert (totals["tickets"], totals["resolved"], totals["pending"]) == (4, 1, 3)
    assert totals["cancelled"] == 1
    assert totals["by_process"] == [
        {
            "key": "EXT-2021",
            "name": process("EXT-2021").name,
            "count": 4,
            "resolved": 1,
            "pending": 3,
        }
    ]
    assert texts(data)["EXT-2021.attention"].endswith(
        "por parte de las Juntas Ejecutivas del INE (4); al cierre del mes, 1 resuelta y 3 en "
        "atención."
    )


def test_every_requester_type_is_listed_in_a_fixed_order_even_without_tickets(operator):
    ticket(operator, "2021-11-05T10:00:00")
    ticket(operator, "2021-11-05T11:00:00", organization=org("JL-14"))
    ticket(operator, "2021-11-05T12:00:00", organization=org("OPL-15"))

    data = build_report_data("2021-11")

    assert data["totals"]["by_requester_type"] == [
        {"key": "junta", "label": "Juntas Ejecutivas del INE", "count": 2},
        {"key": "party", "label": "Representaciones de partidos políticos", "count": 0},
        {"key": "candidacy", "label": "Candidaturas independientes", "count": 0},
        {"key": "opl", "label": "Organismos Públicos Locales (OPL)", "count": 1},
        {"key": "central", "label": "Oficinas centrales del INE", "count": 0},
    ]
    assert (
        "por parte de las Juntas Ejecutivas del INE (2) y los Organismos Públicos Locales "
        in (texts(data)["EXT-2021.attention"])
    )


def test_states_are_alphabetical_and_tickets_without_a_state_come_last(operator):
    ticket(operator, "2021-11-05T10:00:00")
    ticket(operator, "2021-11-05T10:10:00")
    ticket(operator, "2021-11-05T10:20:00", organization=org("JD-15-01"))
    ticket(operator, "2021-11-05T10:30:00", organization=org("JL-09"), process_id=None)
    ticket(operator, "2021-11-05T10:40:00", organization=org("CEN-DEOE"), process_id=None)

    data = build_report_data("2021-11")

    assert data["totals"]["by_state"] == [
        {"key": "09", "name": "Ciudad de México", "count": 1},
        {"key": "15", "name": "Estado de México", "count": 1},
        {"key": "12", "name": "Guerrero", "count": 2},
        {"key": None, "name": "Sin entidad federativa", "count": 1},
    ]


def test_systems_are_listed_by_tickets_then_by_name(operator):
    ticket(operator, "2021-11-05T10:00:00", system_id=system("COMPUTOS").id)
    ticket(operator, "2021-11-05T10:10:00", system_id=system("PREP").id)
    ticket(operator, "2021-11-05T10:20:00")
    ticket(operator, "2021-11-05T10:30:00")

    data = build_report_data("2021-11")

    assert [(row["key"], row["count"]) for row in data["totals"]["by_system"]] == [
        ("SIJE", 2),
        ("PREP", 1),  # "Programa de Resultados…" before "Sistema de Cómputos…"
        ("COMPUTOS", 1),
    ]


def test_processes_follow_the_narrative_and_ordinary_activity_comes_last(operator):
    ticket(operator, "2021-11-05T10:00:00", organization=org("JL-09"), process_id=None)
    ticket(
        operator,
        "2021-11-05T10:10:00",
        organization=org("JL-01"),
        process_id=process("PEL-2021-2022").id,
    )
    ticket(operator, "2021-11-05T10:20:00")

    data = build_report_data("2021-11")

    assert [(row["key"], row["name"], row["count"]) for row in data["totals"]["by_process"]] == [
        ("EXT-2021", process("EXT-2021").name, 1),
        ("PEL-2021-2022", "Procesos Electorales Locales 2021-2022", 1),
        (None, "Actividad ordinaria", 1),
    ]
    assert [p["key"] for p in data["narrative"]] == [
        "EXT-2021.intro",
        "EXT-2021.attention",
        "PEL-2021-2022.attention",
        "ordinary",
    ]


def test_a_process_begins_in_its_first_month_with_tickets_and_is_followed_up_after(operator):
    pel = dict(organization=org("JL-01"), process_id=process("PEL-2021-2022").id)
    ticket(operator, "2021-10-20T10:00:00", **pel)
    ticket(operator, "2021-11-05T10:00:00", **pel)

    october = texts(build_report_data("2021-10"))["PEL-2021-2022.attention"]
    november = texts(build_report_data("2021-11"))["PEL-2021-2022.attention"]

    assert "se comenzó a dar atención a 1 solicitud de soporte técnico relativa" in october
    assert "se dio seguimiento y atención a 1 solicitud de soporte técnico relativa" in november


def test_free_fields_and_wording_come_from_the_report(operator):
    ticket(operator, "2021-11-05T10:00:00")
    report = MonthlyReport(
        month="2021-11",
        visit_date="15 de noviembre de 2021",
        junta="Junta Local Ejecutiva en Guerrero",
        objective="Seguimiento al PREP",
        pycipef="Sin asuntos",
        observations="Sin novedades.",
        wording_overrides={"EXT-2021.attention": "Se atendió una solicitud de la Junta."},
    )
    db.session.add(report)
    db.session.commit()

    adjusted = build_report_data("2021-11", report)
    plain = build_report_data("2021-11")

    assert adjusted["header"] == {
        "unit": "Unidad Técnica de Servicios de Informática",
        "states": "32 entidades federativas",
        "visit_date": "15 de noviembre de 2021",
        "junta": "Junta Local Ejecutiva en Guerrero",
        "districts": "",
        "objective": "Seguimiento al PREP",
    }
    assert adjusted["relevant_matters"]["pycipef"] == "Sin asuntos"
    assert adjusted["relevant_matters"]["cip_project"] == (
        "F091910 Apoyo a procesos electorales en materia de TIC"
    )
    assert adjusted["observations"] == "Sin novedades."
    assert texts(adjusted)["EXT-2021.attention"] == "Se atendió una solicitud de la Junta."
    assert plain["header"]["visit_date"] == "" and plain["observations"] == ""
    assert plain["relevant_matters"] == {
        "agreements": "",
        "particular_matters": "",
        "opportunity_areas": "",
        "ordinary_activity": "",
        "pycipef": "",
        "cip_project": "F091910 Apoyo a procesos electorales en materia de TIC",
    }
    assert texts(plain)["EXT-2021.attention"].startswith("En las entidades con proceso")


def _prep(user, state_key: str, kind: PrepEventKind, number: int, held_on: date) -> PrepEvent:
    return PrepEvent(
        process=process("EXT-2021"),
        state=state(state_key),
        kind=kind,
        number=number,
        held_on=held_on,
        followed_by="Vocalía del Registro Federal de Electores de la Junta Local",
        created_by=user,
    )


def test_prep_drills_and_operations_of_the_month_make_their_lines(operator):
    drill, operation = PrepEventKind.DRILL, PrepEventKind.OPERATION
    db.session.add_all(
        [
            _prep(operator, "12", drill, 1, date(2021, 10, 31)),  # October: not in this report
            _prep(operator, "12", drill, 3, date(2021, 11, 21)),
            _prep(operator, "12", drill, 2, date(2021, 11, 14)),
            _prep(operator, "15", drill, 1, date(2021, 11, 4)),
            _prep(operator, "14", operation, 1, date(2021, 11, 21)),
        ]
    )
    db.session.commit()

    data = build_report_data("2021-11")

    assert data["prep_lines"] == [
        {
            "process": "EXT-2021",
            "state_key": "15",
            "state": "Estado de México",
            "dates": ["2021-11-04"],
            "text": "· Estado de México, 4 de noviembre.",
        },
        {
            "process": "EXT-2021",
            "state_key": "12",
            "state": "Guerrero",
            "dates": ["2021-11-14", "2021-11-21"],
            "text": "· Guerrero, 14 y 21 de noviembre.",
        },
    ]
    assert data["prep_operations"] == [
        {"process": "EXT-2021", "state_key": "14", "state": "Jalisco", "date": "2021-11-21"}
    ]
    assert [p["key"] for p in data["narrative"]] == [
        "EXT-2021.intro",
        "EXT-2021.prep_drills",
        "EXT-2021.prep_drills.15",
        "EXT-2021.prep_drills.12",
        "EXT-2021.prep_operations",
    ]
    assert texts(data)["EXT-2021.prep_operations"].endswith(
        "se dio seguimiento a la operación del PREP de Jalisco el 21 de noviembre."
    )


def test_a_phrase_adjusted_in_the_local_folder_changes_the_report(
    app, operator, tmp_path, monkeypatch
):
    ticket(operator, "2021-11-05T10:00:00")
    (tmp_path / "intro_extraordinario_local.txt").write_text(
        "Durante {{ process.year }} se atendieron las elecciones extraordinarias:", encoding="utf-8"
    )
    monkeypatch.setitem(app.config, "REPORT_PHRASES_DIR", str(tmp_path))
    adjusted = texts(build_report_data("2021-11"))
    (tmp_path / "attention_extraordinario_local.txt").write_text(
        "Se atendieron {{ tickets }} {{ plural(tickets, 'solicitud', 'solicitudes') }}.",
        encoding="utf-8",
    )
    added_later = texts(build_report_data("2021-11"))
    monkeypatch.undo()

    assert (
        adjusted["EXT-2021.intro"] == "Durante 2021 se atendieron las elecciones extraordinarias:"
    )
    assert adjusted["EXT-2021.attention"].startswith("En las entidades con proceso electoral")
    assert added_later["EXT-2021.attention"] == "Se atendieron 1 solicitud."
    assert texts(build_report_data("2021-11"))["EXT-2021.intro"].startswith("En el marco de")


def test_people_trained_adds_up_the_sessions_held_in_the_month(operator):
    for held_on, people in (
        (date(2021, 11, 3), 12),
        (date(2021, 11, 30), 8),
        (date(2021, 12, 1), 100),
    ):
        db.session.add(
            TrainingSession(
                held_on=held_on,
                state=state("12"),
                topic="Uso del SIJE",
                modality=Modality.REMOTE,
                people_trained=people,
                created_by=operator,
            )
        )
    db.session.commit()

    assert build_report_data("2021-11")["people_trained"] == 20


def test_the_report_data_has_the_contract_keys_and_is_plain_json(operator):
    ticket(operator, "2021-11-05T10:00:00")

    data = build_report_data("2021-11")

    assert json.loads(json.dumps(data)) == data
    assert list(data) == [
        "month",
        "month_label",
        "title",
        "header",
        "relevant_matters",
        "narrative",
        "prep_lines",
        "prep_operations",
        "totals",
        "people_trained",
        "observations",
    ]
    assert (data["month"], data["month_label"]) == ("2021-11", "noviembre de 2021")
    assert data["title"].startswith("INFORME QUE PRESENTAN LOS INTEGRANTES DE LA JUNTA GENERAL")
    assert list(data["totals"]) == [
        "tickets",
        "resolved",
        "pending",
        "cancelled",
        "by_requester_type",
        "by_state",
        "by_system",
        "by_process",
        "by_day",
    ]
    assert all(set(p) == {"key", "kind", "text"} for p in data["narrative"])


@pytest.mark.parametrize("month", ["2021-13", "noviembre", "2021-1", "", "2021-00"])
def test_a_month_that_does_not_exist_is_refused_in_spanish(ctx, month):
    with pytest.raises(ValidationFailed) as caught:
        build_report_data(month)

    assert "no es un mes válido: escríbalo como AAAA-MM" in str(caught.value)


def _statements_to_build(month: str) -> int:
    statements = []

    def count(*_args) -> None:
        statements.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        build_report_data(month)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_report_costs_the_same_queries_for_few_or_many_tickets(operator):
    ticket(operator, "2021-11-05T10:00:00")
    few = _statements_to_build("2021-11")
    for hour in range(10, 18):
        ticket(operator, f"2021-11-{hour:02d}T{hour:02d}:00:00")
    many = _statements_to_build("2021-11")

    assert build_report_data("2021-11")["totals"]["tickets"] == 9
    assert many == few
