"""`flask demo load`: an empty desk becomes a believable November 2021.

The load takes seconds, so it runs once for the module (through `--if-empty` on an empty
database) and the tests read a plain snapshot of what it wrote; the autouse fixture empties
the tables after each test as usual.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
import sqlalchemy as sa
import sqlalchemy.orm as so

from tests.factories import make_ticket
from tickets.accounts.models import Role, User
from tickets.catalogs.models import ElectoralProcess, Organization, RequesterType, State
from tickets.core.db import utcnow
from tickets.core.timeutil import report_month, to_mx
from tickets.demo import builder
from tickets.demo.plan import build_plan
from tickets.extensions import db
from tickets.helpdesk.models import AuditEvent, Comment, Status, Ticket

EXT_STATES = {"19", "15", "14", "12", "29", "18"}
PEL_STATES = {"01", "10", "13", "20", "23", "28"}
ELECTION_DAYS = {
    "19": date(2021, 11, 7),
    "15": date(2021, 11, 14),
    "14": date(2021, 11, 21),
    "12": date(2021, 11, 28),
    "29": date(2021, 11, 28),
}
TIMES = ("created_at", "first_response_at", "resolved_at", "closed_at", "cancelled_at")


@pytest.fixture(scope="module")
def loaded(app):
    """Run `flask demo load --if-empty` once on the empty desk; keep plain values only."""
    output = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    with app.app_context():
        snapshot = _snapshot(output)
        db.session.remove()
    return snapshot


def _snapshot(output) -> dict:
    org, state, process = (so.aliased(m) for m in (Organization, State, ElectoralProcess))
    rows = db.session.execute(
        sa.select(Ticket, org.kind, org.key, state.key, process.key)
        .join(org, Ticket.organization_id == org.id)
        .outerjoin(state, Ticket.state_id == state.id)
        .outerjoin(process, Ticket.process_id == process.id)
        .order_by(Ticket.folio)
    ).all()
    tickets = [
        {
            "folio": t.folio,
            "status": t.status,
            "requester_type": t.requester_type,
            "org_kind": kind,
            "org_key": org_key,
            "state": state_key,
            "process": process_key,
            "subject": t.subject,
            "received_at": t.received_at,
            "report_month": t.report_month,
            "assigned": t.assignee_id is not None,
            "updated_at": t.updated_at,
            **{name: getattr(t, name) for name in TIMES},
        }
        for t, kind, org_key, state_key, process_key in rows
    ]
    month = [t for t in tickets if t["folio"].startswith("TIC-2021-")]
    recent = [t for t in tickets if not t["folio"].startswith("TIC-2021-")]
    candidacies = db.session.execute(
        sa.select(Organization.key, State.key)
        .join(Organization.state)
        .where(Organization.kind == RequesterType.CANDIDACY)
    ).all()
    return {
        "exit_code": output.exit_code,
        "output": output.output,
        "tickets": month,
        "recent": recent,
        "comments": db.session.execute(sa.select(Comment.is_internal, Comment.created_at)).all(),
        "last_audit": db.session.scalar(sa.select(sa.func.max(AuditEvent.at))),
        "staff": db.session.execute(
            sa.select(User.email, User.role, User.password_hash, User.is_enabled).where(
                User.email.like("%@mesatic.demo")
            )
        ).all(),
        "candidacies": {key: state_key for key, state_key in candidacies},
        "plan": build_plan(builder.read_catalog(), utcnow()),
    }


def test_if_empty_loads_an_empty_desk_and_prints_a_spanish_summary(loaded):
    assert loaded["exit_code"] == 0, loaded["output"]
    count = len(loaded["tickets"])
    assert f"{count} tickets recibidos en noviembre de 2021" in loaded["output"]
    for label in ("Nuevo", "Asignado", "En atención", "En espera", "Resuelto", "Cerrado"):
        assert f"{label}: " in loaded["output"]


def test_a_few_hundred_tickets_in_every_status(loaded):
    assert 300 <= len(loaded["tickets"]) <= 400
    statuses = Counter(t["status"] for t in loaded["tickets"])
    assert set(statuses) == set(Status)
    assert statuses[Status.CLOSED] > len(loaded["tickets"]) / 2  # a month later, most are done


def test_every_requester_type_and_the_candidacies_of_the_extraordinary_elections(loaded):
    types = {t["requester_type"] for t in loaded["tickets"]}
    assert {"junta", "party", "candidacy", "opl", "central"} <= types
    assert all(t["org_kind"] == t["requester_type"] for t in loaded["tickets"])
    assert loaded["candidacies"] and set(loaded["candidacies"].values()) <= EXT_STATES
    candidacy_orgs = {t["org_key"] for t in loaded["tickets"] if t["requester_type"] == "candidacy"}
    assert candidacy_orgs <= set(loaded["candidacies"])


def test_processes_states_and_ordinary_activity(loaded):
    by_process: dict = {}
    for t in loaded["tickets"]:
        by_process.setdefault(t["process"], set()).add(t["state"])
    assert by_process["EXT-2021"] == EXT_STATES
    assert by_process["PEFE-2021-NAY"] == {"18"}
    assert by_process["PEL-2021-2022"] == PEL_STATES
    assert len(by_process[None]) > 10  # ordinary activity, from all over the country


def test_every_ticket_was_received_in_november_2021_mexico_city_time(loaded):
    for t in loaded["tickets"]:
        local = to_mx(t["received_at"])
        assert (local.year, local.month) == (2021, 11), t["folio"]
        assert t["report_month"] == report_month(t["received_at"]) == "2021-11"


def test_more_requests_around_each_election_day(loaded):
    for state_key, day in ELECTION_DAYS.items():
        days = [
            to_mx(t["received_at"]).date()
            for t in loaded["tickets"]
            if t["process"] == "EXT-2021" and t["state"] == state_key
        ]
        near = sum(1 for d in days if abs((d - day).days) <= 3)
        assert near / len(days) > 7 / 30, state_key  # busier than an even spread


def test_times_follow_each_other_and_none_is_in_the_future(loaded):
    now = utcnow()
    for t in loaded["tickets"]:
        for name in TIMES:
            if t[name] is not None:
                assert t["received_at"] <= t[name] <= now, (t["folio"], name)
        if t["closed_at"]:
            assert t["resolved_at"] <= t["closed_at"], t["folio"]
        assert t["updated_at"] <= now
    assert loaded["last_audit"] <= now
    assert all(created_at <= now for _internal, created_at in loaded["comments"])


def test_worked_tickets_have_an_assignee_and_a_first_response(loaded):
    worked = (Status.IN_PROGRESS, Status.WAITING, Status.RESOLVED, Status.CLOSED)
    for t in loaded["tickets"]:
        if t["status"] in worked:
            assert t["assigned"] and t["first_response_at"] is not None, t["folio"]
        if t["status"] is Status.NEW:
            assert not t["assigned"] and t["first_response_at"] is None, t["folio"]


def test_public_replies_and_internal_notes(loaded):
    kinds = Counter(internal for internal, _at in loaded["comments"])
    assert kinds[False] > len(loaded["tickets"]) and kinds[True] > 50


def test_staff_accounts_exist_and_no_password_is_printed(loaded):
    roles = Counter(role for _email, role, _hash, _enabled in loaded["staff"])
    assert roles[Role.SUPERVISOR] >= 1 and roles[Role.OPERATOR] >= 3
    assert all(password_hash and enabled for _e, _r, password_hash, enabled in loaded["staff"])
    assert "contraseña:" not in loaded["output"].lower()
    assert not re.search(r"[A-Za-z0-9_-]{24,}", loaded["output"])  # nothing token-like


def test_the_load_replays_the_plan_which_is_the_same_every_time(loaded, ctx):
    plan = loaded["plan"]
    assert build_plan(builder.read_catalog(), utcnow()) == plan
    # Folios follow the plan's order, so each folio is the planned ticket, with its status.
    assert [t["folio"] for t in loaded["tickets"]] == [
        f"TIC-2021-{n:06d}" for n in range(1, len(plan.tickets) + 1)
    ]
    assert [(t["subject"], t["status"]) for t in loaded["tickets"]] == [
        (p.request.subject, p.status) for p in plan.tickets
    ]


def test_if_empty_skips_a_desk_that_has_tickets(app, runner):
    with app.app_context():
        make_ticket()

    result = runner.invoke(args=["demo", "load", "--if-empty"])

    assert result.exit_code == 0
    assert "se omitió la carga de demostración" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 1
        assert (
            db.session.scalar(sa.select(User.id).where(User.email.like("%@mesatic.demo"))) is None
        )


def test_load_refuses_a_desk_that_has_tickets(app, runner):
    with app.app_context():
        make_ticket()

    result = runner.invoke(args=["demo", "load"])

    assert result.exit_code == 1
    assert "ya tiene tickets" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 1


def test_load_asks_for_the_catalogs_first(app, runner):
    with app.app_context():
        db.session.execute(sa.update(State).values(is_active=False))  # restored after the test
        db.session.commit()

    result = runner.invoke(args=["demo", "load"])

    assert result.exit_code == 1
    assert "flask catalogs load" in result.output
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 0
