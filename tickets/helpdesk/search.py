"""Accent- and case-insensitive ticket search.

PostgreSQL: full-text search with a Spanish configuration that runs `unaccent` before the
Spanish stemmer, over a GIN expression index. SQLite: an FTS5 table whose `unicode61`
tokenizer strips diacritics, kept in step with `tickets.search_text` by triggers. Both find
"cómputo" when someone types "computo", and the other way round.
"""

from __future__ import annotations

import re
import weakref

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

# SQLite: the FTS5 rowid is not the ticket id but the ticket's place in the default order,
# `search_key`: seconds since 2000 (UTC) of received_at in the high bits, the id in the low 32
# bits. FTS5 hands its matches in rowid order, so a search sorted by reception reads the index
# newest (or oldest) first and stops after a page, however many tickets match. Tickets
# received in the same second come in id order. The id is `search_key & SEARCH_KEY_ID_BITS`.
# The key runs out in 2068 (2**31 seconds after 2000); ids must stay below 2**32.
SEARCH_KEY_ID_BITS = 0xFFFFFFFF
SQLITE_DDL = [
    "ALTER TABLE tickets ADD COLUMN search_key INTEGER GENERATED ALWAYS AS "
    "((CAST(strftime('%s', received_at) AS INTEGER) - 946684800) * 4294967296 + id) VIRTUAL",
    # FTS5 reads a row's text back (highlight(), a column of tickets_fts) by this key.
    "CREATE UNIQUE INDEX IF NOT EXISTS ix_tickets_search_key ON tickets (search_key)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS tickets_fts USING fts5(search_text, content='tickets', "
    "content_rowid='search_key', tokenize='unicode61 remove_diacritics 2')",
    # The indexed terms, to turn a typed prefix into the words it stands for (`_expanded`).
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

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS tickets_fts_ai",
    "DROP TRIGGER IF EXISTS tickets_fts_ad",
    "DROP TRIGGER IF EXISTS tickets_fts_au",
    "DROP TABLE IF EXISTS tickets_fts_terms",
    "DROP TABLE IF EXISTS tickets_fts",
    "DROP INDEX IF EXISTS ix_tickets_search_key",
]

# A word of plain letters and digits is its own FTS5 term, so the terms it begins can be listed.
# One statement per word: each step seeks the first indexed term after the last one found
# (char(1) sorts before any character a term can hold). The 'instance' vocabulary is read
# lazily; the 'row' one counts every document of each term, as slow as the prefix itself.
_PLAIN_WORD = re.compile(r"^[a-z0-9]+$")
MAX_EXPANDED_TERMS = 16
_TERMS_STARTING_WITH = sa.text(
    "WITH RECURSIVE found(term) AS ("
    " SELECT (SELECT term FROM tickets_fts_terms WHERE term >= :word AND term < :after LIMIT 1)"
    " UNION ALL"
    " SELECT (SELECT term FROM tickets_fts_terms"
    "  WHERE term >= found.term || char(1) AND term < :after LIMIT 1)"
    " FROM found WHERE found.term IS NOT NULL)"
    " SELECT term FROM found WHERE term IS NOT NULL LIMIT :most"
)

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


# The search condition's one parameter: its value comes with each execution (`match_value`),
# so a statement built once serves every search of its shape.
SEARCH_PARAMETER = "search_q"


def search_words(text: str) -> list[str]:
    """The words a search looks for, folded (accents and case aside); none: no search."""
    return _WORD.findall(fold(text))


def match_value(session, words: list[str]) -> str:
    """SEARCH_PARAMETER's value for these words: PostgreSQL's plain text, SQLite's FTS5 query."""
    if session.get_bind().dialect.name == "postgresql":
        return " ".join(words)
    return sqlite_match_expression(session, words)


def matches(dialect: str, id_column, *, index_leads: bool = False):
    """A WHERE clause selecting tickets whose search text matches SEARCH_PARAMETER's words.

    SQLite, ``index_leads``: the caller found that a filter's or the sort's index reads fewer
    rows than there are matches (`sqlite_index_should_lead`): the index leads and each row is
    checked against the matches. Otherwise the matches are read by id and sorted (three times
    faster than walking all tickets for 100,000 matches sorted by priority).
    """
    if dialect == "postgresql":
        return sa.text(
            f"{PG_VECTOR} @@ plainto_tsquery('{TS_CONFIG}'::regconfig, :{SEARCH_PARAMETER})"
        )
    subquery = sa.text(
        f"SELECT rowid & {SEARCH_KEY_ID_BITS} AS id FROM tickets_fts "
        f"WHERE tickets_fts MATCH :{SEARCH_PARAMETER}"
    )
    ids = subquery.columns(sa.column("id", sa.Integer))
    if index_leads:
        return (id_column + 0).in_(ids)  # "+ 0": keep the sort index in charge
    return id_column.in_(ids)


def optimize_index(session) -> str:
    """SQLite: merge the FTS5 index into one segment (the nightly "search-index" job).

    FTS5 writes each transaction's terms as a new segment and merges them only now and then, so
    a desk's index grows into a dozen segments, and every search, every prefix expansion and
    every page of matches reads each of them: merged, a search page at 1M tickets cost 13 % less
    (docs/performance.md, fifth round). One statement, one transaction; writers wait for it (7 s
    at 1M tickets). PostgreSQL's GIN index is kept by autovacuum: nothing to do.
    """
    if session.get_bind().dialect.name != "sqlite":
        return "No aplica: en PostgreSQL el índice de búsqueda lo mantiene autovacuum."
    before = session.scalar(_SEGMENTS)
    session.execute(sa.text("INSERT INTO tickets_fts(tickets_fts) VALUES ('optimize')"))
    session.commit()
    after = session.scalar(_SEGMENTS)
    return f"Índice de búsqueda compactado: {before} segmentos → {after}."


_SEGMENTS = sa.text("SELECT count(DISTINCT segid) FROM tickets_fts_idx")


def sqlite_index_should_lead(session, fts_query: str) -> bool:
    """SQLite: 2,000 matches or more, so a filter's or the sort's index should lead."""
    capped = sa.text(
        "SELECT count(*) FROM (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH :q LIMIT :n)"
    )
    count = session.scalar(capped, {"q": fts_query, "n": SQLITE_FREQUENT_MATCHES})
    return count >= SQLITE_FREQUENT_MATCHES


def sqlite_in_received_order(query: sa.Select, id_column, *, newest_first: bool) -> sa.Select:
    """SQLite: ``query``'s tickets matching SEARCH_PARAMETER, read from FTS5 in reception order.

    The FTS5 index walks its rowids (`search_key`) in the page's order and joins each match to
    its ticket by id, so the page's LIMIT stops the walk: the cost follows the page, not the
    number of matches. Only worth it when nothing else filters the rows (each match read is
    a ticket shown); the caller decides. Tickets received in the same second come in id order.
    """
    fts = sa.table("tickets_fts", sa.column("rowid", sa.BigInteger))
    key = fts.c.rowid
    match = sa.literal_column("tickets_fts").match(sa.bindparam(SEARCH_PARAMETER, type_=sa.String))
    return (
        query.join(fts, id_column == key.op("&")(SEARCH_KEY_ID_BITS))
        .where(match)
        .order_by(key.desc() if newest_first else key.asc())
    )


def sqlite_match_expression(session, words: list[str]) -> str:
    """The FTS5 query for tickets holding every word, each word as the start of a term.

    ``"computo"*`` makes FTS5 merge the documents of every term it covers before it hands the
    first one (10-15 ms of the page at 1M tickets, 100,088 matches); ``("computo" OR
    "computos")`` is read in step and stops with the page (0.5-1.2 ms). Words covering more
    than MAX_EXPANDED_TERMS terms, and words that are not one FTS5 term (such as "a_b"),
    keep the prefix form. Each word's expansion is kept while the index is unchanged
    (`_kept_expansions`).
    """
    kept = _kept_expansions(session)
    expressions = []
    for word in words:
        if word not in kept:
            if len(kept) >= MAX_KEPT_EXPANSIONS:
                kept.clear()
            kept[word] = _expanded(session, word)
        expressions.append(kept[word])
    return " AND ".join(expressions)


# FTS5 keeps its index's layout in one record of its data table, `structure` (rowid 10), and
# writes it anew on every change to the index, with a counter of writes: equal bytes mean that
# no term was added or removed since. Reading it is one lookup by rowid, where listing the terms
# a word begins cost the search page a fifth of its time at 1M tickets (docs/performance.md).
# A change on any worker changes the record, so an expansion is never kept past one.
_FTS_STRUCTURE = sa.text("SELECT block FROM tickets_fts_data WHERE id = 10")
MAX_KEPT_EXPANSIONS = 4096
# Per engine, not per URL: two in-memory databases share the URL `sqlite://`.
_KEPT_EXPANSIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _kept_expansions(session) -> dict[str, str]:
    """The expansions kept for the index as it is now (a new, empty dict once it changed).

    The record is read in the request's transaction, so it describes what the expansion will
    read, except for the transaction's own uncommitted writes (FTS5 adds them to the record at
    COMMIT): no page writes tickets and then searches before committing."""
    structure = session.scalar(_FTS_STRUCTURE)
    if structure is None:
        return {}  # an index never written: nothing worth keeping
    engine = session.get_bind()
    kept = _KEPT_EXPANSIONS.get(engine)
    if kept is None or kept[0] != structure:
        kept = _KEPT_EXPANSIONS[engine] = (structure, {})
    return kept[1]


def _expanded(session, word: str) -> str:
    prefix = f'"{word}"*'
    if not _PLAIN_WORD.match(word):
        return prefix
    after = word[:-1] + chr(ord(word[-1]) + 1)
    bounds = {"word": word, "after": after, "most": MAX_EXPANDED_TERMS + 1}
    terms = session.scalars(_TERMS_STARTING_WITH, bounds).all()
    if not terms or len(terms) > MAX_EXPANDED_TERMS:
        return prefix
    return "(" + " OR ".join(f'"{term}"' for term in terms) + ")"
