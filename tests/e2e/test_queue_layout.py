"""The queue on a phone and on a desk screen, in a real browser: each row is written once, and
the style sheet decides which cells a narrow screen shows (helpdesk/_queue_row.html, app.css)."""

from __future__ import annotations

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

# Column positions, as in queue.html's header.
FOLIO, RECEIVED, STATUS, PRIORITY, SLA, STATE, REQUESTER, SYSTEM, SUBJECT, ASSIGNEE = range(10)


@pytest.fixture(scope="module")
def desk(live_app):
    """An operator, one ticket already overdue and one just received (on time)."""
    with live_app.app_context():
        email = make_user(Role.OPERATOR, email="cola@ine.mx").email
        now = utcnow()
        late = make_ticket(
            process_id=None,
            subject="Falla del cómputo <distrital>",
            received_at=now - timedelta(minutes=5),
            now=now,
        )
        db.session.execute(
            sa.update(Ticket)
            .where(Ticket.id == late.id)
            .values(first_response_due_at=now - timedelta(minutes=1))
        )
        on_time = make_ticket(process_id=None, subject="Alta de usuario", now=now, received_at=now)
        db.session.commit()
        folios = late.folio, on_time.folio
        db.session.remove()
    return email, folios


def _log_in(page, email: str) -> None:
    page.goto("/login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)


def _cells(page, folio: str):
    return page.locator(
        "table.table-queue tbody tr", has=page.get_by_role("link", name=folio)
    ).locator("td")


def test_on_a_phone_each_ticket_is_a_card_with_what_the_desk_acts_on(page, desk):
    email, (late, on_time) = desk
    page.set_viewport_size({"width": 390, "height": 900})
    _log_in(page, email)
    page.goto("/tickets/")

    cells = _cells(page, late)
    for shown in (FOLIO, STATUS, PRIORITY, SLA, SUBJECT, REQUESTER):
        expect(cells.nth(shown)).to_be_visible()
    for hidden in (RECEIVED, STATE, SYSTEM, ASSIGNEE):
        expect(cells.nth(hidden)).to_be_hidden()
    expect(cells.nth(SLA)).to_contain_text("Vencido hace")
    expect(cells.nth(SUBJECT)).to_have_text("Falla del cómputo <distrital>")
    expect(cells.nth(REQUESTER).locator("span")).to_be_hidden()  # the contact: desk screens
    expect(page.locator("table.table-queue thead")).to_be_hidden()
    # The subject takes the card's whole width, below the folio and its badges.
    folio_box = cells.nth(FOLIO).bounding_box()
    subject_box = cells.nth(SUBJECT).bounding_box()
    assert subject_box["y"] > folio_box["y"] + folio_box["height"] - 1
    assert subject_box["width"] > 300
    # A ticket on time shows no SLA tag on a phone.
    expect(_cells(page, on_time).nth(SLA)).to_be_hidden()
    expect(_cells(page, on_time).nth(STATUS)).to_have_text("Nuevo")


def test_on_a_desk_screen_every_column_shows_under_its_heading(page, desk):
    email, (late, _on_time) = desk
    page.set_viewport_size({"width": 1400, "height": 900})
    _log_in(page, email)
    page.goto("/tickets/")

    headings = page.locator("table.table-queue thead th")
    expect(headings).to_have_count(10)
    cells = _cells(page, late)
    for column in range(10):
        expect(cells.nth(column)).to_be_visible()
        assert (
            abs(cells.nth(column).bounding_box()["x"] - headings.nth(column).bounding_box()["x"])
            < 1
        )
    expect(headings.nth(SLA)).to_have_text("Plazo")
    expect(cells.nth(SLA)).to_contain_text("Vencido hace")
    expect(cells.nth(REQUESTER).locator("span")).to_be_visible()
