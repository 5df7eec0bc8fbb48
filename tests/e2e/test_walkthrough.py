"""The first-day walkthrough of the foundation issue, in a real browser."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD, make_user
from tickets.accounts.models import Role
from tickets.extensions import db
from tickets.helpdesk.models import AuditEvent, Comment, Status, Ticket

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def admin_email(live_app):
    with live_app.app_context():
        return make_user(Role.ADMIN, email="jefa@ine.mx", name="Jefa de la mesa").email


def _login(page, email, password):
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tickets/"))


def _choose(page, selector: str, pattern: str) -> None:
    """Pick the option whose text matches, as a person scanning the list would."""
    labels = page.eval_on_selector_all(f"{selector} option", "els => els.map(e => e.textContent)")
    label = next(text for text in labels if re.search(pattern, text))
    page.select_option(selector, label=label)


def test_admin_logs_assigns_works_and_finds_a_ticket(page, live_app, admin_email):
    _login(page, admin_email, PASSWORD)

    # Create an operator.
    page.goto("/admin/usuarios/nuevo")
    page.fill("#name", "Rosa Operadora")
    page.fill("#email", "rosa.operadora@ine.mx")
    page.select_option("#role", "operator")
    page.click("button[type=submit]:has-text('Guardar')")
    assert "Contraseña inicial" in page.inner_text(".alert-success")

    # Log a call from the Junta Distrital 05 of Guerrero about SIJE in EXT-2021.
    page.goto("/tickets/nuevo")
    page.select_option("#requester_type", "junta")
    page.select_option("#state_id", label="Guerrero")
    page.locator("#organization_id option", has_text="Junta Distrital Ejecutiva 05").first.wait_for(
        state="attached"
    )
    _choose(page, "#organization_id", r"Junta Distrital Ejecutiva 05")
    _choose(page, "#process_id", r"EXT-2021")
    _choose(page, "#system_id", r"Jornada Electoral")
    page.select_option("#category_id", label="Falla o error de un sistema")
    page.select_option("#priority", "high")
    page.select_option("#channel", "phone")
    page.fill("#contact_name", "Laura Pérez")
    page.fill("#contact_phone", "757 476 0000")
    page.fill("#subject", "Falla en el cómputo del SIJE")
    page.fill("#description", "El reporte de cómputo no abre desde la junta distrital.")
    page.fill("#received_at", "2021-11-28T08:15")
    page.keyboard.press("Control+Enter")
    page.wait_for_url(re.compile(r"/tickets/TIC-2021-\d{6}$"))
    notice = page.inner_text(".alert-success")
    folio = re.search(r"TIC-2021-\d{6}", notice).group(0)
    assert re.search(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", notice)

    # Assign it, note internally, answer publicly, resolve and close.
    page.select_option("#assignee_id", label="Rosa Operadora")
    page.get_by_role("button", name="Asignar", exact=True).click()
    page.click("button[value=in_progress]")
    page.fill("#body", "Se revisa el servidor de la junta.")
    page.check("#internal")
    page.click("#comentar button[type=submit]")
    page.fill("#body", "Ya puede abrir el reporte; intente de nuevo.")
    page.click("#comentar button[type=submit]")
    page.click("button[value=resolved]")
    page.click("button[value=closed]")
    assert "Cerrado" in page.inner_text("main")
    assert "Nota interna" in page.inner_text("main")

    # Find it with and without accents.
    for query in ("computo", "cómputo", "CÓMPUTO sije"):
        page.goto(f"/tickets/?q={query}")
        assert folio in page.inner_text("table"), query

    with live_app.app_context():
        ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == folio))
        assert ticket.status is Status.CLOSED
        assert ticket.assignee.name == "Rosa Operadora"
        assert ticket.state.key == "12" and ticket.district.number == 5
        assert ticket.process.key == "EXT-2021" and ticket.system.key == "SIJE"
        notes = db.session.scalars(
            sa.select(Comment.is_internal).where(Comment.ticket_id == ticket.id)
        )
        assert sorted(notes) == [False, True]
        moves = db.session.scalars(
            sa.select(AuditEvent.new)
            .where(AuditEvent.ticket_id == ticket.id, AuditEvent.field == "status")
            .order_by(AuditEvent.id)
        ).all()
        assert moves == ["assigned", "in_progress", "resolved", "closed"]
