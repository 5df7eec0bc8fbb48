"""The dashboard page and its refresh fragment: who may see them and what they show.

Data is built in its own app context at the real current time (the views read the clock), and
requests run without one (STYLE.md 3.12).
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from markupsafe import escape

from tests.dashboard.scene import HOSTILE_SUBJECT, SECRET_NOTE, build
from tests.factories import make_user, org
from tickets.accounts.models import Role
from tickets.core.db import utcnow
from tickets.dashboard.views import relative_time


def _user(app, role, **kw) -> int:
    with app.app_context():
        return make_user(role, **kw).id


@pytest.fixture
def folios(app):
    with app.app_context():
        return build(utcnow()).folios


@pytest.fixture
def supervisor_client(app, client_as):
    return client_as(_user(app, Role.SUPERVISOR))


def test_the_supervisor_sees_every_panel_with_the_at_risk_and_breached_tickets(
    supervisor_client, folios
):
    response = supervisor_client.get("/tablero/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Tablero de supervisión" in page
    assert re.search(r"Actualizado a las \d\d:\d\d", page)
    for panel in ("por-estado", "por-prioridad", "por-solicitante", "por-entidad", "por-proceso",
                  "por-sistema", "por-hora", "carga", "vencidos", "en-riesgo"):  # fmt: skip
        assert f'id="{panel}"' in page, panel
    breached = page.split('id="vencidos"')[1].split("</table>")[0]
    at_risk = page.split('id="en-riesgo"')[1].split("</table>")[0]
    assert folios["breached"] in breached and folios["first_breached"] in breached
    assert folios["risk"] in at_risk and folios["first_risk"] in at_risk
    for finished in ("closed", "cancelled", "resolved", "waiting", "fresh"):
        assert folios[finished] not in breached + at_risk
    assert re.search(r'id="total-abiertos">6<', page)
    assert re.search(r'id="total-vencidos">2<', page)


def test_what_a_person_typed_is_escaped_and_internal_notes_never_show(supervisor_client, folios):
    page = supervisor_client.get("/tablero/").get_data(as_text=True)
    assert str(escape(HOSTILE_SUBJECT)) in page
    assert HOSTILE_SUBJECT not in page
    assert SECRET_NOTE not in page and "NOTA-INTERNA" not in page


def test_the_fragment_is_the_panels_alone_never_cached(app, client_as, folios):
    admin = client_as(_user(app, Role.ADMIN))
    response = admin.get("/tablero/panel")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    fragment = response.get_data(as_text=True)
    assert '<div id="tablero-paneles"' in fragment and "<html" not in fragment
    assert "<nav" not in fragment and "<script" not in fragment
    assert folios["breached"] in fragment
    assert re.search(r"Actualizado a las \d\d:\d\d", fragment)


def test_each_count_opens_the_queue_with_that_filter(app, supervisor_client, folios):
    page = supervisor_client.get("/tablero/").get_data(as_text=True)
    panel = page.split('id="por-prioridad"')[1].split("</table>")[0]
    href = html.unescape(re.search(r'href="([^"]*priority=critical[^"]*)"', panel).group(1))
    assert all(f"status={s}" in href for s in ("new", "assigned", "in_progress", "waiting"))
    queue = supervisor_client.get(href).get_data(as_text=True)
    assert folios["fresh"] in queue  # the only critical ticket
    assert folios["breached"] not in queue and folios["closed"] not in queue


def test_an_empty_desk_says_what_its_empty_panels_mean(supervisor_client):
    page = supervisor_client.get("/tablero/").get_data(as_text=True)
    assert "Sin tickets en riesgo." in page
    assert "Sin tickets con plazo vencido." in page
    assert "Sin tickets recibidos hoy." in page
    assert "Nadie tiene tickets abiertos." in page


def test_the_page_carries_its_refresh_interval_and_loads_its_script_from_a_file(
    app, supervisor_client
):
    app.config["DASHBOARD_REFRESH_SECONDS"] = 7
    try:
        page = supervisor_client.get("/tablero/").get_data(as_text=True)
    finally:
        app.config["DASHBOARD_REFRESH_SECONDS"] = 30
    assert 'data-refresh-seconds="7"' in page
    assert 'src="/static/js/dashboard.js"' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page)  # no inline script (CSP)
    assert 'href="/tablero/"' in page  # "Actualizar ahora" works without JavaScript


@pytest.mark.parametrize("url", ["/tablero/", "/tablero/panel"])
def test_operators_and_requesters_are_refused_and_visitors_sent_to_log_in(
    app, client, client_as, url
):
    operator = client_as(_user(app, Role.OPERATOR))
    with app.app_context():
        requester_id = make_user(Role.REQUESTER, organization=org("JD-12-05")).id
    assert operator.get(url).status_code == 403
    assert client_as(requester_id).get(url).status_code == 403
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_menu_offers_the_dashboard_to_supervision_only(app, client_as, supervisor_client):
    assert 'href="/tablero/"' in supervisor_client.get("/tickets/").get_data(as_text=True)
    operator = client_as(_user(app, Role.OPERATOR))
    assert 'href="/tablero/"' not in operator.get("/tickets/").get_data(as_text=True)


def test_due_times_read_as_how_long_ago_or_how_long_to_go():
    now = utcnow()
    assert relative_time(now + timedelta(minutes=25), now) == "en 25 min"
    assert relative_time(now - timedelta(hours=2, minutes=5), now) == "hace 2 h 5 min"
    assert relative_time(now - timedelta(days=3, hours=4), now) == "hace 3 d 4 h"
    assert relative_time(None, now) == "sin plazo"
