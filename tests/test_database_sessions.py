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
