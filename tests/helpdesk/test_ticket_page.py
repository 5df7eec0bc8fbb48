"""The staff ticket page reads its timeline as plain rows and its names with the ticket.

docs/performance.md: the page's comments, files and events come from one statement, and the
names of its catalog entries and people from the ticket's own statement instead of one lazy load
each. A person must see exactly what the objects say, in the same order, escaped.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from markupsafe import escape

from tests.factories import make_ticket, make_user, org
from tickets.accounts.models import Role
from tickets.core.timeutil import parse_local
from tickets.helpdesk import queries, services
from tickets.helpdesk.attachments import Upload
from tickets.helpdesk.models import Status

T0 = parse_local("2021-11-14T10:00:00")
EVIL = '<script>alert("x")</script>'


def _page(resp, status: int = 200) -> str:
    assert resp.status_code == status
    return resp.get_data(as_text=True)


def _in_order(html: str, *texts: str) -> None:
    positions = [html.index(text) for text in texts]
    assert positions == sorted(positions), texts


@pytest.fixture
def busy_ticket(app):
    """Events, a comment with a file, a loose file and an internal note, some at one instant."""
    with app.app_context():
        operator = make_user(Role.OPERATOR, name="Ana <b>Operadora</b>")
        supervisor = make_user(Role.SUPERVISOR, name="Sofía Supervisora")
        ticket = make_ticket(operator, now=T0)
        services.assign(supervisor, ticket, operator, now=T0 + timedelta(minutes=5))
        services.transition(operator, ticket, Status.IN_PROGRESS, now=T0 + timedelta(minutes=9))
        at = T0 + timedelta(minutes=20)
        photo = Upload("foto.png", io.BytesIO(b"\x89PNG"))
        services.add_comment(operator, ticket, f"Respuesta {EVIL}", files=[photo], now=at)
        services.attach(supervisor, ticket, Upload("acta.pdf", io.BytesIO(b"%PDF")), now=at)
        later = T0 + timedelta(hours=1)
        note = "Revisar <i>bitácora</i>"
        services.add_comment(supervisor, ticket, note, internal=True, now=later)
        services.transition(operator, ticket, Status.WAITING, reason="Falta dato", now=later)
        return supervisor.id, ticket.folio


def test_the_timeline_keeps_its_order_people_and_files(app, client_as, busy_ticket):
    supervisor_id, folio = busy_ticket

    html = _page(client_as(supervisor_id).get(f"/tickets/{folio}"))

    _in_order(
        html,
        f"Ana &lt;b&gt;Operadora&lt;/b&gt; registró el ticket {folio}.",
        "Sofía Supervisora asignó el ticket a Ana &lt;b&gt;Operadora&lt;/b&gt;.",
        "Ana &lt;b&gt;Operadora&lt;/b&gt; cambió el estado de «Asignado» a «En atención».",
        "<strong>Ana &lt;b&gt;Operadora&lt;/b&gt;</strong> · 14 de noviembre de 2021, 10:20",
        "Respuesta &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</pre>",
        ">foto.png</a> (4 Bytes)</li>",  # the comment's own file, inside its card
        "Sofía Supervisora adjuntó",  # a file of the same instant, after the comment
        ">acta.pdf</a>\n          (4 Bytes) · 14 de noviembre de 2021, 10:20",
        "cambió el estado de «En atención» a «En espera»",  # an event before a note of its instant
        '<span class="badge text-bg-warning">Nota interna</span>',
        "Revisar &lt;i&gt;bitácora&lt;/i&gt;",
    )
    assert "<script>alert(" not in html
    assert "<b>Operadora" not in html


def test_requesters_get_neither_notes_nor_assignments_from_the_timeline(ctx, busy_ticket):
    _supervisor_id, folio = busy_ticket
    requester = make_user(Role.REQUESTER, organization=org("JD-12-05"))
    ticket = queries.visible_ticket_or_404(requester, folio)

    entries = queries.timeline(requester, ticket)

    assert [(e["kind"], e["item"].field or e["item"].text) for e in entries] == [
        ("event", "created"),
        ("event", "status"),  # assigning a new ticket moves it to "assigned"
        ("event", "status"),
        ("comment", f"Respuesta {EVIL}"),
        ("file", "acta.pdf"),
        ("event", "status"),
    ]
    assert [f.text for f in entries[3]["files"]] == ["foto.png"]


@pytest.mark.parametrize("organization", ["JD-12-05", "JL-12", "CEN-DEOE"])
def test_the_classification_names_what_the_ticket_points_to(app, client_as, organization):
    with app.app_context():
        operator = make_user(Role.OPERATOR, name="Luis Operador")
        supervisor = make_user(Role.SUPERVISOR, name="Sofía Supervisora")
        overrides = {"process_id": None} if organization == "CEN-DEOE" else {}
        ticket = make_ticket(operator, organization=org(organization), **overrides)
        services.assign(supervisor, ticket, supervisor)
        for to in (Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED):
            services.transition(supervisor, ticket, to)
        shown = {  # what the objects say, escaped (another test may give a catalog markup)
            "Organización": ticket.organization.name,
            "Entidad": ticket.state.display_name if ticket.state else "—",
            "Distrito": ticket.district or "—",
            "Junta": ticket.office.name if ticket.office else "—",
            "Proceso electoral": ticket.process or "Actividad ordinaria",
            "Sistema": ticket.system.name,
            "Categoría": ticket.category.name,
        }
        expected = [
            f'<dt class="col-5">{term}</dt><dd class="col-7">{escape(value)}</dd>'
            for term, value in shown.items()
        ]
        expected += [
            '<dt class="col-5">Registrado por</dt><dd class="col-7">Luis Operador, ',
            "Responsable: <strong>Sofía Supervisora</strong>",
        ]
        supervisor_id, folio = supervisor.id, ticket.folio

    html = _page(client_as(supervisor_id).get(f"/tickets/{folio}"))

    for text in expected:
        assert text in html


def test_a_refused_comment_shows_the_same_page(app, client_as, busy_ticket):
    supervisor_id, folio = busy_ticket
    client = client_as(supervisor_id)
    shown = _page(client.get(f"/tickets/{folio}"))

    refused = _page(client.post(f"/tickets/{folio}/comentarios", data={"body": " "}), 422)

    start, end = '<section class="card mb-3" aria-labelledby="clasificacion">', "</section>"
    classification = shown[shown.index(start) :].split(end)[0]
    assert classification in refused
    assert "Revisar &lt;i&gt;bitácora&lt;/i&gt;" in refused


def _comment_section(html: str) -> str:
    return html[html.index('id="comentar"') :].split("</form>")[0]


def test_the_blank_comment_form_is_the_same_on_every_page_and_never_keeps_typed_text(
    app, client_as, busy_ticket
):
    """A blank comment form is rendered once and reused; a refused one is the visitor's own."""
    supervisor_id, folio = busy_ticket
    with app.app_context():
        other = make_ticket(make_user(Role.OPERATOR), now=T0).folio
    client = client_as(supervisor_id)
    blank = _comment_section(_page(client.get(f"/tickets/{folio}")))

    typed = f"Texto escrito {EVIL}"
    bad_file = (io.BytesIO(b"MZ"), "programa.exe")  # a type the desk refuses
    refused = client.post(
        f"/tickets/{folio}/comentarios",
        data={"body": typed, "internal": "y", "files": bad_file},
        content_type="multipart/form-data",
    )
    assert refused.status_code == 422
    refused_html = _comment_section(refused.get_data(as_text=True))
    blank_again = _comment_section(_page(client.get(f"/tickets/{other}")))

    assert 'name="body"' in blank and 'name="files"' in blank and 'name="internal"' in blank
    assert "checked" not in blank
    assert str(escape(typed)) in refused_html and EVIL not in refused_html
    assert "checked" in refused_html
    assert typed not in blank_again and str(escape(typed)) not in blank_again
    assert _without_version(blank_again) == _without_version(blank)


def _without_version(section: str) -> str:
    return re.sub(r'(name="(?:version|csrf_token)"[^>]*value=")[^"]*', r"\1", section)


# The action forms are written by the template (helpdesk.views._detail_page), not by WTForms:
# the select must offer what AssignForm offered and each form must post what the views read.


def _assign_options(html: str) -> list[str]:
    select = html[html.index('<select class="form-select" id="assignee_id"') :].split("</select>")[
        0
    ]
    return re.findall(r"<option[^>]*>[^<]*</option>", select)


def _versions(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'<input id="([a-z]+-version)" name="version" type="hidden" value="(\d+)">', html
        )
    )


def test_the_assignee_select_offers_active_staff_and_keeps_a_departed_assignee(app, client_as):
    from tickets.extensions import db

    with app.app_context():
        supervisor = make_user(Role.SUPERVISOR, name="Sofía Supervisora")
        leaving = make_user(Role.OPERATOR, name="Ana <b>Operadora</b>")
        staying = make_user(Role.OPERATOR, name="Beto Operador")
        make_user(Role.REQUESTER, organization=org("JD-12-05"), name="Rita Solicitante")
        assigned = make_ticket(staying, now=T0)
        services.assign(supervisor, assigned, leaving)
        leaving.is_enabled = False
        unassigned = make_ticket(staying, now=T0)
        db.session.commit()
        ids = {user.name: user.id for user in (supervisor, leaving, staying)}
        folios = assigned.folio, unassigned.folio
    client = client_as(ids["Sofía Supervisora"])

    options = _assign_options(_page(client.get(f"/tickets/{folios[0]}")))
    blank = _assign_options(_page(client.get(f"/tickets/{folios[1]}")))

    staff = [
        f'<option value="{ids["Beto Operador"]}">Beto Operador</option>',
        f'<option value="{ids["Sofía Supervisora"]}">Sofía Supervisora</option>',
    ]
    assert options[0] == '<option value="">— Sin asignar —</option>'
    assert [o for o in options[1:-1] if "Beto" in o or "Sofía" in o] == staff
    assert options[-1] == (
        f'<option selected value="{ids["Ana <b>Operadora</b>"]}">'
        "Ana &lt;b&gt;Operadora&lt;/b&gt; (valor actual)</option>"
    )
    assert not any("Rita" in o for o in options)
    assert blank[0] == '<option selected value="">— Sin asignar —</option>'
    assert "(valor actual)" not in "".join(blank)
    assert sum("selected" in o for o in options + blank) == 2


def test_the_action_forms_post_the_version_shown_and_the_take_button(app, client_as):
    with app.app_context():
        supervisor = make_user(Role.SUPERVISOR, name="Sofía Supervisora")
        ticket = make_ticket(make_user(Role.OPERATOR), now=T0)
        supervisor_id, folio, version = supervisor.id, ticket.folio, ticket.version
    client = client_as(supervisor_id)
    html = _page(client.get(f"/tickets/{folio}"))
    assert _versions(html) == {
        name: str(version) for name in ("assign-version", "cancel-version", "comment-version")
    }
    take = '<input class="btn btn-primary btn-sm mt-2" id="take" name="take" type="submit"'
    assert take + ' value="Tomar">' in html

    taken = client.post(f"/tickets/{folio}/asignar", data={"version": version, "take": "Tomar"})
    assert taken.status_code == 302
    html = _page(client.get(f"/tickets/{folio}"))

    with app.app_context():
        ticket = queries.visible_ticket_or_404(make_user(Role.SUPERVISOR), folio)
        assert ticket.assignee_id == supervisor_id
        new_version = str(ticket.version)
    assert new_version != str(version)
    assert set(_versions(html)) == {
        "assign-version",
        "status-version",
        "cancel-version",
        "comment-version",
    }
    assert set(_versions(html).values()) == {new_version}
    assert 'id="take"' not in html  # the ticket is already theirs
    assert f'<option selected value="{supervisor_id}">Sofía Supervisora</option>' in html


def test_the_sla_box_reads_the_same_calendar_as_the_queue(ctx):
    """The ticket page reads only its ticket's state calendar, in one statement."""
    import sqlalchemy as sa

    from tickets.catalogs.models import State
    from tickets.extensions import db
    from tickets.sla.models import NonWorkingDay
    from tickets.sla.services import Calendars
    from tickets.sla.services import state_calendar as _state_calendar

    db.session.add(NonWorkingDay(day=T0.date() + timedelta(days=2), description="Asueto"))
    db.session.flush()
    every = Calendars()

    for state_id in [None, *db.session.scalars(sa.select(State.id))]:
        assert _state_calendar(state_id) == every.of(state_id), state_id
    assert any(_state_calendar(s).process_periods for s in db.session.scalars(sa.select(State.id)))


def test_an_open_ticket_shows_the_time_left_on_its_page(app, client_as):
    from tickets.core.db import utcnow

    with app.app_context():
        operator = make_user(Role.OPERATOR)
        now = utcnow()
        ticket = make_ticket(operator, now=now, received_at=now, process_id=None)  # answer due
        operator_id, folio = operator.id, ticket.folio

    html = _page(client_as(operator_id).get(f"/tickets/{folio}"))

    box = html[html.index('aria-labelledby="sla-title"') :].split("</section>")[0]
    assert "Quedan " in box and "Primera respuesta" in box and "vence el" in box
