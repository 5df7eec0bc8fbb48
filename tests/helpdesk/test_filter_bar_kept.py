"""The queue's filter bar is kept per query string and catalog token (helpdesk.views
._filter_bar): a reused bar must say and select exactly what a fresh one would, for whoever
asks, and "Solo mis tickets" must still be each person's own."""

from __future__ import annotations

import re

from tests.factories import make_ticket, make_user, state
from tickets.accounts.models import Role
from tickets.helpdesk import services


def _page(client, query: dict) -> str:
    response = client.get("/tickets/", query_string=query)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _bar(html: str) -> str:
    return re.search(r'<form method="get".*?</form>', html, re.S)[0]


def _search_box(html: str) -> str:
    return re.search(r'<input [^>]*name="q"[^>]*>', html)[0]


def test_the_same_view_asked_again_keeps_its_warning_selection_and_escaping(app, client_as):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR).id
        guerrero = state("12").id
    client = client_as(operator_id)
    query = {"state": guerrero, "priority": "urgentísima", "q": '"><script>x</script>'}

    first, again = _page(client, query), _page(client, query)

    for html in (first, again):
        assert "Se ignoraron filtros con valores no válidos: Prioridad." in html
        assert f'<option selected value="{guerrero}">Guerrero</option>' in html
        assert 'value="&#34;&gt;&lt;script&gt;x&lt;/script&gt;"' in _search_box(html)
        assert "<script>x</script>" not in html
    assert _bar(first) == _bar(again)


def test_each_query_gets_its_own_bar_and_the_page_number_does_not_matter(app, client_as):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR).id
    client = client_as(operator_id)

    alfa = _page(client, {"q": "alfa"})
    beta = _page(client, {"q": "beta"})
    beta_page_2 = _page(client, {"q": "beta", "page": 2})
    plain = _page(client, {})

    assert 'value="alfa"' in _search_box(alfa)
    assert 'value="beta"' in _search_box(beta) and "alfa" not in beta
    assert _bar(beta_page_2) == _bar(beta)
    assert 'value=""' in _search_box(plain)
    assert "Filtros (activos)" in beta and "Filtros (activos)" not in plain


def test_only_mine_is_each_persons_own_through_the_same_bar(app, client_as):
    with app.app_context():
        ana = make_user(Role.OPERATOR, name="Ana")
        beto = make_user(Role.OPERATOR, name="Beto")
        folios = {}
        for person in (ana, beto):
            ticket = make_ticket(person, subject=f"De {person.name}")
            services.assign(person, ticket, person)
            folios[person.name] = ticket.folio
        ana_id, beto_id = ana.id, beto.id

    for person_id, own, other in ((ana_id, "Ana", "Beto"), (beto_id, "Beto", "Ana")):
        html = _page(client_as(person_id), {"mine": "1"})
        assert "<h1" in html and "Mis tickets</h1>" in html
        assert folios[own] in html and folios[other] not in html

    assert "Cola de tickets</h1>" in _page(client_as(ana_id), {})
