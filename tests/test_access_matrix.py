"""Every URL rule of the app, as every kind of visitor: the access rule holds for each.

The rules come from ``app.url_map``, so a new route cannot escape this test: an endpoint that
is in no group below fails the test until someone decides who may use it. Visitors: anonymous,
a requester of organisation A (the ticket's), a requester of organisation B, operator,
supervisor and admin.
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from tests.factories import make_ticket, make_user, org, process, state, system
from tickets.accounts.models import Role
from tickets.catalogs.models import Election
from tickets.extensions import db, limiter
from tickets.helpdesk import services
from tickets.helpdesk.attachments import Upload
from tickets.prep import services as prep_services
from tickets.sla.models import NonWorkingDay
from tickets.training import services as training_services
from tickets.training.models import Modality

STAFF = {"operator", "supervisor", "admin"}
ADMIN = {"admin"}
SUPERVISORS = {"supervisor", "admin"}
REQUESTERS = {"requester_a", "requester_b"}
EVERYONE = STAFF | REQUESTERS
VISITORS = [None, "requester_a", "requester_b", "operator", "supervisor", "admin"]

PUBLIC_ENDPOINTS = {
    "accounts.login",
    "accounts.activate",
    "accounts.forgot_password",
    "accounts.reset_with_token",
    "portal.lookup",
    "portal.reissue_code",
    "portal.lookup_forget",
    "static",
    "bootstrap.static",
    "index",
}
# Public, but 404 for every visitor until this browser unlocked the folio with its code.
LOCKED_UNTIL_UNLOCKED = {"portal.lookup_ticket", "portal.lookup_attachment"}
EXACT = {
    "accounts.profile": EVERYONE,
    "accounts.logout": EVERYONE,
    "accounts.invite_requester": STAFF,
    "catalogs.options": STAFF,
    "prep.new": SUPERVISORS,
    "prep.edit": SUPERVISORS,
    "training.new": SUPERVISORS,
    "training.edit": SUPERVISORS,
    "training.offices": SUPERVISORS,
    "reports.edit": SUPERVISORS,
    "reports.approve": SUPERVISORS,
    "reports.reopen": SUPERVISORS,
}
BY_BLUEPRINT = {
    "helpdesk": STAFF,
    "catalogs": ADMIN,
    "accounts": ADMIN,
    "portal": REQUESTERS,
    "prep": STAFF,
    "training": STAFF,
    "jobs": ADMIN,
    "reports": STAFF,
    "dashboard": SUPERVISORS,
    "sla": ADMIN,
}


def allowed_visitors(endpoint: str) -> set[str] | None:
    """Who may use an endpoint; None for public pages."""
    if endpoint in PUBLIC_ENDPOINTS or endpoint in LOCKED_UNTIL_UNLOCKED:
        return None
    if endpoint in EXACT:
        return EXACT[endpoint]
    blueprint = endpoint.split(".", 1)[0]
    if blueprint not in BY_BLUEPRINT:
        raise AssertionError(f"{endpoint}: add it to the access matrix")
    return BY_BLUEPRINT[blueprint]


@pytest.fixture
def world(app):
    """One ticket of organisation A with a file, one user per visitor, and URL argument values."""
    with app.app_context():
        users = {
            "operator": make_user(Role.OPERATOR),
            "supervisor": make_user(Role.SUPERVISOR),
            "admin": make_user(Role.ADMIN),
            "requester_a": make_user(Role.REQUESTER, organization=org("JD-12-05")),
            "requester_b": make_user(Role.REQUESTER, organization=org("OPL-15")),
        }
        ticket = make_ticket(users["operator"])
        attachment = services.attach(
            users["operator"], ticket, Upload("acta.pdf", io.BytesIO(b"%PDF-1.4"))
        )
        election = Election(  # the matrix may delete it; never one of the loaded elections
            process=process("EXT-2021"), state=state("01"), election_day=date(2021, 12, 1)
        )
        day_off = NonWorkingDay(day=date(2021, 12, 12), description="Día del empleado")
        db.session.add_all([election, day_off])
        db.session.commit()
        event = prep_services.record_event(
            users["supervisor"],
            prep_services.PrepEventData(
                process_id=process("EXT-2021").id,
                state_id=state("12").id,
                kind="drill",
                held_on="14/11/2021",
                followed_by="Vocalía del RFE de la Junta Local",
            ),
        )
        session = training_services.record_session(
            users["supervisor"],
            training_services.SessionData(
                date(2021, 11, 25), state("12").id, "SIJE", Modality.REMOTE, 5
            ),
        )
        values = {
            "folio": ticket.folio,
            "attachment_id": attachment.id,
            "user_id": users["operator"].id,
            "organization_id": org("OPL-12").id,
            "process_id": election.process_id,
            "election_id": election.id,
            "entry_id": system("SIJE").id,
            "catalog": "sistemas",
            "token": "no-es-un-enlace",
            "event_id": event.id,
            "session_id": session.id,
            "month": "2021-11",
            "fmt": "csv",
            "day_id": day_off.id,
        }
        ids = {name: user.id for name, user in users.items()}
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
        url = rule.build({k: values[k] for k in rule.arguments}, append_unknown=False)[1]
        for visitor in VISITORS:
            client = client_as(ids[visitor]) if visitor else app.test_client()
            response = client.open(url, method=method, data={})
            problem = _judge(rule, visitor, response)
            response.close()
            if problem:
                failures.append(f"{method} {url} as {visitor or 'anonymous'}: {problem}")
    assert failures == []


def _judge(rule, visitor, response) -> str | None:
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if rule.endpoint in LOCKED_UNTIL_UNLOCKED:
        return None if status == 404 else f"locked lookup gave {status}"
    allowed = allowed_visitors(rule.endpoint)
    if allowed is None:
        ok = status < 400 or status in (400, 405, 410, 422, 429)  # 400/410: a mangled link
        return None if ok else f"public page gave {status}"
    if visitor is None:
        location = response.headers.get("Location", "")
        return None if status == 302 and "/login" in location else f"anonymous got {status}"
    if visitor not in allowed:
        return None if status == 403 else f"wrong role got {status}, expected 403"
    if visitor == "requester_b" and "folio" in rule.arguments:
        return None if status == 404 else f"another organisation's ticket gave {status}"
    return None if status not in (401, 403, 404) else f"allowed visitor got {status}"
