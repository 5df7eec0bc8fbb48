"""Flask-Login wiring and the coarse access gates views use."""

from __future__ import annotations

from functools import wraps

import sqlalchemy as sa
from flask import Flask, abort, g
from flask_login import current_user, login_required

from tickets.accounts.models import Role, User
from tickets.catalogs.revision import current_token
from tickets.extensions import db, login_manager


def init_login(app: Flask) -> None:
    """Load users from the session; send anonymous visitors to the login page."""
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = "Inicie sesión para continuar."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def _load(user_id: str) -> User | None:
        if not user_id.isdigit():
            return None
        row = db.session.execute(_USER_AND_CATALOG_TOKEN, {"user_id": int(user_id)}).first()
        if row is None:
            return None
        user, g.catalog_token = row
        return user


# Every page loads its user; the catalog token comes along, so a page that keeps catalog choices
# (the queue's filter bar) knows whether they changed without another round trip.
_USER_AND_CATALOG_TOKEN = sa.select(User, current_token()).where(User.id == sa.bindparam("user_id"))


def current_actor() -> User:
    """The real User behind Flask-Login's proxy, for services and identity comparisons."""
    return current_user._get_current_object()


def roles_required(*roles: Role):
    """Log in first; then only these roles, everyone else gets 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


staff_required = roles_required(Role.ADMIN, Role.SUPERVISOR, Role.OPERATOR)
admin_required = roles_required(Role.ADMIN)
