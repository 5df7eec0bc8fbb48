"""Drop the secondary indexes around a bulk load and recreate them from their exact DDL.

The DDL is read back from the database (sqlite_master / pg_indexes) right after the
migration ran, so what is recreated is byte for byte what the migration created.
Constraint-backed indexes (primary keys, unique folio) stay in place.
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from sqlalchemy.engine import Engine

TABLES = ("tickets", "comments", "audit_events")

SQLITE_SAVED = sa.text(
    "SELECT type, name, sql FROM sqlite_master "
    "WHERE sql IS NOT NULL AND ((type IN ('index', 'trigger') AND tbl_name IN "
    "('tickets', 'comments', 'audit_events')) OR (type = 'table' AND name = 'tickets_fts')) "
    "ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'trigger' THEN 1 ELSE 2 END, name"
)

PG_SAVED = sa.text(
    "SELECT 'index', indexname, indexdef FROM pg_indexes "
    "WHERE schemaname = current_schema() AND tablename IN ('tickets', 'comments', "
    "'audit_events') AND indexname NOT IN (SELECT conname FROM pg_constraint) "
    "ORDER BY indexname"
)


def saved_ddl(engine: Engine) -> list[tuple[str, str, str]]:
    """(type, name, sql) of every secondary index, search table and trigger on the big tables."""
    query = SQLITE_SAVED if engine.dialect.name == "sqlite" else PG_SAVED
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def drop_secondary(engine: Engine) -> list[tuple[str, str, str]]:
    """Drop them and hand back their DDL for recreate()."""
    saved = saved_ddl(engine)
    drops = {"index": "DROP INDEX {}", "trigger": "DROP TRIGGER {}", "table": "DROP TABLE {}"}
    with engine.begin() as conn:
        for kind, name, _sql in reversed(saved):
            conn.exec_driver_sql(drops[kind].format(name))
    print(f"dropped {len(saved)} objects: {', '.join(name for _, name, _ in saved)}")
    return saved


def recreate(engine: Engine, saved: list[tuple[str, str, str]]) -> None:
    """Recreate in the original order; rebuild the SQLite FTS5 index from tickets, merged."""
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql("SET maintenance_work_mem = '1GB'")
        else:
            conn.exec_driver_sql("PRAGMA cache_size = -1000000")
        for kind, name, sql in saved:
            conn.exec_driver_sql(sql)
            if kind == "table" and name == "tickets_fts":
                conn.exec_driver_sql("INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')")
                # One segment, as the nightly "search-index" job leaves a live desk's index.
                conn.exec_driver_sql("INSERT INTO tickets_fts(tickets_fts) VALUES ('optimize')")
    again = saved_ddl(engine)
    if sorted(map(_canonical, again)) != sorted(map(_canonical, saved)):
        raise RuntimeError("recreated indexes differ from the migration's")
    print(f"recreated {len(saved)} objects, identical to the migration's DDL")


def _canonical(item: tuple[str, str, str]) -> tuple[str, str, str]:
    """PostgreSQL writes a recreated partial index's predicate with its casts placed anew
    (`ARRAY['new'::varchar]::text[]` comes back as `ARRAY[('new'::varchar)::text]`): compare
    the DDL without casts, parentheses and spaces."""
    kind, name, sql = item
    return kind, name, re.sub(r"[()\s]", "", re.sub(r"::[a-z ]+(\[\])?", "", sql))


def finish(engine: Engine) -> None:
    """PostgreSQL: move id sequences past the explicit ids, then VACUUM ANALYZE.

    SQLite: fold the WAL into the database file. No ANALYZE on SQLite: a deployment made
    with `flask db upgrade` never runs it, and the benchmark measures that default.
    """
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table in (*TABLES, "users", "organizations"):
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
