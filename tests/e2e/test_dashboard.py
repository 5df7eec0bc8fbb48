"""The supervisor's dashboard in a real browser: it refreshes itself, in place, under the CSP."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.factories import PASSWORD, make_ticket, make_user
from tickets.accounts.models import Role
from tickets.core.db import utcnow
from tickets.extensions import db
from tickets.helpdesk.models import Ticket

pytestmark = pytest.mark.e2e


@pytest.fixture
def fast_refresh(live_app):
    live_app.config["DASHBOARD_REFRESH_SECONDS"] = 1
    yield
    live_app.config["DASHBOARD_REFRESH_SECONDS"] = 30


def _open_breached_ticket(app) -> str:
    """A ticket logged behind the dashboard's back, through the service, already overdue."""
    with app.app_context():
        now = utcnow()
        ticket = make_ticket(process_id=None, received_at=now - timedelta(minutes=5), now=now)
        db.session.execute(
            sa.update(Ticket)
            .where(Ticket.id == ticket.id)
            .values(first_response_due_at=now - timedelta(minutes=1))
        )
        db.session.commit()
        folio = ticket.folio
        db.session.remove()
    return folio


def _text(page, selector: str) -> str:
    return " ".join(page.inner_text(selector).split())


def test_the_board_picks_up_a_new_ticket_without_reloading_and_says_when_it_cannot(
    page, live_app, fast_refresh
):
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if "Security Policy" in m.text else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    with live_app.app_context():
        email = make_user(Role.SUPERVISOR, email="tablero@ine.mx").email
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)

    page.goto("/tablero/")
    before = int(_text(page, "#total-abiertos"))
    assert "Sin tickets con plazo vencido." in _text(page, "#tablero-paneles")
    assert page.is_visible("text=Se actualiza solo cada 1 segundo.")
    page.evaluate("window.sinRecargar = true")  # a full reload would lose this

    folio = _open_breached_ticket(live_app)
    # Polled from here: Playwright's wait_for_function would need eval, which the CSP refuses.
    expect(page.locator("#total-abiertos")).to_have_text(str(before + 1), timeout=5_000)
    assert folio in _text(page, "#vencidos")
    assert page.evaluate("window.sinRecargar") is True
    assert re.search(r"Actualizado a las \d\d:\d\d", _text(page, "#tablero-actualizado"))

    # The server cannot be reached: the last figures stay, with a visible warning.
    page.route("**/tablero/panel", lambda route: route.abort())
    page.wait_for_selector("#tablero-aviso:not(.d-none)", timeout=5_000)
    warning = _text(page, "#tablero-aviso")
    assert "No se pudo actualizar el tablero" in warning
    assert re.search(r"Se siguen mostrando los datos de las \d\d:\d\d", warning)
    assert int(_text(page, "#total-abiertos")) == before + 1

    # Back online: the next refresh clears the warning.
    page.unroute("**/tablero/panel")
    page.wait_for_selector("#tablero-aviso.d-none", state="attached", timeout=5_000)
    assert page.evaluate("window.sinRecargar") is True
    assert problems == []
