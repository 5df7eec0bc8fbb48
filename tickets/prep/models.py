"""PREP events: one drill or one operation of one OPL's PREP, followed by the Junta Local."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
import sqlalchemy.orm as so

from tickets.core.db import UTCDateTime, enum_type, utcnow
from tickets.extensions import db

if TYPE_CHECKING:
    from tickets.accounts.models import User
    from tickets.catalogs.models import ElectoralProcess, State


class PrepEventKind(enum.StrEnum):
    DRILL = "drill"  # simulacro (Reglamento de Elecciones, art. 354)
    OPERATION = "operation"  # the PREP running on election night


class PrepEvent(db.Model):
    """A PREP drill (numbered) or the operation, on a real date inside its process."""

    __tablename__ = "prep_events"
    __table_args__ = (
        sa.UniqueConstraint(
            "process_id", "state_id", "kind", "number", name="uq_prep_events_process_state_number"
        ),
        sa.Index("ix_prep_events_held_on", "held_on"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    process_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("electoral_processes.id"))
    state_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("states.id"), index=True)
    kind: so.Mapped[PrepEventKind] = so.mapped_column(enum_type(PrepEventKind))
    number: so.Mapped[int]  # drill 1, 2, 3…; the operation is number 1 of its kind
    held_on: so.Mapped[date]
    followed_by: so.Mapped[str] = so.mapped_column(sa.String(200))
    outcome: so.Mapped[str] = so.mapped_column(sa.String(200), default="")
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    process: so.Mapped[ElectoralProcess] = so.relationship()
    state: so.Mapped[State] = so.relationship()
    created_by: so.Mapped[User] = so.relationship()
