"""A real, migrated SQLite file (WAL, alembic_version) like production's instance/mesatic.db."""

from __future__ import annotations

import flask_migrate
import pytest

from config import TestingConfig
from tests.conftest import IS_POSTGRES
from tickets import create_app
from tickets.extensions import db

sqlite_only = pytest.mark.skipif(
    IS_POSTGRES, reason="SQLite copies; on PostgreSQL pg_dump is tested in tests/deploy"
)


@pytest.fixture
def sqlite_app(tmp_path, attachment_dir):
    """An app on its own SQLite file, migrated to head with the catalogs, copies in tmp_path."""
    from tickets.catalogs.loader import load_catalogs

    app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'mesatic.db'}",
        ATTACHMENT_DIR=attachment_dir,
        BACKUP_DIR=str(tmp_path / "copias"),
        BACKUP_KEEP=14,
    )
    with app.app_context():
        flask_migrate.upgrade()
        load_catalogs()
        db.session.remove()
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
