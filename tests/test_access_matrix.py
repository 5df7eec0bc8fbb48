"""Every URL rule of the app, as every role: the access rule holds for each.

The rules come from ``app.url_map``, so a new route cannot escape this test: an endpoint that
is in no group below fails the test until someone decides who may use it.
"""

from __future__ import annotations

import io

import pytest

from tests.factories import make_ticket, make_user, org
from tickets.accounts.models import Role
from tickets.extensions import db, limiter
from tickets.helpdesk import services
from tickets.helpdesk.attachments import Upload

STAFF = {Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN}
ADMIN = {Role.ADMIN}
EVERYONE = {Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN, Role.REQUESTER}
ROLES = [None, Role.REQUESTER, Role.OPERATOR, Role.SUPERVISOR, Role.ADMIN]

PUBLIC_ENDPOINTS = {
    "accounts.login",
    "accounts.activate",
    "accounts.forgot_password",
    "accounts.reset_with_token",
    "static",
    "bootstrap.static",
    "index",
}
EXACT = {
    "accounts.profile": EVERYONE,
    "accounts.logout": EVERYONE,
    "catalogs.options": STAFF,
    "accounts.invite_requester": STAFF,
    "portal.my_requests": {Role.REQUESTER},
}
BY_BLUEPRINT = {"helpdesk": STAFF, "catalogs": ADMIN, "accounts": ADMIN}


def allowed_roles(endpoint: str) -> set[Role] | None:
    """Who may use an endpoint; None for public pages."""
    if endpoint in PUBLIC_ENDPOINTS:
        return None
    if endpoint in EXACT:
        return EXACT[endpoint]
    blueprint = endpoint.split(".", 1)[0]
    if blueprint not in BY_BLUEPRINT:
        raise AssertionError(f"{endpoint}: add it to the access matrix")
    return BY_BLUEPRINT[blueprint]


@pytest.fixture
def world(app):
    """One ticket with a file, one user per role, and the values each URL argument needs."""
    with app.app_context():
        users = {role: make_user(role) for role in STAFF}
        users[Role.REQUESTER] = make_user(Role.REQUESTER, organization=org("JD-12-05"))
        ticket = make_ticket(users[Role.OPERATOR])
        attachment = services.attach(
            users[Role.OPERATOR], ticket, Upload("acta.pdf", io.BytesIO(b"%PDF-1.4"))
        )
        from datetime import date

        from tests.factories import process, state, system
        from tickets.catalogs.models import Election

        election = Election(  # the matrix may delete it; never one of the loaded elections
            process=process("EXT-2021"), state=state("01"), election_day=date(2021, 12, 1)
        )
        db.session.add(election)
        db.session.commit()
        values = {
            "folio": ticket.folio,
            "attachment_id": attachment.id,
            "user_id": users[Role.OPERATOR].id,
            "organization_id": org("OPL-12").id,
            "process_id": election.process_id,
            "election_id": election.id,
            "entry_id": system("SIJE").id,
            "catalog": "sistemas",
            "token": "no-es-un-enlace",
        }
        ids = {role: user.id for role, user in users.items()}
        limiter.reset()
    return ids, values


def _cases(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in ("static", "bootstrap.static"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule, method


def test_every_route_enforces_its_access_rule(app, client_as, world):
    ids, values = world
    failures = []
    for rule, method in _cases(app):
        allowed = allowed_roles(rule.endpoint)
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        for role in ROLES:
            client = client_as(ids[role]) if role else app.test_client()
            response = client.open(url, method=method, data={})
            problem = _judge(allowed, role, response)
            response.close()
            if problem:
                failures.append(f"{method} {url} as {role or 'anonymous'}: {problem}")
    assert failures == []


def _judge(allowed, role, response) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if allowed is None:
        ok = status < 400 or status in (400, 405, 410, 422, 429)  # 400/410: a mangled link
        return None if ok else f"public page gave {status}"
    if role is None:
        location = response.headers.get("Location", "")
        return None if status == 302 and "/login" in location else f"anonymous got {status}"
    if role in allowed:
        return None if status not in (401, 403, 404) else f"allowed role got {status}"
    return None if status == 403 else f"wrong role got {status}, expected 403"
