"""What the desk promises (a policy per priority), the days it does not work, and each breach."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
import sqlalchemy.orm as so

from tickets.core.db import UTCDateTime, enum_type, utcnow
from tickets.extensions import db
from tickets.helpdesk.models import Priority, Ticket


class SlaPolicy(db.Model):
    """The targets of one priority, in clock minutes (office minutes, or all minutes in process)."""

    __tablename__ = "sla_policies"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    priority: so.Mapped[Priority] = so.mapped_column(enum_type(Priority), unique=True)
    first_response_minutes: so.Mapped[int]
    resolution_minutes: so.Mapped[int]
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))


class NonWorkingDay(db.Model):
    """A day the Institute does not work beyond the official holidays (added by admins)."""

    __tablename__ = "sla_non_working_days"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    day: so.Mapped[date] = so.mapped_column(unique=True)
    description: so.Mapped[str] = so.mapped_column(sa.String(200))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    created_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))


class SlaTarget(enum.StrEnum):
    FIRST_RESPONSE = "first_response"
    RESOLUTION = "resolution"


class SlaBreach(db.Model):
    """A target a ticket missed; the row is what makes the sweep notify once per breach.

    A due time that moves (the priority changed, the ticket was reopened) and is missed again is
    a new breach, hence ``due_at`` in the key.
    """

    __tablename__ = "sla_breaches"
    __table_args__ = (
        sa.UniqueConstraint("ticket_id", "target", "due_at", name="uq_sla_breaches_ticket_due"),
    )

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    ticket_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("tickets.id"), index=True)
    target: so.Mapped[SlaTarget] = so.mapped_column(enum_type(SlaTarget))
    due_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    detected_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    notified: so.Mapped[int] = so.mapped_column(default=0)  # how many people were told

    ticket: so.Mapped[Ticket] = so.relationship()


class SlaRecompute(db.Model):
    """A recompute of every open ticket's due times, asked for by an admin's change.

    With many open tickets the recompute takes seconds (docs/performance.md): then the admin's
    request only writes this row and the next SLA sweep, in the scheduler, does the work.
    """

    __tablename__ = "sla_recomputes"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    requested_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime)
    requested_by_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("users.id"))
    done_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)
