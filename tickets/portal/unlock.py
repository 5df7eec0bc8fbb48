"""Which folios this browser unlocked with their access code, kept in the signed session.

The code itself is never stored and never travels in a URL. Each unlocked folio is kept with a
keyed fingerprint of the ticket's current code digest, so re-issuing the code (which replaces
the digest) also locks every session that used the old one.
"""

from __future__ import annotations

import hashlib
import hmac

from flask import abort, current_app, session

from tickets.helpdesk.models import Ticket
from tickets.portal import queries

SESSION_KEY = "portal_folios"
MAX_UNLOCKED = 5  # a bounded list: the cookie stays small and old unlocks fall off


def _fingerprint(ticket: Ticket) -> str:
    key = str(current_app.config["SECRET_KEY"]).encode()
    message = f"{ticket.folio}:{ticket.access_code_hash or ''}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:32]


def _entries() -> list[list[str]]:
    entries = session.get(SESSION_KEY)
    if not isinstance(entries, list):
        return []
    return [e for e in entries if isinstance(e, list) and len(e) == 2]


def remember(ticket: Ticket) -> None:
    """Unlock ``ticket`` in this session (most recent last, at most MAX_UNLOCKED)."""
    kept = [e for e in _entries() if e[0] != ticket.folio]
    session[SESSION_KEY] = [*kept, [ticket.folio, _fingerprint(ticket)]][-MAX_UNLOCKED:]


def forget(folio: str) -> None:
    """Lock a folio again in this session (a shared computer at a Junta)."""
    folio = queries.normalise_folio(folio)
    session[SESSION_KEY] = [e for e in _entries() if e[0] != folio]


def folios() -> list[str]:
    """The folios unlocked in this session, most recent first."""
    return [folio for folio, _ in reversed(_entries())]


def unlocked_ticket_or_404(folio: str) -> Ticket:
    """The ticket if this session unlocked it with its current code; 404 otherwise."""
    folio = queries.normalise_folio(folio)
    stored = dict((f, fp) for f, fp in _entries()).get(folio)
    if stored is None:
        abort(404)
    ticket = queries.ticket_by_folio(folio)
    if ticket is None or not hmac.compare_digest(stored, _fingerprint(ticket)):
        abort(404)
    return ticket
