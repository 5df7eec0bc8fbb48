"""Requester invitations, account activation and password reset by e-mail links."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.factories import PASSWORD, make_ticket, make_user, org
from tickets.accounts import services, tokens
from tickets.accounts.models import Role, User
from tickets.core.db import utcnow
from tickets.core.errors import NotAllowed, ValidationFailed
from tickets.extensions import db, limiter
from tickets.notifications.models import OutboxMessage

NEW_PASSWORD = "una-frase-nueva-y-larga"
LINK = re.compile(r"http://127\.0\.0\.1:5000(/(?:cuenta/activar|recuperar)/[A-Za-z0-9_.\-]+)")


@pytest.fixture(autouse=True)
def _fresh_limits(app):
    with app.app_context():
        limiter.reset()
    yield
    with app.app_context():
        limiter.reset()


def _staff(app, role=Role.OPERATOR) -> int:
    with app.app_context():
        return make_user(role).id


def _org_id(app, key="JD-12-05") -> int:
    with app.app_context():
        return org(key).id


def _invite(app, client_as, email="enlace.guerrero@ine.mx", org_key="JD-12-05", **extra):
    """An operator invites someone through the page; returns the POST response."""
    data = {"name": "Rosa Salgado", "email": email, "organization_id": str(_org_id(app, org_key))}
    return client_as(_staff(app)).post("/solicitantes/invitar", data={**data, **extra})


def _outbox(app, kind: str) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(OutboxMessage.to_address, OutboxMessage.body_text, OutboxMessage.body_html)
            .where(OutboxMessage.kind == kind)
            .order_by(OutboxMessage.id)
        )
        return [tuple(row) for row in rows]


def _link_in(body: str) -> str:
    return LINK.search(body).group(1)


def _user(app, email: str) -> User | None:
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == email))
        if user is not None:
            db.session.expunge(user)
        return user


def _invited_requester() -> User:
    """A requester invited but not yet activated (inside an app context)."""
    user = make_user(Role.REQUESTER, organization=org("JD-12-05"))
    user.password_hash = None
    db.session.commit()
    return user


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


# --- Inviting ---------------------------------------------------------------------------------


def test_invitation_creates_a_requester_without_password_and_mails_the_link(app, client_as):
    response = _invite(app, client_as, email="Enlace.Guerrero@INE.mx")

    assert response.headers["Location"] == "/solicitantes/invitar"
    user = _user(app, "enlace.guerrero@ine.mx")
    assert user.role is Role.REQUESTER and user.password_hash is None
    assert user.organization_id == _org_id(app)
    [(to, text, html)] = _outbox(app, "invitation")
    assert to == "enlace.guerrero@ine.mx"
    assert "/cuenta/activar/" in _link_in(text)
    assert _link_in(text) in html
    assert "Junta Distrital Ejecutiva 05 en Guerrero" in text


def test_invitation_says_when_the_link_expires_the_mexican_way(ctx, operator):
    now = datetime(2021, 11, 14, 16, 0, tzinfo=UTC)  # 10:00 in Mexico City

    invitation = services.invite_requester(
        operator, "Rosa Salgado", "rosa@ine.mx", org("OPL-12").id, now=now
    )

    [message] = db.session.scalars(sa.select(OutboxMessage)).all()
    assert invitation.expires_at == now + timedelta(days=7)
    assert "21 de noviembre de 2021, 10:00" in message.body_text
    assert "21 de noviembre de 2021, 10:00" in message.body_html


def test_the_invite_page_confirms_the_address_and_the_expiry(app, client_as):
    client = client_as(_staff(app))
    data = {"name": "Rosa", "email": "rosa@ine.mx", "organization_id": str(_org_id(app))}

    page = client.post("/solicitantes/invitar", data=data, follow_redirects=True)

    body = page.get_data(as_text=True)
    assert "Enviamos la invitación a rosa@ine.mx" in body
    assert re.search(r"El enlace vence el \d{1,2} de [a-z]+ de \d{4}, \d\d:\d\d", body)


def test_inviting_again_before_activation_resends_a_fresh_link(app, client_as):
    _invite(app, client_as)
    again = _invite(app, client_as, name="Rosa María Salgado")

    assert again.headers["Location"] == "/solicitantes/invitar"
    assert _count(app, User) == 3  # two operators and one requester
    assert [to for to, *_ in _outbox(app, "invitation")] == ["enlace.guerrero@ine.mx"] * 2
    assert _user(app, "enlace.guerrero@ine.mx").name == "Rosa María Salgado"


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN])
def test_inviting_a_staff_address_is_refused_and_writes_nothing(app, client_as, role):
    with app.app_context():
        staff_email = make_user(role).email
    users_before = _count(app, User)

    response = _invite(app, client_as, email=staff_email)

    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "es de una cuenta del personal de la mesa" in body
    assert f'value="{staff_email}"' in body
    assert _count(app, User) == users_before + 1  # only the inviting operator
    assert _count(app, OutboxMessage) == 0
    assert _user(app, staff_email).role is role


def test_inviting_a_requester_of_another_organisation_is_refused(app, client_as):
    with app.app_context():
        make_user(Role.REQUESTER, organization=org("OPL-12"), email="enlace@iepcgro.mx")

    response = _invite(app, client_as, email="enlace@iepcgro.mx", org_key="JD-12-05")

    assert response.status_code == 422
    assert "solicitante de Instituto Electoral" in response.get_data(as_text=True)
    assert _user(app, "enlace@iepcgro.mx").organization_id == _org_id(app, "OPL-12")
    assert _count(app, OutboxMessage) == 0


def test_a_requester_who_already_has_a_password_is_sent_to_password_recovery(app, client_as):
    with app.app_context():
        make_user(Role.REQUESTER, organization=org("JD-12-05"), email="ya@ine.mx")

    response = _invite(app, client_as, email="ya@ine.mx")

    assert response.status_code == 422
    assert "¿Olvidó su contraseña?" in response.get_data(as_text=True)
    assert _count(app, OutboxMessage) == 0


def test_only_staff_may_invite(ctx):
    requester = make_user(Role.REQUESTER, organization=org("JD-12-05"))

    with pytest.raises(NotAllowed):
        services.invite_requester(requester, "Otra", "otra@ine.mx", org("JD-12-05").id)


def test_an_inactive_organisation_cannot_receive_invitations(ctx, operator):
    junta = org("JD-12-05")
    junta.is_active = False
    db.session.commit()

    with pytest.raises(ValidationFailed) as refused:
        services.invite_requester(operator, "Rosa", "rosa@ine.mx", junta.id)

    assert refused.value.fields == {"organization_id": "Elija una organización activa."}
    assert db.session.scalar(sa.select(User).where(User.email == "rosa@ine.mx")) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "", "email": "rosa@ine.mx"}, "Escriba el nombre."),
        ({"name": "Rosa", "email": "no-es-correo"}, "Correo no válido."),
        ({"name": "Rosa", "email": "rosa@ine.mx", "organization_id": ""}, "Elija la organización"),
        ({"name": "Rosa", "email": "rosa@ine.mx", "organization_id": "999999"}, "activa"),
        ({"name": "R" * 121, "email": "rosa@ine.mx"}, "Hasta 120 caracteres."),
    ],
)
def test_bad_invitation_input_is_refused_in_spanish_and_kept(app, client_as, data, message):
    form = {"organization_id": str(_org_id(app)), **data}

    response = client_as(_staff(app)).post("/solicitantes/invitar", data=form)

    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert f'value="{data["email"]}"' in body
    assert _count(app, OutboxMessage) == 0
    assert _user(app, "rosa@ine.mx") is None


def test_requesters_may_not_open_the_invite_page(app, client_as):
    with app.app_context():
        requester_id = make_user(Role.REQUESTER, organization=org("JD-12-05")).id
    client = client_as(requester_id)

    assert client.get("/solicitantes/invitar").status_code == 403
    assert client.post("/solicitantes/invitar", data={}).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_from_the_invite_page(client):
    response = client.get("/solicitantes/invitar")

    assert response.headers["Location"].startswith("/login")


def test_the_invite_page_fills_in_the_contact_of_a_ticket(app, client_as):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR).id
        ticket = make_ticket(contact_name="Luis Pérez", contact_email="luis.perez@ine.mx")
        folio, org_id = ticket.folio, ticket.organization_id

    page = client_as(operator_id).get(f"/solicitantes/invitar?ticket={folio}")

    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'value="Luis Pérez"' in body and 'value="luis.perez@ine.mx"' in body
    assert f'<option selected value="{org_id}">' in body


def test_inviting_from_a_ticket_returns_to_the_ticket(app, client_as):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR).id
        ticket = make_ticket()
        folio, org_id = ticket.folio, ticket.organization_id
    data = {"name": "María Hernández", "email": "maria.hernandez@ine.mx", "organization_id": org_id}

    response = client_as(operator_id).post(f"/solicitantes/invitar?ticket={folio}", data=data)

    assert response.headers["Location"] == f"/tickets/{folio}"
    assert [to for to, *_ in _outbox(app, "invitation")] == ["maria.hernandez@ine.mx"]


def test_an_unknown_ticket_on_the_invite_page_is_404(app, client_as):
    response = client_as(_staff(app)).get("/solicitantes/invitar?ticket=TIC-2099-999999")

    assert response.status_code == 404


def test_the_organisation_filter_ignores_accents_and_case(app, client_as):
    page = client_as(_staff(app)).get("/solicitantes/invitar?q=PARTICIPACION guerrero")

    body = page.get_data(as_text=True)
    options = re.findall(r'<option value="\d+">([^<]+)</option>', body)
    assert options == ["Instituto Electoral y de Participación Ciudadana del Estado de Guerrero"]


def test_admins_see_pending_invitations_in_the_user_list(app, client_as):
    _invite(app, client_as)
    admin_id = _staff(app, Role.ADMIN)

    body = client_as(admin_id).get("/admin/usuarios").get_data(as_text=True)

    row = re.search(r"<tr>\s*<td><a [^>]*>Rosa Salgado</a>.*?</tr>", body, re.S).group(0)
    assert "Invitación pendiente" in row
    assert 'href="/solicitantes/invitar"' in body


# --- Activating -------------------------------------------------------------------------------


def _invitation_link(app, client_as, email="enlace.guerrero@ine.mx") -> str:
    _invite(app, client_as, email=email)
    return _link_in(_outbox(app, "invitation")[-1][1])


def test_following_the_invitation_sets_the_password_and_signs_in(app, client_as, client):
    link = _invitation_link(app, client_as)

    page = client.get(link)
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert page.status_code == 200 and "Rosa Salgado" in page.get_data(as_text=True)
    assert done.headers["Location"] == "/"
    assert client.get("/").headers["Location"] == "/solicitudes/"
    assert client.get("/solicitudes/").status_code == 200
    login = app.test_client().post(
        "/login", data={"email": "enlace.guerrero@ine.mx", "password": NEW_PASSWORD}
    )
    assert login.headers["Location"] == "/"


def test_an_invitation_link_works_once(app, client_as, client):
    link = _invitation_link(app, client_as)
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    again = app.test_client().post(link, data={"password": "otra-clave-larga", "confirm": ""})
    page = app.test_client().get(link)

    assert again.status_code == 410 and page.status_code == 410
    assert "Este enlace ya no funciona" in page.get_data(as_text=True)
    assert "/recuperar" in page.get_data(as_text=True)
    assert (
        app.test_client()
        .post("/login", data={"email": "enlace.guerrero@ine.mx", "password": NEW_PASSWORD})
        .headers["Location"]
        == "/"
    )


def test_an_expired_invitation_is_refused(app, client):
    with app.app_context():
        user = _invited_requester()
        user_id = user.id
        token = tokens.issue(tokens.INVITATION, user, now=utcnow() - timedelta(days=7, minutes=1))

    page = client.get(f"/cuenta/activar/{token}")
    post = client.post(
        f"/cuenta/activar/{token}", data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    )

    assert page.status_code == 410
    assert "Este enlace venció" in page.get_data(as_text=True)
    assert post.status_code == 410
    with app.app_context():
        assert db.session.get(User, user_id).password_hash is None


def test_an_invitation_lasts_invitation_days(ctx):
    user = _invited_requester()
    sent = datetime(2021, 11, 14, 16, 0, tzinfo=UTC)
    token = tokens.issue(tokens.INVITATION, user, now=sent)

    assert tokens.holder(tokens.INVITATION, token, now=sent + timedelta(days=7)) == user
    with pytest.raises(tokens.LinkExpired):
        tokens.holder(tokens.INVITATION, token, now=sent + timedelta(days=7, seconds=1))


def test_a_mangled_link_is_a_400_with_a_way_out(client):
    page = client.get("/cuenta/activar/no-es-un-enlace")

    assert page.status_code == 400
    body = page.get_data(as_text=True)
    assert "Este enlace no es válido" in body and "/recuperar" in body


def test_a_disabled_accounts_invitation_no_longer_works(app, client_as, client):
    link = _invitation_link(app, client_as)
    with app.app_context():
        db.session.scalar(sa.select(User).where(User.role == Role.REQUESTER)).is_enabled = False
        db.session.commit()

    assert client.get(link).status_code == 410


def test_changing_the_address_kills_links_sent_to_the_old_one(app, client_as, client):
    link = _invitation_link(app, client_as)
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.role == Role.REQUESTER))
        user.email = "corregido@ine.mx"
        db.session.commit()

    assert client.get(link).status_code == 410


def test_activation_refuses_short_or_mismatched_passwords_in_spanish(app, client_as, client):
    link = _invitation_link(app, client_as)

    short = client.post(link, data={"password": "corta", "confirm": "corta"})
    mismatch = client.post(link, data={"password": NEW_PASSWORD, "confirm": "otra-cosa-larga"})

    assert short.status_code == 422 and "Al menos 10 caracteres" in short.get_data(as_text=True)
    assert mismatch.status_code == 422
    assert "Las contraseñas no coinciden" in mismatch.get_data(as_text=True)
    assert _user(app, "enlace.guerrero@ine.mx").password_hash is None


def test_an_invitation_link_cannot_reset_a_password(app, client_as, client):
    link = _invitation_link(app, client_as)
    token = link.rsplit("/", 1)[1]

    assert client.get(f"/recuperar/{token}").status_code == 400


# --- Forgotten passwords ----------------------------------------------------------------------


def test_login_page_offers_password_recovery(client):
    assert 'href="/recuperar"' in client.get("/login").get_data(as_text=True)


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(app, client):
    with app.app_context():
        email = make_user(Role.OPERATOR).email

    known = client.post("/recuperar", data={"email": email.upper()}, follow_redirects=True)
    unknown = client.post("/recuperar", data={"email": "nadie@ine.mx"}, follow_redirects=True)

    assert known.status_code == unknown.status_code == 200
    assert known.request.path == unknown.request.path == "/login"
    for page in (known, unknown):
        assert "Si la dirección está registrada, enviamos un enlace" in page.get_data(as_text=True)
    assert [to for to, *_ in _outbox(app, "password_reset")] == [email]


def test_no_reset_mail_for_disabled_or_system_accounts(ctx):
    disabled = make_user(Role.OPERATOR, is_enabled=False)
    system = services.system_user()

    services.request_password_reset(disabled.email)
    services.request_password_reset(system.email)

    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0


def test_forgot_password_refuses_a_malformed_address_in_spanish(client):
    response = client.post("/recuperar", data={"email": "no-es-correo"})

    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Correo no válido." in body and 'value="no-es-correo"' in body


def test_reset_link_sets_the_new_password_and_retires_the_old_one(app, client):
    with app.app_context():
        email = make_user(Role.SUPERVISOR).email
    client.post("/recuperar", data={"email": email})
    link = _link_in(_outbox(app, "password_reset")[0][1])

    page = client.get(link)
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    assert page.status_code == 200 and email in page.get_data(as_text=True)
    assert done.headers["Location"] == "/login"
    fresh = app.test_client()
    assert fresh.post("/login", data={"email": email, "password": PASSWORD}).status_code == 422
    assert fresh.post("/login", data={"email": email, "password": NEW_PASSWORD}).headers[
        "Location"
    ] == ("/")


def test_a_reset_link_works_once(app, client):
    with app.app_context():
        email = make_user(Role.OPERATOR).email
    client.post("/recuperar", data={"email": email})
    link = _link_in(_outbox(app, "password_reset")[0][1])
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    again = client.post(link, data={"password": "otra-clave-larga", "confirm": "otra-clave-larga"})

    assert again.status_code == 410
    login = app.test_client().post("/login", data={"email": email, "password": NEW_PASSWORD})
    assert login.headers["Location"] == "/"


def test_a_reset_link_expires_after_password_reset_hours(app, client):
    with app.app_context():
        user = make_user(Role.OPERATOR)
        late = tokens.issue(
            tokens.PASSWORD_RESET, user, now=utcnow() - timedelta(hours=2, seconds=5)
        )
        fresh = tokens.issue(tokens.PASSWORD_RESET, user, now=utcnow() - timedelta(hours=1))

    assert client.get(f"/recuperar/{late}").status_code == 410
    assert "venció" in client.get(f"/recuperar/{late}").get_data(as_text=True)
    assert client.get(f"/recuperar/{fresh}").status_code == 200


def test_an_invited_requester_can_activate_through_password_recovery(app, client_as, client):
    _invite(app, client_as)

    client.post("/recuperar", data={"email": "enlace.guerrero@ine.mx"})
    link = _link_in(_outbox(app, "password_reset")[0][1])
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})

    login = client.post(
        "/login", data={"email": "enlace.guerrero@ine.mx", "password": NEW_PASSWORD}
    )
    assert login.headers["Location"] == "/"


def test_reset_requests_are_throttled_per_address(app):
    with app.app_context():
        email = make_user(Role.OPERATOR).email
    statuses = [
        app.test_client().post("/recuperar", data={"email": email}).status_code for _ in range(6)
    ]

    assert statuses == [302] * 5 + [429]
    assert len(_outbox(app, "password_reset")) == 5
