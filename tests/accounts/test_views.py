"""Login, logout, throttling, CSRF, and the admins' account pages."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from config import TestingConfig
from tests.factories import PASSWORD, make_user, org
from tickets import create_app
from tickets.accounts.models import Role, User
from tickets.extensions import db, limiter


@pytest.fixture(autouse=True)
def _fresh_limits(app):
    with app.app_context():
        limiter.reset()
    yield
    with app.app_context():
        limiter.reset()


def _user(app, role=Role.OPERATOR, **kw) -> tuple[int, str]:
    with app.app_context():
        user = make_user(role, **kw)
        return user.id, user.email


def test_login_with_right_password_lands_on_the_queue(app, client):
    _id, email = _user(app)

    response = client.post("/login", data={"email": email.upper(), "password": PASSWORD})

    assert response.headers["Location"] == "/"
    assert client.get("/").headers["Location"].endswith("/tickets/")


def test_wrong_password_gets_one_message_for_every_failure(app, client):
    _id, email = _user(app)

    wrong = client.post("/login", data={"email": email, "password": "nope"})
    unknown = client.post("/login", data={"email": "nadie@ine.mx", "password": "nope"})

    for response in (wrong, unknown):
        assert response.status_code == 422
        assert "Correo o contraseña incorrectos" in response.get_data(as_text=True)


def test_disabled_account_cannot_log_in(app, client):
    _id, email = _user(app, is_enabled=False)

    response = client.post("/login", data={"email": email, "password": PASSWORD})

    assert response.status_code == 422


def test_login_is_throttled_per_address(app, client):
    _id, email = _user(app)
    statuses = [
        client.post("/login", data={"email": email, "password": "mal"}).status_code
        for _ in range(12)
    ]

    assert statuses[:10] == [422] * 10
    assert statuses[10:] == [429, 429]
    assert "Demasiados intentos" in client.post("/login", data={}).get_data(as_text=True)


def test_logout_needs_post_and_ends_the_session(app, client_as):
    user_id, _ = _user(app)
    client = client_as(user_id)

    assert client.get("/logout").status_code == 405
    assert client.post("/logout").headers["Location"] == "/login"
    assert client.get("/tickets/").headers["Location"].startswith("/login")


def test_open_redirect_after_login_is_ignored(app, client):
    _id, email = _user(app)

    response = client.post(
        "/login?next=//evil.example/", data={"email": email, "password": PASSWORD}
    )

    assert response.headers["Location"] == "/"


def test_csrf_is_enforced_outside_tests(tmp_path):
    strict = create_app(
        TestingConfig,
        WTF_CSRF_ENABLED=True,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'csrf.db'}",
    )
    with strict.app_context():
        db.create_all()
        make_user(Role.OPERATOR, email="op@ine.mx")
    client = strict.test_client()

    refused = client.post("/login", data={"email": "op@ine.mx", "password": PASSWORD})
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    accepted = client.post(
        "/login", data={"email": "op@ine.mx", "password": PASSWORD, "csrf_token": token}
    )

    assert refused.status_code == 400
    assert accepted.headers["Location"] == "/"
    with strict.app_context():
        db.engine.dispose()


def test_security_headers_are_sent(client):
    response = client.get("/login")

    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_session_cookie_is_httponly_and_lax(app, client):
    _id, email = _user(app)

    response = client.post("/login", data={"email": email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]

    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_admin_creates_an_operator_and_sees_the_password_once(app, client_as):
    admin_id, _ = _user(app, Role.ADMIN)

    response = client_as(admin_id).post(
        "/admin/usuarios/nuevo",
        data={
            "email": "Nueva.Operadora@ine.mx",
            "name": "Nueva Operadora",
            "role": "operator",
            "is_enabled": "y",
        },
        follow_redirects=True,
    )

    body = response.get_data(as_text=True)
    assert "Contraseña inicial:" in body and "nueva.operadora@ine.mx" in body
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "nueva.operadora@ine.mx"))
        assert user.role is Role.OPERATOR and user.is_enabled


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "no-es-correo", "name": "X", "role": "operator"}, "Correo no válido"),
        ({"email": "a@ine.mx", "name": "", "role": "operator"}, "Escriba el nombre"),
        ({"email": "a@ine.mx", "name": "Sol", "role": "requester"}, "pertenece a una organización"),
        ({"email": "a@ine.mx", "name": "Sol", "role": "emperor"}, "Opción inválida"),
    ],
)
def test_bad_account_input_is_refused_and_kept(app, client_as, data, message):
    admin_id, _ = _user(app, Role.ADMIN)

    response = client_as(admin_id).post("/admin/usuarios/nuevo", data=data)

    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in body
    assert f'value="{data["email"]}"' in body
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 1


def test_duplicate_email_is_refused(app, client_as):
    admin_id, admin_email = _user(app, Role.ADMIN)

    response = client_as(admin_id).post(
        "/admin/usuarios/nuevo", data={"email": admin_email, "name": "Otra", "role": "operator"}
    )

    assert response.status_code == 422
    assert "Ya existe una cuenta con ese correo" in response.get_data(as_text=True)


def test_admin_disables_an_account_which_then_cannot_log_in(app, client_as, client):
    admin_id, _ = _user(app, Role.ADMIN)
    user_id, email = _user(app)

    client_as(admin_id).post(
        f"/admin/usuarios/{user_id}",
        data={"email": email, "name": "Ex Operador", "role": "operator"},
    )

    with app.app_context():
        assert db.session.get(User, user_id).is_enabled is False
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 422


def test_requester_account_keeps_its_organisation(app, client_as):
    admin_id, _ = _user(app, Role.ADMIN)
    with app.app_context():
        junta_id = org("JD-12-05").id

    client_as(admin_id).post(
        "/admin/usuarios/nuevo",
        data={
            "email": "enlace@ine.mx",
            "name": "Enlace",
            "role": "requester",
            "organization_id": str(junta_id),
            "is_enabled": "y",
        },
    )

    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == "enlace@ine.mx"))
        assert user.organization_id == junta_id


@pytest.mark.parametrize("role", [Role.OPERATOR, Role.SUPERVISOR, Role.REQUESTER])
def test_only_admins_manage_accounts(app, client_as, role):
    kw = {"organization": None}
    if role is Role.REQUESTER:
        with app.app_context():
            kw["organization"] = org("OPL-12")
            user_id = make_user(role, **kw).id
    else:
        user_id, _ = _user(app, role)
    client = client_as(user_id)

    assert client.get("/admin/usuarios").status_code == 403
    assert client.post("/admin/usuarios/nuevo", data={}).status_code == 403
    assert client.get(f"/admin/usuarios/{user_id}").status_code == 403


def test_own_password_change(app, client_as, client):
    user_id, email = _user(app)

    short = client_as(user_id).post("/cuenta", data={"password": "corta", "confirm": "corta"})
    ok = client_as(user_id).post(
        "/cuenta", data={"password": "una-clave-larga", "confirm": "una-clave-larga"}
    )

    assert short.status_code == 422 and "Al menos 10 caracteres" in short.get_data(as_text=True)
    assert ok.headers["Location"] == "/cuenta"
    login = client.post("/login", data={"email": email, "password": "una-clave-larga"})
    assert login.headers["Location"] == "/"


def test_users_create_command_prints_password(app, runner):
    result = runner.invoke(
        args=["users", "create", "--email", "cli@ine.mx", "--name", "CLI", "--role", "supervisor"]
    )

    assert result.exit_code == 0 and "Contraseña:" in result.output
    again = runner.invoke(args=["users", "create", "--email", "cli@ine.mx", "--name", "CLI"])
    assert again.exit_code == 1 and "Ya existe" in again.output


def test_ensure_admin_creates_one_admin_once(app, runner, monkeypatch):
    monkeypatch.setenv("ADMIN_EMAIL", "jefa@ine.mx")
    monkeypatch.setenv("ADMIN_PASSWORD", "clave-segura-123")

    first = runner.invoke(args=["users", "ensure-admin"])
    second = runner.invoke(args=["users", "ensure-admin"])

    assert "jefa@ine.mx" in first.output and "clave-segura-123" in first.output
    assert second.output == ""


def test_admin_resets_a_password_shown_once(app, client_as, client):
    admin_id, _ = _user(app, Role.ADMIN)
    user_id, email = _user(app)

    page = client_as(admin_id).post(f"/admin/usuarios/{user_id}/contrasena", follow_redirects=True)

    password = re.search(
        r"Nueva contraseña de [^:]+: (\S+) \(se muestra", page.get_data(as_text=True)
    )
    assert password is not None
    login = client.post("/login", data={"email": email, "password": password.group(1)})
    assert login.headers["Location"] == "/"
    assert client.post("/login", data={"email": email, "password": PASSWORD}).status_code == 422
