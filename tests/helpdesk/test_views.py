"""The operator pages: intake, queue, ticket page, actions and downloads.

Data is built in its own app context, requests run without one (STYLE.md 3.12), and results
are read back in a fresh context.
"""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import category, district, make_ticket, make_user, org, process, state, system
from tickets.accounts.models import Role, User
from tickets.core.timeutil import MX_TZ
from tickets.extensions import db
from tickets.helpdesk import access_codes, services
from tickets.helpdesk.attachments import Upload
from tickets.helpdesk.models import Attachment, AuditEvent, Comment, Priority, Status, Ticket

FOLIO = re.compile(r"TIC-\d{4}-\d{6}")


# --- helpers -------------------------------------------------------------------------------


def _user(app, role=Role.OPERATOR, **kw) -> int:
    with app.app_context():
        return make_user(role, **kw).id


def _ticket(app, actor_id: int | None = None, **overrides) -> str:
    with app.app_context():
        actor = db.session.get(User, actor_id) if actor_id else None
        return make_ticket(actor, **overrides).folio


def _load(app, folio: str, *columns):
    with app.app_context():
        return db.session.execute(sa.select(*columns).where(Ticket.folio == folio)).one()


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _events(app, folio: str) -> list[tuple[str, str | None, str | None]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(AuditEvent.field, AuditEvent.old, AuditEvent.new)
            .join(Ticket)
            .where(Ticket.folio == folio)
            .order_by(AuditEvent.id)
        )
        return [tuple(r) for r in rows]


def _version(app, folio: str) -> int:
    return _load(app, folio, Ticket.version)[0]


def _intake_form(app, **changes) -> dict:
    """What an operator types for a call from the Junta Distrital 05 of Guerrero."""
    with app.app_context():
        junta = org("JD-12-05")
        data = {
            "requester_type": "junta",
            "state_id": str(state("12").id),
            "organization_id": str(junta.id),
            "district_id": str(junta.district_id),
            "office_id": str(junta.id),
            "process_id": str(process("EXT-2021").id),
            "system_id": str(system("SIJE").id),
            "category_id": str(category("INCIDENCIA").id),
            "priority": "high",
            "channel": "phone",
            "contact_name": "María Hernández",
            "contact_email": "maria.hernandez@ine.test",
            "contact_phone": "744 123 4567",
            "subject": "No abre el módulo de cómputos",
            "description": "Desde las 8:00 el sistema marca error al abrir el reporte.",
            "received_at": "2021-11-14T09:30",
        }
    data.update(changes)
    return data


def _page(resp) -> str:
    return resp.get_data(as_text=True)


# --- intake --------------------------------------------------------------------------------


def test_intake_page_is_ready_for_the_keyboard(app, client_as):
    operator_id = _user(app)

    html = _page(client_as(operator_id).get("/tickets/nuevo"))

    assert re.search(r'<select autofocus[^>]*name="requester_type"', html)
    assert '<option selected value="medium">Media</option>' in html
    assert '<option selected value="phone">Teléfono</option>' in html
    assert '<option value="">Actividad ordinaria</option>' in html
    today = datetime.now(MX_TZ).strftime("%Y-%m-%d")
    assert re.search(rf'name="received_at" type="datetime-local" value="{today}T\d\d:\d\d"', html)


def test_intake_page_runs_no_inline_script(app, client_as):
    operator_id = _user(app)

    html = _page(client_as(operator_id).get("/tickets/nuevo"))

    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts and all("src=" in tag for tag in scripts)
    assert "/static/js/intake.js" in html
    assert " onchange=" not in html and " style=" not in html


def test_intake_registers_the_ticket_and_shows_folio_and_code_once(app, client_as):
    operator_id = _user(app)
    client = client_as(operator_id)

    resp = client.post("/tickets/nuevo", data=_intake_form(app, process_id=""))

    assert resp.headers["Location"].endswith("/tickets/TIC-2021-000001")
    html = _page(client.get(resp.headers["Location"]))
    match = re.search(
        r"Ticket (TIC-2021-000001) registrado\. "
        r"Código de acceso: ([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}) \(se muestra solo esta vez\)",
        html,
    )
    assert match
    assert "Código de acceso" not in _page(client.get(resp.headers["Location"]))
    with app.app_context():
        ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == match[1]))
        assert access_codes.verify(match[2], ticket.access_code_hash)
        assert ticket.organization.key == "JD-12-05"
        assert ticket.state.key == "12" and ticket.district.number == 5
        assert ticket.office.key == "JD-12-05"
        assert ticket.process is None  # "Actividad ordinaria"
        assert (ticket.system.key, ticket.category.key) == ("SIJE", "INCIDENCIA")
        assert (ticket.priority, ticket.status) == (Priority.HIGH, Status.NEW)
        assert ticket.received_at == datetime(2021, 11, 14, 15, 30, tzinfo=UTC)  # 09:30 in CDMX
        assert ticket.created_by_id == operator_id


def test_intake_keeps_the_electoral_process_and_files(app, client_as):
    operator_id = _user(app)
    form = _intake_form(app)
    form["files"] = [(io.BytesIO(b"captura de pantalla"), "captura.png")]

    resp = client_as(operator_id).post("/tickets/nuevo", data=form)

    folio = FOLIO.search(resp.headers["Location"])[0]
    with app.app_context():
        ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == folio))
        assert ticket.process.key == "EXT-2021"
        [attachment] = db.session.scalars(ticket.attachments.select()).all()
        assert attachment.filename == "captura.png"
    assert ("attachment", None, "captura.png") in _events(app, folio)


BAD_INTAKE = [
    pytest.param(lambda: {"subject": "  "}, "Escriba el asunto.", id="missing-subject"),
    pytest.param(
        lambda: {"district_id": str(district("15", 1).id)},
        "El distrito no pertenece a la entidad seleccionada.",
        id="district-of-another-state",
    ),
    pytest.param(
        lambda: {"process_id": str(process("PEL-2021-2022").id)},
        "Guerrero no tiene elecciones en PEL-2021-2022",
        id="process-without-election-in-state",
    ),
    pytest.param(
        lambda: {
            "process_id": "",
            "received_at": (datetime.now(MX_TZ) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
        "La fecha de recepción no puede estar en el futuro.",
        id="future-date",
    ),
    pytest.param(
        lambda: {"files": [(io.BytesIO(b"MZ\x90\x00"), "instalador.exe")]},
        "El tipo de archivo «.exe» no está permitido.",
        id="exe-file",
    ),
    pytest.param(
        lambda: {"received_at": "14/11/2021 9"},
        "Escriba la fecha y la hora completas",
        id="unreadable-date",
    ),
    pytest.param(
        lambda: {"received_at": "9999-12-31T23:59"},
        "Escriba una fecha entre 2000 y 2100.",
        id="date-at-the-end-of-time",
    ),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INTAKE)
def test_intake_refuses_bad_input_keeps_what_was_typed_and_writes_nothing(
    app, client_as, changes, message
):
    operator_id = _user(app)
    with app.app_context():
        form = _intake_form(app, contact_name="Lucía <Pérez>", **changes())

    resp = client_as(operator_id).post("/tickets/nuevo", data=form)

    assert resp.status_code == 422
    html = _page(resp)
    assert message in html
    assert 'value="Lucía &lt;Pérez&gt;"' in html
    assert "Desde las 8:00 el sistema marca error" in html
    # The state's own choices are rendered by the server, with the typed one selected.
    assert f'<option selected value="{form["organization_id"]}">Junta Distrital' in html
    assert _count(app, Ticket) == 0
    assert _count(app, Attachment) == 0


def test_intake_with_an_unknown_requester_type_is_refused_in_spanish(app, client_as):
    operator_id = _user(app)

    resp = client_as(operator_id).post(
        "/tickets/nuevo", data=_intake_form(app, requester_type="alien")
    )

    assert resp.status_code == 422
    assert "Elija una opción de la lista." in _page(resp)
    assert _count(app, Ticket) == 0


def test_intake_drops_control_characters_from_typed_text(app, client_as):
    operator_id = _user(app)

    resp = client_as(operator_id).post(
        "/tickets/nuevo", data=_intake_form(app, subject="Falla\x00 del\x07 SIJE")
    )

    folio = FOLIO.search(resp.headers["Location"])[0]
    assert _load(app, folio, Ticket.subject)[0] == "Falla del SIJE"


@pytest.mark.parametrize("value", [str(2**31), "99999999999999999999999", "-3", "٣"])
def test_intake_refuses_ids_that_cannot_exist(app, client_as, value):
    operator_id = _user(app)

    resp = client_as(operator_id).post("/tickets/nuevo", data=_intake_form(app, district_id=value))

    assert resp.status_code == 422
    assert "Elija una opción de la lista." in _page(resp)
    assert _count(app, Ticket) == 0


# --- queue ---------------------------------------------------------------------------------


@pytest.fixture
def two_tickets(app):
    """A: Guerrero junta, EXT-2021, SIJE, high, assigned to the operator, 14 Nov 2021.
    B: OPL of the Estado de México, ordinary activity, PREP, low, unassigned, 5 Oct 2021."""
    from tickets.core.timeutil import parse_local

    with app.app_context():
        operator = make_user(Role.OPERATOR)
        a = make_ticket(operator)
        services.assign(operator, a, operator)
        b = make_ticket(
            operator,
            organization=org("OPL-15"),
            state_id=state("15").id,
            district_id=None,
            process_id=None,
            system_id=system("PREP").id,
            priority=Priority.LOW,
            subject="Consulta sobre la carga de actas",
            description="Pregunta por el formato del archivo.",
            received_at=parse_local("2021-10-05T12:00:00"),
        )
        ids = {
            "operator": operator.id,
            "guerrero": state("12").id,
            "mexico": state("15").id,
            "ext": process("EXT-2021").id,
            "sije": system("SIJE").id,
            "prep": system("PREP").id,
        }
        return {"A": a.folio, "B": b.folio, "ids": ids}


QUEUE_FILTERS = [
    ("status", lambda i: {"status": "assigned"}, "A"),
    ("status-new", lambda i: {"status": "new"}, "B"),
    ("status-several", lambda i: {"status": ["new", "waiting"]}, "B"),
    ("priority", lambda i: {"priority": "high"}, "A"),
    ("priority-low", lambda i: {"priority": "low"}, "B"),
    ("state", lambda i: {"state": i["guerrero"]}, "A"),
    ("state-mexico", lambda i: {"state": i["mexico"]}, "B"),
    ("process", lambda i: {"process": i["ext"]}, "A"),
    ("ordinary-activity", lambda i: {"process": "ordinaria"}, "B"),
    ("system", lambda i: {"system": i["sije"]}, "A"),
    ("system-prep", lambda i: {"system": i["prep"]}, "B"),
    ("requester-type", lambda i: {"requester_type": "junta"}, "A"),
    ("requester-type-opl", lambda i: {"requester_type": "opl"}, "B"),
    ("assignee", lambda i: {"assignee": i["operator"]}, "A"),
    ("unassigned", lambda i: {"assignee": "ninguno"}, "B"),
    ("mine", lambda i: {"mine": "1"}, "A"),
    (
        "date-range",
        lambda i: {"received_from": "2021-11-01", "received_to": "2021-11-30"},
        "A",
    ),
    ("date-to", lambda i: {"received_to": "2021-10-31"}, "B"),
    ("date-from-same-day-in-cdmx", lambda i: {"received_from": "2021-11-14"}, "A"),
]


@pytest.mark.parametrize(
    ("params", "found"), [pytest.param(p, f, id=name) for name, p, f in QUEUE_FILTERS]
)
def test_queue_filter_finds_the_ticket_it_describes_and_not_the_other(
    app, client_as, two_tickets, params, found
):
    other = "B" if found == "A" else "A"

    resp = client_as(two_tickets["ids"]["operator"]).get(
        "/tickets/", query_string=params(two_tickets["ids"])
    )

    assert resp.status_code == 200
    html = _page(resp)
    assert two_tickets[found] in html
    assert two_tickets[other] not in html


def test_queue_without_filters_lists_both_newest_first(app, client_as, two_tickets):
    html = _page(client_as(two_tickets["ids"]["operator"]).get("/tickets/"))

    assert html.index(two_tickets["A"]) < html.index(two_tickets["B"])
    assert "Sin asignar" in html  # B's assignee column
    assert "14/11/2021 09:30" in html  # received, Mexico City time


@pytest.mark.parametrize(
    ("sort", "first", "last"), [("oldest", "B", "A"), ("priority", "A", "B"), ("recent", "A", "B")]
)
def test_queue_sorts_as_asked(app, client_as, two_tickets, sort, first, last):
    html = _page(
        client_as(two_tickets["ids"]["operator"]).get("/tickets/", query_string={"sort": sort})
    )

    assert html.index(two_tickets[first]) < html.index(two_tickets[last])


def test_queue_updated_sort_puts_the_last_touched_ticket_first(app, client_as, two_tickets):
    with app.app_context():
        operator = db.session.get(User, two_tickets["ids"]["operator"])
        older = db.session.scalar(sa.select(Ticket).where(Ticket.folio == two_tickets["B"]))
        services.add_comment(operator, older, "Se revisó el formato.")

    html = _page(
        client_as(two_tickets["ids"]["operator"]).get("/tickets/", query_string={"sort": "updated"})
    )

    assert html.index(two_tickets["B"]) < html.index(two_tickets["A"])


@pytest.mark.parametrize(
    "q", ["computo", "cómputo", "CÓMPUTO", "Computo", "instalacion", "INSTALACIÓN", "sije"]
)
def test_search_ignores_accents_and_case(app, client_as, q):
    operator_id = _user(app)
    found = _ticket(app, operator_id)  # description says "cómputo", subject "instalación"
    other = _ticket(
        app, operator_id, subject="Impresora sin tóner", description="La impresora no imprime."
    )

    html = _page(client_as(operator_id).get("/tickets/", query_string={"q": q}))

    assert found in html
    assert other not in html


@pytest.mark.parametrize("typed", [str.upper, str.lower])
def test_search_by_folio(app, client_as, typed):
    operator_id = _user(app)
    first = _ticket(app, operator_id)
    second = _ticket(app, operator_id)

    html = _page(client_as(operator_id).get("/tickets/", query_string={"q": typed(second)}))

    assert second in html
    assert first not in html


def test_queue_pages_with_next_and_previous_links_only(app, client_as):
    operator_id = _user(app)
    folios = [_ticket(app, operator_id) for _ in range(3)]
    old_size = app.config["QUEUE_PAGE_SIZE"]
    app.config["QUEUE_PAGE_SIZE"] = 2
    try:
        client = client_as(operator_id)
        first = _page(client.get("/tickets/", query_string={"priority": "high"}))
        second = _page(client.get("/tickets/", query_string={"priority": "high", "page": 2}))
    finally:
        app.config["QUEUE_PAGE_SIZE"] = old_size

    assert re.search(r'rel="next" href="/tickets/\?[^"]*page=2', first)
    assert 'rel="prev"' not in first
    assert "priority=high" in re.search(r'rel="next" href="([^"]*)"', first)[1]
    assert folios[2] in first and folios[1] in first and folios[0] not in first
    assert folios[0] in second and folios[2] not in second
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_empty_queue_says_what_to_do_next(app, client_as):
    operator_id = _user(app)

    html = _page(client_as(operator_id).get("/tickets/", query_string={"status": "closed"}))

    assert "No hay tickets con estos filtros. Quite filtros o registre un ticket nuevo." in html


@pytest.mark.parametrize(
    "params",
    [
        {"state": "abc"},
        {"status": "bogus"},
        {"received_from": "2021-13-45"},
        {"received_to": "ayer"},
        {"received_to": "9999-12-31"},
        {"received_from": "0001-01-01"},
        {"process": "nada"},
        {"assignee": "alguien"},
        {"system": "99999999"},
        {"priority": "urgentísima"},
        {"requester_type": "marciano"},
        {"sort": "alfabético"},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999999999999999"},
        {"q": "x" * 500},
        {"mine": "quizá"},
    ],
)
def test_invalid_filter_values_are_ignored_not_fatal(app, client_as, params):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)

    resp = client_as(operator_id).get("/tickets/", query_string=params)

    assert resp.status_code == 200
    html = _page(resp)
    if "page" not in params and "mine" not in params:
        assert "Se ignoraron filtros con valores no válidos" in html
        assert folio in html


# --- ticket page ---------------------------------------------------------------------------


def test_ticket_page_shows_classification_dates_and_both_kinds_of_comments(app, client_as):
    operator_id = _user(app, name="Ana Operadora")
    with app.app_context():
        operator = db.session.get(User, operator_id)
        ticket = make_ticket(operator)
        services.add_comment(operator, ticket, "Se pidió la captura de pantalla.")
        services.add_comment(operator, ticket, "Parece falla del servidor local.", internal=True)
        folio = ticket.folio

    html = _page(client_as(operator_id).get(f"/tickets/{folio.lower()}"))

    assert "Junta Distrital Ejecutiva 05 en Guerrero" in html
    assert "EXT-2021" in html and "Guerrero" in html and "05 Tlapa" in html
    assert "Falla o error de un sistema" in html and "Teléfono" in html
    assert "14 de noviembre de 2021, 09:30" in html  # received, Mexico City time
    assert "Se pidió la captura de pantalla." in html
    assert re.search(r"Nota interna</span>\s*<strong>Ana Operadora</strong>", html)
    assert "Parece falla del servidor local." in html
    assert f"Ana Operadora registró el ticket {folio}." in html


def test_ticket_page_for_ordinary_activity_says_so(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id, process_id=None)

    html = _page(client_as(operator_id).get(f"/tickets/{folio}"))

    assert "Actividad ordinaria" in html


def test_unknown_folio_is_404(app, client_as):
    operator_id = _user(app)

    resp = client_as(operator_id).get("/tickets/TIC-2021-999999")

    assert resp.status_code == 404
    assert "No encontramos lo que busca." in _page(resp)


def test_a_folio_that_cannot_exist_is_404(app, client_as):
    operator_id = _user(app)

    assert client_as(operator_id).get("/tickets/TIC%00").status_code == 404


def test_ticket_page_offers_only_the_moves_the_workflow_allows(app, client_as):
    operator_id = _user(app)
    with app.app_context():
        operator = db.session.get(User, operator_id)
        ticket = make_ticket(operator)
        services.assign(operator, ticket, operator)
        services.transition(operator, ticket, Status.IN_PROGRESS)
        folio = ticket.folio

    html = _page(client_as(operator_id).get(f"/tickets/{folio}"))

    buttons = re.findall(r'name="status" value="(\w+)">([^<]+)<', html)
    assert sorted(buttons) == [
        ("cancelled", "Sí, cancelar el ticket"),
        ("resolved", "Marcar como resuelto"),
        ("waiting", "Poner en espera"),
    ]


# --- actions -------------------------------------------------------------------------------


def test_take_assigns_the_ticket_to_me_and_audits_it(app, client_as):
    operator_id = _user(app, name="Ana Operadora")
    folio = _ticket(app, operator_id)
    client = client_as(operator_id)

    resp = client.post(
        f"/tickets/{folio}/asignar", data={"take": "Tomar", "version": _version(app, folio)}
    )

    assert resp.headers["Location"].endswith(f"/tickets/{folio}")
    assert "Ticket asignado a Ana Operadora." in _page(client.get(resp.headers["Location"]))
    assignee_id, status = _load(app, folio, Ticket.assignee_id, Ticket.status)
    assert (assignee_id, status) == (operator_id, Status.ASSIGNED)
    events = _events(app, folio)
    assert ("assignee", None, "Ana Operadora") in events
    assert ("status", "new", "assigned") in events


def test_supervisor_assigns_to_someone_else(app, client_as):
    supervisor_id = _user(app, Role.SUPERVISOR)
    operator_id = _user(app, name="Beto Operador")
    folio = _ticket(app, supervisor_id)

    resp = client_as(supervisor_id).post(
        f"/tickets/{folio}/asignar",
        data={"assignee_id": operator_id, "submit": "Asignar", "version": _version(app, folio)},
    )

    assert resp.headers["Location"].endswith(f"/tickets/{folio}")
    assert _load(app, folio, Ticket.assignee_id)[0] == operator_id


def test_assigning_to_a_requester_is_refused_in_spanish(app, client_as):
    supervisor_id = _user(app, Role.SUPERVISOR)
    with app.app_context():
        requester_id = make_user(Role.REQUESTER, organization=org("JD-12-05")).id
    folio = _ticket(app, supervisor_id)
    client = client_as(supervisor_id)

    resp = client.post(
        f"/tickets/{folio}/asignar",
        data={"assignee_id": requester_id, "version": _version(app, folio)},
    )

    assert "Elija a una persona de la lista." in _page(client.get(resp.headers["Location"]))
    assert _load(app, folio, Ticket.assignee_id)[0] is None


def test_status_move_goes_through_the_service(app, client_as):
    operator_id = _user(app)
    with app.app_context():
        operator = db.session.get(User, operator_id)
        ticket = make_ticket(operator)
        services.assign(operator, ticket, operator)
        folio, version = ticket.folio, ticket.version
    client = client_as(operator_id)

    resp = client.post(
        f"/tickets/{folio}/estado", data={"status": "in_progress", "version": version}
    )

    assert resp.headers["Location"].endswith(f"/tickets/{folio}")
    assert f"Ticket {folio}: En atención." in _page(client.get(resp.headers["Location"]))
    assert _load(app, folio, Ticket.status)[0] is Status.IN_PROGRESS
    assert ("status", "assigned", "in_progress") in _events(app, folio)


def test_a_move_the_workflow_forbids_is_explained_and_changes_nothing(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)
    client = client_as(operator_id)

    resp = client.post(
        f"/tickets/{folio}/estado", data={"status": "resolved", "version": _version(app, folio)}
    )

    html = _page(client.get(resp.headers["Location"]))
    assert "Un ticket «Nuevo» no puede pasar a «Resuelto»." in html
    assert _load(app, folio, Ticket.status)[0] is Status.NEW


def test_a_bogus_status_is_refused_in_spanish(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)
    client = client_as(operator_id)

    resp = client.post(
        f"/tickets/{folio}/estado", data={"status": "bogus", "version": _version(app, folio)}
    )

    assert "Elija una opción de la lista." in _page(client.get(resp.headers["Location"]))
    assert _load(app, folio, Ticket.status)[0] is Status.NEW


def test_a_public_comment_and_an_internal_note_are_saved_and_audited(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)
    client = client_as(operator_id)
    version = _version(app, folio)

    public = client.post(
        f"/tickets/{folio}/comentarios", data={"body": "Ya quedó.", "version": version}
    )
    note = client.post(
        f"/tickets/{folio}/comentarios",
        data={
            "body": "Reinicié el servicio.",
            "internal": "y",
            "version": version,
            "files": [(io.BytesIO(b"log del servidor"), "servidor.log")],
        },
    )

    assert public.headers["Location"].endswith(f"/tickets/{folio}#historial")
    assert "Nota interna agregada." in _page(client.get(note.headers["Location"]))
    with app.app_context():
        rows = db.session.execute(sa.select(Comment.body, Comment.is_internal).order_by(Comment.id))
        assert [tuple(r) for r in rows] == [("Ya quedó.", False), ("Reinicié el servicio.", True)]
        [attachment] = db.session.scalars(sa.select(Attachment)).all()
        assert (attachment.filename, attachment.is_internal) == ("servidor.log", True)
    fields = [field for field, _old, _new in _events(app, folio)]
    assert fields.count("comment") == 1 and fields.count("internal_note") == 1
    assert _load(app, folio, Ticket.first_response_at)[0] is not None


def test_comment_upload_refuses_an_exe_and_keeps_the_text(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)

    resp = client_as(operator_id).post(
        f"/tickets/{folio}/comentarios",
        data={
            "body": "Le envío el instalador.",
            "version": _version(app, folio),
            "files": [(io.BytesIO(b"MZ\x90\x00"), "instalador.exe")],
        },
    )

    assert resp.status_code == 422
    html = _page(resp)
    assert "El tipo de archivo «.exe» no está permitido." in html
    assert "Le envío el instalador.</textarea>" in html
    assert _count(app, Comment) == 0
    assert _count(app, Attachment) == 0


def test_an_empty_comment_is_refused_with_the_page_kept(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)

    resp = client_as(operator_id).post(
        f"/tickets/{folio}/comentarios", data={"body": "   ", "version": _version(app, folio)}
    )

    assert resp.status_code == 422
    assert "Escriba el comentario." in _page(resp)
    assert _count(app, Comment) == 0


def test_a_stale_page_gets_the_conflict_message_and_the_first_change_is_kept(app, client_as):
    first_id = _user(app, Role.SUPERVISOR)
    second_id = _user(app, Role.SUPERVISOR)
    with app.app_context():
        first = db.session.get(User, first_id)
        ticket = make_ticket(first)
        services.assign(first, ticket, first)
        folio, seen = ticket.folio, ticket.version  # both people opened the page now
    second = client_as(second_id)

    client_as(first_id).post(
        f"/tickets/{folio}/estado", data={"status": "in_progress", "version": seen}
    )
    resp = second.post(f"/tickets/{folio}/estado", data={"status": "cancelled", "version": seen})

    assert resp.headers["Location"].endswith(f"/tickets/{folio}")
    html = _page(second.get(resp.headers["Location"]))
    assert f"El ticket {folio} fue modificado por otra persona" in html
    assert _load(app, folio, Ticket.status)[0] is Status.IN_PROGRESS
    assert ("status", "in_progress", "cancelled") not in _events(app, folio)


# --- edit ----------------------------------------------------------------------------------


def _edit_form(app, folio: str, **changes) -> dict:
    form = _intake_form(app, **changes)
    del form["received_at"]
    form["version"] = _version(app, folio)
    return form


def test_edit_reclassifies_and_audits_each_changed_field(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)
    with app.app_context():
        prep = system("PREP").id
    form = _edit_form(app, folio, priority="critical", system_id=str(prep))
    form["subject"] = "El SIJE no carga el reporte de instalación"

    resp = client_as(operator_id).post(f"/tickets/{folio}/editar", data=form)

    assert resp.headers["Location"].endswith(f"/tickets/{folio}")
    priority, system_id = _load(app, folio, Ticket.priority, Ticket.system_id)
    assert (priority, system_id) == (Priority.CRITICAL, prep)
    assert ("priority", "high", "critical") in _events(app, folio)


def test_edit_page_shows_the_current_classification(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)
    with app.app_context():
        junta_id = org("JD-12-05").id

    html = _page(client_as(operator_id).get(f"/tickets/{folio}/editar"))

    assert f'<option selected value="{junta_id}">Junta Distrital Ejecutiva 05' in html
    assert '<option selected value="high">Alta</option>' in html
    assert re.search(r'name="version" type="hidden" value="\d+"', html)
    assert "14 de noviembre de 2021, 09:30" in html


def test_edit_refuses_bad_input_and_keeps_what_was_typed(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)
    with app.app_context():
        form = _edit_form(app, folio, district_id=str(district("15", 1).id), subject="Nuevo asunto")

    resp = client_as(operator_id).post(f"/tickets/{folio}/editar", data=form)

    assert resp.status_code == 422
    html = _page(resp)
    assert "El distrito no pertenece a la entidad seleccionada." in html
    assert 'value="Nuevo asunto"' in html
    assert _load(app, folio, Ticket.subject)[0] == "El SIJE no carga el reporte de instalación"


def test_edit_without_the_version_asks_to_reload(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)
    form = _edit_form(app, folio, subject="Otro asunto")
    del form["version"]

    resp = client_as(operator_id).post(f"/tickets/{folio}/editar", data=form)

    assert resp.status_code == 422
    assert "Recargue la página e intente de nuevo." in _page(resp)
    assert _load(app, folio, Ticket.subject)[0] == "El SIJE no carga el reporte de instalación"


def test_edit_from_a_stale_page_is_a_409_and_keeps_the_first_change(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)
    stale = _edit_form(app, folio, subject="Cambio de la segunda persona")
    first = _edit_form(app, folio, subject="Cambio de la primera persona")
    client = client_as(operator_id)

    client.post(f"/tickets/{folio}/editar", data=first)
    resp = client.post(f"/tickets/{folio}/editar", data=stale)

    assert resp.status_code == 409
    assert "fue modificado por otra persona" in _page(resp)
    assert _load(app, folio, Ticket.subject)[0] == "Cambio de la primera persona"


# --- attachments ---------------------------------------------------------------------------


def _attach(app, folio: str, actor_id: int, name="acta.pdf", content=b"%PDF-1.4 acta") -> int:
    with app.app_context():
        actor = db.session.get(User, actor_id)
        ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == folio))
        return services.attach(actor, ticket, Upload(name, io.BytesIO(content))).id


def test_staff_download_a_ticket_file(app, client_as):
    operator_id = _user(app)
    folio = _ticket(app, operator_id)
    attachment_id = _attach(app, folio, operator_id)
    client = client_as(operator_id)

    assert f"/tickets/{folio}/archivos/{attachment_id}" in _page(client.get(f"/tickets/{folio}"))
    with client.get(f"/tickets/{folio}/archivos/{attachment_id}") as resp:
        assert resp.status_code == 200
        assert resp.data == b"%PDF-1.4 acta"
        assert resp.mimetype == "application/pdf"
        assert resp.headers["Content-Disposition"].startswith("attachment")
        assert "acta.pdf" in resp.headers["Content-Disposition"]


def test_a_file_is_only_found_through_its_own_ticket(app, client_as):
    operator_id = _user(app)
    owner = _ticket(app, operator_id)
    other = _ticket(app, operator_id)
    attachment_id = _attach(app, owner, operator_id)
    client = client_as(operator_id)

    assert client.get(f"/tickets/{other}/archivos/{attachment_id}").status_code == 404
    assert client.get(f"/tickets/{owner}/archivos/{attachment_id + 1000}").status_code == 404


# --- safety --------------------------------------------------------------------------------


def test_user_text_is_escaped_everywhere_it_is_shown(app, client_as):
    operator_id = _user(app)
    evil = '<script>alert("x")</script>'
    with app.app_context():
        operator = db.session.get(User, operator_id)
        ticket = make_ticket(operator, subject=evil, description=evil, contact_name=evil)
        services.add_comment(operator, ticket, evil)
        folio = ticket.folio
    client = client_as(operator_id)

    for url in (f"/tickets/{folio}", "/tickets/", f"/tickets/{folio}/editar"):
        html = _page(client.get(url))
        assert "&lt;script&gt;alert(" in html, url
        assert "<script>alert(" not in html, url


@pytest.fixture
def requester_and_ticket(app):
    """A requester of the very organisation that owns the ticket: the role alone keeps them out."""
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        ticket = make_ticket(operator)
        attachment = services.attach(operator, ticket, Upload("acta.pdf", io.BytesIO(b"%PDF")))
        requester = make_user(Role.REQUESTER, organization=org("JD-12-05"))
        return requester.id, ticket.folio, attachment.id


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/tickets/"),
        ("get", "/tickets/nuevo"),
        ("post", "/tickets/nuevo"),
        ("get", "/tickets/{folio}"),
        ("get", "/tickets/{folio}/editar"),
        ("post", "/tickets/{folio}/editar"),
        ("post", "/tickets/{folio}/asignar"),
        ("post", "/tickets/{folio}/estado"),
        ("post", "/tickets/{folio}/comentarios"),
        ("get", "/tickets/{folio}/archivos/{attachment}"),
    ],
)
def test_requesters_get_403_on_staff_pages(app, client_as, requester_and_ticket, method, url):
    requester_id, folio, attachment_id = requester_and_ticket
    client = client_as(requester_id)

    resp = getattr(client, method)(url.format(folio=folio, attachment=attachment_id))

    assert resp.status_code == 403
    assert _count(app, Comment) == 0
    assert _load(app, folio, Ticket.status)[0] is Status.NEW


def test_anonymous_visitors_are_sent_to_login(app, client):
    resp = client.get("/tickets/")

    assert "/login" in resp.headers["Location"]
