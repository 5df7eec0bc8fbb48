"""What the queue's SLA cell says: time left, at risk, breached, paused."""

from __future__ import annotations

from datetime import timedelta

from tests.factories import make_ticket, org
from tickets.core.timeutil import parse_local
from tickets.helpdesk import services
from tickets.helpdesk.models import Status
from tickets.sla.display import sla_state, span_words
from tickets.sla.services import Calendars


def mx(text: str):
    return parse_local(text)


SUNDAY = "2021-11-14T09:30"  # Guerrero in process; high priority: 30 min / 8 h


def state_at(ticket, at: str):
    return sla_state(ticket, mx(at), Calendars())


def test_time_left_then_at_risk_then_breached(ctx, operator):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    fresh = state_at(ticket, "2021-11-14T09:40")
    assert (fresh.level, fresh.target, fresh.text) == ("ok", "Primera respuesta", "Quedan 20 min")
    assert state_at(ticket, "2021-11-14T09:55").level == "risk"  # under 25% of 30 min left
    late = state_at(ticket, "2021-11-14T11:10")
    assert (late.level, late.text) == ("breached", "Vencido hace 1 h 10 min")


def test_after_the_first_answer_the_cell_follows_the_resolution(ctx, operator):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    services.add_comment(operator, ticket, "Lo vemos.", now=mx("2021-11-14T09:45"))
    cell = state_at(ticket, "2021-11-14T10:30")
    assert (cell.target, cell.text) == ("Solución", "Quedan 7 h")


def test_office_hours_count_only_working_time_left(ctx, operator):
    # Mexico City: due Tuesday 16 November 17:00; on Saturday night 8 office hours remain.
    ticket = make_ticket(
        operator,
        now=mx(SUNDAY),
        received_at=mx(SUNDAY),
        organization=org("JL-09"),
        process_id=None,
    )
    services.add_comment(operator, ticket, "Lo vemos.", now=mx("2021-11-14T09:45"))
    assert state_at(ticket, "2021-11-14T22:00").text == "Quedan 8 h"


def test_waiting_reads_paused_and_finished_tickets_owe_nothing(ctx, operator):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    services.assign(operator, ticket, operator, now=mx("2021-11-14T09:35"))
    services.transition(operator, ticket, Status.IN_PROGRESS, now=mx("2021-11-14T09:36"))
    services.transition(operator, ticket, Status.WAITING, now=mx("2021-11-14T09:37"))
    assert state_at(ticket, "2021-11-20T10:00").level == "paused"
    services.transition(operator, ticket, Status.CANCELLED, now=mx("2021-11-14T09:38"))
    assert state_at(ticket, "2021-11-20T10:00") is None


def test_spans_read_short():
    assert span_words(timedelta(seconds=30)) == "menos de 1 min"
    assert span_words(timedelta(hours=50)) == "2 d 2 h"
    assert span_words(timedelta(hours=3)) == "3 h"
