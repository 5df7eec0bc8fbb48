"""Several web instances: a session and a CSRF token made by one are good on the other,
because every instance has the same SECRET_KEY (and nothing else is kept in a worker)."""

from __future__ import annotations

import re

import flask_migrate
import pytest

from config import TestingConfig
from tests.conftest import IS_POSTGRES
from tests.factories import PASSWORD, make_user
from tickets import create_app
from tickets.accounts.models import Role
from tickets.extensions import db

pytestmark = pytest.mark.skipif(IS_POSTGRES, reason="two apps on one SQLite file; run on SQLite")


@pytest.fixture
def instances(tmp_path, attachment_dir):
    """Two apps on one database file, CSRF on, each with the SECRET_KEY it is given."""
    made = []

    def make(secret: str):
        app = create_app(
            TestingConfig,
            SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'mesatic.db'}",
            ATTACHMENT_DIR=attachment_dir,
            SECRET_KEY=secret,
            WTF_CSRF_ENABLED=True,
        )
        made.append(app)
        return app

    yield make
    for app in made:
        with app.app_context():
            db.engine.dispose()


def _operator_email(app) -> str:
    with app.app_context():
        flask_migrate.upgrade()
        email = make_user(Role.OPERATOR).email
        db.session.remove()
    return email


def _login_form(client) -> str:
    html = client.get("/login").get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def _carry_session(source, target) -> None:
    """What the browser does when nginx sends its next request to the other instance."""
    target.set_cookie("session", source.get_cookie("session").value)


def test_a_form_from_one_instance_logs_in_on_another_and_the_session_holds_on_both(instances):
    first, second = instances("secreto-compartido"), instances("secreto-compartido")
    email = _operator_email(first)
    browser_a, browser_b = first.test_client(), second.test_client()

    token = _login_form(browser_a)
    _carry_session(browser_a, browser_b)
    signed_in = browser_b.post(
        "/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )
    _carry_session(browser_b, browser_a)
    queue = browser_a.get("/")

    assert signed_in.status_code == 302
    assert queue.status_code == 302 and queue.headers["Location"].endswith("/tickets/")


def test_with_different_secret_keys_the_other_instance_refuses_the_form(instances):
    first, second = instances("secreto-de-uno"), instances("secreto-de-otro")
    email = _operator_email(first)
    browser_a, browser_b = first.test_client(), second.test_client()

    token = _login_form(browser_a)
    _carry_session(browser_a, browser_b)
    refused = browser_b.post(
        "/login", data={"csrf_token": token, "email": email, "password": PASSWORD}
    )

    assert refused.status_code == 400
