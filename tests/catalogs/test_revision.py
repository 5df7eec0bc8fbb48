"""The catalog token changes with every catalog change, whoever makes it, and only then.

The queue's filter bar keeps its choices per worker while the token stays the same, so a change
that left the token alone would keep stale choices on screen.
"""

from __future__ import annotations

import flask_migrate
import pytest
import sqlalchemy as sa

from config import TestingConfig
from tests.conftest import IS_POSTGRES, TEST_DATABASE_URL
from tests.factories import PASSWORD, make_user
from tickets import create_app
from tickets.accounts.models import Role, User
from tickets.catalogs.loader import load_catalogs
from tickets.catalogs.revision import WATCHED_TABLES, CatalogRevision
from tickets.extensions import db


def _token() -> int:
    db.session.rollback()  # a fresh snapshot on PostgreSQL
    return db.session.scalar(sa.select(CatalogRevision.token))


def _raw(sql: str) -> None:
    db.session.execute(sa.text(sql))
    db.session.commit()


@pytest.mark.parametrize("table", WATCHED_TABLES)
def test_any_update_of_a_catalog_table_gives_a_new_token(ctx, table):
    before = _token()

    _raw(f"UPDATE {table} SET id = id WHERE id = (SELECT min(id) FROM {table})")

    assert _token() != before


def test_adding_and_removing_an_entry_give_new_tokens(ctx):
    first = _token()
    _raw(
        "INSERT INTO categories (key, name, description, is_active) "
        "VALUES ('prueba', 'Prueba', '', true)"
    )
    second = _token()
    _raw("DELETE FROM categories WHERE key = 'prueba'")

    assert len({first, second, _token()}) == 3


def test_people_change_the_token_only_through_what_choices_show(app, ctx):
    user = make_user(Role.OPERATOR, name="Rosa Operadora")
    user_id, email = user.id, user.email
    after_creation = _token()

    client = app.test_client()
    client.post("/login", data={"email": email, "password": PASSWORD})
    db.session.rollback()
    assert db.session.get(User, user_id).last_login_at is not None
    assert _token() == after_creation  # a login writes last_login_at only

    _raw(f"UPDATE users SET password_hash = 'x' WHERE id = {user_id}")
    assert _token() == after_creation

    for change in ("name = 'Rosa Renombrada'", "role = 'supervisor'", "is_enabled = false"):
        before = _token()
        _raw(f"UPDATE users SET {change} WHERE id = {user_id}")
        assert _token() != before, change


def test_queue_reads_the_catalogs_again_only_after_a_change(app, client_as):
    with app.app_context():
        operator_id = make_user(Role.OPERATOR, name="Rosa Operadora").id
    client = client_as(operator_id)
    statements: list[str] = []

    def catalog_reads(path: str = "/tickets/") -> int:
        statements.clear()
        assert client.get(path).status_code == 200
        return sum("'1state'" in sql for sql in statements)

    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    sa.event.listen(engine, "before_cursor_execute", listener)
    try:
        catalog_reads()
        assert catalog_reads() == 0
        assert catalog_reads("/tickets/?status=new") == 0
        with app.app_context():
            _raw("UPDATE systems SET name = name || ' (nuevo)' WHERE key = 'SIJE'")
        assert catalog_reads() == 1
        assert catalog_reads() == 0
    finally:
        sa.event.remove(engine, "before_cursor_execute", listener)


def test_migrations_install_the_token_and_its_triggers(tmp_path):
    url = f"sqlite:///{tmp_path / 'revision.db'}"
    if IS_POSTGRES:  # a database of its own, named after the suite's (only *_test are dropped)
        server, name = TEST_DATABASE_URL.rsplit("/", 1)
        url = f"{server}/{name}_revision_test"
        _recreate_postgres_database(url)
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        flask_migrate.upgrade()
        empty = _token()
        load_catalogs()
        loaded = _token()
        db.session.remove()
        db.engine.dispose()

    assert empty is not None
    assert loaded != empty


def _recreate_postgres_database(url: str) -> None:
    server_url, name = url.rsplit("/", 1)
    server = sa.create_engine(f"{server_url}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    server.dispose()
