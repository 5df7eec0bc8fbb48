"""Per-connection settings: SQLite foreign keys, WAL and a busy timeout for concurrent writers;
on PostgreSQL, read-only requests end with COMMIT so prepared statements survive."""

from __future__ import annotations

import functools

import sqlalchemy as sa
from flask import Flask
from sqlalchemy.engine import Engine

from tickets.extensions import db

# Set on a connection's info dict by the first statement of a transaction that is not a plain
# SELECT; cleared when the transaction begins.
WROTE = "mesatic_wrote"


def configure_engine_events(engine: Engine) -> None:
    """SQLite accepts bad foreign keys and fails fast on locks unless told otherwise."""
    if engine.dialect.name == "postgresql":
        _track_writes(engine)
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


def _track_writes(engine: Engine) -> None:
    """Remember whether the current transaction ran anything but a SELECT; refuse anything but
    a SELECT on a page that only reads (`reads_only`)."""

    @sa.event.listens_for(engine, "begin")
    def _begin(connection):
        connection.info[WROTE] = False

    @sa.event.listens_for(engine, "before_cursor_execute")
    def _before(connection, _cursor, statement, _parameters, _context, _executemany):
        if _is_plain_select(statement):
            return
        if connection.get_execution_options().get(READS_ONLY):
            raise WriteOnReadOnlyPage(statement.split(None, 1)[0])
        connection.info[WROTE] = True


def _is_plain_select(statement: str) -> bool:
    return statement.lstrip()[:6].upper() == "SELECT"


# Marks the connection of a request that only reads (an execution option of that connection).
READS_ONLY = "mesatic_reads_only"


class WriteOnReadOnlyPage(RuntimeError):
    """A page declared `reads_only` tried to write: a bug to fix, never data half-written."""


def reads_only(view):
    """Run a page that only reads without a transaction on PostgreSQL (autocommit).

    Each request otherwise costs two more round trips, BEGIN and COMMIT, for statements that
    see a fresh snapshot each anyway (READ COMMITTED, PostgreSQL's default and ours), about a
    tenth of the queue page's time at 1M tickets. Autocommit would also make a write commit
    statement by statement, so on such a page anything but a SELECT is refused before it
    reaches the database (`WriteOnReadOnlyPage`). Put it above the access rule: the user is
    loaded through the same connection. SQLite keeps its transaction: it costs no round trip.
    """

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        session = db.session()
        if not session.in_transaction() and db.engine.dialect.name == "postgresql":
            session.connection(
                execution_options={"isolation_level": "AUTOCOMMIT", READS_ONLY: True}
            )
        return view(*args, **kwargs)

    return wrapped


def end_read_only_requests_with_commit(app: Flask) -> None:
    """Keep psycopg's prepared statements from one request to the next.

    psycopg prepares a statement after its fifth execution on a connection, but forgets every
    prepared statement at each ROLLBACK (and sends DEALLOCATE ALL), and the session ends every
    request with one. So each of a page's statements was planned anew on every request (about
    1 ms for the queue's join). A request whose transaction ran only SELECTs has nothing to
    undo: ending it with COMMIT is equivalent, and keeps the plans. A transaction that wrote,
    or a request that failed, still ends with ROLLBACK through Flask-SQLAlchemy's teardown of
    the app context, which comes after the request's. Requests only: a command or a job that
    reads objects in an app context and uses them after it must not find them expired.
    """

    @app.teardown_request
    def _commit_if_read_only(exc: BaseException | None) -> None:
        if exc is not None or db.engine.dialect.name != "postgresql":
            return
        session = db.session()
        if not session.in_transaction() or session.new or session.dirty or session.deleted:
            return
        connection = session.connection()
        if connection.get_execution_options().get(READS_ONLY):
            return  # no transaction to end (`reads_only`): the session's close is enough
        if connection.info.get(WROTE, True):
            return
        try:
            session.commit()
        except sa.exc.SQLAlchemyError:
            session.rollback()
