"""Training sessions; the monthly report states the total of people trained."""

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
    from tickets.catalogs.models import Organization, State, System


class Modality(enum.StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"


class TrainingSession(db.Model):
    """One training session: when, where, on what, how, and how many people were trained."""

    __tablename__ = "training_sessions"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    held_on: so.Mapped[date] = so.mapped_column(index=True)
    state_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("states.id"))
    office_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("organizations.id"))
    topic: so.Mapped[str] = so.mapped_column(sa.String(200))
    system_id: so.Mapped[int | None] = so.mapped_column(sa.ForeignKey("systems.id"))
    modality: so.Mapped[Modality] = so.mapped_column(enum_type(Modality))
    people_trained: so.Mapped[int]
    notes: so.Mapped[str] = so.mapped_column(sa.Text, default="")
    created_by_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey("users.id"))
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    updated_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    state: so.Mapped[State | None] = so.relationship()
    office: so.Mapped[Organization | None] = so.relationship()
    system: so.Mapped[System | None] = so.relationship()
    created_by: so.Mapped[User] = so.relationship()
