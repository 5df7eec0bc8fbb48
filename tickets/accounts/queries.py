"""Who to tell: the people behind a role, for the jobs that write to supervision."""

from __future__ import annotations

import sqlalchemy as sa

from tickets.accounts.models import Role, User
from tickets.extensions import db


def active_people(*roles: Role) -> list[User]:
    """Enabled people (never the system user) holding one of ``roles``, oldest account first."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.role.in_(roles), User.is_enabled.is_(True), User.is_system.is_(False))
            .order_by(User.id)
        )
    )
