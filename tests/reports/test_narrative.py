"""The Spanish rules of the report's narrative: pure functions and the shipped phrases, no DB."""

from __future__ import annotations

from datetime import date

import pytest

from tickets import ROOT
from tickets.reports.narrative import (
    Attention,
    Paragraph,
    PhraseError,
    Phrases,
    ProcessFacts,
    StateDates,
    build_narrative,
    format_dates,
    join_list,
    month_label,
    operations_list,
    requester_list,
    state_sort_key,
)

SHIPPED = ROOT / "templates" / "reports" / "phrases"
EXT_NAME = "Elecciones extraordinarias 2021 derivadas de los Procesos Electorales 2020-2021"
PEL_NAME = "Procesos Electorales Locales 2021-2022"
PEFE_NAME = (
    "Proceso Electoral Federal Extraordinario 2021 en Nayarit (senaduría de mayoría relativa)"
)


@pytest.fixture(scope="module")
def phrases():
    return Phrases([SHIPPED])


def nov(*days: int) -> tuple[date, ...]:
    return tuple(date(2021, 11, day) for day in days)


def ext(**overrides) -> ProcessFacts:
    values = dict(
        key="EXT-2021", name=EXT_NAME, kind="extraordinario_local", states_with_elections=6
    )
    values.update(overrides)
    return ProcessFacts(**values)


def pel(**overrides) -> ProcessFacts:
    values = dict(
        key="PEL-2021-2022", name=PEL_NAME, kind="ordinario_local", states_with_elections=6
    )
    values.update(overrides)
    return ProcessFacts(**values)


def texts(paragraphs: list[Paragraph]) -> dict[str, str]:
    return {p.key: p.text for p in paragraphs}


# --- Dates ----------------------------------------------------------------------------------


def test_one_date_names_the_day_and_the_month():
    assert format_dates(nov(4)) == "4 de noviembre"


def test_two_dates_of_a_month_are_joined_with_y():
    assert format_dates(nov(14, 21)) == "14 y 21 de noviembre"


def test_three_dates_are_joined_with_commas_and_a_final_y_in_ascending_order():
    assert format_dates([date(2021, 11, 28), date(2021, 11, 21), date(2021, 11, 24)]) == (
        "21, 24 y 28 de noviembre"
    )


def test_a_date_recorded_twice_is_written_once():
    assert format_dates(nov(14, 14, 7)) == "7 y 14 de noviembre"


def test_a_list_across_months_names_each_month():
    assert format_dates([date(2021, 12, 2), date(2021, 11, 30)]) == (
        "30 de noviembre y 2 de diciembre"
    )
    assert format_dates(nov(28, 30) + (date(2021, 12, 2),)) == (
        "28 y 30 de noviembre y 2 de diciembre"
    )


def test_a_list_across_years_names_each_year():
    assert format_dates([date(2022, 1, 2), date(2021, 12, 30)]) == (
        "30 de diciembre de 2021 y 2 de enero de 2022"
    )


def test_an_article_goes_before_every_date():
    assert format_dates([date(2022, 6, 5), date(2022, 6, 6)], "el") == "el 5 y el 6 de junio"


def test_month_names_come_from_babel_in_lower_case():
    assert month_label(2021, 11) == "noviembre de 2021"
    assert [month_label(2022, n).split()[0] for n in (1, 3, 9)] == ["enero", "marzo", "septiembre"]


def test_y_becomes_e_before_an_i_sound():
    assert join_list(["Jalisco", "Hidalgo"]) == "Jalisco e Hidalgo"
    assert join_list(["Nayarit", "Guerrero", "Jalisco"]) == "Nayarit, Guerrero y Jalisco"
    assert join_list(["solo"]) == "solo"


# --- States ---------------------------------------------------------------------------------


def test_states_sort_by_display_name_with_accents_folded():
    names = ["Yucatán", "Querétaro", "Estado de México", "Ciudad de México", "Ángeles", "Baja"]

    assert sorted(names, key=state_sort_key) == [
        "Ángeles",
        "Baja",
        "Ciudad de México",
        "Estado de México",
        "Querétaro",
        "Yucatán",
    ]


def test_drill_lines_list_states_alphabetically_with_a_comma_and_a_final_period(phrases):
    drills = (
        StateDates("29", "Tlaxcala", nov(21)),
        StateDates("12", "Guerrero", nov(21, 14)),
        StateDates("15", "Estado de México", nov(4)),
    )

    result = build_narrative([ext(drills=drills)], None, phrases)

    bullets = [(p.key, p.text) for p in result if p.kind == "bullet"]
    assert bullets == [
        ("EXT-2021.prep_drills.15", "· Estado de México, 4 de noviembre."),
        ("EXT-2021.prep_drills.12", "· Guerrero, 14 y 21 de noviembre."),
        ("EXT-2021.prep_drills.29", "· Tlaxcala, 21 de noviembre."),
    ]


def test_operation_sentence_puts_el_before_each_date_and_contracts_del_and_al_de():
    operations = [
        StateDates("29", "Tlaxcala", nov(28)),
        StateDates("12", "Guerrero", nov(28)),
        StateDates("15", "Estado de México", nov(14)),
        StateDates("14", "Jalisco", nov(21)),
    ]

    assert operations_list(operations) == (
        "del Estado de México el 14 de noviembre, al de Guerrero el 28 de noviembre, "
        "al de Jalisco el 21 de noviembre y al de Tlaxcala el 28 de noviembre"
    )


def test_states_with_an_article_keep_it_after_the_first_place():
    operations = [
        StateDates("15", "Estado de México", nov(14)),
        StateDates("09", "Ciudad de México", nov(7)),
        StateDates("01", "Aguascalientes", nov(3, 4)),
    ]

    assert operations_list(operations) == (
        "de Aguascalientes el 3 y el 4 de noviembre, al de la Ciudad de México el 7 de "
        "noviembre y al del Estado de México el 14 de noviembre"
    )


# --- Requester types ------------------------------------------------------------------------


def test_all_four_requester_types_read_as_in_the_seed(phrases):
    counts = {"junta": 82, "party": 21, "candidacy": 4, "opl": 30}

    assert requester_list(counts, phrases.requester_labels()) == (
        "las Juntas Ejecutivas del INE (82), las representaciones de partidos políticos (21) y, "
        "en su caso, candidaturas independientes (4) y los Organismos Públicos Locales (OPL) (30)"
    )


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (
            {"junta": 5, "party": 3, "opl": 2},
            "las Juntas Ejecutivas del INE (5), las representaciones de partidos políticos (3) "
            "y los Organismos Públicos Locales (OPL) (2)",
        ),
        (
            {"junta": 5, "candidacy": 1, "opl": 0},
            "las Juntas Ejecutivas del INE (5) y las representaciones de candidaturas "
            "independientes (1)",
        ),
        ({"opl": 2, "junta": 0}, "los Organismos Públicos Locales (OPL) (2)"),
        (
            {"junta": 8, "central": 4},
            "las Juntas Ejecutivas del INE (8) y las oficinas centrales del INE (4)",
        ),
    ],
)
def test_requester_types_without_tickets_are_left_out(phrases, counts, expected):
    assert requester_list(counts, phrases.requester_labels()) == expected


# --- Whole sentences ------------------------------------------------------------------------


def test_the_attention_sentence_reproduces_the_design_example(phrases):
    attention = Attention(137, 129, 8, {"junta": 82, "party": 21, "candidacy": 4, "opl": 30})

    result = texts(build_narrative([ext(attention=attention)], None, phrases))

    assert result["EXT-2021.attention"] == (
        "En las entidades con proceso electoral extraordinario, se dio seguimiento y atención a "
        "137 solicitudes de soporte técnico relativas a la operación de los sistemas "
        "informáticos, desarrollados por el Instituto, por parte de las Juntas Ejecutivas del "
        "INE (82), las representaciones de partidos políticos (21) y, en su caso, candidaturas "
        "independientes (4) y los Organismos Públicos Locales (OPL) (30); al cierre del mes, "
        "129 resueltas y 8 en atención."
    )


def test_one_request_reads_in_the_singular(phrases):
    attention = Attention(1, 1, 0, {"opl": 1})

    result = texts(build_narrative([ext(attention=attention)], None, phrases))

    assert (
        "a 1 solicitud de soporte técnico relativa a la operación" in result["EXT-2021.attention"]
    )
    assert result["EXT-2021.attention"].endswith("al cierre del mes, 1 resuelta y 0 en atención.")


def test_the_first_month_of_a_process_says_se_comenzo(phrases):
    first = build_narrative([pel(first_month=True, attention=Attention(41, 0, 41))], None, phrases)
    later = build_narrative([pel(first_month=False, attention=Attention(41, 0, 41))], None, phrases)

    assert texts(first)["PEL-2021-2022.attention"] == (
        "En el marco de las actividades de los Procesos Electorales Locales 2021-2022 en 6 "
        "entidades federativas, se comenzó a dar atención a 41 solicitudes de soporte técnico "
        "relativas a la implementación y operación de los sistemas informáticos, desarrollados "
        "por el Instituto."
    )
    assert (
        "se dio seguimiento y atención a 41 solicitudes" in texts(later)["PEL-2021-2022.attention"]
    )


def test_extraordinary_elections_come_first_and_finalmente_opens_the_last_part(phrases):
    parts = [
        pel(first_month=True, attention=Attention(41, 40, 1, {"junta": 41})),
        ext(attention=Attention(3, 3, 0, {"junta": 3})),
    ]

    result = build_narrative(parts, None, phrases)

    assert [p.key for p in result] == [
        "EXT-2021.intro",
        "EXT-2021.attention",
        "PEL-2021-2022.attention",
    ]
    assert result[0].text == (
        "En el marco de las actividades para las elecciones extraordinarias derivadas de los "
        "Procesos Electorales 2020-2021, se realizaron las siguientes actividades:"
    )
    assert result[2].text.startswith("Finalmente, en el marco de las actividades de los Procesos")


def test_ordinary_activity_closes_the_narrative_and_each_part_opens_with_a_connector(phrases):
    parts = [
        pel(attention=Attention(2, 1, 1, {"junta": 2})),
        ProcessFacts(
            key="PEFE-2021-NAY",
            name=PEFE_NAME,
            kind="extraordinario_federal",
            attention=Attention(2, 2, 0, {"party": 2}),
        ),
        ext(attention=Attention(1, 1, 0, {"opl": 1})),
    ]
    ordinary = Attention(12, 10, 2, {"junta": 8, "central": 4})

    result = build_narrative(parts, ordinary, phrases)

    assert [p.key for p in result] == [
        "EXT-2021.intro",
        "EXT-2021.attention",
        "PEFE-2021-NAY.attention",
        "PEL-2021-2022.attention",
        "ordinary",
    ]
    assert result[2].text.startswith(
        "Por otra parte, en el marco del Proceso Electoral Federal Extraordinario 2021 en "
        "Nayarit (senaduría de mayoría relativa), se dio seguimiento y atención a 2 solicitudes"
    )
    assert result[3].text.startswith("De igual forma, en el marco de las actividades de los")
    assert result[4].text == (
        "Finalmente, en cuanto a la actividad ordinaria, se dio seguimiento y atención a 12 "
        "solicitudes de soporte técnico relativas a la operación de los sistemas informáticos, "
        "desarrollados por el Instituto, por parte de las Juntas Ejecutivas del INE (8) y las "
        "oficinas centrales del INE (4); al cierre del mes, 10 resueltas y 2 en atención."
    )


def test_a_process_alone_in_the_month_opens_without_connector(phrases):
    result = build_narrative([pel(attention=Attention(2, 1, 1, {"junta": 2}))], None, phrases)

    assert result[0].text.startswith("En el marco de las actividades de los Procesos Electorales")


def test_a_month_without_activity_has_no_narrative(phrases):
    assert build_narrative([], None, phrases) == []
    assert build_narrative([ext(attention=Attention(0, 0, 0))], Attention(0, 0, 0), phrases) == []


# --- Overrides and adjustable phrases -------------------------------------------------------


def test_a_supervisors_wording_replaces_only_its_paragraph(phrases):
    part = ext(
        attention=Attention(3, 3, 0, {"junta": 3}), drills=(StateDates("12", "Guerrero", nov(14)),)
    )
    overrides = {
        "EXT-2021.prep_drills.12": "  · Guerrero, 14 de noviembre (simulacro único).  ",
        "EXT-2021.attention": "   ",  # blank: the generated text stays
        "EXT-2021.gone": "a paragraph that no longer exists",
    }

    generated = texts(build_narrative([part], None, phrases))
    adjusted = texts(build_narrative([part], None, phrases, overrides))

    assert adjusted["EXT-2021.prep_drills.12"] == "· Guerrero, 14 de noviembre (simulacro único)."
    assert adjusted["EXT-2021.attention"] == generated["EXT-2021.attention"]
    assert adjusted.keys() == generated.keys()


def test_a_phrase_file_in_the_local_folder_replaces_the_shipped_one(tmp_path):
    (tmp_path / "prep_drill_line.txt").write_text(
        "{# línea ajustada #}\n– {{ state }}:\n  {{ dates }}.\n", encoding="utf-8"
    )
    part = ext(drills=(StateDates("18", "Nayarit", nov(21, 24, 28)),))

    result = texts(build_narrative([part], None, Phrases([tmp_path, SHIPPED])))

    assert result["EXT-2021.prep_drills.18"] == "– Nayarit: 21, 24 y 28 de noviembre."
    assert result["EXT-2021.intro"].startswith("En el marco de las actividades para las")


@pytest.mark.parametrize(
    ("name", "content", "detail"),
    [
        ("prep_drill_line", "· {{ estado }}.", "estado"),
        ("intro_extraordinario_local", "En el marco {% if process.name %}sin cerrar", "línea 1"),
    ],
)
def test_a_broken_phrase_is_reported_in_spanish(tmp_path, name, content, detail):
    (tmp_path / f"{name}.txt").write_text(content, encoding="utf-8")
    part = ext(drills=(StateDates("18", "Nayarit", nov(21)),))

    with pytest.raises(PhraseError) as caught:
        build_narrative([part], None, Phrases([tmp_path, SHIPPED]))

    message = str(caught.value)
    assert f"La plantilla de frases «{name}.txt» del informe tiene un error" in message
    assert detail in message
