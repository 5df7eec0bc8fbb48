"""Signed, expiring links: the invitation to activate an account and the password reset.

A token carries the user's id and a fingerprint of the account's current password hash and
e-mail, signed with SECRET_KEY and a salt per purpose (an invitation never opens a reset, nor
the reverse). Nothing is stored: setting a password changes the hash, so a link works once;
re-addressing the account kills links sent to the old address; a disabled account's links fail.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, TimestampSigner, URLSafeTimedSerializer

from tickets.accounts.models import User
from tickets.core.db import utcnow
from tickets.core.errors import DomainError
from tickets.extensions import db

INVITATION = "invitation"
PASSWORD_RESET = "password-reset"


class LinkExpired(DomainError):
    """The link is genuine but older than its lifetime."""

    code, status = "link_expired", 410


class LinkUsed(DomainError):
    """The link is genuine and in time, but already used (or its account changed or closed)."""

    code, status = "link_used", 410


class LinkInvalid(DomainError):
    """The text is not a link this desk issued (mistyped, cut in two by a mail reader…)."""

    code, status = "link_invalid", 400


class _ClockSigner(TimestampSigner):
    """A TimestampSigner on the caller's clock: services take ``now``, so tests never sleep."""

    def __init__(self, *args, now: datetime | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._now = now

    def get_timestamp(self) -> int:
        return int(self._now.timestamp()) if self._now is not None else super().get_timestamp()


def lifetime(purpose: str) -> timedelta:
    """How long a link of this purpose stays valid (INVITATION_DAYS, PASSWORD_RESET_HOURS)."""
    if purpose == INVITATION:
        return timedelta(days=current_app.config["INVITATION_DAYS"])
    if purpose == PASSWORD_RESET:
        return timedelta(hours=current_app.config["PASSWORD_RESET_HOURS"])
    raise ValueError(f"unknown token purpose {purpose!r}")


def issue(purpose: str, user: User, now: datetime | None = None) -> str:
    """A URL-safe token for ``user`` signed at ``now`` (default: the current time)."""
    lifetime(purpose)  # refuse unknown purposes before signing anything
    payload = {"u": user.id, "f": fingerprint(user)}
    return _serializer(purpose, now or utcnow()).dumps(payload)


def holder(purpose: str, token: str, now: datetime | None = None) -> User:
    """The account a token was issued for, if the token is genuine, in time and unused.

    :raises LinkInvalid: not signed by us for this purpose, or malformed.
    :raises LinkExpired: older than the purpose's lifetime at ``now``.
    :raises LinkUsed: the password (or e-mail) changed since, or the account is disabled.
    """
    max_age = int(lifetime(purpose).total_seconds())
    try:
        payload = _serializer(purpose, now or utcnow()).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise LinkExpired("El enlace venció.") from exc
    except BadSignature as exc:
        raise LinkInvalid("El enlace no es válido.") from exc
    user = _user_of(payload)
    if user is None:
        raise LinkInvalid("El enlace no es válido.")
    if not user.is_active or payload.get("f") != fingerprint(user):
        raise LinkUsed("El enlace ya se usó o dejó de ser válido.")
    return user


def fingerprint(user: User) -> str:
    """A short digest of what must not change for a link to keep working."""
    material = f"{user.password_hash or ''}\x00{user.email}".encode()
    return hashlib.sha256(material).hexdigest()[:20]


def _user_of(payload) -> User | None:
    user_id = payload.get("u") if isinstance(payload, dict) else None
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    return db.session.get(User, user_id)


def _serializer(purpose: str, now: datetime) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(
        current_app.config["SECRET_KEY"],
        salt=purpose,
        signer=_ClockSigner,
        signer_kwargs={"now": now},
    )
