"""The queue's filter bar follows catalog and staff changes at once, in every worker.

The choices are cached per process, keyed by the catalog rows read on each request: a change
made through another worker (here: straight in the database, with no call into this process)
shows on the next page.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.factories import make_user, system
from tickets.accounts.models import Role, User
from tickets.catalogs import services as catalog_services
from tickets.catalogs.models import ElectoralProcess, System
from tickets.extensions import db


def _options(html: str, name: str) -> list[tuple[str, bool, str]]:
    select = re.search(rf'<select [^>]*name="{name}">(.*?)</select>', html, re.S)[1]
    return [
        (value, bool(selected), label)
        for selected, value, label in re.findall(
            r'<option (selected )?value="([^"]*)">([^<]*)</option>', select
        )
    ]


def _labels(html: str, name: str) -> list[str]:
    return [label for _, _, label in _options(html, name)]


def test_filter_bar_follows_a_rename_done_by_another_worker(app, client_as):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR, name="Rosa Operadora").id
        sije_id = system("SIJE").id
        old_name = system("SIJE").name
    client = client_as(operator_id)
    assert old_name in _labels(client.get("/tickets/").get_data(as_text=True), "system")

    with app.app_context():  # as another gunicorn worker would: nothing tells this process
        db.session.execute(
            sa.update(System).where(System.id == sije_id).values(name="SIJE renombrado")
        )
        db.session.execute(
            sa.update(User).where(User.id == operator_id).values(name="Rosa Renombrada")
        )
        db.session.commit()
    html = client.get("/tickets/").get_data(as_text=True)

    assert "SIJE renombrado" in _labels(html, "system")
    assert old_name not in _labels(html, "system")
    assert "Rosa Renombrada" in _labels(html, "assignee")
    assert "Rosa Operadora" not in _labels(html, "assignee")


def test_filter_bar_follows_admin_edits_and_new_staff(app, client_as):
    with app.app_context():
        admin = make_user(Role.ADMIN, name="Ana Admin")
        operator_id = make_user(Role.OPERATOR, name="Rosa Operadora").id
        sije = system("SIJE")
        sije_id, sije_name = sije.id, sije.name
        catalog_services.set_active(admin, sije, False)
        make_user(Role.SUPERVISOR, name="Zoe Nueva")
        process = db.session.scalars(sa.select(ElectoralProcess)).first()
        catalog_services.update_process(
            admin,
            process,
            catalog_services.ProcessData(
                name="Proceso con nombre nuevo",
                kind=process.kind,
                starts_on=process.starts_on,
                ends_on=process.ends_on,
            ),
        )
        process_key = process.key
    html = (
        client_as(operator_id)
        .get("/tickets/", query_string={"system": sije_id})
        .get_data(as_text=True)
    )

    assert sije_name not in _labels(html, "system")
    assert "Zoe Nueva" in _labels(html, "assignee")
    assert f"{process_key} · Proceso con nombre nuevo" in _labels(html, "process")
    # The deactivated system's id is no longer a choice: the filter says it ignored it.
    assert "Se ignoraron filtros con valores no válidos: Sistema." in html


def test_filter_bar_keeps_order_selection_and_escaping(app, client_as):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR, name="Rosa Operadora").id
        sije = system("SIJE")
        sije.name = 'Sistema <b>"SIJE"</b> & más'
        db.session.commit()
        sije_id = sije.id
    html = (
        client_as(operator_id)
        .get("/tickets/", query_string={"system": sije_id, "priority": "high", "state": "abc"})
        .get_data(as_text=True)
    )

    systems = _options(html, "system")
    assert (str(sije_id), True, "Sistema &lt;b&gt;&#34;SIJE&#34;&lt;/b&gt; &amp; más") in systems
    assert [s for s in systems if s[1]] == [s for s in systems if s[0] == str(sije_id)]
    assert ("high", True, "Alta") in _options(html, "priority")
    assert not any(selected for _, selected, _ in _options(html, "state"))
    assert 'class="form-select form-select-sm is-invalid" id="state" name="state"' in html
    states = _labels(html, "state")
    assert states[0] == "Todas"
    assert states.index("Chiapas") < states.index("Coahuila")  # by name, not by INEGI key
