"""Due times on real tickets: set when a ticket opens, moved by the changes the clock depends on."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from tests.factories import make_ticket, org, state, ticket_data
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import services
from tickets.helpdesk.models import Priority, Status
from tickets.sla import services as sla
from tickets.sla.models import NonWorkingDay, SlaPolicy


def mx(text: str):
    return parse_local(text)


SUNDAY = "2021-11-14T09:30"  # Guerrero is in EXT-2021 that day; Mexico City has no process


def cdmx_ticket(operator, **overrides):
    return make_ticket(
        operator,
        now=mx(SUNDAY),
        organization=org("JL-09"),
        process_id=None,
        received_at=mx(SUNDAY),
        **overrides,
    )


def take(operator, ticket, at: str) -> None:
    services.assign(operator, ticket, operator, now=mx(at))
    services.transition(operator, ticket, Status.IN_PROGRESS, now=mx(at))


def test_a_state_in_process_counts_the_sunday_and_one_without_waits_for_the_office(ctx, operator):
    guerrero = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))  # high: 30 min / 8 h
    mexico_city = cdmx_ticket(operator)
    assert guerrero.first_response_due_at == mx("2021-11-14T10:00")
    assert guerrero.resolution_due_at == mx("2021-11-14T17:30")
    assert guerrero.resolution_risk_at == mx("2021-11-14T15:30")
    # Monday 15 November 2021 is the Revolution Day holiday: the office opens on Tuesday.
    assert mexico_city.first_response_due_at == mx("2021-11-16T09:30")
    assert mexico_city.resolution_due_at == mx("2021-11-16T17:00")


def test_changing_the_priority_moves_the_due_times(ctx, operator):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    data = replace(ticket_data(received_at=mx(SUNDAY)), priority=Priority.CRITICAL)
    services.update(operator, ticket, data, now=mx("2021-11-14T09:40"))
    assert ticket.first_response_due_at == mx("2021-11-14T09:45")  # 15 min from arrival
    assert ticket.resolution_due_at == mx("2021-11-14T13:30")  # 4 h


def test_moving_the_ticket_to_a_state_without_process_moves_it_to_office_hours(ctx, operator):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    data = ticket_data(
        organization=org("JL-09"), process_id=None, received_at=mx(SUNDAY), state_id=state("09").id
    )
    services.update(operator, ticket, data, now=mx("2021-11-14T09:40"))
    assert ticket.resolution_due_at == mx("2021-11-16T17:00")


def test_waiting_stops_the_clock_and_the_answer_restarts_it(ctx, operator):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    take(operator, ticket, "2021-11-14T09:50")
    services.transition(operator, ticket, Status.WAITING, now=mx("2021-11-14T10:30"))
    assert ticket.resolution_due_at is None and ticket.resolution_risk_at is None
    services.transition(operator, ticket, Status.IN_PROGRESS, now=mx("2021-11-14T13:30"))
    # One hour used before the wait; seven left from 13:30.
    assert ticket.resolution_due_at == mx("2021-11-14T20:30")


def test_the_first_response_and_the_resolution_are_recorded_as_met_or_missed(ctx, operator):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    take(operator, ticket, "2021-11-14T09:55")
    assert ticket.first_response_met is True
    services.transition(operator, ticket, Status.RESOLVED, now=mx("2021-11-14T18:00"))
    assert ticket.resolution_met is False  # due at 17:30
    late = cdmx_ticket(operator)
    services.add_comment(operator, late, "Lo revisamos.", now=mx("2021-11-16T10:00"))
    assert late.first_response_met is False  # due Tuesday 09:30


def test_an_internal_note_is_not_a_first_response(ctx, operator):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    services.add_comment(operator, ticket, "Nota", internal=True, now=mx("2021-11-14T09:40"))
    assert ticket.first_response_at is None and ticket.first_response_met is None


def test_a_reopened_ticket_owes_its_resolution_again_with_the_time_it_had_left(ctx, operator):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    take(operator, ticket, "2021-11-14T09:50")
    services.transition(operator, ticket, Status.RESOLVED, now=mx("2021-11-14T11:30"))
    assert ticket.resolution_met is True
    services.transition(
        operator, ticket, Status.IN_PROGRESS, reason="Sigue fallando", now=mx("2021-11-15T11:30")
    )
    assert ticket.resolution_met is None
    # Two hours used before the resolution; six left from the reopening (Monday, in process).
    assert ticket.resolution_due_at == mx("2021-11-15T17:30")


def test_the_admins_policy_replaces_the_default(ctx, operator):
    db.session.add(
        SlaPolicy(priority=Priority.HIGH, first_response_minutes=60, resolution_minutes=120)
    )
    db.session.commit()
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    assert ticket.first_response_due_at == mx("2021-11-14T10:30")
    assert ticket.resolution_due_at == mx("2021-11-14T11:30")


def test_a_new_day_off_moves_open_tickets_in_office_hours(ctx, operator):
    ticket = cdmx_ticket(operator)
    db.session.add(NonWorkingDay(day=mx("2021-11-16T12:00").date(), description="Asueto"))
    assert sla.recompute_open_tickets(mx(SUNDAY)) == 1
    assert ticket.resolution_due_at == mx("2021-11-17T17:00")


def test_default_policies_are_stored_once(ctx):
    assert sla.ensure_default_policies() == 4
    db.session.commit()
    assert sla.ensure_default_policies() == 0
    critical = sla.targets_for(Priority.CRITICAL)
    assert critical.first_response == timedelta(minutes=15)


def test_the_requester_reads_the_promise_of_the_clock_that_applies_to_them(ctx, operator):
    from tickets.portal.status import explain

    guerrero = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    in_process = explain(guerrero, now=mx(SUNDAY))
    assert in_process.promise == (
        "La mesa se compromete a resolver las solicitudes de prioridad alta en 8 horas, "
        "contando todos los días y horas porque su entidad está en proceso electoral."
    )
    assert in_process.due_at == mx("2021-11-14T17:30")
    after_the_process = explain(guerrero, now=mx("2022-02-01T10:00"))
    assert "8 horas hábiles (lunes a viernes" in after_the_process.promise


def test_recomputing_after_an_admin_change_does_not_make_operators_conflict(ctx, operator):
    ticket = cdmx_ticket(operator)
    version = ticket.version
    db.session.add(NonWorkingDay(day=mx("2021-11-16T12:00").date(), description="Asueto"))
    sla.recompute_open_tickets(mx(SUNDAY))
    db.session.commit()
    assert ticket.resolution_due_at == mx("2021-11-17T17:00")
    assert ticket.version == version  # an edit started before the change still saves
    services.transition(
        operator, ticket, Status.CANCELLED, expected_version=version, now=mx("2021-11-14T10:00")
    )
