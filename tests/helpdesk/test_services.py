"""Ticket operations: workflow, audit trail, permissions, folios, optimistic locking."""

from __future__ import annotations

import io
import itertools
import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from config import TestingConfig
from tests.conftest import IS_POSTGRES
from tests.factories import make_ticket, make_user, org, process, state, system, ticket_data
from tickets import create_app
from tickets.accounts.models import Role, User
from tickets.core.errors import Conflict, InvalidTransition, NotAllowed, ValidationFailed
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import access_codes, services
from tickets.helpdesk.attachments import Upload
from tickets.helpdesk.models import AuditEvent, Status, Ticket
from tickets.helpdesk.workflow import ALLOWED_MOVES

LATER = parse_local("2021-11-14T12:00:00")


def _events(ticket: Ticket) -> list[tuple[str, str | None, str | None]]:
    rows = db.session.scalars(ticket.audit_events.select()).all()
    return [(e.field, e.old, e.new) for e in rows]


def _force_status(ticket: Ticket, status: Status, assignee: User) -> Ticket:
    """Put a ticket in a status directly, as test set-up (not through the workflow)."""
    ticket.status = status
    ticket.assignee = assignee
    db.session.commit()
    return ticket


ALL_MOVES = list(itertools.product(Status, Status))


@pytest.mark.parametrize(
    ("start", "to"),
    [(a, b) for a, b in ALL_MOVES if b in ALLOWED_MOVES[a]],
    ids=lambda s: s.value,
)
def test_every_allowed_move_succeeds_and_is_audited(ctx, operator, start, to):
    ticket = _force_status(make_ticket(operator), start, operator)

    services.transition(operator, ticket, to, expected_version=ticket.version, now=LATER)

    assert db.session.get(Ticket, ticket.id).status is to
    assert ("status", start.value, to.value) in _events(ticket)


@pytest.mark.parametrize(
    ("start", "to"),
    [(a, b) for a, b in ALL_MOVES if b not in ALLOWED_MOVES[a]],
    ids=lambda s: s.value,
)
def test_every_forbidden_move_is_refused_and_changes_nothing(ctx, operator, start, to):
    ticket = _force_status(make_ticket(operator), start, operator)
    before = _events(ticket)

    with pytest.raises(InvalidTransition) as error:
        services.transition(operator, ticket, to, now=LATER)

    assert "no puede pasar" in str(error.value)
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).status is start
    assert _events(ticket) == before


def test_resolving_stamps_time_and_reopening_clears_it(ctx, operator):
    ticket = _force_status(make_ticket(operator), Status.IN_PROGRESS, operator)

    services.transition(operator, ticket, Status.RESOLVED, now=LATER)
    assert ticket.resolved_at == LATER
    services.transition(operator, ticket, Status.IN_PROGRESS, now=LATER + timedelta(hours=1))
    assert ticket.resolved_at is None


def test_opening_writes_folio_access_code_and_created_event(ctx, operator):
    ticket, code = services.open_ticket(operator, ticket_data(), now=LATER)

    assert ticket.folio == "TIC-2021-000001"
    assert ticket.status is Status.NEW
    assert ticket.report_month == "2021-11"
    assert ticket.access_code_hash != code
    assert access_codes.verify(code, ticket.access_code_hash)
    assert access_codes.verify(code.lower().replace("-", ""), ticket.access_code_hash)
    assert not access_codes.verify("AAAA-BBBB-CCCC", ticket.access_code_hash)
    assert _events(ticket) == [("created", None, ticket.folio)]


def test_folio_year_follows_received_date_in_mexico_city(ctx, operator):
    new_year_eve = parse_local("2021-12-31T23:30:00")  # already 2022 in UTC
    ticket, _ = services.open_ticket(
        operator, ticket_data(received_at=new_year_eve), now=parse_local("2022-01-03T10:00:00")
    )

    assert ticket.folio.startswith("TIC-2021-")
    assert ticket.report_month == "2021-12"


def test_junta_ticket_gets_its_office_and_district(ctx, operator):
    ticket = make_ticket(operator, organization=org("JD-12-05"), district_id=None)

    assert ticket.office_id == org("JD-12-05").id
    assert ticket.district.number == 5


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"subject": "  "}, "subject", "asunto"),
        ({"district_id": "other-state"}, "district_id", "no pertenece"),
        ({"process_id": "PEL-2021-2022"}, "process_id", "no tiene elecciones"),
        ({"received_at": "future"}, "received_at", "futuro"),
        ({"organization": "OPL-15"}, "organization_id", "no pertenece a la entidad"),
        ({"system_id": 999999}, "system_id", "válido"),
    ],
)
def test_open_ticket_refuses_bad_classification(ctx, operator, overrides, field, message):
    from tests.factories import district

    resolved = dict(overrides)
    if resolved.get("district_id") == "other-state":
        resolved["district_id"] = district("15", 1).id
    if resolved.get("process_id") == "PEL-2021-2022":
        resolved["process_id"] = process("PEL-2021-2022").id  # Guerrero votes in EXT-2021 only
    if resolved.get("received_at") == "future":
        resolved["received_at"] = LATER + timedelta(days=2)
    if resolved.get("organization") == "OPL-15":
        resolved["organization"] = org("OPL-15")
        resolved["state_id"] = state("12").id
        resolved["district_id"] = None

    with pytest.raises(ValidationFailed) as error:
        services.open_ticket(operator, ticket_data(**resolved), now=LATER)

    assert message in error.value.fields[field]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Ticket)) == 0


def test_deactivated_system_leaves_new_tickets_but_stays_on_old_ones(ctx, operator):
    ticket = make_ticket(operator)
    sije = system("SIJE")
    sije.is_active = False
    db.session.commit()

    with pytest.raises(ValidationFailed):
        services.open_ticket(operator, ticket_data(), now=LATER)
    services.update(operator, ticket, ticket_data(subject="Otro asunto"), now=LATER)
    assert ticket.system.key == "SIJE" and ticket.subject == "Otro asunto"


def test_update_audits_each_changed_field(ctx, operator):
    ticket = make_ticket(operator)

    services.update(operator, ticket, ticket_data(subject="Asunto corregido"), now=LATER)

    assert ("subject", "El SIJE no carga el reporte de instalación", "Asunto corregido") in _events(
        ticket
    )


def test_assign_moves_new_ticket_to_assigned(ctx, operator, supervisor):
    ticket = make_ticket(operator)

    services.assign(supervisor, ticket, operator, now=LATER)

    assert ticket.status is Status.ASSIGNED
    assert ticket.assignee == operator
    assert ("assignee", None, operator.name) in _events(ticket)
    assert ("status", "new", "assigned") in _events(ticket)


def test_operator_cannot_take_a_ticket_someone_else_holds(ctx, operator, supervisor):
    other = make_user(Role.OPERATOR)
    ticket = make_ticket(operator)
    services.assign(supervisor, ticket, other, now=LATER)

    with pytest.raises(NotAllowed):
        services.assign(operator, ticket, operator, now=LATER)
    services.assign(supervisor, ticket, operator, now=LATER)
    assert ticket.assignee == operator


def test_requester_cannot_be_assignee(ctx, operator, supervisor):
    requester = make_user(Role.REQUESTER, organization=org("JD-12-05"))
    ticket = make_ticket(operator)

    with pytest.raises(ValidationFailed):
        services.assign(supervisor, ticket, requester, now=LATER)


def test_requester_may_only_confirm_or_reopen_own_resolved_ticket(ctx, operator):
    mine = make_user(Role.REQUESTER, organization=org("JD-12-05"))
    stranger = make_user(Role.REQUESTER, organization=org("OPL-12"))
    ticket = _force_status(make_ticket(operator), Status.RESOLVED, operator)

    with pytest.raises(NotAllowed):
        services.transition(stranger, ticket, Status.CLOSED, now=LATER)
    with pytest.raises(NotAllowed):
        services.transition(mine, ticket, Status.CANCELLED, now=LATER)
    services.transition(mine, ticket, Status.CLOSED, now=LATER)
    assert ticket.status is Status.CLOSED


def test_internal_notes_are_for_staff_only(ctx, operator):
    requester = make_user(Role.REQUESTER, organization=org("JD-12-05"))
    ticket = make_ticket(operator)

    with pytest.raises(NotAllowed):
        services.add_comment(requester, ticket, "nota", internal=True, now=LATER)
    services.add_comment(operator, ticket, "Revisamos el servidor", internal=True, now=LATER)
    assert ticket.first_response_at is None  # an internal note is no answer to the requester
    services.add_comment(operator, ticket, "Ya quedó, intente de nuevo", now=LATER)
    assert ticket.first_response_at == LATER


def test_empty_comment_is_refused(ctx, operator):
    ticket = make_ticket(operator)

    with pytest.raises(ValidationFailed) as error:
        services.add_comment(operator, ticket, "   ", now=LATER)
    assert "comentario" in error.value.fields["body"]


def test_attachments_are_stored_by_hash_and_limited(ctx, app, operator):
    ticket = make_ticket(operator)
    upload = Upload("acta.pdf", io.BytesIO(b"%PDF-1.4 acta"))

    attachment = services.attach(operator, ticket, upload, now=LATER)
    again = services.attach(operator, ticket, Upload("copia.pdf", io.BytesIO(b"%PDF-1.4 acta")))

    assert attachment.sha256 == again.sha256 and attachment.size == 13
    with pytest.raises(ValidationFailed) as error:
        services.attach(operator, ticket, Upload("virus.exe", io.BytesIO(b"MZ")))
    assert "no está permitido" in error.value.fields["files"]
    limit = app.config["ATTACHMENT_MAX_BYTES"]
    app.config["ATTACHMENT_MAX_BYTES"] = 10
    try:
        with pytest.raises(ValidationFailed) as error:
            services.attach(operator, ticket, Upload("grande.txt", io.BytesIO(b"x" * 11)))
    finally:
        app.config["ATTACHMENT_MAX_BYTES"] = limit
    assert "límite" in error.value.fields["files"]


def test_stale_version_is_a_conflict_and_the_first_change_stays(ctx, operator, supervisor):
    ticket = make_ticket(operator)
    seen_version = ticket.version

    services.update(supervisor, ticket, ticket_data(subject="Cambio de supervisión"), now=LATER)
    with pytest.raises(Conflict) as error:
        services.update(
            operator,
            ticket,
            ticket_data(subject="Cambio del operador"),
            expected_version=seen_version,
            now=LATER,
        )

    assert "modificado por otra persona" in str(error.value)
    db.session.expire_all()
    assert db.session.get(Ticket, ticket.id).subject == "Cambio de supervisión"


def test_concurrent_write_behind_our_back_is_a_conflict(app, ctx, operator):
    ticket = make_ticket(operator)
    ticket_id, operator_id = ticket.id, operator.id

    def other_operator_edits():
        with app.app_context():
            row = db.session.get(Ticket, ticket_id)
            row.priority = row.priority.__class__("critical")
            db.session.commit()
            db.session.remove()

    thread = threading.Thread(target=other_operator_edits)
    thread.start()
    thread.join()

    with pytest.raises(Conflict):  # our copy still has the old version number
        services.transition(db.session.get(User, operator_id), ticket, Status.CANCELLED, now=LATER)
    db.session.expire_all()
    assert db.session.get(Ticket, ticket_id).priority.value == "critical"


@pytest.fixture
def concurrent_app(app, tmp_path):
    """An app whose database accepts several connections: the PostgreSQL one, or a SQLite file."""
    if IS_POSTGRES:
        yield app
        return
    from tickets.catalogs.loader import load_catalogs

    file_app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'concurrent.db'}",
        ATTACHMENT_DIR=str(tmp_path / "files"),
    )
    with file_app.app_context():
        db.create_all()
        load_catalogs()
    yield file_app
    with file_app.app_context():
        db.session.remove()
        db.engine.dispose()


def test_folios_stay_unique_and_consecutive_under_eight_writers(concurrent_app):
    writers = 8
    with concurrent_app.app_context():
        actor_id = make_user(Role.OPERATOR).id
        data = ticket_data()
        db.session.remove()
    barrier = threading.Barrier(writers)
    folios: list[str] = []
    errors: list[BaseException] = []

    def write():
        with concurrent_app.app_context():
            try:
                actor = db.session.get(User, actor_id)
                barrier.wait()
                ticket, _ = services.open_ticket(actor, data, now=LATER)
                folios.append(ticket.folio)
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(folios) == [f"TIC-2021-{n:06d}" for n in range(1, writers + 1)]
    with concurrent_app.app_context():
        stored = db.session.scalars(sa.select(Ticket.folio).order_by(Ticket.folio)).all()
        events = db.session.scalar(sa.select(sa.func.count()).where(AuditEvent.field == "created"))
    assert stored == sorted(folios) and events == writers
