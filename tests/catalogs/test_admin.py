"""The admins' catalog pages: browse, add, edit, deactivate and reactivate entries.

View tests build data in their own app context, keep plain values, make requests without a
pushed context and read back in a fresh one (STYLE.md 3.12). Catalog rows a test adds are
deleted and deactivated rows reactivated by tests/conftest.py; renames are undone here.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import (
    category,
    district,
    make_ticket,
    make_user,
    org,
    process,
    state,
    system,
    ticket_data,
)
from tickets.accounts.models import Role
from tickets.catalogs import queries, services
from tickets.catalogs.models import (
    Election,
    ElectoralProcess,
    Organization,
    ProcessKind,
    RequesterType,
    System,
)
from tickets.core.errors import NotAllowed, ValidationFailed
from tickets.extensions import db
from tickets.helpdesk import services as helpdesk_services
from tickets.helpdesk.models import Ticket

SIJE_NAME = "Sistema de Información sobre el desarrollo de la Jornada Electoral"


def page_text(resp) -> str:
    """What a person reads on the page: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True))).split())


def count(model, *where) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))


@pytest.fixture
def admin_id(app) -> int:
    with app.app_context():
        return make_user(Role.ADMIN).id


@pytest.fixture
def as_admin(client_as, admin_id):
    return client_as(admin_id)


@pytest.fixture
def ids(app) -> dict[str, int]:
    """Ids of a few loaded catalog entries, as plain values."""
    with app.app_context():
        ext = process("EXT-2021")
        return {
            "state": state("12").id,
            "district": district("12", 5).id,
            "organization": org("OPL-19").id,
            "process": ext.id,
            "election": ext.elections[0].id,
            "system": system("SIJE").id,
            "category": category("INCIDENCIA").id,
        }


# --- Browsing --------------------------------------------------------------------------------


def test_index_shows_how_many_entries_each_catalog_has(as_admin):
    resp = as_admin.get("/catalogos/")

    assert resp.status_code == 200
    text = page_text(resp)
    assert "Entidades federativas 32 32" in text
    assert "Distritos electorales federales 300 300" in text
    assert "Organismo Público Local (OPL) 32 32" in text


def test_states_page_lists_the_32_states_with_their_districts(as_admin):
    text = page_text(as_admin.get("/catalogos/entidades/"))

    assert "32 entidades" in text
    assert "12 Guerrero Guerrero Gro. 9 Activa" in text


def test_districts_are_paginated_and_filtered_by_state(app, as_admin, ids):
    all_pages = page_text(as_admin.get("/catalogos/distritos/"))
    guerrero = page_text(as_admin.get(f"/catalogos/distritos/?state_id={ids['state']}"))
    second = page_text(as_admin.get("/catalogos/distritos/?page=2"))

    assert "300 distritos · página 1 de 6" in all_pages
    assert "9 distritos" in guerrero and "página" not in guerrero
    assert "Guerrero 05" in guerrero and "Aguascalientes" not in guerrero.split("Filtrar")[1]
    assert "página 2 de 6" in second


def test_organizations_are_paginated_without_loading_them_all(app, as_admin):
    with app.app_context():
        total = count(Organization)

    text = page_text(as_admin.get("/catalogos/organizaciones/"))
    last = as_admin.get(f"/catalogos/organizaciones/?page={(total + 49) // 50}")

    assert total > 500
    assert f"{total} organizaciones · página 1 de {(total + 49) // 50}" in text
    assert text.count("Desactivar") == 50
    assert last.status_code == 200


def test_organizations_filter_by_kind_state_and_name(as_admin, ids):
    opl = page_text(as_admin.get("/catalogos/organizaciones/?kind=opl"))
    in_guerrero = page_text(
        as_admin.get(f"/catalogos/organizaciones/?kind=opl&state_id={ids['state']}")
    )
    by_name = page_text(as_admin.get("/catalogos/organizaciones/?q=Comisión Estatal Electoral"))

    assert "32 organizaciones" in opl
    assert "Organismo Público Local (OPL)" in opl
    assert "1 organización " in in_guerrero and "Guerrero" in in_guerrero
    assert "Comisión Estatal Electoral Nuevo León" in by_name


def test_search_wildcards_are_taken_literally(as_admin):
    text = page_text(as_admin.get("/catalogos/organizaciones/?q=%25"))

    assert "0 organizaciones" in text
    assert "Ninguna organización coincide" in text


def test_tampered_filters_are_ignored_not_an_error(as_admin):
    resp = as_admin.get("/catalogos/organizaciones/?kind=nope&state_id=x&active=7&page=-3")

    assert resp.status_code == 200
    assert "organizaciones · página 1 de" in page_text(resp)


def test_processes_page_shows_elections_by_state_and_day(as_admin):
    text = page_text(as_admin.get("/catalogos/procesos/"))

    assert "14 de noviembre de 2021: Estado de México" in text
    assert "28 de noviembre de 2021: Guerrero, Tlaxcala" in text
    assert "6 de junio de 2021: las 32 entidades" in text


@pytest.mark.parametrize(
    "url",
    [
        "/catalogos/",
        "/catalogos/entidades/",
        "/catalogos/distritos/",
        "/catalogos/organizaciones/",
        "/catalogos/organizaciones/nueva",
        "/catalogos/organizaciones/{organization}",
        "/catalogos/procesos/",
        "/catalogos/procesos/nuevo",
        "/catalogos/procesos/{process}",
        "/catalogos/sistemas/",
        "/catalogos/sistemas/nuevo",
        "/catalogos/sistemas/{system}",
        "/catalogos/categorias/",
        "/catalogos/categorias/nuevo",
        "/catalogos/categorias/{category}",
    ],
)
def test_every_catalog_page_opens_for_admins(as_admin, ids, url):
    assert as_admin.get(url.format(**ids)).status_code == 200


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/catalogos/procesos/999999"),
        ("post", "/catalogos/procesos/999999/elecciones"),
        ("get", "/catalogos/organizaciones/999999"),
        ("get", "/catalogos/sistemas/999999"),
        ("post", "/catalogos/categorias/999999/estado"),
    ],
)
def test_unknown_entries_are_not_found(as_admin, method, url):
    resp = getattr(as_admin, method)(url, data={"active": "0"})

    assert resp.status_code == 404
    assert "No encontramos lo que busca." in page_text(resp)


# --- Electoral processes and elections -------------------------------------------------------

NEW_PROCESS = {
    "key": "ext-2023",
    "name": "Elecciones extraordinarias 2023",
    "kind": "extraordinario_local",
    "starts_on": "2023-01-10",
    "ends_on": "2023-07-31",
}


def test_admin_creates_a_process_and_then_its_election(app, as_admin):
    with app.app_context():
        coahuila_id = state("05").id

    created = as_admin.post("/catalogos/procesos/nuevo", data=NEW_PROCESS)
    with app.app_context():
        process_id = process("EXT-2023").id
    added = as_admin.post(
        f"/catalogos/procesos/{process_id}/elecciones",
        data={
            "state_id": coahuila_id,
            "election_day": "2023-06-04",
            "description": "Ayuntamiento de <Acuña>",
        },
    )
    page = as_admin.get(f"/catalogos/procesos/{process_id}")

    assert created.headers["Location"].endswith(f"/catalogos/procesos/{process_id}")
    assert added.headers["Location"].endswith(f"/catalogos/procesos/{process_id}")
    assert "Coahuila 4 de junio de 2023 Ayuntamiento de <Acuña>" in page_text(page)
    assert "Ayuntamiento de &lt;Acuña&gt;" in page.get_data(as_text=True)
    with app.app_context():
        new = process("EXT-2023")
        assert (new.kind, new.starts_on, new.ends_on) == (
            ProcessKind.EXTRAORDINARY_LOCAL,
            date(2023, 1, 10),
            date(2023, 7, 31),
        )
        assert [(e.state.key, e.election_day) for e in new.elections] == [("05", date(2023, 6, 4))]
        assert new in queries.processes_for_state(coahuila_id)


@pytest.mark.parametrize(
    ("starts_on", "ends_on", "field", "message"),
    [
        ("2023-07-31", "2023-01-10", "starts_on", "no puede ser posterior a la de término"),
        ("2023-02-30", "2023-07-31", "starts_on", "No es una fecha válida."),
        ("", "2023-07-31", "starts_on", "Escriba la fecha de inicio."),
    ],
)
def test_bad_process_dates_are_refused_and_nothing_is_written(
    app, as_admin, starts_on, ends_on, field, message
):
    with app.app_context():
        before = count(ElectoralProcess)

    resp = as_admin.post(
        "/catalogos/procesos/nuevo",
        data={**NEW_PROCESS, "starts_on": starts_on, "ends_on": ends_on},
    )

    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert message in body
    assert f'id="{field}"' in body and 'class="form-control is-invalid"' in body
    assert 'value="Elecciones extraordinarias 2023"' in body  # what the admin typed stays
    with app.app_context():
        assert count(ElectoralProcess) == before


def test_a_duplicate_process_key_is_refused(app, as_admin):
    with app.app_context():
        before = count(ElectoralProcess)

    resp = as_admin.post("/catalogos/procesos/nuevo", data={**NEW_PROCESS, "key": " ext-2021 "})

    assert resp.status_code == 422
    assert "Ya existe un proceso con la clave EXT-2021." in page_text(resp)
    with app.app_context():
        assert count(ElectoralProcess) == before


def test_a_key_with_spaces_is_refused(app, as_admin):
    resp = as_admin.post("/catalogos/procesos/nuevo", data={**NEW_PROCESS, "key": "EXT 2023"})

    assert resp.status_code == 422
    assert "sin espacios" in page_text(resp)
    with app.app_context():
        assert process("EXT 2023") is None


def test_an_election_day_outside_the_process_is_refused(app, as_admin, ids):
    with app.app_context():
        before = count(Election)

    resp = as_admin.post(
        f"/catalogos/procesos/{ids['process']}/elecciones",
        data={"state_id": ids["state"], "election_day": "2022-01-09", "description": "Iliatenco"},
    )

    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "del 15 de agosto de 2021 al 31 de diciembre de 2021" in page_text(resp)
    assert 'value="2022-01-09"' in body and 'value="Iliatenco"' in body
    with app.app_context():
        assert count(Election) == before


def test_the_same_election_twice_is_refused(app, as_admin, ids):
    with app.app_context():
        before = count(Election)

    resp = as_admin.post(
        f"/catalogos/procesos/{ids['process']}/elecciones",
        data={"state_id": ids["state"], "election_day": "2021-11-28"},
    )

    assert resp.status_code == 422
    assert "ya tiene una elección en Guerrero el 28 de noviembre de 2021" in page_text(resp)
    with app.app_context():
        assert count(Election) == before


def test_admin_removes_an_election_and_the_state_stops_offering_the_process(app, as_admin, ids):
    with app.app_context():
        admin = make_user(Role.ADMIN)
        new = services.create_process(
            admin,
            services.ProcessData(
                "Extraordinaria de prueba",
                ProcessKind.EXTRAORDINARY_LOCAL,
                date(2023, 1, 1),
                date(2023, 12, 31),
                key="EXT-PRUEBA",
            ),
        )
        colima_id = state("06").id
        election = services.add_election(
            admin, new, services.ElectionData(colima_id, date(2023, 6, 4))
        )
        process_id, election_id = new.id, election.id

    wrong = as_admin.post(f"/catalogos/procesos/{ids['process']}/elecciones/{election_id}/quitar")
    resp = as_admin.post(f"/catalogos/procesos/{process_id}/elecciones/{election_id}/quitar")

    assert wrong.status_code == 404
    assert resp.headers["Location"].endswith(f"/catalogos/procesos/{process_id}")
    with app.app_context():
        assert db.session.get(Election, election_id) is None
        assert process("EXT-PRUEBA") not in queries.processes_for_state(colima_id)


def test_the_last_election_of_a_state_with_tickets_cannot_be_removed(app, as_admin):
    with app.app_context():
        make_ticket()  # Guerrero, EXT-2021
        ext = process("EXT-2021")
        [guerrero] = [e for e in ext.elections if e.state.key == "12"]
        process_id, election_id = ext.id, guerrero.id

    resp = as_admin.post(f"/catalogos/procesos/{process_id}/elecciones/{election_id}/quitar")

    assert resp.headers["Location"].endswith(f"/catalogos/procesos/{process_id}")
    page = page_text(as_admin.get(f"/catalogos/procesos/{process_id}"))
    assert "No se puede quitar la elección de Guerrero: hay tickets" in page
    with app.app_context():
        assert db.session.get(Election, election_id) is not None


def test_process_dates_cannot_leave_its_elections_out(app, as_admin, ids):
    resp = as_admin.post(
        f"/catalogos/procesos/{ids['process']}",
        data={
            "name": "Elecciones extraordinarias 2021",
            "kind": "extraordinario_local",
            "starts_on": "2021-08-15",
            "ends_on": "2021-11-30",
        },
    )

    assert resp.status_code == 422
    assert "Hay elecciones fuera de esas fechas: Nayarit (5 de diciembre de 2021)" in page_text(
        resp
    )
    with app.app_context():
        assert process("EXT-2021").ends_on == date(2021, 12, 31)


def test_admin_edits_a_process_it_created(app, as_admin):
    as_admin.post("/catalogos/procesos/nuevo", data=NEW_PROCESS)
    with app.app_context():
        process_id = process("EXT-2023").id

    resp = as_admin.post(
        f"/catalogos/procesos/{process_id}",
        data={**NEW_PROCESS, "name": "Extraordinarias 2023 (Coahuila)", "ends_on": "2023-08-31"},
    )

    assert resp.headers["Location"].endswith(f"/catalogos/procesos/{process_id}")
    with app.app_context():
        edited = process("EXT-2023")
        assert (edited.name, edited.ends_on) == (
            "Extraordinarias 2023 (Coahuila)",
            date(2023, 8, 31),
        )


# --- Organisations ---------------------------------------------------------------------------

IEEPCNL = "Instituto Estatal Electoral y de Participación Ciudadana de Nuevo León"


def test_admin_renames_an_opl_and_new_tickets_offer_the_new_name(app, as_admin, ids):
    with app.app_context():
        opl = db.session.get(Organization, ids["organization"])
        old_name, old_acronym, nl_id = opl.name, opl.acronym, opl.state_id
    try:
        resp = as_admin.post(
            f"/catalogos/organizaciones/{ids['organization']}",
            data={"name": f"  {IEEPCNL} ", "acronym": "IEEPCNL"},
        )

        assert resp.headers["Location"].endswith("/catalogos/organizaciones/?q=OPL-19")
        with app.app_context():
            renamed = db.session.get(Organization, ids["organization"])
            assert (renamed.name, renamed.acronym) == (IEEPCNL, "IEEPCNL")
            labels = [o["label"] for o in queries.options_for_state(nl_id)["organizations"]]
            assert IEEPCNL in labels and old_name not in labels
    finally:
        with app.app_context():
            opl = db.session.get(Organization, ids["organization"])
            opl.name, opl.acronym = old_name, old_acronym
            db.session.commit()


def test_an_empty_name_is_refused_and_the_opl_keeps_its_name(app, as_admin, ids):
    resp = as_admin.post(
        f"/catalogos/organizaciones/{ids['organization']}", data={"name": "  ", "acronym": "X"}
    )

    assert resp.status_code == 422
    assert "Escriba el nombre." in page_text(resp)
    with app.app_context():
        assert org("OPL-19").name == "Comisión Estatal Electoral Nuevo León"


def test_a_second_opl_in_a_state_is_refused(app, as_admin):
    with app.app_context():
        nl_id = state("19").id
        before = count(Organization)

    resp = as_admin.post(
        "/catalogos/organizaciones/nueva",
        data={"kind": "opl", "name": IEEPCNL, "acronym": "IEEPCNL", "state_id": nl_id},
    )

    assert resp.status_code == 422
    assert "Nuevo León ya tiene un OPL activo" in page_text(resp)
    with app.app_context():
        assert count(Organization) == before


def test_admin_adds_an_independent_candidacy_of_a_district(app, as_admin):
    with app.app_context():
        mexico_id = state("15").id

    resp = as_admin.post(
        "/catalogos/organizaciones/nueva",
        data={
            "kind": "candidacy",
            "name": "Candidatura independiente de Juana Pérez",
            "state_id": mexico_id,
            "district_number": "2",
        },
    )

    assert resp.headers["Location"].endswith("/catalogos/organizaciones/?q=CI-15-02")
    with app.app_context():
        added = org("CI-15-02")
        assert (added.kind, added.state.key, added.district.number) == (
            RequesterType.CANDIDACY,
            "15",
            2,
        )
        assert added in queries.organizations_of(mexico_id, RequesterType.CANDIDACY)


def test_admin_adds_a_central_office(app, as_admin):
    resp = as_admin.post(
        "/catalogos/organizaciones/nueva",
        data={
            "kind": "central",
            "name": "Unidad Técnica de Servicios de Informática",
            "acronym": "UTSI",
        },
    )

    assert resp.headers["Location"].endswith("/catalogos/organizaciones/?q=CEN-UTSI")
    with app.app_context():
        labels = [o.name for o in queries.organizations_of(None)]
        assert "Unidad Técnica de Servicios de Informática" in labels


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "candidacy", "state_id": "06", "district_number": "7"},
            "Colima no tiene el distrito 7 (tiene 2).",
        ),
        ({"kind": "candidacy"}, "Elija la entidad."),
        ({"kind": "central", "state_id": "06"}, "Las oficinas centrales no pertenecen"),
        ({"kind": "party", "state_id": "06"}, "Elija el partido de la representación."),
        ({"kind": "", "state_id": "06"}, "Elija el tipo de organización."),
    ],
)
def test_misplaced_organizations_are_refused(app, as_admin, data, message):
    with app.app_context():
        before = count(Organization)
        if "state_id" in data:
            data = {**data, "state_id": state(data["state_id"]).id}

    resp = as_admin.post(
        "/catalogos/organizaciones/nueva", data={"name": "Organización <b>nueva</b>", **data}
    )

    body = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert message in page_text(resp)
    assert 'value="Organización &lt;b&gt;nueva&lt;/b&gt;"' in body
    with app.app_context():
        assert count(Organization) == before


# --- Systems and categories ------------------------------------------------------------------


def test_admin_adds_a_system_with_an_upper_case_key(app, as_admin):
    resp = as_admin.post(
        "/catalogos/sistemas/nuevo",
        data={"key": " sice ", "name": "Sistema de Cómputos Electorales", "description": ""},
    )

    assert resp.headers["Location"].endswith("/catalogos/sistemas/")
    with app.app_context():
        assert system("SICE").name == "Sistema de Cómputos Electorales"
        assert "Sistema de Cómputos Electorales" in [s.name for s in queries.active_systems()]


def test_a_duplicate_system_key_is_refused(app, as_admin):
    with app.app_context():
        before = count(System)

    resp = as_admin.post("/catalogos/sistemas/nuevo", data={"key": "sije", "name": "Otro SIJE"})

    assert resp.status_code == 422
    assert "Ya existe un sistema con la clave SIJE." in page_text(resp)
    with app.app_context():
        assert count(System) == before


def test_admin_adds_a_category(app, as_admin):
    resp = as_admin.post(
        "/catalogos/categorias/nuevo", data={"key": "REDES", "name": "Red y conectividad"}
    )

    assert resp.headers["Location"].endswith("/catalogos/categorias/")
    with app.app_context():
        assert "Red y conectividad" in [c.name for c in queries.active_categories()]


def test_what_an_admin_types_is_escaped_on_every_page(app, as_admin):
    payload = '<script>alert("x")</script>'
    created = as_admin.post(
        "/catalogos/sistemas/nuevo", data={"key": "XSS", "name": payload, "description": payload}
    )
    listing = as_admin.get("/catalogos/sistemas/")

    body = listing.get_data(as_text=True)
    assert created.status_code == 302
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body


def test_admin_renames_a_system_it_created(app, as_admin):
    as_admin.post("/catalogos/sistemas/nuevo", data={"key": "SICE", "name": "Cómputos"})
    with app.app_context():
        system_id = system("SICE").id

    resp = as_admin.post(
        f"/catalogos/sistemas/{system_id}",
        data={"name": "Sistema de Cómputos Distritales", "description": "Cómputos del INE"},
    )

    assert resp.headers["Location"].endswith("/catalogos/sistemas/")
    with app.app_context():
        assert system("SICE").name == "Sistema de Cómputos Distritales"


# --- Deactivate and reactivate ---------------------------------------------------------------


def test_a_deactivated_system_leaves_the_choices_and_stays_on_old_tickets(
    app, client_as, as_admin, ids
):
    with app.app_context():
        folio = make_ticket().folio
        operator_id = make_user(Role.OPERATOR).id

    off = as_admin.post(
        f"/catalogos/sistemas/{ids['system']}/estado",
        data={"active": "0", "next": "/catalogos/sistemas/"},
    )

    assert off.headers["Location"].endswith("/catalogos/sistemas/")
    assert "Se desactivó «" + SIJE_NAME + "»." in page_text(as_admin.get("/catalogos/sistemas/"))
    assert SIJE_NAME in page_text(client_as(operator_id).get(f"/tickets/{folio}"))
    with app.app_context():
        assert SIJE_NAME not in [s.name for s in queries.active_systems()]
        ticket = db.session.scalar(sa.select(Ticket).where(Ticket.folio == folio))
        assert ticket.system.name == SIJE_NAME
        with pytest.raises(ValidationFailed) as refused:
            helpdesk_services.open_ticket(make_user(Role.OPERATOR), ticket_data())
        assert "system_id" in refused.value.fields

    on = as_admin.post(f"/catalogos/sistemas/{ids['system']}/estado", data={"active": "1"})

    assert on.headers["Location"].endswith("/catalogos/sistemas/")
    with app.app_context():
        assert SIJE_NAME in [s.name for s in queries.active_systems()]


def test_a_deactivated_process_is_no_longer_offered_for_its_states(app, client_as, as_admin, ids):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR).id
    operator = client_as(operator_id)

    def offered() -> list[str]:
        options = operator.get(f"/catalogos/opciones?state_id={ids['state']}").get_json()
        return [p["label"].split(" · ")[0] for p in options["processes"]]

    assert "EXT-2021" in offered()
    as_admin.post(f"/catalogos/procesos/{ids['process']}/estado", data={"active": "0"})
    assert "EXT-2021" not in offered()
    as_admin.post(f"/catalogos/procesos/{ids['process']}/estado", data={"active": "1"})
    assert "EXT-2021" in offered()


@pytest.mark.parametrize(
    ("catalog", "key", "model_name"),
    [
        ("entidades", "state", "State"),
        ("distritos", "district", "District"),
        ("organizaciones", "organization", "Organization"),
        ("procesos", "process", "ElectoralProcess"),
        ("sistemas", "system", "System"),
        ("categorias", "category", "Category"),
    ],
)
def test_any_entry_can_be_deactivated_and_is_never_deleted(
    app, as_admin, ids, catalog, key, model_name
):
    from tickets.catalogs import models

    resp = as_admin.post(f"/catalogos/{catalog}/{ids[key]}/estado", data={"active": "0"})

    assert resp.status_code == 302
    with app.app_context():
        entry = db.session.get(getattr(models, model_name), ids[key])
        assert entry is not None and entry.is_active is False


def test_a_malformed_toggle_changes_nothing(app, as_admin, ids):
    resp = as_admin.post(f"/catalogos/sistemas/{ids['system']}/estado", data={"active": "maybe"})

    assert resp.status_code == 400
    with app.app_context():
        assert system("SIJE").is_active


def test_the_toggle_never_redirects_off_the_catalog_pages(as_admin, ids):
    resp = as_admin.post(
        f"/catalogos/sistemas/{ids['system']}/estado",
        data={"active": "0", "next": "https://ejemplo.test/catalogos/"},
    )

    assert resp.headers["Location"] == "/catalogos/sistemas/"


# --- Who may do it ---------------------------------------------------------------------------

ROUTES = [
    ("get", "/catalogos/"),
    ("get", "/catalogos/entidades/"),
    ("get", "/catalogos/distritos/"),
    ("get", "/catalogos/organizaciones/"),
    ("get", "/catalogos/organizaciones/nueva"),
    ("post", "/catalogos/organizaciones/nueva"),
    ("get", "/catalogos/organizaciones/{organization}"),
    ("post", "/catalogos/organizaciones/{organization}"),
    ("get", "/catalogos/procesos/"),
    ("get", "/catalogos/procesos/nuevo"),
    ("post", "/catalogos/procesos/nuevo"),
    ("get", "/catalogos/procesos/{process}"),
    ("post", "/catalogos/procesos/{process}"),
    ("post", "/catalogos/procesos/{process}/elecciones"),
    ("post", "/catalogos/procesos/{process}/elecciones/{election}/quitar"),
    ("get", "/catalogos/sistemas/"),
    ("get", "/catalogos/sistemas/nuevo"),
    ("post", "/catalogos/sistemas/nuevo"),
    ("get", "/catalogos/sistemas/{system}"),
    ("post", "/catalogos/sistemas/{system}"),
    ("get", "/catalogos/categorias/"),
    ("post", "/catalogos/categorias/nuevo"),
    ("post", "/catalogos/categorias/{category}"),
    ("post", "/catalogos/entidades/{state}/estado"),
    ("post", "/catalogos/distritos/{district}/estado"),
    ("post", "/catalogos/organizaciones/{organization}/estado"),
    ("post", "/catalogos/procesos/{process}/estado"),
    ("post", "/catalogos/sistemas/{system}/estado"),
    ("post", "/catalogos/categorias/{category}/estado"),
]

# A POST that would change something if the gate let it through.
HARMFUL_FORM = {
    "active": "0",
    "key": "INTRUSO",
    "name": "Intruso",
    "kind": "central",
    "starts_on": "2023-01-01",
    "ends_on": "2023-12-31",
}


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.OPERATOR, Role.REQUESTER])
@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_only_admins_reach_the_catalog_pages(app, client_as, ids, role, method, url):
    with app.app_context():
        user_id = make_user(role, organization=org("JD-12-05")).id

    resp = getattr(client_as(user_id), method)(url.format(**ids), data=HARMFUL_FORM)

    assert resp.status_code == 403
    with app.app_context():
        assert count(System, ~System.is_active) == 0
        assert count(Organization, Organization.name == "Intruso") == 0
        assert db.session.get(Election, ids["election"]) is not None


@pytest.mark.parametrize(("method", "url"), ROUTES)
def test_anonymous_visitors_are_sent_to_log_in(client, ids, method, url):
    resp = getattr(client, method)(url.format(**ids), data=HARMFUL_FORM)

    assert "/login" in resp.headers["Location"]


def test_the_intake_options_stay_open_to_staff_and_closed_to_requesters(app, client_as, ids):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR).id
        requester_id = make_user(Role.REQUESTER, organization=org("JD-12-05")).id
    url = f"/catalogos/opciones?state_id={ids['state']}"

    assert len(client_as(operator_id).get(url).get_json()["districts"]) == 9
    assert client_as(requester_id).get(url).status_code == 403


# --- The services themselves -----------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda actor: services.create_process(
            actor, services.ProcessData("X", ProcessKind.ORDINARY_LOCAL, None, None, key="X")
        ),
        lambda actor: services.add_election(
            actor, process("EXT-2021"), services.ElectionData(state("12").id, date(2021, 11, 1))
        ),
        lambda actor: services.remove_election(actor, process("EXT-2021").elections[0]),
        lambda actor: services.create_entry(actor, System, services.EntryData("X", key="X")),
        lambda actor: services.update_entry(actor, system("SIJE"), services.EntryData("X")),
        lambda actor: services.create_organization(
            actor, services.OrganizationData("X", kind=RequesterType.CENTRAL)
        ),
        lambda actor: services.update_organization(
            actor, org("OPL-19"), services.OrganizationData("X")
        ),
        lambda actor: services.set_active(actor, system("SIJE"), False),
    ],
    ids=[
        "create_process",
        "add_election",
        "remove_election",
        "create_entry",
        "update_entry",
        "create_organization",
        "update_organization",
        "set_active",
    ],
)
def test_services_refuse_anyone_but_an_admin(ctx, supervisor, call):
    with pytest.raises(NotAllowed):
        call(supervisor)

    db.session.rollback()
    assert system("SIJE").is_active and system("SIJE").name == SIJE_NAME
    assert len(process("EXT-2021").elections) == 6


def test_a_generated_organization_key_never_clashes(ctx, admin):
    data = services.OrganizationData(
        "Candidatura independiente", kind=RequesterType.CANDIDACY, state_id=state("15").id
    )

    first = services.create_organization(admin, data)
    second = services.create_organization(admin, data)

    assert (first.key, second.key) == ("CI-15", "CI-15-2")
