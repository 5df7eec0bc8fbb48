"""Golden test: the seed's section rebuilt from the seed's own facts, paragraph by paragraph.

The seed (shared/seed/000_662403417abc9cfc.txt) is November 2021 typed by hand. Its facts are
recorded here as data: the PREP drills and operations of the five states, tickets from the
four requester types in the extraordinary elections (EXT-2021, which already had work in
October, hence "se dio seguimiento"), and the first tickets of the 2021-2022 local processes
(none before November, hence "se comenzó"). The expected text is the seed's, with the
figures it lacked, Nayarit's drills as real dates (the seed's "21, 42 y 28"), Tlaxcala's line
with its comma and "el" before Tlaxcala's operation date.
"""

from __future__ import annotations

from datetime import date

from tests.factories import make_ticket, org, process, state
from tickets.catalogs.models import Organization, RequesterType
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import services
from tickets.helpdesk.models import Status
from tickets.prep.models import PrepEvent, PrepEventKind
from tickets.reports.build import build_report_data

SEED_NARRATIVE = [
    "En el marco de las actividades para las elecciones extraordinarias derivadas de los "
    "Procesos Electorales 2020-2021, se realizaron las siguientes actividades:",
    "En las entidades con proceso electoral extraordinario, se dio seguimiento y atención a 8 "
    "solicitudes de soporte técnico relativas a la operación de los sistemas informáticos, "
    "desarrollados por el Instituto, por parte de las Juntas Ejecutivas del INE (3), las "
    "representaciones de partidos políticos (2) y, en su caso, candidaturas independientes (1) "
    "y los Organismos Públicos Locales (OPL) (2); al cierre del mes, 5 resueltas y 3 en "
    "atención.",
    "Del mismo modo, en cumplimiento de lo establecido en el artículo 354, numeral 1 del "
    "Reglamento de Elecciones y, como parte de los trabajos asociados a la implementación y "
    "operación del Programa de Resultados Electorales Preliminares (PREP) para las elecciones "
    "extraordinarias 2021 con apoyo del personal de la Junta Local se dio seguimiento a los "
    "simulacros del PREP ejecutados por los OPL conforme a lo siguiente:",
    "· Estado de México, 4 de noviembre.",
    "· Guerrero, 14 y 21 de noviembre.",
    "· Jalisco, 7 y 14 de noviembre.",
    "· Nayarit, 21, 24 y 28 de noviembre.",
    "· Tlaxcala, 21 de noviembre.",
    "Asimismo, en el marco del Proceso Extraordinario y con apoyo de personal de la Junta Local, "
    "se dio seguimiento a la operación del PREP del Estado de México el 14 de noviembre, al de "
    "Guerrero el 28 de noviembre, al de Jalisco el 21 de noviembre y al de Tlaxcala el 28 de "
    "noviembre.",
    "Finalmente, en el marco de las actividades de los Procesos Electorales Locales 2021-2022 en "
    "6 entidades federativas, se comenzó a dar atención a 3 solicitudes de soporte técnico "
    "relativas a la implementación y operación de los sistemas informáticos, desarrollados por "
    "el Instituto.",
]

# (state, kind, dates) as the seed lists them, Nayarit's impossible "42" read as the 24th.
SEED_PREP = [
    ("15", PrepEventKind.DRILL, [date(2021, 11, 4)]),
    ("12", PrepEventKind.DRILL, [date(2021, 11, 14), date(2021, 11, 21)]),
    ("14", PrepEventKind.DRILL, [date(2021, 11, 7), date(2021, 11, 14)]),
    ("18", PrepEventKind.DRILL, [date(2021, 11, 21), date(2021, 11, 24), date(2021, 11, 28)]),
    ("29", PrepEventKind.DRILL, [date(2021, 11, 21)]),
    ("15", PrepEventKind.OPERATION, [date(2021, 11, 14)]),
    ("14", PrepEventKind.OPERATION, [date(2021, 11, 21)]),
    ("12", PrepEventKind.OPERATION, [date(2021, 11, 28)]),
    ("29", PrepEventKind.OPERATION, [date(2021, 11, 28)]),
]


def _record_prep(user) -> None:
    for state_key, kind, days in SEED_PREP:
        for number, held_on in enumerate(days, start=1):
            db.session.add(
                PrepEvent(
                    process=process("EXT-2021"),
                    state=state(state_key),
                    kind=kind,
                    number=number,
                    held_on=held_on,
                    followed_by="Junta Local Ejecutiva",
                    outcome="Sin incidentes",
                    created_by=user,
                )
            )
    db.session.commit()


def _candidacy() -> Organization:
    candidacy = Organization(
        key="CI-12-01",
        kind=RequesterType.CANDIDACY,
        name="Candidatura independiente a la presidencia municipal de Iliatenco",
        state=state("12"),
    )
    db.session.add(candidacy)
    db.session.commit()
    return candidacy


def _ticket(actor, when: str, organization: Organization, process_key: str = "EXT-2021"):
    moment = parse_local(when)
    return make_ticket(
        actor,
        now=moment,
        received_at=moment,
        organization=organization,
        process_id=process(process_key).id,
    )


def _work(actor, ticket, *, resolve: str | None = None, close: str | None = None) -> None:
    services.assign(actor, ticket, actor, now=parse_local(resolve or close))
    services.transition(actor, ticket, Status.IN_PROGRESS, now=parse_local(resolve or close))
    if resolve:
        services.transition(actor, ticket, Status.RESOLVED, now=parse_local(resolve))
    if close:
        services.transition(actor, ticket, Status.CLOSED, now=parse_local(close))


def _record_tickets(actor) -> None:
    # October: EXT-2021 already had work, so November follows it up.
    _ticket(actor, "2021-10-25T10:00:00", org("JD-12-05"))
    # November, EXT-2021: 3 Juntas, 2 party representations, 1 candidacy, 2 OPL.
    juntas = [
        _ticket(actor, "2021-11-02T09:15:00", org("JD-12-05")),
        _ticket(actor, "2021-11-13T18:40:00", org("JD-15-01")),
        _ticket(actor, "2021-11-20T11:00:00", org("JL-14")),
    ]
    parties = [
        _ticket(actor, "2021-11-14T08:05:00", org("PP-PAN-12")),
        _ticket(actor, "2021-11-27T19:30:00", org("PP-PRI-29")),
    ]
    candidacy = _ticket(actor, "2021-11-21T07:50:00", _candidacy())
    opls = [
        _ticket(actor, "2021-11-14T20:10:00", org("OPL-15")),
        _ticket(actor, "2021-11-28T22:45:00", org("OPL-18")),
    ]
    cancelled = _ticket(actor, "2021-11-15T12:00:00", org("OPL-29"))
    services.transition(actor, cancelled, Status.CANCELLED, now=parse_local("2021-11-15T13:00"))
    # 5 resolved by the end of November (two also closed); one more only in December.
    _work(actor, juntas[0], resolve="2021-11-02T12:00:00", close="2021-11-05T09:00:00")
    _work(actor, juntas[1], resolve="2021-11-14T02:00:00")
    _work(actor, parties[0], resolve="2021-11-14T10:00:00", close="2021-11-20T10:00:00")
    _work(actor, candidacy, resolve="2021-11-22T10:00:00")
    _work(actor, opls[0], resolve="2021-11-15T09:00:00")
    _work(actor, opls[1], resolve="2021-12-01T10:00:00")
    # November, first tickets of the 2021-2022 local processes.
    for when, key in (
        ("2021-11-08T10:00:00", "JL-01"),
        ("2021-11-16T10:00:00", "OPL-10"),
        ("2021-11-29T10:00:00", "JD-23-01"),
    ):
        _ticket(actor, when, org(key), "PEL-2021-2022")


def test_the_seed_section_is_rebuilt_paragraph_by_paragraph(operator):
    _record_prep(operator)
    _record_tickets(operator)

    data = build_report_data("2021-11")

    generated = [paragraph["text"] for paragraph in data["narrative"]]
    for number, (expected, actual) in enumerate(zip(SEED_NARRATIVE, generated, strict=False)):
        assert actual == expected, f"paragraph {number + 1}"
    assert len(generated) == len(SEED_NARRATIVE)
    assert [p["kind"] for p in data["narrative"]] == ["paragraph"] * 3 + ["bullet"] * 5 + [
        "paragraph"
    ] * 2


def test_the_seed_month_figures_add_up(operator):
    _record_prep(operator)
    _record_tickets(operator)

    totals = build_report_data("2021-11")["totals"]

    assert (totals["tickets"], totals["resolved"], totals["pending"], totals["cancelled"]) == (
        11,
        5,
        6,
        1,
    )
    assert [(row["key"], row["count"]) for row in totals["by_requester_type"]] == [
        ("junta", 5),
        ("party", 2),
        ("candidacy", 1),
        ("opl", 3),
        ("central", 0),
    ]
    assert [
        (row["key"], row["count"], row["resolved"], row["pending"]) for row in totals["by_process"]
    ] == [("EXT-2021", 8, 5, 3), ("PEL-2021-2022", 3, 0, 3)]
