"""The requester pages: Mis solicitudes, Nueva solicitud, the ticket page and its actions.

Data is built in its own app context, requests run without one (STYLE.md 3.12), and results
are read back in a fresh context.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import make_user, org, state
from tests.portal.conftest import (
    INTERNAL_FILE,
    INTERNAL_NOTE,
    OPERATOR_EMAIL,
    PUBLIC_REPLY,
    open_with_code,
)
from tickets.accounts.models import Role, User
from tickets.catalogs.models import Election, ElectoralProcess, ProcessKind
from tickets.core.db import utcnow
from tickets.core.timeutil import long_datetime, parse_local, to_mx
from tickets.extensions import db
from tickets.helpdesk import services
from tickets.helpdesk.models import Channel, Comment, Priority, Status, Ticket
from tickets.notifications.models import OutboxMessage

FOLIO = re.compile(r"TIC-\d{4}-\d{6}")


def _page(resp) -> str:
    return resp.get_data(as_text=True)


def _status(app, folio: str) -> Status:
    with app.app_context():
        return db.session.scalar(sa.select(Ticket.status).where(Ticket.folio == folio))


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _version(app, folio: str) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(Ticket.version).where(Ticket.folio == folio))


def _resolve(app, world, resolved_at=None) -> None:
    """The operator resolves the world's ticket (at ``resolved_at`` when given)."""
    with app.app_context():
        operator = db.session.get(User, world.operator_id)
        ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == world.folio))
        services.transition(operator, ticket, Status.RESOLVED, now=resolved_at)


# --- Mis solicitudes ------------------------------------------------------------------------


def test_my_requests_lists_only_the_organisations_tickets(app, client_as, world):
    html = _page(client_as(world.requester_id).get("/solicitudes/"))

    assert world.folio in html
    assert world.other_folio not in html
    other = _page(client_as(world.stranger_id).get("/solicitudes/"))
    assert world.other_folio in other and world.folio not in other


def test_my_requests_filters_by_status_text_and_dates(app, client_as, world):
    with app.app_context():
        requester = db.session.get(User, world.requester_id)
        later, _ = services.open_ticket(
            requester,
            _portal_data(requester, subject="Alta de credenciales para capturistas"),
            now=parse_local("2021-12-02T10:00:00"),
        )
        later_folio = later.folio
    client = client_as(world.requester_id)

    by_status = _page(client.get("/solicitudes/?status=in_progress"))
    by_text = _page(client.get("/solicitudes/?q=credenciales"))
    by_date = _page(client.get("/solicitudes/?received_from=2021-12-01&received_to=2021-12-31"))
    opened = _page(client.get("/solicitudes/?status=abiertas"))

    assert world.folio in by_status and later_folio not in by_status
    assert later_folio in by_text and world.folio not in by_text
    assert later_folio in by_date and world.folio not in by_date
    assert world.folio in opened and later_folio in opened


def test_my_requests_ignores_a_bad_filter_value(app, client_as, world):
    resp = client_as(world.requester_id).get("/solicitudes/?status=borrado&received_from=ayer")

    assert resp.status_code == 200
    assert "Se ignoraron filtros con valores no válidos" in _page(resp)
    assert world.folio in _page(resp)


def test_my_requests_pages_forward_and_back(app, client_as, world, monkeypatch):
    monkeypatch.setitem(app.config, "QUEUE_PAGE_SIZE", 1)
    with app.app_context():
        open_with_code(db.session.get(User, world.operator_id))
    client = client_as(world.requester_id)

    first = _page(client.get("/solicitudes/"))
    second = _page(client.get("/solicitudes/?page=2"))

    assert 'rel="next"' in first and 'rel="prev"' not in first
    assert 'rel="prev"' in second and 'rel="next"' not in second
    assert set(FOLIO.findall(first)).isdisjoint(FOLIO.findall(second))


def test_an_organisation_without_tickets_is_told_how_to_open_one(app, client_as):
    with app.app_context():
        requester_id = make_user(Role.REQUESTER, organization=org("OPL-12")).id

    html = _page(client_as(requester_id).get("/solicitudes/"))

    assert "aún no tiene solicitudes" in html
    assert 'href="/solicitudes/nueva"' in html


# --- Nueva solicitud ------------------------------------------------------------------------


def _portal_data(requester, **overrides):
    from tests.factories import category, system
    from tickets.helpdesk.validation import TicketData

    organization = requester.organization
    values = dict(
        requester_type=organization.kind,
        organization_id=organization.id,
        state_id=organization.state_id,
        district_id=organization.district_id,
        contact_name=requester.name,
        contact_email=requester.email,
        system_id=system("SIJE").id,
        category_id=category("INCIDENCIA").id,
        channel=Channel.PORTAL,
        priority=Priority.MEDIUM,
        subject="No puedo entrar al sistema",
        description="Marca usuario bloqueado.",
    )
    values.update(overrides)
    return TicketData(**values)


def _request_form(app, **changes) -> dict:
    from tests.factories import category, system

    with app.app_context():
        data = {
            "system_id": str(system("SIJE").id),
            "category_id": str(category("ACCESO").id),
            "process_id": "",
            "subject": "No puedo entrar al SIJE",
            "description": "Desde hoy marca «usuario bloqueado» al iniciar sesión.",
        }
    data.update(changes)
    return data


def test_a_new_request_lands_for_the_requesters_organisation(app, client_as, world):
    client = client_as(world.requester_id)

    resp = client.post("/solicitudes/nueva", data=_request_form(app))

    folio = FOLIO.search(resp.headers["Location"]).group(0)
    html = _page(client.get(resp.headers["Location"]))
    assert f"Registramos su solicitud con el folio {folio}" in html
    assert "Código de acceso:" in html
    with app.app_context():
        ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == folio))
        junta = org("JD-12-05")
        assert (ticket.organization_id, ticket.state_id) == (junta.id, state("12").id)
        assert ticket.district_id == junta.district_id
        assert ticket.office_id == junta.id
        assert (ticket.channel, ticket.priority) == (Channel.PORTAL, Priority.MEDIUM)
        assert (ticket.contact_name, ticket.created_by_id) == ("Luis Pérez", world.requester_id)
        assert ticket.process_id is None
        assert ticket.status is Status.NEW


def test_the_new_request_code_works_for_the_lookup(app, client_as, world):
    resp = client_as(world.requester_id).post("/solicitudes/nueva", data=_request_form(app))
    folio = FOLIO.search(resp.headers["Location"]).group(0)
    with app.app_context():
        body = db.session.scalar(
            sa.select(OutboxMessage.body_text)
            .join(Ticket)
            .where(OutboxMessage.kind == "opened", Ticket.folio == folio)
        )
    code = re.search(r"Código de acceso: (\S+)", body).group(1)

    unlocked = app.test_client().post("/consulta", data={"folio": folio, "code": code})

    assert unlocked.headers["Location"].endswith(f"/consulta/{folio}")


@pytest.fixture
def processes_today(app):
    """One process in course today with an election in Guerrero, one only in Estado de México."""
    today = to_mx(utcnow()).date()
    with app.app_context():
        ids = {}
        for key, state_key in (("PRUEBA-GRO", "12"), ("PRUEBA-MEX", "15")):
            process = ElectoralProcess(
                key=key,
                name=f"Proceso de prueba {state_key}",
                kind=ProcessKind.EXTRAORDINARY_LOCAL,
                starts_on=today - timedelta(days=30),
                ends_on=today + timedelta(days=30),
            )
            db.session.add(process)
            db.session.add(Election(process=process, state=state(state_key), election_day=today))
            db.session.flush()
            ids[key] = process.id
        db.session.commit()
    return ids


def test_the_form_offers_only_processes_in_course_in_the_requesters_state(
    app, client_as, world, processes_today
):
    html = _page(client_as(world.requester_id).get("/solicitudes/nueva"))

    assert "PRUEBA-GRO" in html
    assert "PRUEBA-MEX" not in html
    assert "EXT-2021" not in html  # ended in 2021
    assert "Actividad ordinaria" in html
    with app.app_context():
        assert org("JD-12-05").name in html  # fixed, not chosen


def test_a_request_in_a_process_of_the_state_keeps_it(app, client_as, world, processes_today):
    form = _request_form(app, process_id=str(processes_today["PRUEBA-GRO"]))

    resp = client_as(world.requester_id).post("/solicitudes/nueva", data=form)

    folio = FOLIO.search(resp.headers["Location"]).group(0)
    with app.app_context():
        process_id = db.session.scalar(sa.select(Ticket.process_id).where(Ticket.folio == folio))
    assert process_id == processes_today["PRUEBA-GRO"]


def test_a_process_without_election_in_the_state_is_refused(app, client_as, world, processes_today):
    before = _count(app, Ticket)
    form = _request_form(app, process_id=str(processes_today["PRUEBA-MEX"]))

    resp = client_as(world.requester_id).post("/solicitudes/nueva", data=form)

    assert resp.status_code == 422
    assert "no tiene elecciones en PRUEBA-MEX" in _page(resp)
    assert _count(app, Ticket) == before


def test_an_incomplete_request_is_refused_in_spanish_and_keeps_what_was_typed(
    app, client_as, world
):
    before = _count(app, Ticket)
    form = _request_form(app, system_id="", subject="", description="Se cae el SIJE")

    resp = client_as(world.requester_id).post("/solicitudes/nueva", data=form)

    html = _page(resp)
    assert resp.status_code == 422
    assert "Escriba el asunto." in html
    assert "Seleccione el sistema." in html
    assert "Se cae el SIJE" in html
    assert _count(app, Ticket) == before


def test_a_refused_file_writes_nothing(app, client_as, world):
    before = _count(app, Ticket)
    form = _request_form(app, files=(io.BytesIO(b"MZ"), "programa.exe"))

    resp = client_as(world.requester_id).post(
        "/solicitudes/nueva", data=form, content_type="multipart/form-data"
    )

    assert resp.status_code == 422
    assert "no está permitido" in _page(resp)
    assert _count(app, Ticket) == before


def test_a_request_with_a_file_keeps_it(app, client_as, world):
    form = _request_form(app, files=(io.BytesIO(b"PNG captura"), "captura.png"))
    client = client_as(world.requester_id)

    resp = client.post("/solicitudes/nueva", data=form, content_type="multipart/form-data")

    html = _page(client.get(resp.headers["Location"]))
    assert "captura.png" in html


def test_a_requester_without_organisation_cannot_open_requests(app, client_as):
    with app.app_context():
        requester_id = make_user(Role.REQUESTER).id

    resp = client_as(requester_id).post("/solicitudes/nueva", data=_request_form(app))

    assert resp.status_code == 403
    assert "no está vinculada a una organización" in _page(resp)
    assert _count(app, Ticket) == 0


# --- The ticket page ------------------------------------------------------------------------


def test_the_ticket_page_shows_the_public_timeline_and_never_internal_notes(app, client_as, world):
    html = _page(client_as(world.requester_id).get(f"/solicitudes/{world.folio}"))

    assert "En atención: una persona de la mesa trabaja en su solicitud." in html
    assert PUBLIC_REPLY in html
    assert "Mesa de ayuda · Ana" in html
    assert INTERNAL_NOTE not in html
    assert INTERNAL_FILE not in html
    assert OPERATOR_EMAIL not in html


def test_internal_notes_never_appear_on_any_requester_page(app, client_as, world):
    client = client_as(world.requester_id)
    urls = ["/solicitudes/", f"/solicitudes/?q={world.folio}", f"/solicitudes/{world.folio}"]

    for url in urls:
        html = _page(client.get(url))
        assert INTERNAL_NOTE not in html and INTERNAL_FILE not in html, url
    resp = client.post(f"/solicitudes/{world.folio}/responder", data={"body": ""})
    assert INTERNAL_NOTE not in _page(resp)


def test_public_files_download_and_internal_files_are_404(app, client_as, world):
    client = client_as(world.requester_id)
    base = f"/solicitudes/{world.folio}/archivos"

    with client.get(f"{base}/{world.public_file_id}") as resp:
        assert resp.status_code == 200
        assert resp.data == b"%PDF-1.4 pasos"
    assert client.get(f"{base}/{world.internal_file_id}").status_code == 404


def test_a_reply_on_a_waiting_ticket_moves_it_back_in_progress(app, client_as, world):
    with app.app_context():
        operator = db.session.get(User, world.operator_id)
        ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == world.folio))
        services.transition(operator, ticket, Status.WAITING)
    client = client_as(world.requester_id)

    resp = client.post(
        f"/solicitudes/{world.folio}/responder",
        data={"body": "Ya borré la caché y sigue igual.", "files": (io.BytesIO(b"x"), "log.txt")},
        content_type="multipart/form-data",
    )

    assert resp.headers["Location"].endswith(f"/solicitudes/{world.folio}#historial")
    assert _status(app, world.folio) is Status.IN_PROGRESS
    html = _page(client.get(f"/solicitudes/{world.folio}"))
    assert "Ya borré la caché y sigue igual." in html
    assert "Luis (solicitante)" in html
    assert "log.txt" in html
    with app.app_context():
        mailed = db.session.scalars(
            sa.select(OutboxMessage.to_address).where(OutboxMessage.kind == "requester_reply")
        ).all()
    assert mailed == [OPERATOR_EMAIL]


def test_an_empty_reply_is_refused_in_spanish(app, client_as, world):
    before = _count(app, Comment)

    resp = client_as(world.requester_id).post(
        f"/solicitudes/{world.folio}/responder", data={"body": "   "}
    )

    assert resp.status_code == 422
    assert "Escriba el comentario." in _page(resp)
    assert _count(app, Comment) == before


def test_a_reply_with_a_refused_file_writes_nothing_and_keeps_the_text(app, client_as, world):
    before = _count(app, Comment)

    resp = client_as(world.requester_id).post(
        f"/solicitudes/{world.folio}/responder",
        data={"body": "Adjunto el programa", "files": (io.BytesIO(b"MZ"), "programa.exe")},
        content_type="multipart/form-data",
    )

    assert resp.status_code == 422
    assert "no está permitido" in _page(resp)
    assert "Adjunto el programa" in _page(resp)
    assert _count(app, Comment) == before


def test_confirm_and_reopen_are_offered_only_when_resolved(app, client_as, world):
    client = client_as(world.requester_id)
    working = _page(client.get(f"/solicitudes/{world.folio}"))
    _resolve(app, world)

    resolved = _page(client.get(f"/solicitudes/{world.folio}"))

    assert "Confirmar solución" not in working and "/reabrir" not in working
    assert "Confirmar solución" in resolved and "/reabrir" in resolved
    with app.app_context():
        ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == world.folio))
        deadline = long_datetime(services.reopen_deadline(ticket))
    assert f"Puede reabrirla antes del</strong> {deadline}" in resolved


def test_confirming_closes_the_ticket(app, client_as, world):
    _resolve(app, world)

    resp = client_as(world.requester_id).post(
        f"/solicitudes/{world.folio}/confirmar", data={"version": _version(app, world.folio)}
    )

    assert resp.headers["Location"].endswith(f"/solicitudes/{world.folio}")
    assert _status(app, world.folio) is Status.CLOSED


def test_confirming_a_ticket_changed_meanwhile_is_refused(app, client_as, world):
    _resolve(app, world)
    stale = _version(app, world.folio) - 1

    resp = client_as(world.requester_id).post(
        f"/solicitudes/{world.folio}/confirmar", data={"version": stale}
    )

    assert resp.status_code == 409
    assert "fue modificado por otra persona" in _page(resp)
    assert _status(app, world.folio) is Status.RESOLVED


def test_reopening_needs_a_reason(app, client_as, world):
    _resolve(app, world)

    resp = client_as(world.requester_id).post(
        f"/solicitudes/{world.folio}/reabrir",
        data={"version": _version(app, world.folio), "reason": "  "},
    )

    assert resp.status_code == 422
    assert "Explique por qué la solución no resolvió su solicitud." in _page(resp)
    assert _status(app, world.folio) is Status.RESOLVED


def test_reopening_with_a_reason_puts_the_ticket_back_in_progress(app, client_as, world):
    _resolve(app, world)
    client = client_as(world.requester_id)

    resp = client.post(
        f"/solicitudes/{world.folio}/reabrir",
        data={"version": _version(app, world.folio), "reason": "Sigue marcando error 500."},
    )

    assert resp.headers["Location"].endswith(f"/solicitudes/{world.folio}")
    assert _status(app, world.folio) is Status.IN_PROGRESS
    html = _page(client.get(f"/solicitudes/{world.folio}"))
    assert "Reapertura: Sigue marcando error 500." in html
    assert "reabrió la solicitud." in html


def test_reopening_after_five_working_days_is_refused(app, client_as, world):
    _resolve(app, world, resolved_at=parse_local("2021-11-16T12:00:00"))

    resp = client_as(world.requester_id).post(
        f"/solicitudes/{world.folio}/reabrir",
        data={"version": _version(app, world.folio), "reason": "Volvió a fallar."},
    )

    assert resp.status_code == 422
    assert "El plazo para reabrir venció el" in _page(resp)
    assert _status(app, world.folio) is Status.RESOLVED


# --- Isolation, escaping and roles ----------------------------------------------------------


def test_another_organisations_requester_gets_404_for_everything(app, client_as, world):
    _resolve(app, world)
    client = client_as(world.stranger_id)
    version = _version(app, world.folio)
    before = (_count(app, Comment), _status(app, world.folio))

    gets = [
        f"/solicitudes/{world.folio}",
        f"/solicitudes/{world.folio.lower()}",
        f"/solicitudes/{world.folio}/archivos/{world.public_file_id}",
        f"/consulta/{world.folio}",
        f"/consulta/{world.folio}/archivos/{world.public_file_id}",
    ]
    posts = {
        f"/solicitudes/{world.folio}/responder": {"body": "Hola"},
        f"/solicitudes/{world.folio}/confirmar": {"version": version},
        f"/solicitudes/{world.folio}/reabrir": {"version": version, "reason": "No funciona"},
    }

    assert [client.get(url).status_code for url in gets] == [404] * len(gets)
    assert [client.post(url, data=d).status_code for url, d in posts.items()] == [404] * 3
    assert (_count(app, Comment), _status(app, world.folio)) == before


def test_user_text_is_escaped_on_requester_pages(app, client_as, world):
    with app.app_context():
        requester = db.session.get(User, world.requester_id)
        ticket, _ = services.open_ticket(
            requester, _portal_data(requester, subject="<img src=x onerror=alert(1)>")
        )
        services.add_comment(requester, ticket, "<script>alert('respuesta')</script>")
        folio = ticket.folio
    client = client_as(world.requester_id)

    listing = _page(client.get("/solicitudes/"))
    detail = _page(client.get(f"/solicitudes/{folio}"))

    for html in (listing, detail):
        assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "<script>alert" not in detail and "&lt;script&gt;alert" in detail


def test_requester_pages_run_no_inline_script_or_style(app, client_as, world):
    client = client_as(world.requester_id)
    _resolve(app, world)

    for url in ("/solicitudes/", "/solicitudes/nueva", f"/solicitudes/{world.folio}"):
        html = _page(client.get(url))
        assert all("src=" in tag for tag in re.findall(r"<script[^>]*>", html)), url
        assert " style=" not in html and " onclick=" not in html, url


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN])
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/solicitudes/"),
        ("get", "/solicitudes/nueva"),
        ("post", "/solicitudes/nueva"),
        ("get", "/solicitudes/{folio}"),
        ("post", "/solicitudes/{folio}/responder"),
        ("post", "/solicitudes/{folio}/confirmar"),
        ("post", "/solicitudes/{folio}/reabrir"),
        ("get", "/solicitudes/{folio}/archivos/{file}"),
    ],
)
def test_staff_get_403_on_requester_pages(app, client_as, world, role, method, url):
    with app.app_context():
        staff_id = make_user(role).id
    target = url.format(folio=world.folio, file=world.public_file_id)

    resp = getattr(client_as(staff_id), method)(target, data={})

    assert resp.status_code == 403
    assert "No tiene permiso" in _page(resp)


def test_anonymous_visitors_are_sent_to_the_login(app, client, world):
    resp = client.get(f"/solicitudes/{world.folio}")

    assert "/login" in resp.headers["Location"]


def test_dates_read_the_mexican_way(app, client_as, world):
    html = _page(client_as(world.requester_id).get(f"/solicitudes/{world.folio}"))

    assert "Recibida el 14 de noviembre de 2021, 09:30" in html
    assert date(2021, 11, 14).isoformat() not in html
