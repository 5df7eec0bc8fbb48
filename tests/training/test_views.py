"""The training pages: list with totals and filters, the form, the offices of a state.

Data is built in its own app context, requests run without one (STYLE.md 3.12), and results
are read back in a fresh context.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_user, org, state, system
from tickets.accounts.models import Role, User
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.training import services
from tickets.training.models import Modality, TrainingSession

NOW = parse_local("2022-02-01T12:00:00")


# --- helpers -------------------------------------------------------------------------------


def _user(app, role=Role.SUPERVISOR, **kw) -> int:
    with app.app_context():
        return make_user(role, **kw).id


def _session(app, author_id: int, held_on: date, people: int, **overrides) -> int:
    with app.app_context():
        values = dict(
            held_on=held_on,
            state_id=state("12").id,
            office_id=org("JL-12").id,
            topic=f"Sesión del {held_on:%d/%m/%Y}",
            system_id=system("SIJE").id,
            modality=Modality.IN_PERSON,
            people_trained=people,
        )
        values.update(overrides)
        author = db.session.get(User, author_id)
        return services.record_session(author, services.SessionData(**values), now=NOW).id


def _sessions(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(
                TrainingSession.held_on,
                TrainingSession.topic,
                TrainingSession.people_trained,
                TrainingSession.modality,
            ).order_by(TrainingSession.id)
        )
        return [tuple(r) for r in rows]


def _form(app, **changes) -> dict:
    """What a supervisor types for a session at the Junta Distrital 05 of Guerrero."""
    with app.app_context():
        data = {
            "held_on": "2021-11-25",
            "state_id": str(state("12").id),
            "office_id": str(org("JD-12-05").id),
            "topic": "Simulacro del SIJE",
            "system_id": str(system("SIJE").id),
            "modality": "in_person",
            "people_trained": "19",
            "notes": "",
        }
    data.update(changes)
    return data


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def _words(response) -> str:
    """What a person reads: the page without its tags, blanks collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", _text(response)).split())


# --- access ----------------------------------------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get("/capacitacion/")

    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("path", ["/capacitacion/", "/capacitacion/nueva"])
def test_requesters_get_403(app, client_as, path):
    with app.app_context():
        requester_id = make_user(Role.REQUESTER, organization=org("JD-12-05")).id

    assert client_as(requester_id).get(path).status_code == 403


def test_operators_read_the_list_without_the_buttons_to_write(app, client_as):
    supervisor_id = _user(app)
    session_id = _session(app, supervisor_id, date(2021, 11, 25), 19)
    operator_id = _user(app, Role.OPERATOR)

    response = client_as(operator_id).get("/capacitacion/")

    assert response.status_code == 200
    assert "Sesión del 25/11/2021" in _text(response)
    assert "Registrar sesión" not in _text(response)
    assert f"/capacitacion/{session_id}/editar" not in _text(response)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/capacitacion/nueva"),
        ("POST", "/capacitacion/nueva"),
        ("GET", "/capacitacion/{id}/editar"),
        ("POST", "/capacitacion/{id}/editar"),
        ("GET", "/capacitacion/oficinas"),
    ],
)
def test_operators_cannot_write(app, client_as, method, path):
    session_id = _session(app, _user(app), date(2021, 11, 25), 19)
    operator_id = _user(app, Role.OPERATOR)

    response = client_as(operator_id).open(
        path.format(id=session_id), method=method, data=_form(app, people_trained="99")
    )

    assert response.status_code == 403
    assert [people for _, _, people, _ in _sessions(app)] == [19]


# --- the form --------------------------------------------------------------------------------


def test_a_supervisor_logs_a_session_and_lands_on_its_month(app, client_as):
    client = client_as(_user(app))

    response = client.post("/capacitacion/nueva", data=_form(app))

    assert response.headers["Location"].endswith("/capacitacion/?month=2021-11")
    assert _sessions(app) == [(date(2021, 11, 25), "Simulacro del SIJE", 19, Modality.IN_PERSON)]
    page = client.get(response.headers["Location"])
    assert "Sesión de capacitación del 25 de noviembre de 2021 registrada." in _words(page)


def test_the_new_form_offers_states_alphabetically_and_no_office_before_a_state(app, client_as):
    response = client_as(_user(app, Role.ADMIN)).get("/capacitacion/nueva")

    text = _text(response)
    assert response.status_code == 200
    assert (
        text.index(">Aguascalientes<")
        < text.index(">Estado de México<")
        < text.index(">Zacatecas<")
    )
    assert "— Varias oficinas de la entidad —" in text
    assert "Junta Local Ejecutiva" not in text


def test_a_refused_form_is_422_with_every_message_and_what_was_typed(app, client_as):
    supervisor_id = _user(app)

    response = client_as(supervisor_id).post(
        "/capacitacion/nueva",
        data=_form(app, topic="", people_trained="0", held_on="2031-11-25", notes="Sede: JDE 05"),
    )

    text = _text(response)
    assert response.status_code == 422
    assert "Escriba el tema de la sesión." in text
    assert "Escriba un número entero entre 1 y 5,000" in text
    assert "La fecha de la sesión no puede estar en el futuro." in text
    assert 'value="2031-11-25"' in text
    assert "Sede: JDE 05" in text
    assert _sessions(app) == []


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("people_trained", "doce", "Escriba un número entero, solo con dígitos."),
        ("people_trained", "12.5", "Escriba un número entero, solo con dígitos."),
        ("people_trained", "9" * 40, "El número es demasiado grande."),
        ("held_on", "2021-11-42", "Escriba una fecha válida (día, mes y año)."),
        ("held_on", "25/11/2021", "Escriba una fecha válida (día, mes y año)."),
        ("state_id", "9" * 30, "Elija una opción de la lista."),
        ("modality", "telepatia", "Elija una opción de la lista."),
        ("state_id", "doce", "Elija una opción de la lista."),
    ],
)
def test_malformed_input_gets_a_spanish_message_not_a_500(app, client_as, field, typed, message):
    response = client_as(_user(app)).post("/capacitacion/nueva", data=_form(app, **{field: typed}))

    assert response.status_code == 422
    assert message in _text(response)
    assert _sessions(app) == []


def test_an_office_of_another_state_is_refused_on_the_form(app, client_as):
    with app.app_context():
        other = str(org("OPL-15").id)

    response = client_as(_user(app)).post("/capacitacion/nueva", data=_form(app, office_id=other))

    assert response.status_code == 422
    assert "La oficina debe ser una Junta o el OPL de la entidad seleccionada." in _text(response)


def test_the_refresh_button_shows_the_state_offices_without_saving(app, client_as):
    with app.app_context():
        jalisco = str(state("14").id)

    response = client_as(_user(app)).post(
        "/capacitacion/nueva", data=_form(app, state_id=jalisco, actualizar="1")
    )

    text = _text(response)
    assert response.status_code == 200
    assert "Junta Local Ejecutiva en Jalisco" in text
    assert "Instituto Electoral y de Participación Ciudadana del Estado de Jalisco" in text
    assert "Junta Local Ejecutiva en Guerrero" not in text
    assert "Simulacro del SIJE" in text  # what was typed stays
    assert _sessions(app) == []


def test_the_offices_endpoint_lists_juntas_and_opl_of_a_state(app, client_as):
    with app.app_context():
        tlaxcala = state("29").id

    response = client_as(_user(app)).get(f"/capacitacion/oficinas?state_id={tlaxcala}")

    labels = [item["label"] for item in response.get_json()]
    assert labels[0] == "Junta Local Ejecutiva en Tlaxcala"
    assert labels[-1] == "Instituto Tlaxcalteca de Elecciones"
    assert len(labels) == 5  # the Local, three Distritales, the OPL


def test_the_offices_endpoint_without_a_state_is_empty(app, client_as):
    assert client_as(_user(app)).get("/capacitacion/oficinas?state_id=x").get_json() == []


def test_a_correction_shows_the_session_and_saves_the_change(app, client_as):
    supervisor_id = _user(app)
    session_id = _session(app, supervisor_id, date(2021, 11, 25), 19)
    client = client_as(supervisor_id)

    page = client.get(f"/capacitacion/{session_id}/editar")
    response = client.post(
        f"/capacitacion/{session_id}/editar",
        data=_form(app, people_trained="21", modality="remote", topic="Simulacro del SIJE"),
    )

    assert "Corregir la sesión del 25 de noviembre de 2021" in _text(page)
    assert 'value="19"' in _text(page)
    assert response.headers["Location"].endswith("/capacitacion/?month=2021-11")
    assert _sessions(app) == [(date(2021, 11, 25), "Simulacro del SIJE", 21, Modality.REMOTE)]


@pytest.mark.parametrize("session_id", ["999999", "9" * 30])
def test_correcting_a_session_that_does_not_exist_is_404(app, client_as, session_id):
    response = client_as(_user(app)).get(f"/capacitacion/{session_id}/editar")

    assert response.status_code == 404


def test_an_absurd_state_id_lists_no_office_instead_of_failing(app, client_as):
    response = client_as(_user(app)).get(f"/capacitacion/oficinas?state_id={'9' * 30}")

    assert response.get_json() == []


# --- the list --------------------------------------------------------------------------------


@pytest.fixture
def november(app):
    """Three November sessions (two in Guerrero, one remote in the Estado de México), one in
    October and one in December; returns the supervisor's id."""
    supervisor_id = _user(app)
    _session(app, supervisor_id, date(2021, 10, 29), 100)
    _session(app, supervisor_id, date(2021, 11, 1), 10)
    _session(app, supervisor_id, date(2021, 11, 30), 30, system_id=None)
    with app.app_context():
        edomex = {"state_id": state("15").id, "office_id": org("OPL-15").id}
    _session(app, supervisor_id, date(2021, 11, 8), 9, modality=Modality.REMOTE, **edomex)
    _session(app, supervisor_id, date(2021, 12, 1), 1000)
    return supervisor_id


def test_a_month_shows_its_sessions_and_the_total_of_the_report(app, client_as, november):
    _session(app, november, date(2021, 11, 15), 5)

    response = client_as(november).get("/capacitacion/?month=2021-11")

    text = _words(response)
    assert "Total de personal capacitado en noviembre de 2021: 54" in text
    assert "Sesión del 01/11/2021" in text and "Sesión del 30/11/2021" in text
    assert "Sesión del 29/10/2021" not in text and "Sesión del 01/12/2021" not in text


def test_without_a_month_the_list_shows_the_latest_month(app, client_as, november):
    text = _words(client_as(november).get("/capacitacion/"))

    assert "Total de personal capacitado en diciembre de 2021: 1,000" in text
    assert "Sesión del 01/12/2021" in text
    assert "Sesión del 30/11/2021" not in text


def test_the_month_links_lead_to_the_neighbouring_months(app, client_as, november):
    text = _text(client_as(november).get("/capacitacion/?month=2021-11"))

    assert "month=2021-10" in text and "month=2021-12" in text


def test_an_empty_month_filter_shows_every_date(app, client_as, november):
    text = _words(client_as(november).get("/capacitacion/?month="))

    assert "Todas las fechas: 5 sesiones, 1,149 personas capacitadas." in text
    assert "Total de personal capacitado" not in text


def test_filters_narrow_the_list_and_keep_the_month_total(app, client_as, november):
    with app.app_context():
        guerrero = state("12").id

    response = client_as(november).get(
        f"/capacitacion/?month=2021-11&state={guerrero}&modality=in_person"
    )

    text = _words(response)
    assert "Total de personal capacitado en noviembre de 2021: 49" in text
    assert "Con los filtros aplicados: 2 sesiones, 40 personas capacitadas." in text
    assert "Sesión del 08/11/2021" not in text


def test_the_system_filter(app, client_as, november):
    with app.app_context():
        sije = system("SIJE").id

    text = _text(client_as(november).get(f"/capacitacion/?month=2021-11&system={sije}"))

    assert "Sesión del 01/11/2021" in text
    assert "Sesión del 30/11/2021" not in text


def test_a_bad_filter_value_is_ignored_with_a_warning(app, client_as, november):
    response = client_as(november).get("/capacitacion/?month=2021-13&modality=telepatia")

    text = _words(response)
    assert response.status_code == 200
    assert "Se ignoraron filtros con valores no válidos: Mes, Modalidad." in text
    assert "Todas las fechas: 5 sesiones" in text


def test_the_list_pages_forward_and_back(app, client_as, november, monkeypatch):
    monkeypatch.setitem(app.config, "TRAINING_PAGE_SIZE", 2)
    client = client_as(november)

    first = _text(client.get("/capacitacion/?month=2021-11"))
    second = _text(client.get("/capacitacion/?month=2021-11&page=2"))

    assert "Sesión del 30/11/2021" in first and "Sesión del 08/11/2021" in first
    assert 'rel="next"' in first and "page=2" in first
    assert "Sesión del 01/11/2021" in second and "Sesión del 30/11/2021" not in second
    assert "page=1" in second


def test_typed_text_is_escaped_on_the_list(app, client_as):
    supervisor_id = _user(app)
    _session(
        app,
        supervisor_id,
        date(2021, 11, 25),
        19,
        topic='<script>alert("x")</script>',
        notes="<b>negritas</b>",
    )

    raw = client_as(supervisor_id).get("/capacitacion/?month=2021-11").get_data(as_text=True)

    assert "<script>alert" not in raw
    assert "&lt;script&gt;alert(" in raw
    assert "<b>negritas</b>" not in raw
    assert "&lt;b&gt;negritas&lt;/b&gt;" in raw
