"""People who use the desk, each with one role."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
import sqlalchemy.orm as so
from flask_login import UserMixin

from tickets.catalogs.models import Organization
from tickets.core.db import UTCDateTime, enum_type, utcnow
from tickets.extensions import db


class Role(enum.StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    OPERATOR = "operator"
    REQUESTER = "requester"


ROLE_LABELS = {
    Role.ADMIN: "Administración",
    Role.SUPERVISOR: "Supervisión",
    Role.OPERATOR: "Operación",
    Role.REQUESTER: "Solicitante",
}

STAFF_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR})

SYSTEM_EMAIL = "sistema@mesatic.local"


class User(UserMixin, db.Model):
    """An account. Disabled, never deleted: tickets keep their authors."""

    __tablename__ = "users"

    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    email: so.Mapped[str] = so.mapped_column(sa.String(254), unique=True)
    name: so.Mapped[str] = so.mapped_column(sa.String(120))
    role: so.Mapped[Role] = so.mapped_column(enum_type(Role), index=True)
    organization_id: so.Mapped[int | None] = so.mapped_column(
        sa.ForeignKey("organizations.id"), index=True
    )
    password_hash: so.Mapped[str | None] = so.mapped_column(sa.String(255))
    is_enabled: so.Mapped[bool] = so.mapped_column(default=True, server_default=sa.true())
    is_system: so.Mapped[bool] = so.mapped_column(default=False, server_default=sa.false())
    created_at: so.Mapped[datetime] = so.mapped_column(UTCDateTime, default=utcnow)
    last_login_at: so.Mapped[datetime | None] = so.mapped_column(UTCDateTime)

    organization: so.Mapped[Organization | None] = so.relationship()

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.is_enabled and not self.is_system

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.ADMIN, Role.SUPERVISOR)

    @property
    def is_requester(self) -> bool:
        return self.role is Role.REQUESTER

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role}>"
