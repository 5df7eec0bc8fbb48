"""`flask prep import FILE`: the form's rules per row, all or nothing, repeatable."""

from __future__ import annotations

from datetime import date, datetime

import openpyxl
import pytest
import sqlalchemy as sa

from tickets.catalogs.models import State
from tickets.core.errors import NotAllowed
from tickets.extensions import db
from tickets.prep.importer import import_file
from tickets.prep.models import PrepEvent, PrepEventKind

HEADER = "process,state,kind,date,number,followed_by,outcome,notes"
JL = "Vocalía de Organización Electoral de la Junta Local Ejecutiva"
SEED = [  # the seed's November 2021, Nayarit's drills as real dates
    f"EXT-2021,15,drill,04/11/2021,1,{JL} en el Estado de México,Sin incidencias,",
    f"EXT-2021,12,drill,14/11/2021,1,{JL} en Guerrero,Lentitud en la captura; se corrigió,",
    f"EXT-2021,12,drill,21/11/2021,2,{JL} en Guerrero,Sin incidencias,",
    f"EXT-2021,14,drill,2021-11-07,,{JL} en Jalisco,Sin incidencias,",
    f"EXT-2021,14,drill,2021-11-14,,{JL} en Jalisco,Sin incidencias,",
    f"EXT-2021,18,drill,21/11/2021,1,{JL} en Nayarit,Sin incidencias,",
    f"EXT-2021,18,drill,24/11/2021,2,{JL} en Nayarit,Sin incidencias,",
    f"EXT-2021,18,drill,28/11/2021,3,{JL} en Nayarit,Sin incidencias,",
    f"EXT-2021,29,drill,21/11/2021,1,{JL} en Tlaxcala,Sin incidencias,",
    f"EXT-2021,15,operation,,,{JL} en el Estado de México,Sin incidencias,",
    f"EXT-2021,14,operation,,,{JL} en Jalisco,Sin incidencias,",
    f'EXT-2021,12,operation,28/11/2021,,{JL} en Guerrero,Sin incidencias,"Primer corte, 20:00 h"',
    f"EXT-2021,29,operation,,,{JL} en Tlaxcala,Sin incidencias,",
]


def write(tmp_path, rows, name="prep.csv", header=HEADER):
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def run(runner, path, *options):
    return runner.invoke(args=["prep", "import", str(path), *options])


def events(app) -> list[tuple]:
    with app.app_context():
        query = (
            sa.select(
                State.key, PrepEvent.kind, PrepEvent.number, PrepEvent.held_on, PrepEvent.outcome
            )
            .join(PrepEvent.state)
            .order_by(State.key, PrepEvent.kind, PrepEvent.number)
        )
        return [tuple(row) for row in db.session.execute(query)]


def test_a_good_file_records_every_event(app, runner, tmp_path):
    result = run(runner, write(tmp_path, SEED))

    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("nuevos 13, actualizados 0, sin cambios 0, inválidos 0")
    stored = events(app)
    assert len(stored) == 13
    nayarit = [(n, day) for key, kind, n, day, _ in stored if key == "18"]
    assert nayarit == [(1, date(2021, 11, 21)), (2, date(2021, 11, 24)), (3, date(2021, 11, 28))]
    jalisco = [(kind, n, day) for key, kind, n, day, _ in stored if key == "14"]
    assert jalisco == [
        (PrepEventKind.DRILL, 1, date(2021, 11, 7)),
        (PrepEventKind.DRILL, 2, date(2021, 11, 14)),
        (PrepEventKind.OPERATION, 1, date(2021, 11, 21)),  # blank date: the election day
    ]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(app, runner, tmp_path):
    rows = [
        SEED[0],
        f"EXT-2021,18,drill,42/11/2021,2,{JL} en Nayarit,Sin incidencias,",  # the seed's typo
        "EXT-2021,01,drill,10/11/2021,,Vocalía,,",
        "EXT-2099,12,drill,10/11/2021,,Vocalía,,",
        "EXT-2021,12,ensayo,10/11/2021,,,,",
        "EXT-2021,15,drill,01/01/2022,,Vocalía,,",
    ]

    result = run(runner, write(tmp_path, rows))

    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "fila 3, columna date: «42/11/2021» no es una fecha real: noviembre de 2021 tiene 30 días.",
        "fila 4, columna state: Aguascalientes no tiene elecciones en EXT-2021; elija una entidad "
        "con elección en ese proceso.",
        "fila 5, columna process: el proceso «EXT-2099» no existe",
        "fila 6, columna kind: «ensayo» no es válido; use drill (simulacro) u operation "
        "(operación)",
        "fila 6, columna followed_by: Escriba quién dio seguimiento en la Junta Local (p. ej. "
        "Vocalía del Registro Federal de Electores).",
        "fila 7, columna date: La fecha debe estar dentro del proceso EXT-2021: del 15 de agosto "
        "de 2021 al 31 de diciembre de 2021.",
        "No se importó nada: corrija las filas con error o use --skip-invalid.",
        "nuevos 0, actualizados 0, sin cambios 0, inválidos 5",
    ]
    assert events(app) == []


def test_skip_invalid_records_the_good_rows_and_lists_the_bad(app, runner, tmp_path):
    rows = [SEED[0], "EXT-2021,12,drill,31/11/2021,,Vocalía,,", SEED[1]]

    result = run(runner, write(tmp_path, rows), "--skip-invalid")

    assert result.exit_code == 0
    assert "fila 3, columna date: «31/11/2021» no es una fecha real" in result.output
    assert result.output.strip().endswith("nuevos 2, actualizados 0, sin cambios 0, inválidos 1")
    assert len(events(app)) == 2


def test_importing_the_same_file_twice_changes_nothing(app, runner, tmp_path):
    path = write(tmp_path, SEED)
    run(runner, path)
    with app.app_context():
        before = db.session.execute(sa.select(PrepEvent.id, PrepEvent.updated_at)).all()

    result = run(runner, path)

    assert result.exit_code == 0
    assert result.output.strip() == "nuevos 0, actualizados 0, sin cambios 13, inválidos 0"
    with app.app_context():
        assert db.session.execute(sa.select(PrepEvent.id, PrepEvent.updated_at)).all() == before


def test_a_changed_row_corrects_the_recorded_event_and_says_so(app, runner, tmp_path):
    run(runner, write(tmp_path, SEED[1:3]))
    corrected = SEED[2].replace(",Sin incidencias,", ",Falla de red en un CATD,")

    result = run(runner, write(tmp_path, [SEED[1], corrected], name="v2.csv"))

    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "fila 3: se corrigió el simulacro 2 de Guerrero en EXT-2021 (resultado)",
        "nuevos 0, actualizados 1, sin cambios 1, inválidos 0",
    ]
    assert ("12", PrepEventKind.DRILL, 2, date(2021, 11, 21), "Falla de red en un CATD") in events(
        app
    )


def test_a_row_repeated_in_the_file_is_refused(app, runner, tmp_path):
    repeated = SEED[1].replace("14/11/2021", "15/11/2021")

    result = run(runner, write(tmp_path, [SEED[1], repeated]))

    assert result.exit_code == 1
    assert (
        "fila 3, columna number: el simulacro 1 de Guerrero en EXT-2021 ya está en la fila 2"
        in (result.output)
    )
    assert events(app) == []


def test_states_by_name_and_kinds_in_spanish_are_understood(app, runner, tmp_path):
    rows = ["ext-2021,Estado de Mexico,Simulacro,4 de noviembre de 2021,,Vocalía Ejecutiva,,"]

    result = run(runner, write(tmp_path, rows))

    assert result.exit_code == 0, result.output
    assert events(app) == [("15", PrepEventKind.DRILL, 1, date(2021, 11, 4), "")]


def test_missing_columns_refuse_the_whole_file(app, runner, tmp_path):
    result = run(runner, write(tmp_path, ["EXT-2021,12"], header="process,state"))

    assert result.exit_code == 1
    assert "Faltan columnas en el encabezado: kind, date, number, followed_by." in result.output


def test_a_file_not_in_utf8_is_refused_with_how_to_save_it(runner, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "\nEXT-2021,15,drill,04/11/2021,,Vocalía de México,,\n").encode("latin-1")
    )

    result = run(runner, path)

    assert result.exit_code == 1
    assert "CSV UTF-8" in result.output


def test_an_excel_list_with_date_cells_is_imported(app, runner, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["EXT-2021", 12, "drill", datetime(2021, 11, 14), 1.0, "Vocalía", "", ""])
    path = tmp_path / "prep.xlsx"
    book.save(path)

    result = run(runner, path)

    assert result.exit_code == 0, result.output
    assert events(app) == [("12", PrepEventKind.DRILL, 1, date(2021, 11, 14), "")]


def test_only_supervision_or_administration_imports(operator, tmp_path):
    with pytest.raises(NotAllowed):
        import_file(operator, write(tmp_path, SEED))
