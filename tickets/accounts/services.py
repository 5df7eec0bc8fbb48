"""Account operations: create, edit, disable, passwords, invitations, the system actor."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from tickets.accounts import tokens
from tickets.accounts.models import SYSTEM_EMAIL, Role, User
from tickets.catalogs.models import Organization
from tickets.core.db import utcnow
from tickets.core.errors import NotAllowed, ValidationFailed
from tickets.core.session import commit
from tickets.extensions import db
from tickets.notifications import services as notify

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
        check_password_hash(_dummy_hash(), password)  # same work whether or not the user exists
        return None
    if not check_password_hash(user.password_hash, password) or not user.is_active:
        return None
    user.last_login_at = utcnow()
    commit()
    return user


_DUMMY_HASHES: dict[str, str] = {}


def _dummy_hash() -> str:
    """A hash made with the configured method, so an unknown e-mail costs what a known one does."""
    method = current_app.config["PASSWORD_HASH_METHOD"]
    if method not in _DUMMY_HASHES:
        _DUMMY_HASHES[method] = generate_password_hash("not-a-password", method=method)
    return _DUMMY_HASHES[method]


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


# --- Invitations and password resets by e-mail ------------------------------------------------


@dataclass(frozen=True)
class Invitation:
    """What staff learn after inviting: the account, when the link expires, if it was re-sent."""

    user: User
    expires_at: datetime
    resent: bool


def invite_requester(
    actor: User, name: str, email: str, organization_id: int | None, now: datetime | None = None
) -> Invitation:
    """Invite a requester by e-mail: an account with no usable password and a link to set one.

    Inviting again someone who has not set a password yet re-sends a fresh link (earlier links
    keep working until one is used or they expire). The mail goes to the outbox in the same
    transaction as the account.

    :raises NotAllowed: the actor is not staff.
    :raises ValidationFailed: missing name, bad e-mail, no active organisation, or the e-mail
        belongs to staff, to a requester of another organisation, to an account that already has
        a password, or to a disabled account.
    """
    if not actor.is_staff:
        raise NotAllowed("Solo el personal de la mesa invita a personas solicitantes.")
    now = now or utcnow()
    name, email = (name or "").strip(), (email or "").strip().lower()
    existing = _user_by_email(email)
    errors = _invitation_errors(name, email, organization_id) or _invitee_errors(
        existing, organization_id
    )
    if errors:
        raise ValidationFailed(errors)
    user = existing or User(email=email, role=Role.REQUESTER, organization_id=organization_id)
    user.name = name
    if existing is None:
        db.session.add(user)
        db.session.flush()  # the token carries the new account's id
    expires_at = now + tokens.lifetime(tokens.INVITATION)
    notify.enqueue(
        "invitation",
        user.email,
        "Invitación a Mesa TIC, la mesa de ayuda TIC del INE",
        "invitation",
        user=user,
        inviter=actor,
        organization=db.session.get(Organization, organization_id),
        link=_link("cuenta/activar", tokens.issue(tokens.INVITATION, user, now)),
        expires_at=expires_at,
    )
    commit()
    return Invitation(user, expires_at, resent=existing is not None)


def request_password_reset(email: str, now: datetime | None = None) -> None:
    """Mail a reset link if an enabled account (not the system actor) has this e-mail.

    Public: there is no actor, and the result is the same whether or not the address is known,
    so that the page cannot be used to find out who has an account.
    """
    user = _user_by_email((email or "").strip().lower())
    if user is None or not user.is_active:  # is_active: enabled and not the system actor
        return
    now = now or utcnow()
    notify.enqueue(
        "password_reset",
        user.email,
        "Restablecer su contraseña de Mesa TIC",
        "password_reset",
        user=user,
        link=_link("recuperar", tokens.issue(tokens.PASSWORD_RESET, user, now)),
        expires_at=now + tokens.lifetime(tokens.PASSWORD_RESET),
    )
    commit()


def link_holder(purpose: str, token: str, now: datetime | None = None) -> User:
    """The account an invitation or reset link is for, before the person types a password.

    :raises LinkInvalid, LinkExpired, LinkUsed: see ``tokens.holder``.
    """
    return tokens.holder(purpose, token, now)


def activate_account(token: str, password: str, now: datetime | None = None) -> User:
    """Set the first password from an invitation link; the link then stops working.

    :raises LinkInvalid, LinkExpired, LinkUsed: the link cannot be used (see ``tokens.holder``).
    :raises ValidationFailed: the password is too short.
    """
    now = now or utcnow()
    user = tokens.holder(tokens.INVITATION, token, now)
    _check_password(password)
    user.password_hash = hash_password(password)
    user.last_login_at = now  # the activation page signs the person in
    commit()
    return user


def reset_password_with_link(token: str, password: str, now: datetime | None = None) -> User:
    """Set a new password from a reset link; the link then stops working.

    :raises LinkInvalid, LinkExpired, LinkUsed: the link cannot be used (see ``tokens.holder``).
    :raises ValidationFailed: the password is too short.
    """
    user = tokens.holder(tokens.PASSWORD_RESET, token, now)
    _check_password(password)
    user.password_hash = hash_password(password)
    commit()
    return user


def _user_by_email(email: str) -> User | None:
    if not email:
        return None
    return db.session.scalar(sa.select(User).where(User.email == email))


def _invitation_errors(name: str, email: str, organization_id: int | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = "Escriba el nombre."
    elif len(name) > 120:
        errors["name"] = "El nombre admite hasta 120 caracteres."
    if "@" not in email or len(email) > 254:
        errors["email"] = "Escriba un correo electrónico válido."
    organization = db.session.get(Organization, organization_id) if organization_id else None
    if organization is None or not organization.is_active:
        errors["organization_id"] = "Elija una organización activa."
    return errors


def _invitee_errors(existing: User | None, organization_id: int | None) -> dict[str, str]:
    """Why an existing account with the invited e-mail cannot (re)receive an invitation."""
    if existing is None:
        return {}
    if existing.is_staff or existing.is_system:
        message = (
            "Ese correo es de una cuenta del personal de la mesa; "
            "no se puede invitar como persona solicitante."
        )
    elif existing.organization_id != organization_id:
        other = existing.organization.name if existing.organization else "otra organización"
        message = f"Ese correo ya es de una persona solicitante de {other}."
    elif not existing.is_enabled:
        message = "Esa cuenta está desactivada; la administración puede reactivarla."
    elif existing.password_hash:
        message = (
            "Esa persona ya tiene contraseña. Si no la recuerda, puede pedir un enlace en "
            "«¿Olvidó su contraseña?» de la página de inicio de sesión."
        )
    else:
        return {}
    return {"email": message}


def _link(path: str, token: str) -> str:
    """An absolute link for a mail: BASE_URL, the page, the token."""
    return f"{notify.base_url()}/{path}/{token}"
