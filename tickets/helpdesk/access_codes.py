"""Access codes: shown once, stored as a digest, compared in constant time.

A code is 12 characters of Crockford's base32 (60 random bits), so a plain SHA-256 digest
resists offline guessing while staying cheap enough for bulk imports and demo data.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # no I, L, O, U: nothing to misread on the phone


def generate() -> str:
    """A new code, grouped for dictation: 'K7Q2-9MXD-4TRB'."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def normalise(code: str) -> str:
    """What the requester typed, in canonical form (case, dashes, I/L/O read as 1/1/0)."""
    cleaned = code.upper().replace("-", "").replace(" ", "")
    return cleaned.translate(str.maketrans("ILO", "110"))


def digest(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def verify(code: str, stored_digest: str | None) -> bool:
    """Constant-time comparison; a ticket without a code matches nothing."""
    if not stored_digest:
        hmac.compare_digest(digest(code), "0" * 64)
        return False
    return hmac.compare_digest(digest(code), stored_digest)
