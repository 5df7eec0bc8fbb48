"""The queue's statements are built once per shape and kept: no request's values stay in them.

tickets/helpdesk/queries.py keeps one statement per shape (which filters, the sort, how the
words are searched, whose tickets) and runs it with each request's values as parameters. Two
requests of the same shape in a row must each get their own rows: another state's, another
search's, another organisation's never.
"""

from __future__ import annotations

import pytest

from tests.factories import make_ticket, make_user, org, state
from tickets.accounts.models import Role
from tickets.extensions import db
from tickets.helpdesk import queries, search, services
from tickets.helpdesk.models import Status, Ticket
from tickets.helpdesk.queries import QueueFilters

PLAIN = "Sin más detalle."  # the default description speaks of "cómputo"


def _subjects(actor, **filters) -> list[str]:
    rows = queries.queue_rows(actor, QueueFilters(**filters)).tickets
    tickets = queries.queue(actor, QueueFilters(**filters)).tickets
    assert [r.folio for r in rows] == [t.folio for t in tickets]
    return sorted(r.subject for r in rows)


@pytest.fixture
def operator(ctx):
    """Guerrero's junta (state 12) asks about the printer and the count; the central office
    (no state) about the printer and the network; Ana works on Guerrero's count."""
    operator = make_user(Role.OPERATOR, name="Ana Operadora")
    guerrero = org("JD-12-05")
    make_ticket(operator, organization=guerrero, subject="Impresora de Guerrero", description=PLAIN)
    counting = make_ticket(
        operator, organization=guerrero, subject="Cómputo de Guerrero", description=PLAIN
    )
    central = org("CEN-DEOE")
    make_ticket(
        operator,
        organization=central,
        process_id=None,
        subject="Impresora central",
        description=PLAIN,
    )
    make_ticket(
        operator, organization=central, process_id=None, subject="Red central", description=PLAIN
    )
    services.assign(operator, counting, operator)
    services.transition(operator, counting, Status.IN_PROGRESS)
    return operator


@pytest.mark.parametrize("sort", ["recent", "oldest", "priority", "updated"])
def test_two_searches_in_a_row_each_find_their_own_tickets(operator, sort):
    printers = _subjects(operator, q="impresora", sort=sort)
    network = _subjects(operator, q="red", sort=sort)

    assert printers == ["Impresora central", "Impresora de Guerrero"]
    assert network == ["Red central"]
    assert _subjects(operator, q="impresora", sort=sort) == printers


def test_two_filtered_searches_in_a_row_each_find_their_own_tickets(operator):
    guerrero = state("12").id

    assert _subjects(operator, q="impresora", state_id=guerrero) == ["Impresora de Guerrero"]
    assert _subjects(operator, q="computo", state_id=guerrero) == ["Cómputo de Guerrero"]
    assert _subjects(operator, q="red", state_id=guerrero) == []


def test_two_folios_in_a_row_each_find_their_own_ticket(operator):
    first, second = queries.queue_rows(operator, QueueFilters(sort="oldest")).tickets[:2]

    assert [r.folio for r in queries.queue_rows(operator, QueueFilters(q=first.folio)).tickets] == [
        first.folio
    ]
    found = queries.queue_rows(operator, QueueFilters(q=second.folio.lower())).tickets
    assert [r.folio for r in found] == [second.folio]


def test_two_filter_values_in_a_row_each_get_their_own_tickets(operator):
    in_progress = _subjects(operator, statuses=[Status.IN_PROGRESS])
    new = _subjects(operator, statuses=[Status.NEW])
    both = _subjects(operator, statuses=[Status.NEW, Status.IN_PROGRESS])

    assert in_progress == ["Cómputo de Guerrero"]
    assert new == ["Impresora central", "Impresora de Guerrero", "Red central"]
    assert len(both) == 4
    assert _subjects(operator, state_id=state("12").id) == [
        "Cómputo de Guerrero",
        "Impresora de Guerrero",
    ]
    assert _subjects(operator, state_id=state("09").id) == []


def test_mine_is_each_operators_own(operator):
    other = make_user(Role.OPERATOR, name="Beto Operador")
    ticket = make_ticket(operator, subject="De Beto")
    services.assign(operator, ticket, other)

    assert _subjects(other, mine=True) == ["De Beto"]
    assert _subjects(operator, mine=True) == ["Cómputo de Guerrero"]


@pytest.mark.parametrize("q", ["", "impresora"])
def test_requesters_in_a_row_each_see_only_their_organisation(operator, q):
    guerrero = make_user(Role.REQUESTER, organization=org("JD-12-05"))
    central = make_user(Role.REQUESTER, organization=org("CEN-DEOE"))
    nowhere = make_user(Role.REQUESTER)

    seen_by_guerrero = _subjects(guerrero, q=q)
    seen_by_central = _subjects(central, q=q)

    assert all("Guerrero" in s for s in seen_by_guerrero) and seen_by_guerrero
    assert all("central" in s for s in seen_by_central) and seen_by_central
    assert _subjects(guerrero, q=q) == seen_by_guerrero
    assert _subjects(nowhere, q=q) == []


def test_visible_tickets_still_scopes_a_requester_for_the_reports(operator):
    central = make_user(Role.REQUESTER, organization=org("CEN-DEOE"))
    query = queries.visible_tickets(central).order_by(Ticket.subject)

    assert [t.subject for t in db.session.scalars(query)] == ["Impresora central", "Red central"]


def test_frequent_words_searched_in_a_row_each_find_their_own_tickets(operator, monkeypatch):
    """On SQLite, words matching many tickets let the filter's index lead (every word here
    counts as frequent); on PostgreSQL the threshold plays no part."""
    monkeypatch.setattr(search, "SQLITE_FREQUENT_MATCHES", 1)
    guerrero = state("12").id

    assert _subjects(operator, q="impresora", state_id=guerrero) == ["Impresora de Guerrero"]
    assert _subjects(operator, q="computo", state_id=guerrero) == ["Cómputo de Guerrero"]
    assert _subjects(operator, q="impresora", sort="priority") == [
        "Impresora central",
        "Impresora de Guerrero",
    ]
