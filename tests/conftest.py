"""Fixtures shared by every test: app, database hygiene, clients, actors, catalogs."""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url

from config import TestingConfig
from tickets import create_app
from tickets.catalogs.revision import WATCHED_TABLES
from tickets.extensions import db

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "sqlite://")
IS_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")

# Catalog tables survive between tests (loaded once per session); everything else is emptied.
# They are the tables the catalog token watches, and the token's own row stands for their state.
CATALOG_TABLES = {*WATCHED_TABLES, "catalog_revision"}


def _refuse_real_databases(url: str) -> None:
    name = make_url(url).database or ""
    if url.startswith("postgresql") and not (name == "test" or name.endswith("_test")):
        raise RuntimeError(f"refusing to drop tables in {name!r}; use a database named test")


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres skip, with one line saying why, when no PostgreSQL is given."""
    if IS_POSTGRES:
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: set TEST_DATABASE_URL")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def attachment_dir():
    path = tempfile.mkdtemp(prefix="mesatic-files-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def app(attachment_dir):
    """One app and one schema for the whole run, with the catalogs loaded once."""
    from tickets.catalogs.loader import load_catalogs

    _refuse_real_databases(TEST_DATABASE_URL)
    app = create_app(
        TestingConfig, SQLALCHEMY_DATABASE_URI=TEST_DATABASE_URL, ATTACHMENT_DIR=attachment_dir
    )
    with app.app_context():
        db.drop_all()
        if IS_POSTGRES:
            db.session.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
            db.session.commit()
        db.create_all()
        load_catalogs()
        _remember_catalogs()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables(app):
    """Every test starts with the catalogs and nothing else, on SQLite and PostgreSQL alike."""
    yield
    with app.app_context():
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            if table.name not in CATALOG_TABLES:
                db.session.execute(table.delete())
        db.session.commit()
        _restore_catalogs()


_CATALOG_ROWS: dict[str, dict[int, tuple]] = {}


def _remember_catalogs() -> None:
    """Keep every catalog row as loaded, so each test's edits can be undone."""
    for table in _restorable_catalog_tables():
        rows = db.session.execute(sa.select(table)).all()
        _CATALOG_ROWS[table.name] = {row.id: tuple(row) for row in rows}


def _restore_catalogs() -> None:
    """Undo what a test did to catalog rows: drop entries it added, put back the values it
    changed (names, codes, dates, active flags). The token's row is left to its triggers."""
    for table in reversed(_restorable_catalog_tables()):
        kept = _CATALOG_ROWS[table.name]
        db.session.execute(table.delete().where(table.c.id.not_in(list(kept))))
    for table in _restorable_catalog_tables():
        kept = _CATALOG_ROWS[table.name]
        now = {row.id: tuple(row) for row in db.session.execute(sa.select(table))}
        for row_id, values in kept.items():
            if now.get(row_id) == values:
                continue
            as_loaded = dict(zip(table.c.keys(), values, strict=True))
            if row_id in now:
                db.session.execute(table.update().where(table.c.id == row_id).values(as_loaded))
            else:
                db.session.execute(table.insert().values(as_loaded))
    db.session.commit()


def _restorable_catalog_tables() -> list[sa.Table]:
    return [
        table
        for table in db.metadata.sorted_tables
        if table.name in CATALOG_TABLES and table.name != "catalog_revision"
    ]


@pytest.fixture
def ctx(app):
    """App context for tests that call services, queries or models directly."""
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def client_as(app):
    """Return a test client already logged in as the given user id."""

    def make(user_id: int):
        client = app.test_client()
        with client.session_transaction() as sess:
            sess["_user_id"] = str(user_id)
            sess["_fresh"] = True
        return client

    return make


@pytest.fixture
def make_user(ctx):
    from tests.factories import make_user

    return make_user


@pytest.fixture
def admin(ctx):
    from tests.factories import make_user
    from tickets.accounts.models import Role

    return make_user(Role.ADMIN)


@pytest.fixture
def supervisor(ctx):
    from tests.factories import make_user
    from tickets.accounts.models import Role

    return make_user(Role.SUPERVISOR)


@pytest.fixture
def operator(ctx):
    from tests.factories import make_user
    from tickets.accounts.models import Role

    return make_user(Role.OPERATOR)
