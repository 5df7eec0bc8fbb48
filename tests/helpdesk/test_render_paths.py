"""The queue's plain rows and the templates' date filter say what the slower paths said.

docs/performance.md: the staff queue reads plain rows instead of tickets, the ticket page writes
its dates without a Babel pattern per call, and a closed ticket's page no longer loads the staff
list. Each must show a person exactly what they saw before.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import make_ticket, make_user, org, state
from tickets.accounts.models import Role
from tickets.core import templating, timeutil
from tickets.helpdesk import queries, services
from tickets.helpdesk.models import Priority, Status
from tickets.helpdesk.queries import QueueFilters


def _page(resp) -> str:
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_template_dates_read_as_babel_writes_them():
    moments = [
        datetime(2021, 11, 14, 15, 5, tzinfo=UTC) + timedelta(hours=7 * i) for i in range(600)
    ]
    moments += [
        datetime(2021, 4, 4, 7, 59, tzinfo=UTC),  # the last spring change of Mexico City's clock
        datetime(2021, 4, 4, 8, 0, tzinfo=UTC),
        datetime(2022, 10, 30, 6, 59, tzinfo=UTC),  # Mexico City stopped daylight saving here
        datetime(2022, 10, 30, 7, 0, tzinfo=UTC),
        datetime(2022, 1, 1, 5, 59, tzinfo=UTC),  # 31 Dec 2021, 23:59 in Mexico City
        datetime(2022, 1, 1, 6, 0, tzinfo=UTC),
    ]

    for moment in moments:
        assert templating.long_datetime(moment) == timeutil.long_datetime(moment)
    assert templating.long_datetime(datetime(2021, 11, 15, 0, 5, tzinfo=UTC)) == (
        "14 de noviembre de 2021, 18:05"
    )
    assert templating.long_datetime(None) == ""


@pytest.fixture
def mixed_tickets(ctx):
    """Tickets with and without a state and an assignee, in two organisations."""
    operator = make_user(Role.OPERATOR, name="Ana Operadora")
    made = [make_ticket(operator, subject=f"Asunto {i}", priority=Priority.LOW) for i in range(3)]
    made.append(make_ticket(operator, organization=org("CEN-DEOE"), process_id=None))
    services.assign(operator, made[0], operator)
    services.transition(operator, made[0], Status.IN_PROGRESS)
    return operator, made


@pytest.mark.parametrize(
    "filters",
    [
        QueueFilters(),
        QueueFilters(statuses=[Status.IN_PROGRESS]),
        QueueFilters(statuses=[Status.NEW], sort="oldest"),
        QueueFilters(unassigned=True, sort="priority"),
        QueueFilters(q="Asunto"),
    ],
    ids=["all", "in-progress", "new-oldest", "unassigned-priority", "search"],
)
def test_queue_rows_list_what_the_ticket_queue_lists(mixed_tickets, filters):
    operator, _ = mixed_tickets

    tickets = queries.queue(operator, filters, per_page=2)
    rows = queries.queue_rows(operator, filters, per_page=2)

    assert [r.folio for r in rows.tickets] == [t.folio for t in tickets.tickets]
    assert rows.has_next == tickets.has_next
    for row, ticket in zip(rows.tickets, tickets.tickets, strict=True):
        assert row.status == ticket.status and row.priority == ticket.priority
        assert row.received_at == ticket.received_at and row.subject == ticket.subject
        assert row.state_name == (ticket.state.display_name if ticket.state else None)
        assert row.organization_name == ticket.organization.name
        assert row.system_name == ticket.system.name
        assert row.assignee_name == (ticket.assignee.name if ticket.assignee else None)


def test_queue_rows_keep_a_requester_to_their_organisation(ctx, mixed_tickets):
    requester = make_user(Role.REQUESTER, organization=org("JD-12-05"))
    other = make_user(Role.REQUESTER, organization=org("JL-12"))

    mine = queries.queue_rows(requester, QueueFilters())
    theirs = queries.queue_rows(other, QueueFilters())

    assert len(mine.tickets) == 3
    assert theirs.tickets == []


def test_queue_row_links_each_ticket_and_fills_the_empty_columns(app, client_as):
    with app.app_context():
        operator = make_user(Role.OPERATOR, name="Ana Operadora")
        assigned = make_ticket(operator, subject="Con responsable")
        services.assign(operator, assigned, operator)
        central = make_ticket(
            operator, organization=org("CEN-DEOE"), process_id=None, subject="Sin entidad <b>"
        )
        operator_id, folios = operator.id, (assigned.folio, central.folio)

    html = _page(client_as(operator_id).get("/tickets/"))

    for folio in folios:
        assert f'<a href="/tickets/{folio}">{folio}</a>' in html
    assert "Sin entidad &lt;b&gt;" in html
    assert "<td>—</td>" in html  # no state
    assert "<td>Sin asignar</td>" in html
    assert "<td>Ana Operadora</td>" in html
    assert html.count('<span class="badge badge-status-assigned">Asignado</span>') == 1


def test_a_closed_ticket_names_its_assignee_and_offers_no_assignment(app, client_as):
    with app.app_context():
        supervisor = make_user(Role.SUPERVISOR, name="Sofía Supervisora")
        ticket = make_ticket(supervisor)
        services.assign(supervisor, ticket, supervisor)
        for to in (Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED):
            services.transition(supervisor, ticket, to)
        supervisor_id, folio = supervisor.id, ticket.folio
        open_folio = make_ticket(supervisor).folio

    closed_html = _page(client_as(supervisor_id).get(f"/tickets/{folio}"))
    open_html = _page(client_as(supervisor_id).get(f"/tickets/{open_folio}"))

    assert "Responsable: <strong>Sofía Supervisora</strong>" in closed_html
    assert 'name="assignee_id"' not in closed_html
    assert 'name="assignee_id"' in open_html
    assert ">Sofía Supervisora</option>" in open_html


def test_the_guerrero_state_is_named_in_its_rows(app, client_as):
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        make_ticket(operator)
        operator_id, guerrero = operator.id, state("12").id

    html = _page(
        client_as(operator_id).get("/tickets/", query_string={"state": guerrero, "status": "new"})
    )

    assert "<td>Guerrero</td>" in html


def test_the_comment_form_follows_the_attachment_settings(app, client_as):
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        operator_id, folio = operator.id, make_ticket(operator).folio
    client = client_as(operator_id)
    saved = app.config["ATTACHMENT_EXTENSIONS"], app.config["ATTACHMENT_MAX_BYTES"]

    before = _page(client.get(f"/tickets/{folio}"))
    try:
        app.config["ATTACHMENT_EXTENSIONS"] = {"pdf", "png"}
        app.config["ATTACHMENT_MAX_BYTES"] = 3 * 1024 * 1024
        after = _page(client.get(f"/tickets/{folio}"))
    finally:
        app.config["ATTACHMENT_EXTENSIONS"], app.config["ATTACHMENT_MAX_BYTES"] = saved
    again = _page(client.get(f"/tickets/{folio}"))

    def help_text(html: str) -> str:
        return " ".join(re.search(r"Opcional\. Se aceptan [^<]*", html)[0].split())

    assert help_text(after) == "Opcional. Se aceptan pdf, png; hasta 3 MB por archivo."
    assert 'accept=".pdf,.png"' in after
    assert "docx" in help_text(before) and "3 MB" not in help_text(before)
    assert help_text(again) == help_text(before)  # the blank form kept per settings
