"""The every-minute sweep: each breach recorded once, the assignee and supervision told once."""

from __future__ import annotations

import sqlalchemy as sa

from tests.factories import make_ticket
from tickets.accounts.models import Role
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import services
from tickets.helpdesk.models import Priority, Status
from tickets.jobs.models import JobRun
from tickets.notifications.models import OutboxMessage
from tickets.sla.models import SlaBreach, SlaTarget
from tickets.sla.sweep import sweep


def mx(text: str):
    return parse_local(text)


SUNDAY = "2021-11-14T09:30"  # Guerrero, in process: high priority is due 10:00 / 17:30


def outbox(kind: str) -> list[OutboxMessage]:
    return db.session.scalars(
        sa.select(OutboxMessage).where(OutboxMessage.kind == kind).order_by(OutboxMessage.id)
    ).all()


def assigned_ticket(operator, **overrides):
    ticket = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY), **overrides)
    services.assign(operator, ticket, operator, now=mx("2021-11-14T09:35"))
    return ticket


def test_a_missed_first_response_is_recorded_and_told_once(ctx, operator, make_user):
    supervisor = make_user(Role.SUPERVISOR, name="Lucía Supervisora")
    ticket = assigned_ticket(operator, subject="<b>El SIJE</b> no abre")
    assert sweep(mx("2021-11-14T09:59")).breaches == 0

    report = sweep(mx("2021-11-14T10:01"))

    assert (report.breaches, report.notices) == (1, 2)
    breach = db.session.scalars(sa.select(SlaBreach)).one()
    assert (breach.ticket_id, breach.target) == (ticket.id, SlaTarget.FIRST_RESPONSE)
    [to_assignee] = outbox("sla_breach")
    assert to_assignee.to_address == operator.email
    assert "primera respuesta" in to_assignee.subject and ticket.folio in to_assignee.subject
    assert "14 de noviembre de 2021, 10:00" in to_assignee.body_text
    [digest] = outbox("sla_digest")
    assert digest.to_address == supervisor.email
    assert "&lt;b&gt;El SIJE&lt;/b&gt;" in digest.body_html  # typed text stays text

    again = sweep(mx("2021-11-14T10:02"))
    assert (again.breaches, again.notices) == (0, 0)
    assert len(outbox("sla_breach")) == 1 and len(outbox("sla_digest")) == 1


def test_each_target_is_its_own_breach(ctx, operator):
    assigned_ticket(operator)
    assert sweep(mx("2021-11-14T10:01")).breaches == 1
    assert sweep(mx("2021-11-14T17:31")).breaches == 1  # the resolution, hours later
    assert sorted(b.target for b in db.session.scalars(sa.select(SlaBreach))) == [
        SlaTarget.FIRST_RESPONSE,
        SlaTarget.RESOLUTION,
    ]


def test_answered_waiting_and_closed_tickets_are_not_breaches(ctx, operator):
    answered = assigned_ticket(operator)
    services.add_comment(operator, answered, "Ya lo vemos.", now=mx("2021-11-14T09:45"))
    waiting = assigned_ticket(operator)
    services.transition(operator, waiting, Status.IN_PROGRESS, now=mx("2021-11-14T09:40"))
    services.transition(operator, waiting, Status.WAITING, now=mx("2021-11-14T09:41"))
    cancelled = assigned_ticket(operator)
    services.transition(operator, cancelled, Status.CANCELLED, now=mx("2021-11-14T09:42"))

    report = sweep(mx("2021-11-15T09:00"))

    # Only the answered ticket's resolution (due 17:30 the day before) is missed.
    assert report.breaches == 1
    breach = db.session.scalars(sa.select(SlaBreach)).one()
    assert (breach.ticket_id, breach.target) == (answered.id, SlaTarget.RESOLUTION)


def test_a_due_time_that_moves_and_is_missed_again_is_a_new_breach(ctx, operator):
    ticket = assigned_ticket(operator)
    sweep(mx("2021-11-14T10:01"))
    services.add_comment(operator, ticket, "Revisando.", now=mx("2021-11-14T10:05"))
    assert sweep(mx("2021-11-14T17:31")).breaches == 1  # resolution at 17:30
    from dataclasses import replace

    from tests.factories import ticket_data

    data = replace(ticket_data(received_at=mx(SUNDAY)), priority=Priority.LOW)  # 72 h
    services.update(operator, ticket, data, now=mx("2021-11-14T17:40"))
    assert sweep(mx("2021-11-14T17:45")).breaches == 0
    assert sweep(mx("2021-11-17T09:31")).breaches == 1  # 72 h after arrival, every hour counts


def test_an_unassigned_ticket_tells_only_supervision(ctx, operator, make_user):
    make_user(Role.SUPERVISOR)
    make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
    report = sweep(mx("2021-11-14T10:01"))
    assert (report.breaches, report.notices) == (1, 1)
    assert outbox("sla_breach") == [] and len(outbox("sla_digest")) == 1


def test_the_job_records_its_run_and_a_second_run_for_the_same_minute_does_nothing(
    app, runner, ctx, operator
):
    assigned_ticket(operator)
    first = runner.invoke(args=["jobs", "run-once", "sla-sweep", "--now", "2021-11-14T10:01"])
    second = runner.invoke(args=["jobs", "run-once", "sla-sweep", "--now", "2021-11-14T10:01"])
    assert first.exit_code == 0, first.output
    assert "Incumplimientos nuevos: 1" in first.output
    assert "ya se ejecutó" in second.output  # the run table refuses the same tick
    db.session.expire_all()
    runs = db.session.scalars(sa.select(JobRun).where(JobRun.job == "sla-sweep")).all()
    assert len(runs) == 1 and runs[0].outcome == "ok"
    assert len(outbox("sla_breach")) == 1
