"""A token that changes whenever a catalog, or a person's name, role or status, changes.

Pages that show catalog choices on every request (the queue's filter bar) keep what they read
in each worker and read it again only when the token has changed. The database changes the
token itself, with triggers, so no write path can forget to: an admin's edit in the UI,
`flask catalogs load`, a script in `psql` or another worker's request. The token is random
rather than a counter: a restored backup, or a test database made anew, can never bring back
a value some worker has kept for other contents.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask import g

from tickets.extensions import db

# Every catalog table, whatever it changes. Of users only what catalog choices show of them
# (a login writes last_login_at, a password change its hash: neither changes a choice).
WATCHED_TABLES = (
    "states",
    "districts",
    "parties",
    "organizations",
    "electoral_processes",
    "elections",
    "systems",
    "categories",
)
WATCHED_USER_COLUMNS = ("name", "role", "is_enabled", "is_system")

# A new random token, in each dialect's SQL.
_RANDOM = {"sqlite": "random()", "postgresql": "floor(random() * 9007199254740991)::bigint"}
SQLITE_NEW_TOKEN = f"UPDATE catalog_revision SET token = {_RANDOM['sqlite']} WHERE id = 1;"
POSTGRES_NEW_TOKEN = f"UPDATE catalog_revision SET token = {_RANDOM['postgresql']} WHERE id = 1"


class CatalogRevision(db.Model):
    """One row (id 1); its token is replaced by triggers on every watched change."""

    __tablename__ = "catalog_revision"

    id: so.Mapped[int] = so.mapped_column(primary_key=True, autoincrement=False)
    token: so.Mapped[int] = so.mapped_column(sa.BigInteger)


def current_token() -> sa.ScalarSelect:
    """The token as a scalar subquery, to be read in the same statement as something else
    (the logged-in user; the catalog rows it stands for)."""
    return sa.select(CatalogRevision.token).where(CatalogRevision.id == 1).scalar_subquery()


def kept_while_unchanged(name: str, statement: sa.Executable, build: Callable):
    """``build(rows)`` of ``statement``, kept per worker and database while the catalogs are
    unchanged: read again only when the token the request's user came with (`g.catalog_token`,
    set by the user loader) differs from the one the rows were read with. The statement's last
    column must be `current_token()`: rows and token from one snapshot."""
    token = g.get("catalog_token")
    kept = _KEPT.setdefault(db.engine, {})
    value = kept.get(name)
    if token is not None and value is not None and value[0] == token:
        return value[1]
    rows = db.session.connection().execute(statement).all()
    built = build(rows)
    if rows and rows[0][-1] is not None:
        kept[name] = (rows[0][-1], built)
    return built


# Per engine (two in-memory databases share a URL): name -> (token, what was built).
_KEPT: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def ddl(dialect: str) -> list[str]:
    """The first token and the triggers that replace it. The migration keeps a frozen copy."""
    triggers = {"sqlite": _sqlite_triggers, "postgresql": _pg}.get(dialect)
    if triggers is None:
        return []
    return [_FIRST_ROW.format(token=_RANDOM[dialect]), *triggers()]


_FIRST_ROW = (
    "INSERT INTO catalog_revision (id, token) VALUES (1, {token}) ON CONFLICT (id) DO NOTHING"
)


def _sqlite_triggers() -> list[str]:
    statements = []
    for table in WATCHED_TABLES:
        for event in ("INSERT", "UPDATE", "DELETE"):
            statements.append(_sqlite_trigger(table, event, event))
    columns = ", ".join(WATCHED_USER_COLUMNS)
    statements.append(_sqlite_trigger("users", "INSERT", "INSERT"))
    statements.append(_sqlite_trigger("users", "UPDATE", f"UPDATE OF {columns}"))
    statements.append(_sqlite_trigger("users", "DELETE", "DELETE"))
    return statements


def _sqlite_trigger(table: str, name: str, event: str) -> str:
    return (
        f"CREATE TRIGGER IF NOT EXISTS {table}_revision_{name.lower()} AFTER {event} ON {table} "
        f"BEGIN {SQLITE_NEW_TOKEN} END"
    )


def _pg() -> list[str]:
    function = (
        "CREATE OR REPLACE FUNCTION catalog_revision_new_token() RETURNS trigger "
        f"LANGUAGE plpgsql AS $$ BEGIN {POSTGRES_NEW_TOKEN}; RETURN NULL; END $$"
    )
    statements = [function]
    for table in WATCHED_TABLES:
        statements.append(_pg_trigger(table, "INSERT OR UPDATE OR DELETE OR TRUNCATE"))
    columns = ", ".join(WATCHED_USER_COLUMNS)
    statements.append(_pg_trigger("users", f"INSERT OR DELETE OR TRUNCATE OR UPDATE OF {columns}"))
    return statements


def _pg_trigger(table: str, events: str) -> str:
    return (
        f"CREATE OR REPLACE TRIGGER {table}_revision AFTER {events} ON {table} "
        "FOR EACH STATEMENT EXECUTE FUNCTION catalog_revision_new_token()"
    )


def install_revision_ddl() -> None:
    """Create the first token and the triggers when tests call create_all (after every table:
    a trigger needs its table)."""
    metadata = CatalogRevision.metadata
    if getattr(metadata, "_revision_ddl_installed", False):
        return
    metadata._revision_ddl_installed = True

    @sa.event.listens_for(metadata, "after_create")
    def _create(target, connection, **kw):
        for statement in ddl(connection.dialect.name):
            connection.exec_driver_sql(statement)
