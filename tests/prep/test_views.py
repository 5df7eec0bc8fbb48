"""PREP pages: who may see and write, the form through the service, the table against the
election day. Data is built in its own app context; requests run outside any pushed context."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.factories import make_user, org, process, state
from tickets.accounts.models import Role, User
from tickets.extensions import db
from tickets.prep import services
from tickets.prep.models import PrepEvent
from tickets.prep.services import PrepEventData

NOW = datetime(2021, 11, 30, 3, 0, tzinfo=UTC)
JL_GRO = "Vocalía del Registro Federal de Electores de la Junta Local Ejecutiva en Guerrero"


@pytest.fixture
def people(app):
    with app.app_context():
        return {
            "operator": make_user(Role.OPERATOR).id,
            "supervisor": make_user(Role.SUPERVISOR).id,
            "admin": make_user(Role.ADMIN).id,
            "requester": make_user(Role.REQUESTER, organization=org("OPL-12")).id,
        }


def record(app, user_id, state_key="12", kind="drill", held_on="14/11/2021", **kw) -> int:
    with app.app_context():
        values = dict(
            process_id=process("EXT-2021").id,
            state_id=state(state_key).id,
            kind=kind,
            held_on=held_on,
            followed_by=JL_GRO,
            outcome="Sin incidencias",
        )
        values.update(kw)
        actor = db.session.get(User, user_id)
        return services.record_event(actor, PrepEventData(**values), now=NOW).id


def form(state_key="12", kind="drill", held_on="14/11/2021", **kw) -> dict:
    with_ids = {
        "process_id": str(_IDS["EXT-2021"]),
        "state_id": str(_IDS[state_key]),
        "kind": kind,
        "held_on": held_on,
        "number": "",
        "followed_by": JL_GRO,
        "outcome": "Sin incidencias",
        "notes": "",
    }
    with_ids.update(kw)
    return with_ids


_IDS: dict[str, int] = {}  # catalog keys -> ids (the catalogs outlive every test)


@pytest.fixture(autouse=True)
def catalog_ids(app):
    with app.app_context():
        _IDS.update({key: process(key).id for key in ("EXT-2021", "PEL-2021-2022")})
        _IDS.update({key: state(key).id for key in ("01", "12", "14", "15", "18", "29")})


def stored() -> list[PrepEvent]:
    return list(db.session.scalars(sa.select(PrepEvent).order_by(PrepEvent.id)))


# --- access -----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/prep/", "/prep/nuevo", "/prep/1/editar"])
def test_anonymous_visitors_are_sent_to_log_in(client, path):
    response = client.get(path)

    assert "/login" in response.headers["Location"]


def test_requesters_get_403_everywhere(app, client_as, people):
    event_id = record(app, people["supervisor"])
    client = client_as(people["requester"])

    assert client.get("/prep/").status_code == 403
    assert client.get("/prep/nuevo").status_code == 403
    assert client.post("/prep/nuevo", data=form()).status_code == 403
    assert client.get(f"/prep/{event_id}/editar").status_code == 403


def test_operators_read_but_do_not_write(app, client_as, people):
    event_id = record(app, people["supervisor"])
    client = client_as(people["operator"])

    page = client.get("/prep/")
    assert page.status_code == 200
    assert "Registrar simulacro u operación" not in page.text
    assert f"/prep/{event_id}/editar" not in page.text
    assert client.get("/prep/nuevo").status_code == 403
    assert client.post("/prep/nuevo", data=form(held_on="21/11/2021")).status_code == 403
    assert client.post(f"/prep/{event_id}/editar", data=form()).status_code == 403
    with app.app_context():
        assert len(stored()) == 1


# --- the form -------------------------------------------------------------------------------


def test_a_supervisor_records_a_drill_through_the_form(app, client_as, people):
    response = client_as(people["supervisor"]).post("/prep/nuevo", data=form())

    assert response.headers["Location"].endswith("/prep/?process=EXT-2021")
    with app.app_context():
        [event] = stored()
        assert (event.number, event.held_on, event.followed_by) == (1, date(2021, 11, 14), JL_GRO)


def test_an_impossible_date_is_refused_keeping_what_was_typed(app, client_as, people):
    response = client_as(people["supervisor"]).post(
        "/prep/nuevo", data=form(held_on="42/11/2021", outcome="Lo que escribí")
    )

    assert response.status_code == 422
    assert "«42/11/2021» no es una fecha real: noviembre de 2021 tiene 30 días." in response.text
    assert 'value="42/11/2021"' in response.text
    assert 'value="Lo que escribí"' in response.text
    with app.app_context():
        assert stored() == []


def test_an_operation_left_without_a_date_is_stored_on_election_day(app, client_as, people):
    client_as(people["admin"]).post("/prep/nuevo", data=form("29", kind="operation", held_on=""))

    with app.app_context():
        [event] = stored()
        assert event.held_on == date(2021, 11, 28)


def test_the_form_offers_only_the_states_with_an_election_in_the_process(client_as, people):
    page = client_as(people["supervisor"]).get(
        "/prep/nuevo?process=EXT-2021&state=12&kind=operation"
    )

    assert page.status_code == 200
    assert "Guerrero · jornada: 28 de noviembre de 2021" in page.text
    assert "Nayarit · jornada: 5 de diciembre de 2021" in page.text
    assert "Aguascalientes" not in page.text
    assert f'<option selected value="{_IDS["12"]}">' in page.text
    assert '<option selected value="operation">' in page.text


def test_changing_the_process_reloads_its_states_without_saving(app, client_as, people):
    typed = form(process_id=str(_IDS["PEL-2021-2022"]), refresh="1", outcome="Escrito antes")

    page = client_as(people["supervisor"]).post("/prep/nuevo", data=typed)

    assert page.status_code == 200
    assert "Aguascalientes · jornada: 5 de junio de 2022" in page.text
    assert "Guerrero · jornada" not in page.text
    assert 'value="Escrito antes"' in page.text
    with app.app_context():
        assert stored() == []


def test_a_correction_goes_through_the_form(app, client_as, people):
    event_id = record(app, people["supervisor"])
    client = client_as(people["supervisor"])
    page = client.get(f"/prep/{event_id}/editar")
    assert 'value="14/11/2021"' in page.text
    with app.app_context():
        seen = db.session.get(PrepEvent, event_id).updated_at.isoformat()

    response = client.post(
        f"/prep/{event_id}/editar", data=form(held_on="15/11/2021", number="1", updated=seen)
    )

    assert response.headers["Location"].endswith("/prep/?process=EXT-2021")
    with app.app_context():
        assert db.session.get(PrepEvent, event_id).held_on == date(2021, 11, 15)


def test_a_stale_correction_is_refused_with_409(app, client_as, people):
    event_id = record(app, people["supervisor"])
    stale = "2021-11-01T00:00:00+00:00"

    response = client_as(people["supervisor"]).post(
        f"/prep/{event_id}/editar", data=form(held_on="15/11/2021", updated=stale)
    )

    assert response.status_code == 409
    assert "Otra persona modificó este registro" in response.text
    with app.app_context():
        assert db.session.get(PrepEvent, event_id).held_on == date(2021, 11, 14)


def test_editing_an_unknown_event_is_404(client_as, people):
    assert client_as(people["supervisor"]).get("/prep/999999/editar").status_code == 404


# --- the follow-up table ------------------------------------------------------------------------


def test_the_page_lists_drills_against_the_election_day(app, client_as, people):
    record(app, people["supervisor"], "12", held_on="14/11/2021")
    record(app, people["supervisor"], "12", held_on="21/11/2021")
    record(app, people["supervisor"], "12", kind="operation", held_on="", outcome="Un CATD sin red")

    page = client_as(people["operator"]).get("/prep/").text

    assert "EXT-2021" in page
    row = page[page.index('<th scope="row">Guerrero</th>') :].split("</tr>", 1)[0]
    assert "IEPC Guerrero" in row
    assert "28 de noviembre de 2021" in row
    assert "Simulacro 1: 14 de noviembre de 2021" in row and "(14 días antes)" in row
    assert "Simulacro 2: 21 de noviembre de 2021" in row and "(7 días antes)" in row
    assert "la noche de la jornada" in row and "Un CATD sin red" in row


def test_the_states_without_follow_up_say_so(app, client_as, people):
    record(app, people["supervisor"], "12")

    page = client_as(people["supervisor"]).get("/prep/").text

    row = page[page.index('<th scope="row">Tlaxcala</th>') :].split("</tr>", 1)[0]
    assert "Sin simulacros registrados" in row and "Sin registrar" in row
    assert "Registrar operación" in row


def test_with_nothing_recorded_the_page_says_what_to_do(client_as, people):
    page = client_as(people["supervisor"]).get("/prep/").text

    assert "Aún no hay simulacros ni operaciones del PREP registrados." in page
    assert "flask prep import" in page


def test_the_process_filter_shows_a_process_without_events(client_as, people):
    page = client_as(people["operator"]).get("/prep/?process=PEL-2021-2022").text

    assert '<th scope="row">Aguascalientes</th>' in page
    assert "5 de junio de 2022" in page


def test_an_unknown_process_in_the_filter_is_ignored_with_a_notice(client_as, people):
    page = client_as(people["operator"]).get("/prep/?process=NO-EXISTE")

    assert page.status_code == 200
    assert "Se ignoró el filtro: no existe el proceso «NO-EXISTE»." in page.text


def test_typed_text_is_escaped_on_the_page(app, client_as, people):
    record(
        app,
        people["supervisor"],
        followed_by="<script>alert('x')</script>",
        outcome="<b>negritas</b>",
        notes="<img src=x onerror=alert(1)>",
    )

    page = client_as(people["supervisor"]).get("/prep/").text

    assert "<script>alert" not in page and "<b>negritas" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page
    assert "&lt;b&gt;negritas&lt;/b&gt;" in page
