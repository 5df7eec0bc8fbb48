"""Accent- and case-insensitive ticket search.

PostgreSQL: full-text search with a Spanish configuration that runs `unaccent` before the
Spanish stemmer, over a GIN expression index. SQLite: an FTS5 table whose `unicode61`
tokenizer strips diacritics, kept in step with `tickets.search_text` by triggers. Both find
"cómputo" when someone types "computo", and the other way round.
"""

from __future__ import annotations

import re

import sqlalchemy as sa

from tickets.core.text import fold

TS_CONFIG = "es_unaccent"
# A stored generated column: the planner reads the vector instead of re-parsing every row's text.
PG_VECTOR = "search_vector"
FOLIO_PATTERN = re.compile(r"^TIC-\d{4}-\d{6}$", re.IGNORECASE)
# Above this many matching tickets, SQLite does better walking the queue's own index and checking
# each row against the matches than fetching and sorting every match.
SQLITE_FREQUENT_MATCHES = 2000

POSTGRES_DDL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = '{TS_CONFIG}') THEN
            CREATE TEXT SEARCH CONFIGURATION {TS_CONFIG} (COPY = spanish);
            ALTER TEXT SEARCH CONFIGURATION {TS_CONFIG}
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
        END IF;
    END $$""",
    f"ALTER TABLE tickets ADD COLUMN IF NOT EXISTS {PG_VECTOR} tsvector GENERATED ALWAYS AS "
    f"(to_tsvector('{TS_CONFIG}'::regconfig, coalesce(search_text, ''))) STORED",
    f"CREATE INDEX IF NOT EXISTS ix_tickets_search ON tickets USING gin ({PG_VECTOR})",
]

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS tickets_fts USING fts5(search_text, content='tickets', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS tickets_fts_ai AFTER INSERT ON tickets BEGIN "
    "INSERT INTO tickets_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS tickets_fts_ad AFTER DELETE ON tickets BEGIN "
    "INSERT INTO tickets_fts(tickets_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS tickets_fts_au AFTER UPDATE OF search_text ON tickets BEGIN "
    "INSERT INTO tickets_fts(tickets_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO tickets_fts(rowid, search_text) VALUES (new.id, new.search_text); END",
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS tickets_fts_ai",
    "DROP TRIGGER IF EXISTS tickets_fts_ad",
    "DROP TRIGGER IF EXISTS tickets_fts_au",
    "DROP TABLE IF EXISTS tickets_fts",
]

_WORD = re.compile(r"\w+", re.UNICODE)


def install_search_ddl() -> None:
    """Create the search machinery with the tickets table when tests call create_all.

    The migration carries its own frozen copy of the same statements.
    """
    from tickets.helpdesk.models import Ticket

    table = Ticket.__table__
    if getattr(table, "_search_ddl_installed", False):
        return
    table._search_ddl_installed = True

    @sa.event.listens_for(table, "after_create")
    def _create(target, connection, **kw):
        for statement in _statements_for(connection.dialect.name):
            connection.exec_driver_sql(statement)

    @sa.event.listens_for(table, "before_drop")
    def _drop(target, connection, **kw):
        if connection.dialect.name == "sqlite":
            for statement in SQLITE_DROP:
                connection.exec_driver_sql(statement)


def _statements_for(dialect: str) -> list[str]:
    return {"postgresql": POSTGRES_DDL, "sqlite": SQLITE_DDL}.get(dialect, [])


def build_search_text(*parts: str | None) -> str:
    """The text a ticket is found by: folio, subject, description, requester, organisation."""
    return " ".join(p for p in parts if p)


def is_folio(query: str) -> bool:
    """'TIC-2021-000123' (any case): look the folio up, not the words."""
    return bool(FOLIO_PATTERN.match(query.strip()))


def matches(session, query: str, id_column):
    """A WHERE clause selecting tickets whose search text matches every word of ``query``."""
    words = _WORD.findall(fold(query))
    if not words:
        return sa.true()
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return sa.text(
            f"{PG_VECTOR} @@ plainto_tsquery('{TS_CONFIG}'::regconfig, :search_q)"
        ).bindparams(search_q=" ".join(words))
    fts_query = " ".join(f'"{w}"*' for w in words)
    subquery = sa.text(
        "SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH :search_q"
    ).bindparams(search_q=fts_query)
    rowids = subquery.columns(sa.column("rowid", sa.Integer))
    if _frequent_on_sqlite(session, fts_query):
        return (id_column + 0).in_(rowids)  # "+ 0": keep the sort index in charge
    return id_column.in_(rowids)


def _frequent_on_sqlite(session, fts_query: str) -> bool:
    capped = sa.text(
        "SELECT count(*) FROM (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH :q LIMIT :n)"
    )
    count = session.scalar(capped, {"q": fts_query, "n": SQLITE_FREQUENT_MATCHES})
    return count >= SQLITE_FREQUENT_MATCHES
