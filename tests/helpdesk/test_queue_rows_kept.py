"""The queue keeps each row's HTML and its filter options' HTML between requests.

helpdesk.views renders a row once per distinct content (its columns and its SLA cell now) and
a choice list once per distinct list. A person must never see the difference: a change made
through another worker (here: straight in the database, with no call into this process) shows
on the next page, typed text stays escaped, and the chosen filters stay selected.
"""

from __future__ import annotations

import re
from datetime import timedelta

import sqlalchemy as sa

from tests.factories import make_ticket, make_user
from tickets.accounts.models import Role
from tickets.catalogs.models import Organization
from tickets.core.db import utcnow
from tickets.extensions import db
from tickets.helpdesk.models import Ticket


def _page(client, url: str = "/tickets/") -> str:
    resp = client.get(url)
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def _row(html: str, folio: str) -> str:
    return re.search(rf'<tr[^>]*>\s*<td>\s*<a href="/tickets/{folio}">.*?</tr>', html, re.S)[0]


def _selected(html: str, name: str) -> list[str]:
    select = re.search(rf'<select [^>]*name="{name}">(.*?)</select>', html, re.S)[1]
    return re.findall(r'<option selected value="([^"]*)">', select)


def _update(app, model, row_id: int, **values) -> None:
    with app.app_context():  # as another gunicorn worker would: nothing tells this process
        db.session.execute(sa.update(model).where(model.id == row_id).values(**values))
        db.session.commit()


def test_a_row_follows_edits_made_by_another_worker(app, client_as):
    with app.app_context():
        operator = make_user(Role.OPERATOR, name="Rosa Operadora")
        ticket = make_ticket(operator, subject="Asunto original")
        operator_id, ticket_id, folio = operator.id, ticket.id, ticket.folio
        organization_id, organization_name = ticket.organization_id, ticket.organization.name
    client = client_as(operator_id)
    before = _row(_page(client), folio)
    assert "Asunto original" in before and organization_name in before
    assert "Sin asignar" in before

    _update(app, Ticket, ticket_id, subject="Asunto corregido", assignee_id=operator_id)
    _update(app, Organization, organization_id, name="Junta renombrada")
    try:
        after = _row(_page(client), folio)
    finally:  # catalog rows outlive a test (tests/conftest.py)
        _update(app, Organization, organization_id, name=organization_name)

    assert "Asunto corregido" in after and "Asunto original" not in after
    assert "Junta renombrada" in after and organization_name not in after
    assert "Rosa Operadora" in after and "Sin asignar" not in after


def test_a_row_follows_its_sla_clock(app, client_as):
    now = utcnow()
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        ticket = make_ticket(operator, now=now, received_at=now, process_id=None)
        operator_id, ticket_id, folio = operator.id, ticket.id, ticket.folio
    client = client_as(operator_id)
    fresh = _row(_page(client), folio)
    assert "Quedan" in fresh and "sla-breached" not in fresh

    _update(app, Ticket, ticket_id, first_response_due_at=now - timedelta(hours=3))
    late = _row(_page(client), folio)

    assert '<tr class="sla-breached">' in late
    assert "Vencido hace 3 h" in late and "Quedan" not in late


def test_typed_text_stays_escaped_in_a_reused_row(app, client_as):
    with app.app_context():
        operator = make_user(Role.OPERATOR, name='Ana <i>"Luz"</i> & Co')
        ticket = make_ticket(
            operator, subject='<script>alert("x")</script> & más', contact_name="<b>Luz</b>"
        )
        operator_id, ticket_id, folio = operator.id, ticket.id, ticket.folio
    _update(app, Ticket, ticket_id, assignee_id=operator_id)
    client = client_as(operator_id)

    first, second = _row(_page(client), folio), _row(_page(client), folio)

    assert first == second
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; más" in second
    assert "&lt;b&gt;Luz&lt;/b&gt;" in second
    assert "Ana &lt;i&gt;&#34;Luz&#34;&lt;/i&gt; &amp; Co" in second
    assert "<script>" not in second and "<b>Luz" not in second


def test_each_select_marks_only_the_chosen_option(app, client_as):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR).id
    client = client_as(operator_id)

    chosen = _page(client, "/tickets/?state=&priority=high&sort=oldest&assignee=ninguno")
    plain = _page(client)
    refused = _page(client, "/tickets/?priority=urgent%C3%ADsima&assignee=%22%3E")

    assert _selected(chosen, "state") == [""]
    assert _selected(chosen, "priority") == ["high"]
    assert _selected(chosen, "sort") == ["oldest"]
    assert _selected(chosen, "assignee") == ["ninguno"]
    assert _selected(plain, "priority") == [] and _selected(plain, "sort") == ["recent"]
    assert _selected(refused, "priority") == [] and _selected(refused, "assignee") == []
    assert "Se ignoraron filtros con valores no válidos: Prioridad, Responsable." in refused


def test_names_are_kept_per_catalog_token_and_a_newer_entry_is_looked_up(app):
    from flask import g

    from tickets.catalogs.models import System
    from tickets.catalogs.revision import CatalogRevision
    from tickets.helpdesk import queries

    with app.test_request_context("/tickets/"):
        g.catalog_token = db.session.scalar(sa.select(CatalogRevision.token))
        names = queries.list_names()
        assert queries.list_names() is names  # kept while the token is the same
        # Another worker adds a system after this request read its token.
        system = System(key="NUEVO-SISTEMA", name="Sistema recién agregado", description="")
        db.session.add(system)
        db.session.commit()
        try:
            assert names.system(system.id) == "Sistema recién agregado"
            g.catalog_token = db.session.scalar(sa.select(CatalogRevision.token))
            assert queries.list_names() is not names  # a new token: read again
        finally:
            db.session.delete(system)
            db.session.commit()
