"""The SLA as staff read it on the ticket page and in the queue."""

from __future__ import annotations

from tests.factories import make_ticket
from tickets.core.timeutil import parse_local
from tickets.helpdesk import services


def mx(text: str):
    return parse_local(text)


SUNDAY = "2021-11-14T09:30"


def test_the_ticket_page_shows_both_due_times_and_then_the_verdict(client_as, operator):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    operator_id = operator.id
    page = client_as(operator_id).get(f"/tickets/{ticket.folio}").get_data(as_text=True)
    assert "Plazos (SLA)" in page
    assert "vence el 14 de noviembre de 2021, 10:00" in page  # first response, 30 min
    assert "vence el 14 de noviembre de 2021, 17:30" in page  # resolution, 8 h in process
    assert "Vencido hace" in page  # years ago, by today's clock

    services.add_comment(operator, ticket, "Lo revisamos.", now=mx("2021-11-14T09:50"))
    page = client_as(operator_id).get(f"/tickets/{ticket.folio}").get_data(as_text=True)
    assert "14 de noviembre de 2021, 09:50" in page and "Cumplido" in page


def test_the_queue_shows_time_left_and_marks_breached_tickets(client_as, operator):
    from tickets.core.db import utcnow

    old = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY), subject="Viejo")
    fresh = make_ticket(
        operator, now=utcnow(), received_at=utcnow(), process_id=None, subject="Recién llegado"
    )
    operator_id = operator.id
    page = client_as(operator_id).get("/tickets/").get_data(as_text=True)
    assert '<th scope="col">Plazo</th>' in page
    old_row = page[page.index(old.folio) : page.index("</tr>", page.index(old.folio))]
    fresh_row = page[page.index(fresh.folio) : page.index("</tr>", page.index(fresh.folio))]
    assert "Vencido hace" in old_row and "Primera respuesta" in old_row
    assert "Quedan" in fresh_row
    assert 'class="sla-breached"' in page
