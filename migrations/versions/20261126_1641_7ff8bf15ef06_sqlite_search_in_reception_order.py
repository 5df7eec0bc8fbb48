"""sqlite search in reception order

Revision ID: 7ff8bf15ef06
Revises: d1e2f3a4b5c6
Create Date: 2026-11-26 16:41:02.000000

SQLite only: the FTS5 table's rowid becomes `search_key` (seconds since 2000 of received_at,
then the ticket id in the low 32 bits), so FTS5 hands matches in reception order and a
search page stops after a page of them. Adds the vocabulary table that lists the indexed
terms (a typed prefix is expanded into them). Frozen copy of tickets/helpdesk/search.py's
SQLITE_DDL as of this revision.
"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "7ff8bf15ef06"
down_revision = "d1e2f3a4b5c6"
branch_labels = None
depends_on = None

DROP_SEARCH = [
    "DROP TRIGGER IF EXISTS tickets_fts_ai",
    "DROP TRIGGER IF EXISTS tickets_fts_ad",
    "DROP TRIGGER IF EXISTS tickets_fts_au",
    "DROP TABLE IF EXISTS tickets_fts_terms",
    "DROP TABLE IF EXISTS tickets_fts",
]

SEARCH_BY_KEY = [
    "ALTER TABLE tickets ADD COLUMN search_key INTEGER GENERATED ALWAYS AS "
    "((CAST(strftime('%s', received_at) AS INTEGER) - 946684800) * 4294967296 + id) VIRTUAL",
    "CREATE UNIQUE INDEX IF NOT EXISTS ix_tickets_search_key ON tickets (search_key)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS tickets_fts USING fts5(search_text, content='tickets', "
    "content_rowid='search_key', tokenize='unicode61 remove_diacritics 2')",
    "CREATE VIRTUAL TABLE IF NOT EXISTS tickets_fts_terms USING fts5vocab(tickets_fts, 'instance')",
    "CREATE TRIGGER IF NOT EXISTS tickets_fts_ai AFTER INSERT ON tickets BEGIN "
    "INSERT INTO tickets_fts(rowid, search_text) VALUES (new.search_key, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS tickets_fts_ad AFTER DELETE ON tickets BEGIN "
    "INSERT INTO tickets_fts(tickets_fts, rowid, search_text) "
    "VALUES ('delete', old.search_key, old.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS tickets_fts_au "
    "AFTER UPDATE OF search_text, received_at, id ON tickets BEGIN "
    "INSERT INTO tickets_fts(tickets_fts, rowid, search_text) "
    "VALUES ('delete', old.search_key, old.search_text); "
    "INSERT INTO tickets_fts(rowid, search_text) VALUES (new.search_key, new.search_text); END",
]

# The layout of 689ccfb5d2b4 (initial schema): the ticket id is the FTS5 rowid.
SEARCH_BY_ID = [
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

REBUILD = "INSERT INTO tickets_fts(tickets_fts) VALUES ('rebuild')"


def upgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    for statement in [*DROP_SEARCH, *SEARCH_BY_KEY, REBUILD]:
        op.execute(statement)


def downgrade():
    if op.get_bind().dialect.name != "sqlite":
        return
    drop_key = [
        "DROP INDEX IF EXISTS ix_tickets_search_key",
        "ALTER TABLE tickets DROP COLUMN search_key",
    ]
    for statement in [*DROP_SEARCH, *drop_key, *SEARCH_BY_ID, REBUILD]:
        op.execute(statement)
