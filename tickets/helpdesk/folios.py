"""Folios: unique, consecutive per year, never reused, under concurrent writers."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from tickets.extensions import db
from tickets.helpdesk.models import FolioCounter

PREFIX = "TIC"


def format_folio(year: int, number: int) -> str:
    """'TIC-2021-000123'."""
    return f"{PREFIX}-{year}-{number:06d}"


def allocate(year: int, count: int = 1) -> list[str]:
    """Reserve ``count`` consecutive folios of ``year`` inside the caller's transaction.

    The counter row is updated with one atomic UPDATE … RETURNING: PostgreSQL locks the row
    until the caller commits and SQLite holds its write lock, so two writers never read the
    same number, and a rolled-back ticket gives its number back with the rollback.
    """
    _ensure_counter(year)
    last = db.session.execute(
        sa.update(FolioCounter)
        .where(FolioCounter.year == year)
        .values(last=FolioCounter.last + count)
        .returning(FolioCounter.last)
    ).scalar_one()
    return [format_folio(year, n) for n in range(last - count + 1, last + 1)]


def _ensure_counter(year: int) -> None:
    dialect = db.session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise RuntimeError(f"unsupported database {dialect}")
    db.session.execute(
        insert(FolioCounter)
        .values(year=year, last=0)
        .on_conflict_do_nothing(index_elements=["year"])
    )
