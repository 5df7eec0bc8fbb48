"""Migrations build the schema the models describe, and come back down."""

from __future__ import annotations

import os

import flask_migrate
import sqlalchemy as sa

from config import TestingConfig
from tickets import create_app
from tickets.extensions import db


def test_upgrade_matches_models_and_downgrades(tmp_path):
    url = os.environ.get("TEST_MIGRATIONS_URL") or f"sqlite:///{tmp_path / 'migrations.db'}"
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        flask_migrate.upgrade()
        tables = set(sa.inspect(db.engine).get_table_names())
        flask_migrate.check()  # raises when autogenerate would still emit operations
        flask_migrate.downgrade(revision="base")
        left = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
        db.engine.dispose()
    assert {"tickets", "outbox_messages", "folio_counters", "audit_events"} <= tables
    assert left == set()
