"""The queue's search: every word, accents and case aside, in the order the queue asks for.

On SQLite a search with no other filter is read from the FTS5 index in reception order
(tickets/helpdesk/search.py, `search_key`); these tests hold it to the same results as the
filtered path and as PostgreSQL, including tickets whose ids are not in reception order
(back-dated or imported ones).
"""

from __future__ import annotations

import re

import flask_migrate
import pytest
import sqlalchemy as sa

from config import TestingConfig
from tests.conftest import IS_POSTGRES
from tests.factories import make_ticket, make_user, org, state
from tickets import create_app
from tickets.accounts.models import Role, User
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import queries, search, services
from tickets.helpdesk.models import Status, Ticket
from tickets.helpdesk.queries import QueueFilters

sqlite_only = pytest.mark.skipif(IS_POSTGRES, reason="prefix matching is SQLite's; PG stems")
NOW = parse_local("2021-11-20T10:00:00")
PLAIN = "La impresora no imprime."


def _ticket(operator, subject: str, received: str, description: str = PLAIN, **kw):
    return make_ticket(
        operator,
        now=NOW,
        subject=subject,
        description=description,
        received_at=parse_local(received),
        **kw,
    )


def _found(operator, **filters) -> list[str]:
    page_size = filters.pop("per_page", 50)
    page = filters.pop("page", 1)
    result = queries.queue_rows(operator, QueueFilters(**filters), page=page, per_page=page_size)
    return [row.subject for row in result.tickets]


@pytest.fixture
def back_dated(ctx):
    """Four tickets about 'cómputo', entered in an order unlike their reception, and one other."""
    operator = make_user(Role.OPERATOR)
    _ticket(operator, "Cómputo del martes", "2021-11-16T09:00:00")
    _ticket(operator, "Cómputo del domingo (capturado tarde)", "2021-11-14T09:00:00")
    _ticket(operator, "Cómputos del viernes", "2021-11-19T09:00:00")
    _ticket(operator, "Cómputo del lunes", "2021-11-15T09:00:00")
    _ticket(operator, "Impresora sin tóner", "2021-11-17T09:00:00")
    return operator


NEWEST_FIRST = [
    "Cómputos del viernes",
    "Cómputo del martes",
    "Cómputo del lunes",
    "Cómputo del domingo (capturado tarde)",
]


def test_search_lists_matches_newest_received_first(back_dated):
    assert _found(back_dated, q="computo") == NEWEST_FIRST


def test_search_sorted_oldest_first(back_dated):
    assert _found(back_dated, q="CÓMPUTO", sort="oldest") == NEWEST_FIRST[::-1]


@pytest.mark.parametrize("sort", ["priority", "updated"])
def test_other_sorts_find_the_same_tickets(back_dated, sort):
    assert sorted(_found(back_dated, q="computo", sort=sort)) == sorted(NEWEST_FIRST)


def test_search_pages_continue_without_repeating_or_skipping(back_dated):
    pages = [_found(back_dated, q="computo", per_page=3, page=n) for n in (1, 2, 3)]

    assert pages == [NEWEST_FIRST[:3], NEWEST_FIRST[3:], []]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("Cómputo", NEWEST_FIRST),
        ("COMPUTO", NEWEST_FIRST),
        ("computo lunes", ["Cómputo del lunes"]),  # every word must be there
        ("lunes cómputo", ["Cómputo del lunes"]),
        ("computo toner", []),
        ("tóner", ["Impresora sin tóner"]),
        ("xochimilco", []),
    ],
)
def test_search_needs_every_word_and_ignores_accents_and_case(back_dated, q, expected):
    assert _found(back_dated, q=q) == expected


# SQLite matches each word as the start of a word (the FTS5 prefix, expanded into the indexed
# terms it covers); PostgreSQL matches Spanish stems ("computos" finds "cómputo" there).
@sqlite_only
@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("comp", NEWEST_FIRST),
        ("cómputo", NEWEST_FIRST),  # "cómputo" and "cómputos"
        ("computos", ["Cómputos del viernes"]),
        ("ton", ["Impresora sin tóner"]),
    ],
)
def test_sqlite_matches_the_start_of_each_word(back_dated, q, expected):
    assert _found(back_dated, q=q) == expected
    assert _found(back_dated, q=q, statuses=[Status.NEW]) == expected  # the filtered path


@sqlite_only
def test_sqlite_expands_a_prefix_into_the_terms_it_covers(back_dated):
    words = ["comp", "lu"]

    assert search.sqlite_match_expression(db.session, words) == (
        '("computo" OR "computos") AND ("lunes")'
    )


@sqlite_only
def test_sqlite_keeps_the_prefix_of_a_word_covering_many_terms(back_dated):
    for n in range(search.MAX_EXPANDED_TERMS + 1):
        _ticket(back_dated, f"Falla zeta{n:02d}", "2021-11-13T09:00:00")

    assert search.sqlite_match_expression(db.session, ["zeta"]) == '"zeta"*'
    assert len(_found(back_dated, q="zeta")) == search.MAX_EXPANDED_TERMS + 1


@sqlite_only
def test_sqlite_a_kept_expansion_never_hides_a_new_word(back_dated):
    assert _found(back_dated, q="comp") == NEWEST_FIRST  # "comp" -> computo, computos: kept
    _ticket(back_dated, "Computadora sin red", "2021-11-20T09:00:00")

    assert _found(back_dated, q="comp") == ["Computadora sin red", *NEWEST_FIRST]


@sqlite_only
def test_sqlite_a_kept_expansion_follows_a_change_made_elsewhere(back_dated):
    assert _found(back_dated, q="ton") == ["Impresora sin tóner"]  # "ton" -> toner: kept
    # As another worker, or a script, would: straight in the database.
    db.session.execute(
        sa.update(Ticket)
        .where(Ticket.subject == "Cómputo del lunes")
        .values(search_text="tonelada de actas")
    )
    db.session.commit()

    assert _found(back_dated, q="ton") == ["Impresora sin tóner", "Cómputo del lunes"]


@sqlite_only
def test_sqlite_lists_the_terms_of_a_word_once_while_the_index_is_unchanged(app, back_dated):
    statements: list[str] = []

    def count(*args):
        statements.append(args[2])

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        for _ in range(3):
            _found(back_dated, q="comp")
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)

    assert sum("tickets_fts_terms" in sql for sql in statements) <= 1


def test_search_with_filters_keeps_only_the_filtered_tickets(ctx):
    operator = make_user(Role.OPERATOR)
    _ticket(operator, "Cómputo en Guerrero", "2021-11-16T09:00:00")
    started = _ticket(operator, "Cómputo en Guerrero, en curso", "2021-11-14T09:00:00")
    _ticket(operator, "Cómputo en Nuevo León", "2021-11-18T09:00:00", organization=org("JL-19"))
    _ticket(operator, "Impresora en Guerrero", "2021-11-19T09:00:00")
    services.assign(operator, started, operator)
    services.transition(operator, started, Status.IN_PROGRESS)

    guerrero = state("12").id
    assert _found(operator, q="computo", state_id=guerrero) == [
        "Cómputo en Guerrero",
        "Cómputo en Guerrero, en curso",
    ]
    assert _found(operator, q="computo", state_id=guerrero, statuses=[Status.IN_PROGRESS]) == [
        "Cómputo en Guerrero, en curso"
    ]
    assert _found(operator, q="computo", mine=True) == ["Cómputo en Guerrero, en curso"]


def test_a_requester_searches_only_their_organisation(ctx):
    operator = make_user(Role.OPERATOR)
    _ticket(operator, "Cómputo de la junta", "2021-11-16T09:00:00")
    _ticket(operator, "Cómputo central", "2021-11-17T09:00:00", organization=org("CEN-DEOE"))
    requester = make_user(Role.REQUESTER, organization=org("JD-12-05"))

    page = queries.queue(requester, QueueFilters(q="computo"))

    assert [t.subject for t in page.tickets] == ["Cómputo de la junta"]


def test_a_changed_text_is_found_by_the_new_words_only(back_dated):
    ticket = _ticket(back_dated, "Cómputo del sábado", "2021-11-20T09:00:00")
    ticket.subject = "Escáner del sábado"
    services.refresh_search_text(ticket)
    db.session.commit()

    assert _found(back_dated, q="computo") == NEWEST_FIRST
    assert _found(back_dated, q="escaner") == ["Escáner del sábado"]


def test_a_moved_reception_time_moves_the_ticket_in_the_search(back_dated):
    ticket = db.session.scalar(sa.select(Ticket).where(Ticket.subject == "Cómputo del lunes"))
    ticket.received_at = parse_local("2021-11-20T08:00:00")
    db.session.commit()

    assert _found(back_dated, q="computo") == [
        "Cómputo del lunes",
        "Cómputos del viernes",
        "Cómputo del martes",
        "Cómputo del domingo (capturado tarde)",
    ]


def test_the_queue_page_shows_search_results_newest_first(app, client_as):
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        later = _ticket(operator, "Cómputo tardío", "2021-11-18T09:00:00").folio
        earlier = _ticket(operator, "Cómputo temprano", "2021-11-12T09:00:00").folio
        operator_id = operator.id

    resp = client_as(operator_id).get("/tickets/", query_string={"q": "cómputo"})

    html = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert html.index(later) < html.index(earlier)
    assert len(re.findall(r"TIC-\d{4}-\d{6}", html)) >= 2


def test_the_migration_reindexes_existing_tickets_and_comes_back_down(tmp_path):
    """SQLite: tickets saved under the previous layout are found after the upgrade, and back."""
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'm.db'}")
    with app.app_context():
        from tickets.catalogs.loader import load_catalogs

        flask_migrate.upgrade()
        load_catalogs()
        operator = make_user(Role.OPERATOR)
        _ticket(operator, "Cómputo nuevo", "2021-11-18T09:00:00")
        _ticket(operator, "Cómputo viejo", "2021-11-12T09:00:00")
        operator_id = operator.id
        flask_migrate.downgrade(revision="d1e2f3a4b5c6")
        by_id = db.session.execute(
            sa.text(
                "SELECT t.subject FROM tickets_fts JOIN tickets t ON t.id = tickets_fts.rowid "
                "WHERE tickets_fts MATCH 'computo' ORDER BY t.id"
            )
        ).scalars()
        assert list(by_id) == ["Cómputo nuevo", "Cómputo viejo"]
        db.session.remove()

        flask_migrate.upgrade()
        operator = db.session.get(User, operator_id)
        assert _found(operator, q="computo") == ["Cómputo nuevo", "Cómputo viejo"]
        assert _found(operator, q="computo", sort="oldest") == ["Cómputo viejo", "Cómputo nuevo"]
        db.session.remove()
        db.engine.dispose()
