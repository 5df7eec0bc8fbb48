"""`flask reports monthly`: the report as text or JSON from the console."""

from __future__ import annotations

import json

import pytest

from tests.factories import make_ticket
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.reports.models import MonthlyReport


def _november_ticket(app) -> str:
    with app.app_context():
        moment = parse_local("2021-11-14T09:30:00")
        return make_ticket(now=moment, received_at=moment).folio


def test_json_goes_to_the_file_with_the_narrative_and_the_totals(app, runner, tmp_path):
    _november_ticket(app)
    path = tmp_path / "informe.json"

    result = runner.invoke(
        args=["reports", "monthly", "2021-11", "--format", "json", "-o", str(path)]
    )

    assert result.exit_code == 0, result.output
    assert f"Informe de noviembre de 2021 guardado en {path}." in result.output
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (data["month"], data["month_label"]) == ("2021-11", "noviembre de 2021")
    assert [p["key"] for p in data["narrative"]] == ["EXT-2021.intro", "EXT-2021.attention"]
    assert data["totals"]["tickets"] == 1
    assert "Juntas Ejecutivas del INE" in path.read_text(encoding="utf-8")  # accents not escaped


def test_txt_prints_the_report_in_the_layout_of_the_form(app, runner):
    _november_ticket(app)

    result = runner.invoke(args=["reports", "monthly", "2021-11"])

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith("INFORME QUE PRESENTAN LOS INTEGRANTES DE LA JUNTA GENERAL")
    assert (
        "Dirección Ejecutiva o Unidad Técnica: Unidad Técnica de Servicios de Informática" in lines
    )
    assert "Entidad Federativa: 32 entidades federativas" in lines
    assert "Fecha de visita:" in lines
    assert (
        "Con qué proyecto de la CIP se relaciona: F091910 Apoyo a procesos electorales en "
        "materia de TIC"
    ) in lines
    intro = lines.index(
        "En el marco de las actividades para las elecciones extraordinarias derivadas de los "
        "Procesos Electorales 2020-2021, se realizaron las siguientes actividades:"
    )
    assert lines[intro + 1].startswith("En las entidades con proceso electoral extraordinario,")
    assert "Total de personal capacitado: 0" in lines
    assert lines[-1] == "Observaciones:"


def test_the_report_in_force_supplies_the_free_fields(app, runner, tmp_path):
    _november_ticket(app)
    with app.app_context():
        db.session.add(
            MonthlyReport(
                month="2021-11",
                junta="Junta Local Ejecutiva en Guerrero",
                observations="Se reforzó la guardia del 28 de noviembre.",
            )
        )
        db.session.commit()
    path = tmp_path / "informe.txt"

    result = runner.invoke(args=["reports", "monthly", "2021-11", "-o", str(path)])

    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert "Junta: Junta Local Ejecutiva en Guerrero\n" in text
    assert text.endswith("Observaciones: Se reforzó la guardia del 28 de noviembre.\n")


@pytest.mark.parametrize("month", ["2021-13", "noviembre"])
def test_a_month_that_does_not_exist_is_refused_in_spanish(runner, month):
    result = runner.invoke(args=["reports", "monthly", month, "--format", "json"])

    assert result.exit_code != 0
    assert f"«{month}» no es un mes válido: escríbalo como AAAA-MM" in result.output


def test_a_binary_format_needs_a_file(runner):
    result = runner.invoke(args=["reports", "monthly", "2021-11", "--format", "xlsx"])

    assert result.exit_code != 0
    assert "indique el archivo con -o ARCHIVO" in result.output


def test_a_file_in_a_folder_that_does_not_exist_is_refused_in_spanish(runner, tmp_path):
    path = tmp_path / "no-existe" / "informe.txt"

    result = runner.invoke(args=["reports", "monthly", "2021-11", "-o", str(path)])

    assert result.exit_code != 0
    assert f"No se pudo escribir {path}: la carpeta no existe." in result.output


def test_an_approved_month_prints_its_frozen_snapshot(app, runner, tmp_path):
    from tests.factories import make_user
    from tickets.accounts.models import Role
    from tickets.reports import services

    _november_ticket(app)
    with app.app_context():
        supervisor = make_user(Role.SUPERVISOR)
        report = services.get_or_create_draft("2021-11")
        services.approve(supervisor, report)
    _november_ticket(app)  # arrives after the approval
    path = tmp_path / "informe.json"

    runner.invoke(args=["reports", "monthly", "2021-11", "--format", "json", "-o", str(path)])

    assert json.loads(path.read_text(encoding="utf-8"))["totals"]["tickets"] == 1
