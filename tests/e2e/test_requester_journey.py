"""The requesters issue's walkthrough, in a real browser, with mail caught by a loopback SMTP."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD, make_user
from tests.notifications.conftest import SMTPServer, loopback, mail_settings
from tickets.accounts.models import Role
from tickets.extensions import db
from tickets.helpdesk.models import Status, Ticket
from tickets.notifications.sender import send_pending

pytestmark = pytest.mark.e2e
CONTACT = "enlace.jd05.gro@ine.mx"


@pytest.fixture
def smtp(live_app):
    server = SMTPServer()
    server.start()
    settings = loopback(server, BASE_URL=live_app.config["LIVE_URL"])
    with mail_settings(live_app, **settings):
        yield server
    server.stop()


def _deliver(app) -> None:
    with app.app_context():
        send_pending()
        db.session.remove()


def _login(page, email, password):
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def _choose(page, selector: str, pattern: str) -> None:
    labels = page.eval_on_selector_all(f"{selector} option", "els => els.map(e => e.textContent)")
    page.select_option(selector, label=next(t for t in labels if re.search(pattern, t)))


def _open_ticket_as_operator(page) -> str:
    page.goto("/tickets/nuevo")
    page.select_option("#requester_type", "junta")
    page.select_option("#state_id", label="Guerrero")
    page.locator("#organization_id option", has_text="Junta Distrital Ejecutiva 05").first.wait_for(
        state="attached"
    )
    _choose(page, "#organization_id", r"Junta Distrital Ejecutiva 05")
    _choose(page, "#system_id", r"Jornada Electoral")
    page.select_option("#category_id", label="Cuentas y accesos")
    page.fill("#contact_name", "Marta Enlace")
    page.fill("#contact_email", CONTACT)
    page.fill("#subject", "No puedo entrar al SIJE")
    page.fill("#description", "La cuenta de la vocalía marca contraseña vencida.")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r"/tickets/TIC-\d{4}-\d{6}$"))
    return re.search(r"TIC-\d{4}-\d{6}", page.url).group(0)


def test_requester_follows_replies_and_confirms(browser, live_app, smtp):
    with live_app.app_context():
        operator_email = make_user(Role.OPERATOR, name="Iván Operador").email
    staff = browser.new_context(base_url=live_app.config["LIVE_URL"]).new_page()
    requester = browser.new_context(base_url=live_app.config["LIVE_URL"]).new_page()

    # The operator logs the call; the contact's mail carries the folio and the access code.
    _login(staff, operator_email, PASSWORD)
    folio = _open_ticket_as_operator(staff)
    _deliver(live_app)
    [opened] = [m for m in smtp.to(CONTACT) if folio in m.subject]
    code = re.search(r"Código de acceso: (\S{4}-\S{4}-\S{4})", opened.text).group(1)

    # With folio and code, the status page shows the ticket without an account.
    requester.goto("/consulta")
    requester.fill("#folio", folio)
    requester.fill("#code", code)
    requester.click("button:has-text('Consultar')")
    assert folio in requester.inner_text(
        "main"
    ) and "No puedo entrar al SIJE" in requester.inner_text("main")

    # The operator invites the contact, who sets a password from the mailed link.
    staff.click("a:has-text('Invitar a la persona solicitante')")
    staff.click("button:has-text('Enviar invitación')")
    _deliver(live_app)
    invitation = [m for m in smtp.to(CONTACT) if "/cuenta/activar/" in m.text][-1]
    link = re.search(r"https?://\S+/cuenta/activar/\S+", invitation.text).group(0)
    requester.goto(link)
    requester.fill("#password", "una frase larga y propia")
    requester.fill("#confirm", "una frase larga y propia")
    requester.click("button:has-text('Activar y entrar')")
    requester.wait_for_url(re.compile(r"/solicitudes/"))
    assert folio in requester.inner_text("main")

    # The requester replies; the operator sees it and resolves; the requester confirms.
    requester.click(f"a:has-text('{folio}')")
    requester.fill("#body", "Ya cambié la contraseña pero sigue sin entrar.")
    requester.click("#responder button[type=submit]")
    staff.goto(f"/tickets/{folio}")
    assert "sigue sin entrar" in staff.inner_text("main")
    staff.get_by_role("button", name="Tomar", exact=True).click()
    staff.click("button[value=in_progress]")
    staff.fill("#body", "Restablecimos la cuenta; intente de nuevo, por favor.")
    staff.click("#comentar button[type=submit]")
    staff.click("button[value=resolved]")
    requester.reload()
    assert "Restablecimos la cuenta" in requester.inner_text("main")
    requester.click("button:has-text('Confirmar solución')")
    assert "Cerrado" in requester.inner_text("main")
    staff.reload()
    assert "Cerrado" in staff.inner_text("main")

    _deliver(live_app)
    subjects = [m.subject for m in smtp.to(CONTACT)]
    assert any("resuelta" in s for s in subjects) and any("Respuesta" in s for s in subjects)
    assert all(folio in s for s in subjects if "Invitación" not in s and "invit" not in s.lower())
    with live_app.app_context():
        ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == folio))
        assert ticket.status is Status.CLOSED
