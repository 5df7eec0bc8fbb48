"""Per-connection settings: SQLite foreign keys, WAL and a busy timeout for concurrent writers."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Engine


def configure_engine_events(engine: Engine) -> None:
    """SQLite accepts bad foreign keys and fails fast on locks unless told otherwise."""
    if engine.dialect.name != "sqlite":
        return

    @sa.event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()
