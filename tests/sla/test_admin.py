"""The admins' SLA page /admin/sla/: targets per priority, the Institute's days off, holidays.

View tests build data in their own app context, keep plain values, make requests without a
pushed context and read back in a fresh one (STYLE.md 3.12). The Mexico City ticket of these
tests arrives on Sunday 14 November 2021; Monday 15 is the Revolution Day holiday, so its office
clock starts on Tuesday 16 at 09:00.
"""

from __future__ import annotations

import html
import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.factories import make_ticket, make_user, org
from tickets.accounts.models import Role, User
from tickets.core.db import utcnow
from tickets.core.errors import NotAllowed, ValidationFailed
from tickets.core.timeutil import parse_local, to_mx
from tickets.extensions import db
from tickets.helpdesk.models import Priority, Ticket
from tickets.sla import admin, services
from tickets.sla.models import NonWorkingDay, SlaPolicy

SUNDAY = "2021-11-14T09:30"
DEFAULT_FORM = {
    "critical_first_response": "0:15",
    "critical_resolution": "4:00",
    "high_first_response": "0:30",
    "high_resolution": "8:00",
    "medium_first_response": "2:00",
    "medium_resolution": "24:00",
    "low_first_response": "4:00",
    "low_resolution": "72:00",
}


def mx(text: str):
    return parse_local(text)


def page_text(resp) -> str:
    """What a person reads on the page: tags dropped, entities decoded, spaces collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", resp.get_data(as_text=True))).split())


@pytest.fixture
def world(app) -> dict[str, int]:
    """The default policies as `flask catalogs load` leaves them, an admin, and two open tickets.

    The Mexico City ticket (high priority) follows office hours; the Guerrero one is in EXT-2021,
    whose clock counts every hour of every day.
    """
    with app.app_context():
        services.ensure_default_policies()
        db.session.commit()
        operator = make_user(Role.OPERATOR)
        mexico_city = make_ticket(
            operator,
            now=mx(SUNDAY),
            organization=org("JL-09"),
            process_id=None,
            received_at=mx(SUNDAY),
        )
        guerrero = make_ticket(operator, now=mx(SUNDAY), received_at=mx(SUNDAY))
        return {
            "admin": make_user(Role.ADMIN, name="Ana Administradora").id,
            "operator": operator.id,
            "supervisor": make_user(Role.SUPERVISOR).id,
            "mexico_city": mexico_city.id,
            "guerrero": guerrero.id,
        }


@pytest.fixture
def as_admin(client_as, world):
    return client_as(world["admin"])


def due_times(app, ticket_id: int):
    with app.app_context():
        ticket = db.session.get(Ticket, ticket_id)
        return ticket.first_response_due_at, ticket.resolution_due_at


def stored_policies(app) -> dict[Priority, tuple[int, int, int | None]]:
    with app.app_context():
        return {
            p.priority: (p.first_response_minutes, p.resolution_minutes, p.updated_by_id)
            for p in db.session.scalars(sa.select(SlaPolicy))
        }


def stored_days(app) -> list[tuple[date, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(NonWorkingDay.day, NonWorkingDay.description).order_by(NonWorkingDay.day)
        )
        return [(day, description) for day, description in rows]


# --- Policies --------------------------------------------------------------------------------


def test_the_page_shows_the_targets_as_hours_and_minutes_of_the_sla_clock(as_admin):
    resp = as_admin.get("/admin/sla/")

    assert resp.status_code == 200
    text = page_text(resp)
    assert "Plazos de servicio (SLA)" in text
    assert "de lunes a viernes de 9:00 a 18:00" in text
    assert "cuentan todas las horas de todos los días" in text
    body = resp.get_data(as_text=True)
    assert 'name="critical_first_response"' in body and 'value="0:15"' in body
    assert 'name="low_resolution"' in body and 'value="72:00"' in body
    assert "Prioridad crítica Primera respuesta" in text


def test_changing_the_high_targets_moves_the_due_times_of_open_tickets(app, as_admin, world):
    assert due_times(app, world["mexico_city"]) == (mx("2021-11-16T09:30"), mx("2021-11-16T17:00"))
    form = DEFAULT_FORM | {"high_first_response": "1:00", "high_resolution": "16:00"}

    resp = as_admin.post("/admin/sla/", data=form, follow_redirects=True)

    assert resp.status_code == 200
    text = page_text(resp)
    assert "Plazos guardados. Se recalcularon los vencimientos de 2 tickets abiertos." in text
    assert "Último cambio:" in text and "Ana Administradora" in text
    # One hour from Tuesday 09:00; sixteen office hours are Tuesday's nine and seven on Wednesday.
    assert due_times(app, world["mexico_city"]) == (mx("2021-11-16T10:00"), mx("2021-11-17T16:00"))
    # Guerrero is in process: every hour counts from its arrival on Sunday.
    assert due_times(app, world["guerrero"]) == (mx("2021-11-14T10:30"), mx("2021-11-15T01:30"))
    policies = stored_policies(app)
    assert policies[Priority.HIGH] == (60, 16 * 60, world["admin"])
    assert policies[Priority.CRITICAL] == (15, 4 * 60, None)  # unchanged rows keep their record


def test_saving_without_changes_writes_nothing(app, as_admin, world):
    resp = as_admin.post("/admin/sla/", data=DEFAULT_FORM, follow_redirects=True)

    assert "No hubo cambios en los plazos." in page_text(resp)
    assert all(updated_by is None for _, _, updated_by in stored_policies(app).values())


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"high_first_response": "abc"},
            "high_first_response",
            "Escriba horas y minutos separados por dos puntos, como 4:00 o 0:15.",
        ),
        (
            {"high_resolution": "8:75"},
            "high_resolution",
            "Escriba horas y minutos separados por dos puntos, como 4:00 o 0:15.",
        ),
        (
            {"high_first_response": "0:00"},
            "high_first_response",
            "La primera respuesta debe ser mayor que 0:00.",
        ),
        (
            {"high_first_response": "2:00", "high_resolution": "1:30"},
            "high_resolution",
            "La solución debe tomar más que la primera respuesta (2:00).",
        ),
        (
            {"low_first_response": "721:00"},
            "low_first_response",
            "La primera respuesta admite hasta 720:00 (30 días).",
        ),
        (
            {"low_resolution": "2160:01"},
            "low_resolution",
            "La solución admite hasta 2160:00 (90 días).",
        ),
        (
            {"medium_resolution": ""},
            "medium_resolution",
            "Escriba el plazo en horas y minutos (H:MM).",
        ),
    ],
)
def test_a_bad_target_is_refused_with_the_typed_values_kept(
    app, as_admin, world, changes, field, message
):
    before_policies = stored_policies(app)
    before_due = due_times(app, world["mexico_city"])
    form = DEFAULT_FORM | {"critical_resolution": "5:00"} | changes

    resp = as_admin.post("/admin/sla/", data=form)

    assert resp.status_code == 422
    body = resp.get_data(as_text=True)
    assert message in page_text(resp)
    assert re.search(rf'id="{field}"[^>]*value="{re.escape(form[field])}"', body)
    assert 'value="5:00"' in body  # what else the admin typed stays on the form
    assert stored_policies(app) == before_policies
    assert due_times(app, world["mexico_city"]) == before_due


def test_update_policies_is_for_admins_and_needs_all_four_priorities(app, world):
    with app.app_context():
        supervisor = db.session.get(User, world["supervisor"])
        values = {p: admin.PolicyMinutes(30, 60) for p in Priority}
        with pytest.raises(NotAllowed):
            admin.update_policies(supervisor, values, utcnow())
        boss = db.session.get(User, world["admin"])
        del values[Priority.LOW]
        with pytest.raises(ValidationFailed) as refused:
            admin.update_policies(boss, values, utcnow())
    assert set(refused.value.fields) == {"low_first_response", "low_resolution"}
    assert stored_policies(app)[Priority.HIGH] == (30, 8 * 60, None)


# --- The Institute's days off ----------------------------------------------------------------


def test_a_day_off_moves_office_hours_tickets_and_can_be_removed(app, as_admin, world):
    guerrero_before = due_times(app, world["guerrero"])

    resp = as_admin.post(
        "/admin/sla/dias",
        data={"day": "2021-11-16", "description": "Suspensión de labores"},
        follow_redirects=True,
    )

    assert resp.status_code == 200
    text = page_text(resp)
    assert "Se registró el 16 de noviembre de 2021 como día inhábil." in text
    assert "16 de noviembre de 2021 Suspensión de labores Ana Administradora" in text
    # Tuesday is off now: the office clock starts on Wednesday 17 at 09:00.
    assert due_times(app, world["mexico_city"]) == (mx("2021-11-17T09:30"), mx("2021-11-17T17:00"))
    assert due_times(app, world["guerrero"]) == guerrero_before  # in process every day counts

    [(day_id,)] = _day_ids(app)
    resp = as_admin.post(f"/admin/sla/dias/{day_id}/borrar", follow_redirects=True)

    assert "El 16 de noviembre de 2021 vuelve a ser día hábil." in page_text(resp)
    assert stored_days(app) == []
    assert due_times(app, world["mexico_city"]) == (mx("2021-11-16T09:30"), mx("2021-11-16T17:00"))


def _day_ids(app):
    with app.app_context():
        return db.session.execute(sa.select(NonWorkingDay.id)).all()


def test_a_day_already_registered_is_refused_and_the_typed_text_kept(app, as_admin):
    as_admin.post("/admin/sla/dias", data={"day": "2021-12-24", "description": "Nochebuena"})

    resp = as_admin.post("/admin/sla/dias", data={"day": "2021-12-24", "description": "Otra vez"})

    assert resp.status_code == 422
    assert "Ese día ya está registrado." in page_text(resp)
    assert 'value="Otra vez"' in resp.get_data(as_text=True)
    assert stored_days(app) == [(date(2021, 12, 24), "Nochebuena")]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"day": "", "description": "Sin fecha"}, "Escriba la fecha."),
        ({"day": "2021-12-24", "description": "   "}, "Escriba la descripción."),
        ({"day": "2021-12-24", "description": "x" * 201}, "Admite hasta 200 caracteres."),
        ({"day": "0221-12-24", "description": "Año mal escrito"}, "entre 2000 y 2100"),
    ],
)
def test_a_day_without_date_or_description_is_refused(app, as_admin, form, message):
    resp = as_admin.post("/admin/sla/dias", data=form)

    assert resp.status_code == 422
    assert message in page_text(resp)
    assert stored_days(app) == []


def test_typed_descriptions_are_shown_as_text(app, as_admin):
    as_admin.post(
        "/admin/sla/dias", data={"day": "2021-12-31", "description": "<script>alert(1)</script>"}
    )

    body = as_admin.get("/admin/sla/").get_data(as_text=True)

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>alert(1)" not in body


def test_removing_a_day_that_is_gone_is_not_found(as_admin):
    assert as_admin.post("/admin/sla/dias/999999/borrar").status_code == 404


def test_the_official_holidays_of_this_year_and_the_next_are_listed(as_admin):
    year = to_mx(utcnow()).year

    text = page_text(as_admin.get("/admin/sla/"))

    assert f"16 de septiembre de {year} Día de la Independencia" in text
    assert f"1 de enero de {year + 1} Año Nuevo" in text
    assert f"25 de diciembre de {year + 1} Navidad" in text


# --- Who may use the page --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["operator", "supervisor"])
def test_operators_and_supervisors_are_refused(app, client_as, world, role):
    client = client_as(world[role])

    assert client.get("/admin/sla/").status_code == 403
    assert client.post("/admin/sla/", data=DEFAULT_FORM).status_code == 403
    day = {"day": "2021-12-24", "description": "Nochebuena"}
    assert client.post("/admin/sla/dias", data=day).status_code == 403
    assert stored_days(app) == []


def test_anonymous_visitors_are_sent_to_the_login_page(client, world):
    for method, url in [("GET", "/admin/sla/"), ("POST", "/admin/sla/dias")]:
        resp = client.open(url, method=method)
        assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_the_admin_menu_links_to_the_page(as_admin, client_as, world):
    assert 'href="/admin/sla/"' in as_admin.get("/admin/sla/").get_data(as_text=True)
    other = client_as(world["supervisor"]).get("/tickets/", follow_redirects=True)
    assert 'href="/admin/sla/"' not in other.get_data(as_text=True)


def test_with_many_open_tickets_the_recompute_goes_to_the_next_sweep(app, client_as, ctx):
    """Above SLA_RECOMPUTE_INLINE_MAX the admin's request only asks; the sweep does the work."""
    from tickets.sla.sweep import sweep

    boss = make_user(Role.ADMIN)
    ticket = make_ticket(
        boss,
        now=parse_local("2021-11-14T09:30"),
        organization=org("JL-09"),
        process_id=None,
        received_at=parse_local("2021-11-14T09:30"),
    )
    before = ticket.resolution_due_at
    app.config["SLA_RECOMPUTE_INLINE_MAX"] = 0
    try:
        response = client_as(boss.id).post(
            "/admin/sla/dias", data={"day": "2021-11-16", "description": "Asueto"}
        )
        page = client_as(boss.id).get("/admin/sla/").get_data(as_text=True)
    finally:
        app.config["SLA_RECOMPUTE_INLINE_MAX"] = 2000
    assert response.status_code == 302
    assert "Recalculando en segundo plano" in page
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).resolution_due_at == before  # not yet

    report = sweep(parse_local("2021-11-14T10:00"))

    assert report.recomputed == 1
    assert db.session.get(Ticket, ticket.id).resolution_due_at == parse_local("2021-11-17T17:00")
    assert "Recalculando" not in client_as(boss.id).get("/admin/sla/").get_data(as_text=True)
