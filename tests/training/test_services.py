"""Training log operations: who may write, every rule with its Spanish message, one commit."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_user, org, state, system
from tickets.accounts.models import Role
from tickets.catalogs.models import System
from tickets.core.errors import NotAllowed, ValidationFailed
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.training import services
from tickets.training.models import Modality, TrainingSession

NOW = parse_local("2021-11-30T12:00:00")  # noon in Mexico City


def session_data(**overrides) -> services.SessionData:
    """A valid session: the Junta Distrital 05 of Guerrero learns the SIJE, in person."""
    values = dict(
        held_on=date(2021, 11, 25),
        state_id=state("12").id,
        office_id=org("JD-12-05").id,
        topic="Simulacro del SIJE",
        system_id=system("SIJE").id,
        modality=Modality.IN_PERSON,
        people_trained=19,
        notes="",
    )
    values.update(overrides)
    return services.SessionData(**values)


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(TrainingSession))


def _refusal(actor, **overrides) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as caught:
        services.record_session(actor, session_data(**overrides), now=NOW)
    assert _count() == 0  # nothing half-written
    return caught.value.fields


# --- who may write --------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_supervisors_and_admins_record_a_session(ctx, role):
    actor = make_user(role)

    session = services.record_session(actor, session_data(), now=NOW)

    stored = db.session.get(TrainingSession, session.id)
    assert (stored.held_on, stored.state.key, stored.office.key) == (
        date(2021, 11, 25),
        "12",
        "JD-12-05",
    )
    assert (stored.topic, stored.system.key, stored.modality) == (
        "Simulacro del SIJE",
        "SIJE",
        Modality.IN_PERSON,
    )
    assert stored.people_trained == 19
    assert stored.created_by_id == actor.id
    assert stored.created_at == NOW


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.REQUESTER])
def test_operators_and_requesters_cannot_record(ctx, role):
    actor = make_user(role, organization=org("JD-12-05") if role is Role.REQUESTER else None)

    with pytest.raises(NotAllowed, match="Solo supervisión"):
        services.record_session(actor, session_data(), now=NOW)
    assert _count() == 0


def test_operators_cannot_correct_a_session(ctx, supervisor, operator):
    session = services.record_session(supervisor, session_data(), now=NOW)

    with pytest.raises(NotAllowed):
        services.update_session(operator, session, session_data(people_trained=99), now=NOW)
    db.session.rollback()
    assert db.session.get(TrainingSession, session.id).people_trained == 19


# --- the date ----------------------------------------------------------------------------------


def test_a_date_is_required(ctx, supervisor):
    assert _refusal(supervisor, held_on=None) == {"held_on": "Escriba la fecha de la sesión."}


def test_today_in_mexico_city_is_allowed_even_when_it_is_tomorrow_in_utc(ctx, supervisor):
    late_evening = parse_local("2021-11-30T22:30:00")  # 04:30 on 1 December in UTC

    session = services.record_session(
        supervisor, session_data(held_on=date(2021, 11, 30)), now=late_evening
    )

    assert session.held_on == date(2021, 11, 30)


def test_a_session_in_the_future_is_refused(ctx, supervisor):
    late_evening = parse_local("2021-11-30T22:30:00")  # already 1 December in UTC

    with pytest.raises(ValidationFailed) as caught:
        services.record_session(
            supervisor, session_data(held_on=date(2021, 12, 1)), now=late_evening
        )

    assert caught.value.fields == {"held_on": "La fecha de la sesión no puede estar en el futuro."}


def test_a_date_before_the_institute_existed_is_a_typo(ctx, supervisor):
    fields = _refusal(supervisor, held_on=date(2001, 11, 25))

    assert fields == {"held_on": "La fecha es anterior a la creación del INE (4 de abril de 2014)."}


# --- people trained ----------------------------------------------------------------------------


@pytest.mark.parametrize("people", [0, -3, 5001, 10**12])
def test_people_trained_is_a_positive_number_with_a_sane_ceiling(ctx, supervisor, people):
    fields = _refusal(supervisor, people_trained=people)

    assert fields == {
        "people_trained": "Escriba un número entero entre 1 y 5,000; si la sesión fue mayor, "
        "regístrela por entidad u oficina."
    }


@pytest.mark.parametrize("people", [1, 5000])
def test_the_bounds_themselves_are_accepted(ctx, supervisor, people):
    session = services.record_session(supervisor, session_data(people_trained=people), now=NOW)

    assert session.people_trained == people


def test_people_trained_is_required(ctx, supervisor):
    fields = _refusal(supervisor, people_trained=None)

    assert fields == {"people_trained": "Escriba cuántas personas se capacitaron."}


# --- where -----------------------------------------------------------------------------------


def test_the_state_is_required(ctx, supervisor):
    fields = _refusal(supervisor, state_id=None, office_id=None)

    assert fields == {"state_id": "Seleccione la entidad."}


def test_the_office_is_optional_for_sessions_with_several_offices(ctx, supervisor):
    session = services.record_session(supervisor, session_data(office_id=None), now=NOW)

    assert session.office is None
    assert session.state.key == "12"


@pytest.mark.parametrize("office_key", ["JL-12", "JD-12-05", "OPL-12"])
def test_juntas_and_the_opl_of_the_state_are_offices(ctx, supervisor, office_key):
    session = services.record_session(
        supervisor, session_data(office_id=org(office_key).id), now=NOW
    )

    assert session.office.key == office_key


@pytest.mark.parametrize(
    "office_key",
    [
        "JD-15-28",  # a Junta of another state
        "OPL-15",  # another state's OPL
        "PP-PAN-12",  # a party representation is not an office
        "CEN-DEOE",  # nor is a central office
    ],
)
def test_the_office_must_be_a_junta_or_the_opl_of_the_chosen_state(ctx, supervisor, office_key):
    fields = _refusal(supervisor, office_id=org(office_key).id)

    assert fields == {
        "office_id": "La oficina debe ser una Junta o el OPL de la entidad seleccionada."
    }


def test_an_unknown_state_or_office_is_refused_by_name(ctx, supervisor):
    fields = _refusal(supervisor, state_id=2**31 - 1, office_id=2**31 - 2)

    assert fields == {
        "state_id": "Seleccione una entidad activa del catálogo.",
        "office_id": "Seleccione una oficina activa del catálogo.",
    }


# --- what -----------------------------------------------------------------------------------


@pytest.mark.parametrize("topic", ["", "   "])
def test_the_topic_is_required(ctx, supervisor, topic):
    assert _refusal(supervisor, topic=topic) == {"topic": "Escriba el tema de la sesión."}


def test_a_long_topic_is_refused_before_the_database_would(ctx, supervisor):
    fields = _refusal(supervisor, topic="x" * 201)

    assert fields == {"topic": "El tema admite hasta 200 caracteres."}


def test_typed_text_is_kept_without_surrounding_blanks(ctx, supervisor):
    session = services.record_session(
        supervisor, session_data(topic="  Uso del SIJE  ", notes="  Sede: JDE 05  "), now=NOW
    )

    assert (session.topic, session.notes) == ("Uso del SIJE", "Sede: JDE 05")


def test_long_notes_are_refused(ctx, supervisor):
    fields = _refusal(supervisor, notes="n" * 2001)

    assert fields == {"notes": "Las notas admiten hasta 2,000 caracteres."}


def test_the_system_is_optional(ctx, supervisor):
    session = services.record_session(supervisor, session_data(system_id=None), now=NOW)

    assert session.system is None


def test_an_inactive_system_is_refused(ctx, supervisor):
    sije = system("SIJE")
    sije.is_active = False
    db.session.commit()

    fields = _refusal(supervisor, system_id=sije.id)

    assert fields == {"system_id": "Seleccione un sistema activo del catálogo."}


def test_the_modality_is_required(ctx, supervisor):
    assert _refusal(supervisor, modality=None) == {"modality": "Seleccione la modalidad."}


def test_every_broken_rule_is_reported_at_once(ctx, supervisor):
    fields = _refusal(
        supervisor,
        held_on=None,
        state_id=None,
        office_id=None,
        topic="",
        modality=None,
        people_trained=0,
    )

    assert set(fields) == {"held_on", "state_id", "topic", "modality", "people_trained"}


# --- corrections --------------------------------------------------------------------------------


def test_a_correction_changes_the_session_and_its_update_time(ctx, supervisor, admin):
    session = services.record_session(supervisor, session_data(), now=NOW)
    later = parse_local("2021-12-01T09:00:00")

    services.update_session(
        admin,
        session,
        session_data(people_trained=21, modality=Modality.REMOTE, office_id=None),
        now=later,
    )

    db.session.expire_all()
    stored = db.session.get(TrainingSession, session.id)
    assert (stored.people_trained, stored.modality, stored.office) == (21, Modality.REMOTE, None)
    assert stored.updated_at == later
    assert stored.created_at == NOW
    assert stored.created_by_id == supervisor.id


def test_a_refused_correction_leaves_the_session_as_it_was(ctx, supervisor):
    session = services.record_session(supervisor, session_data(), now=NOW)

    with pytest.raises(ValidationFailed):
        services.update_session(
            supervisor, session, session_data(people_trained=0, topic="Otro"), now=NOW
        )

    db.session.expire_all()
    stored = db.session.get(TrainingSession, session.id)
    assert (stored.people_trained, stored.topic) == (19, "Simulacro del SIJE")


def test_a_correction_may_keep_a_system_deactivated_since(ctx, supervisor):
    session = services.record_session(supervisor, session_data(), now=NOW)
    sije = db.session.get(System, session.system_id)
    sije.is_active = False
    db.session.commit()

    services.update_session(supervisor, session, session_data(people_trained=20), now=NOW)

    assert session.system.key == "SIJE"
    assert session.people_trained == 20


def test_a_correction_cannot_pick_another_deactivated_system(ctx, supervisor):
    session = services.record_session(supervisor, session_data(), now=NOW)
    prep = system("PREP")
    prep.is_active = False
    db.session.commit()

    with pytest.raises(ValidationFailed) as caught:
        services.update_session(supervisor, session, session_data(system_id=prep.id), now=NOW)

    assert set(caught.value.fields) == {"system_id"}
