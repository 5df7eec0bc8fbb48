"""Account operations: create, edit, disable, passwords, the system actor."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from tickets.accounts.models import SYSTEM_EMAIL, Role, User
from tickets.catalogs.models import Organization
from tickets.core.db import utcnow
from tickets.core.errors import NotAllowed, ValidationFailed
from tickets.core.session import commit
from tickets.extensions import db

MIN_PASSWORD = 10


@dataclass(frozen=True)
class UserData:
    """What an admin types for an account."""

    email: str
    name: str
    role: Role
    organization_id: int | None = None
    is_enabled: bool = True


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def authenticate(email: str, password: str) -> User | None:
    """The enabled user with these credentials, or None (same answer for every failure)."""
    user = db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)  # same work whether or not the user exists
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    commit()
    return user


_DUMMY_HASH = generate_password_hash("not-a-password", method="pbkdf2:sha256:1000")


def _validate(data: UserData, user: User | None) -> UserData:
    email = data.email.strip().lower()
    errors: dict[str, str] = {}
    if "@" not in email or len(email) > 254:
        errors["email"] = "Escriba un correo electrónico válido."
    elif db.session.scalar(
        sa.select(User.id).where(User.email == email, User.id != (user.id if user else -1))
    ):
        errors["email"] = "Ya existe una cuenta con ese correo."
    if not data.name.strip():
        errors["name"] = "Escriba el nombre."
    if data.role is Role.REQUESTER:
        if (
            data.organization_id is None
            or db.session.get(Organization, data.organization_id) is None
        ):
            errors["organization_id"] = "Una persona solicitante pertenece a una organización."
    if errors:
        raise ValidationFailed(errors)
    org_id = data.organization_id if data.role is Role.REQUESTER else None
    return UserData(email, data.name.strip(), data.role, org_id, data.is_enabled)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise ValidationFailed(
            {"password": f"La contraseña debe tener al menos {MIN_PASSWORD} caracteres."}
        )


def create_user(
    actor: User | None, data: UserData, password: str | None = None
) -> tuple[User, str]:
    """Create an account; return it with its password (generated when none is given).

    ``actor`` None is the command line, which runs with the server's own authority.

    :raises NotAllowed: the actor is not an admin.
    :raises ValidationFailed: bad e-mail, duplicate e-mail, short password, missing organisation.
    """
    if actor is not None and not actor.is_admin:
        raise NotAllowed("Solo la administración gestiona cuentas.")
    data = _validate(data, None)
    password = password or secrets.token_urlsafe(12)
    _check_password(password)
    user = User(
        email=data.email,
        name=data.name,
        role=data.role,
        organization_id=data.organization_id,
        is_enabled=data.is_enabled,
        password_hash=hash_password(password),
    )
    db.session.add(user)
    commit()
    return user, password


def update_user(actor: User, user: User, data: UserData) -> User:
    """Edit an account, or disable it (never delete: tickets keep their authors).

    :raises NotAllowed: the actor is not an admin, or disables their own account.
    :raises ValidationFailed: as for create_user.
    """
    if not actor.is_admin:
        raise NotAllowed("Solo la administración gestiona cuentas.")
    if user.id == actor.id and (not data.is_enabled or data.role is not Role.ADMIN):
        raise ValidationFailed({"role": "No puede desactivar ni degradar su propia cuenta."})
    data = _validate(data, user)
    user.email, user.name, user.role = data.email, data.name, data.role
    user.organization_id, user.is_enabled = data.organization_id, data.is_enabled
    commit()
    return user


def set_password(actor: User, user: User, password: str) -> None:
    """Set a new password; admins for anyone, everyone for themselves.

    :raises NotAllowed: someone else's account without being admin.
    :raises ValidationFailed: too short.
    """
    if not (actor.is_admin or actor.id == user.id):
        raise NotAllowed("No puede cambiar la contraseña de otra cuenta.")
    _check_password(password)
    user.password_hash = hash_password(password)
    commit()


def reset_password(actor: User, user: User) -> str:
    """Give an account a new generated password and return it, to be shown once.

    :raises NotAllowed: the actor is not an admin, or the account is the system actor.
    """
    if not actor.is_admin or user.is_system:
        raise NotAllowed("Solo la administración restablece contraseñas.")
    password = secrets.token_urlsafe(12)
    user.password_hash = hash_password(password)
    commit()
    return password


def system_user() -> User:
    """The actor of the command line, imports and scheduled jobs; it can never log in."""
    user = db.session.scalar(sa.select(User).where(User.email == SYSTEM_EMAIL))
    if user is None:
        user = User(email=SYSTEM_EMAIL, name="Sistema Mesa TIC", role=Role.ADMIN, is_system=True)
        db.session.add(user)
        commit()
    return user


def has_admin() -> bool:
    """True once a person (not the system actor) can administer the desk."""
    query = sa.select(User.id).where(
        User.role == Role.ADMIN, User.is_system.is_(False), User.is_enabled.is_(True)
    )
    return db.session.scalar(query.limit(1)) is not None
