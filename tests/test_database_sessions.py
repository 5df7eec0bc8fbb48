"""How requests end their database transaction: reads keep PostgreSQL's prepared statements,
writes that fail are undone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from config import TestingConfig
from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_user
from tickets import create_app
from tickets.accounts.auth import staff_required
from tickets.accounts.models import Role, User
from tickets.extensions import db

PREPARED = sa.text("SELECT count(*) FROM pg_prepared_statements")


@pytest.fixture
def own_app(app, attachment_dir):
    """A second app on the same database, so a test can add routes before its first request."""
    other = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=TEST_DATABASE_URL, ATTACHMENT_DIR=attachment_dir
    )
    other.config["PROPAGATE_EXCEPTIONS"] = False
    if make_url(TEST_DATABASE_URL).database in (None, "", ":memory:"):
        with other.app_context():
            db.create_all()  # an in-memory SQLite database belongs to one engine
    yield other
    with other.app_context():
        db.engine.dispose()


def _client_as(app, user_id: int):
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = str(user_id)
        session["_fresh"] = True
    return client


def _operator_id(app) -> int:
    with app.app_context():
        user = make_user(Role.OPERATOR)
        return user.id


@pytest.mark.postgres
def test_reading_pages_keeps_prepared_statements_between_requests(app, client_as):
    """psycopg prepares a statement on its sixth run on a connection; a ROLLBACK at the end of
    every request used to throw the plans away, so the queue was planned on every request."""
    client = client_as(_operator_id(app))
    for _ in range(8):
        assert client.get("/tickets/").status_code == 200
    with app.app_context():
        assert db.session.scalar(PREPARED) > 0


def test_a_request_that_fails_after_writing_leaves_nothing_written(own_app):
    """Only transactions that ran nothing but SELECTs end with COMMIT."""

    @own_app.get("/_test/write-then-fail")
    def _write_then_fail():
        user = db.session.scalars(sa.select(User).where(User.role == Role.OPERATOR)).one()
        user.name = "Nombre que no debe quedar"
        db.session.flush()  # the UPDATE has been sent; nothing is pending any more
        raise RuntimeError("falla después de escribir")

    client = _client_as(own_app, _operator_id(own_app))
    assert client.get("/_test/write-then-fail").status_code == 500
    with own_app.app_context():
        names = db.session.scalars(sa.select(User.name).where(User.role == Role.OPERATOR)).all()
    assert names and "Nombre que no debe quedar" not in names


def test_a_view_that_flushes_a_change_without_committing_does_not_keep_it(own_app):
    """A view that answers normally after a flush it never committed: the change is undone."""

    @own_app.get("/_test/flush-only")
    def _flush_only():
        user = db.session.scalars(sa.select(User).where(User.role == Role.OPERATOR)).one()
        user.name = "Cambio sin confirmar"
        db.session.flush()
        return "ok"

    client = _client_as(own_app, _operator_id(own_app))
    assert client.get("/_test/flush-only").status_code == 200
    with own_app.app_context():
        names = db.session.scalars(sa.select(User.name).where(User.role == Role.OPERATOR)).all()
    assert names and "Cambio sin confirmar" not in names


@pytest.mark.postgres
def test_a_page_that_only_reads_runs_outside_a_transaction_on_postgresql(own_app):
    """`reads_only`: no BEGIN and no COMMIT (two round trips) for the queue and ticket pages."""
    from tickets.core.dbsetup import reads_only

    seen = {}

    @own_app.get("/_test/reads")
    @reads_only
    @staff_required
    def _reads():
        db.session.scalar(sa.select(sa.func.count(User.id)))
        dbapi = db.session.connection().connection.dbapi_connection
        seen["autocommit"] = dbapi.autocommit
        seen["status"] = dbapi.info.transaction_status.name
        return "ok"

    client = _client_as(own_app, _operator_id(own_app))
    assert client.get("/_test/reads").status_code == 200
    assert seen == {"autocommit": True, "status": "IDLE"}
    with own_app.app_context():  # the pooled connection is back to transactions for the next
        assert db.session.connection().connection.dbapi_connection.autocommit is False


@pytest.mark.postgres
def test_a_read_only_page_that_tries_to_write_is_refused_and_writes_nothing(own_app):
    from tickets.core.dbsetup import WriteOnReadOnlyPage, reads_only

    raised = []

    @own_app.get("/_test/reads-then-writes")
    @reads_only
    @staff_required
    def _reads_then_writes():
        user = db.session.scalars(sa.select(User).where(User.role == Role.OPERATOR)).one()
        user.name = "Escrito en una página de lectura"
        try:
            db.session.flush()
        except WriteOnReadOnlyPage as exc:
            raised.append(str(exc))
            raise
        return "ok"

    client = _client_as(own_app, _operator_id(own_app))
    assert client.get("/_test/reads-then-writes").status_code == 500
    assert raised == ["UPDATE"]
    with own_app.app_context():
        names = db.session.scalars(sa.select(User.name).where(User.role == Role.OPERATOR)).all()
    assert names and "Escrito en una página de lectura" not in names


@pytest.mark.postgres
def test_the_queue_and_ticket_pages_read_outside_a_transaction(app, client_as):
    """Every statement of both pages, the user's included, runs under `reads_only`."""
    from tests.factories import make_ticket
    from tickets.core.dbsetup import READS_ONLY

    with app.app_context():
        operator = make_user(Role.OPERATOR)
        operator_id, folio = operator.id, make_ticket(operator).folio
    modes: list[bool] = []

    def record(connection, *_args):
        modes.append(bool(connection.get_execution_options().get(READS_ONLY)))

    with app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        client = client_as(operator_id)
        for path in ("/tickets/", "/tickets/?q=impresora", f"/tickets/{folio}"):
            assert client.get(path).status_code == 200
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    assert len(modes) >= 6 and all(modes)


def test_a_statement_that_fails_in_a_flush_still_gets_the_spanish_error_page(own_app):
    """The error page reads the logged-in user: the failed session is rolled back first."""

    @own_app.get("/_test/failed-flush")
    def _failed_flush():
        db.session.add(User(email=None, name="Sin correo", role=Role.OPERATOR))
        db.session.flush()  # NOT NULL: the database refuses it
        return "ok"

    client = _client_as(own_app, _operator_id(own_app))
    response = client.get("/_test/failed-flush")

    assert response.status_code == 500
    assert "Ocurrió un error inesperado" in response.get_data(as_text=True)
    with own_app.app_context():
        assert db.session.scalar(sa.select(User.id).where(User.name == "Sin correo")) is None
