"""PREP follow-up rules: real dates inside the process, numbering, one operation, who may write."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.factories import process, state
from tickets.accounts.models import Role
from tickets.catalogs.models import Election
from tickets.core.errors import Conflict, NotAllowed, ValidationFailed
from tickets.extensions import db
from tickets.prep import services
from tickets.prep.models import PrepEvent, PrepEventKind
from tickets.prep.services import PrepEventData

NOW = datetime(2021, 11, 30, 3, 0, tzinfo=UTC)
JL_GRO = "Vocalía del Registro Federal de Electores de la Junta Local Ejecutiva en Guerrero"


def data(state_key="12", kind="drill", held_on="14/11/2021", process_key="EXT-2021", **kw):
    values = dict(
        process_id=process(process_key).id,
        state_id=state(state_key).id,
        kind=kind,
        held_on=held_on,
        followed_by=JL_GRO,
        outcome="Sin incidencias",
    )
    values.update(kw)
    return PrepEventData(**values)


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(PrepEvent.id)))


# --- dates ----------------------------------------------------------------------------------


def test_a_drill_is_recorded_with_its_date_and_who_followed_it(supervisor):
    event = services.record_event(supervisor, data(held_on="14/11/2021"), now=NOW)

    assert (event.kind, event.number, event.held_on) == (PrepEventKind.DRILL, 1, date(2021, 11, 14))
    assert event.followed_by == JL_GRO
    assert event.created_by == supervisor


@pytest.mark.parametrize("typed", ["2021-11-21", "21/11/2021", "21 de noviembre de 2021"])
def test_dates_are_read_as_people_write_them(supervisor, typed):
    event = services.record_event(supervisor, data(held_on=typed), now=NOW)

    assert event.held_on == date(2021, 11, 21)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("42/11/2021", "«42/11/2021» no es una fecha real: noviembre de 2021 tiene 30 días."),
        ("42 de noviembre de 2021", "noviembre de 2021 tiene 30 días"),
        ("29/02/2021", "febrero de 2021 tiene 28 días"),
        ("14/13/2021", "los meses van del 1 al 12"),
        ("mañana", "«mañana» no es una fecha; escríbala como dd/mm/aaaa"),
    ],
)
def test_an_impossible_date_is_refused_in_spanish_and_nothing_is_written(
    supervisor, typed, message
):
    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, data(held_on=typed), now=NOW)

    assert message in caught.value.fields["held_on"]
    assert count() == 0


@pytest.mark.parametrize("typed", ["14/08/2021", "01/01/2022"])
def test_a_date_outside_the_process_is_refused(supervisor, typed):
    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, data(held_on=typed), now=NOW)

    assert caught.value.fields["held_on"] == (
        "La fecha debe estar dentro del proceso EXT-2021: del 15 de agosto de 2021 al "
        "31 de diciembre de 2021."
    )


def test_a_drill_needs_a_date(supervisor):
    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, data(held_on=""), now=NOW)

    assert caught.value.fields["held_on"] == "Escriba la fecha del simulacro (dd/mm/aaaa)."


def test_an_operation_without_a_date_takes_the_states_election_day(supervisor):
    event = services.record_event(supervisor, data("15", kind="operation", held_on=""), now=NOW)

    assert (event.held_on, event.number) == (date(2021, 11, 14), 1)


def test_an_operation_on_another_day_inside_the_process_is_allowed(supervisor):
    event = services.record_event(
        supervisor, data("15", kind="operation", held_on="15/11/2021"), now=NOW
    )

    assert event.held_on == date(2021, 11, 15)


def test_an_operation_outside_the_process_is_refused(supervisor):
    with pytest.raises(ValidationFailed) as caught:
        services.record_event(
            supervisor, data("15", kind="operation", held_on="02/01/2022"), now=NOW
        )

    assert "dentro del proceso EXT-2021" in caught.value.fields["held_on"]


def test_with_two_election_days_the_operation_needs_its_date(supervisor):
    db.session.add(
        Election(process=process("EXT-2021"), state=state("15"), election_day=date(2021, 12, 12))
    )
    db.session.commit()

    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, data("15", kind="operation", held_on=""), now=NOW)

    assert caught.value.fields["held_on"] == (
        "Estado de México tiene varias jornadas en este proceso (14 de noviembre de 2021, "
        "12 de diciembre de 2021); escriba la fecha de la operación."
    )


# --- where ----------------------------------------------------------------------------------


def test_a_state_without_an_election_in_the_process_is_refused(supervisor):
    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, data("01"), now=NOW)

    assert caught.value.fields["state_id"] == (
        "Aguascalientes no tiene elecciones en EXT-2021; elija una entidad con elección en ese "
        "proceso."
    )


def test_every_missing_field_is_named_at_once(supervisor):
    payload = PrepEventData(process_id=None, state_id=None, kind=None, held_on="", followed_by="")

    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, payload, now=NOW)

    assert set(caught.value.fields) == {"process_id", "state_id", "kind", "held_on", "followed_by"}
    assert caught.value.fields["followed_by"].startswith("Escriba quién dio seguimiento")


def test_typed_text_loses_control_characters_and_blanks(supervisor):
    event = services.record_event(
        supervisor,
        data(followed_by="  Vocalía\x00 Ejecutiva  ", notes="Línea 1\nLínea 2\x07"),
        now=NOW,
    )

    assert (event.followed_by, event.notes) == ("Vocalía Ejecutiva", "Línea 1\nLínea 2")


# --- numbering ------------------------------------------------------------------------------


def test_drills_are_numbered_per_process_and_state(supervisor):
    first = services.record_event(supervisor, data("12", held_on="14/11/2021"), now=NOW)
    second = services.record_event(supervisor, data("12", held_on="21/11/2021"), now=NOW)
    other_state = services.record_event(supervisor, data("14", held_on="07/11/2021"), now=NOW)

    assert (first.number, second.number, other_state.number) == (1, 2, 1)


def test_a_repeated_drill_number_is_refused_with_the_next_free_one(supervisor):
    services.record_event(supervisor, data(held_on="14/11/2021", number="1"), now=NOW)

    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, data(held_on="21/11/2021", number="1"), now=NOW)

    assert caught.value.fields["number"] == (
        "Ya está registrado el simulacro 1 de Guerrero en EXT-2021 (14 de noviembre de 2021); "
        "el siguiente número libre es 2."
    )


def test_two_drills_of_a_state_on_one_day_are_refused(supervisor):
    services.record_event(supervisor, data(held_on="14/11/2021"), now=NOW)

    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, data(held_on="2021-11-14"), now=NOW)

    assert caught.value.fields["held_on"] == (
        "Ya está registrado el simulacro 1 de Guerrero en EXT-2021 el 14 de noviembre de 2021."
    )


@pytest.mark.parametrize("typed", ["0", "-1", "dos", "100"])
def test_a_drill_number_is_a_small_positive_integer(supervisor, typed):
    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, data(number=typed), now=NOW)

    assert caught.value.fields["number"] == "El número de simulacro es un entero del 1 al 99."


def test_one_operation_per_process_and_state(supervisor):
    services.record_event(supervisor, data("12", kind="operation", held_on=""), now=NOW)

    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, data("12", kind="operation", held_on=""), now=NOW)

    assert caught.value.fields["kind"] == (
        "Ya está registrada la operación del PREP de Guerrero en EXT-2021 (28 de noviembre de "
        "2021); edítela en lugar de registrar otra."
    )


def test_an_operation_has_no_number(supervisor):
    with pytest.raises(ValidationFailed) as caught:
        services.record_event(supervisor, data(kind="operation", number="2"), now=NOW)

    assert "no lleva número" in caught.value.fields["number"]


# --- corrections ----------------------------------------------------------------------------


def test_a_correction_keeps_the_number_and_changes_the_date(supervisor):
    event = services.record_event(supervisor, data(held_on="14/11/2021"), now=NOW)

    services.update_event(
        supervisor, event, data(held_on="15/11/2021", number="", outcome="Con retraso"), now=NOW
    )

    db.session.expire_all()
    stored = db.session.get(PrepEvent, event.id)
    assert (stored.number, stored.held_on, stored.outcome) == (1, date(2021, 11, 15), "Con retraso")


def test_a_correction_is_checked_by_the_same_rules(supervisor):
    event = services.record_event(supervisor, data(held_on="14/11/2021"), now=NOW)

    with pytest.raises(ValidationFailed) as caught:
        services.update_event(supervisor, event, data(held_on="31/11/2021"), now=NOW)

    assert "noviembre de 2021 tiene 30 días" in caught.value.fields["held_on"]
    db.session.rollback()
    assert db.session.get(PrepEvent, event.id).held_on == date(2021, 11, 14)


def test_a_stale_correction_is_a_conflict(supervisor):
    event = services.record_event(supervisor, data(held_on="14/11/2021"), now=NOW)
    seen = event.updated_at
    later = datetime(2021, 11, 30, 4, 0, tzinfo=UTC)
    services.update_event(supervisor, event, data(outcome="Primera corrección"), now=later)

    with pytest.raises(Conflict):
        services.update_event(
            supervisor, event, data(outcome="Segunda corrección"), expected_updated_at=seen
        )


# --- who ------------------------------------------------------------------------------------


def test_an_operator_may_not_record(operator):
    with pytest.raises(NotAllowed):
        services.record_event(operator, data(), now=NOW)
    assert count() == 0


def test_an_operator_may_not_correct(supervisor, operator):
    event = services.record_event(supervisor, data(), now=NOW)

    with pytest.raises(NotAllowed):
        services.update_event(operator, event, data(outcome="Otra cosa"), now=NOW)


def test_an_administrator_records(admin):
    assert services.record_event(admin, data(), now=NOW).created_by == admin


def test_a_requester_may_not_record(make_user):
    requester = make_user(Role.REQUESTER)

    with pytest.raises(NotAllowed):
        services.record_event(requester, data(), now=NOW)


def test_a_number_taken_between_the_check_and_the_write_is_a_conflict(supervisor, monkeypatch):
    checked = services.validate_event(data(held_on="14/11/2021"))  # drill 1 is free now…
    services.record_event(supervisor, data(held_on="21/11/2021"), now=NOW)  # …then taken
    monkeypatch.setattr(services, "validate_event", lambda payload, current=None: checked)

    with pytest.raises(Conflict) as caught:
        services.record_event(supervisor, data(held_on="14/11/2021"), now=NOW)

    assert "al mismo tiempo" in str(caught.value)
    assert count() == 1
