"""Declarative base with a constraint naming convention, and portable column types."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Every model's base: named constraints so Alembic batch mode can alter them on SQLite."""

    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current instant, timezone-aware in UTC (column defaults call this, never import-time)."""
    return datetime.now(UTC)


class UTCDateTime(sa.TypeDecorator):
    """Store naive UTC, hand back aware UTC; refuse naive input so no local time slips in."""

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; use tickets.core.db.utcnow()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def result_processor(self, dialect, coltype):
        """The value read, made aware in UTC, in one function per value (in place of
        `process_result_value`, which TypeDecorator wraps in a second call): a queue page reads
        some 300 of these."""
        parse = self.impl_instance.result_processor(dialect, coltype)  # SQLite: text -> datetime
        if parse is None:

            def aware(value):
                return None if value is None else value.replace(tzinfo=UTC)

        else:

            def aware(value):
                return None if value is None else parse(value).replace(tzinfo=UTC)

        return aware


def enum_type(cls: type[enum.Enum]) -> sa.Enum:
    """VARCHAR plus a named CHECK holding the enum's values, identical on SQLite and PostgreSQL."""
    return sa.Enum(
        cls,
        name=cls.__name__.lower(),
        native_enum=False,
        create_constraint=True,
        length=max(len(m.value) for m in cls),
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


def render_item(type_, obj, autogen_context):
    """Alembic hook: write project column types as the plain SQLAlchemy type they store."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


def include_object(obj, name, type_, reflected, compare_to):
    """Alembic hook: leave the search machinery (FTS5 tables, GIN index, keys) to its own DDL.

    PostgreSQL: ix_tickets_search, search_vector; SQLite: tickets_fts*, the FTS5 key column
    search_key and its index ix_tickets_search_key.
    """
    searched = ("ix_tickets_search", "search_vector", "search_key", "ix_tickets_search_key")
    if name and (name.startswith("tickets_fts") or name in searched):
        return False
    return True
