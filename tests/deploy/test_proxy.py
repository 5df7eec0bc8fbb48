"""Behind nginx: the app sees the client's address only when told how many proxies to trust."""

from __future__ import annotations

import re

import pytest

from config import TestingConfig
from tickets import create_app

# An empty login form: refused by the form (422) without touching the database, and counted
# by the login throttle like any attempt.
LIMIT = "3 per minute"


@pytest.fixture
def proxied(attachment_dir):
    def make(x_for: int, x_proto: int = 0, csrf: bool = False):
        app = create_app(
            TestingConfig,
            WTF_CSRF_ENABLED=csrf,
            PROXY_FIX_X_FOR=x_for,
            PROXY_FIX_X_PROTO=x_proto,
            LOGIN_RATE_LIMIT=LIMIT,
            ATTACHMENT_DIR=attachment_dir,
        )
        return app.test_client()

    return make


def _attempts(client, forwarded_for: str, count: int) -> list[int]:
    headers = {"X-Forwarded-For": forwarded_for}
    return [client.post("/login", data={}, headers=headers).status_code for _ in range(count)]


def test_with_one_trusted_proxy_each_client_has_its_own_login_throttle(proxied):
    client = proxied(x_for=1)

    first = _attempts(client, "203.0.113.5", 4)
    other = _attempts(client, "203.0.113.6", 1)

    assert first == [422, 422, 422, 429]
    assert other == [422]  # before: everyone behind nginx shared 127.0.0.1 and one limit


def test_with_one_trusted_proxy_a_forged_first_hop_does_not_dodge_the_throttle(proxied):
    client = proxied(x_for=1)

    # nginx appends the real address to whatever the client sent: the last hop counts.
    statuses = [
        client.post(
            "/login", data={}, headers={"X-Forwarded-For": f"10.9.9.{n}, 203.0.113.5"}
        ).status_code
        for n in range(4)
    ]

    assert statuses == [422, 422, 422, 429]


def test_without_the_setting_the_header_is_ignored(proxied):
    client = proxied(x_for=0)

    statuses = [_attempts(client, f"203.0.113.{n}", 1)[0] for n in range(4)]

    assert statuses == [422, 422, 422, 429]  # a client cannot pick a new address per attempt


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(("x_proto", "without_referrer"), [(1, 400), (0, 422)])
def test_x_forwarded_proto_is_trusted_only_when_configured(proxied, x_proto, without_referrer):
    """Seen as HTTPS, Flask-WTF also checks the Referer against the host (400 without it)."""
    client = proxied(x_for=1, x_proto=x_proto, csrf=True)
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    token = _csrf_token(client.get("/login", headers=headers).get_data(as_text=True))

    bare = client.post("/login", data={"csrf_token": token}, headers=headers)
    referred = client.post(
        "/login",
        data={"csrf_token": token},
        headers={**headers, "Referer": "https://localhost/login"},
    )

    assert bare.status_code == without_referrer
    assert referred.status_code == 422  # the token passed; the empty form did not
