"""Portal fixtures: a clean rate limiter around every test, and a small world of tickets."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest

from tests.factories import make_user, org, ticket_data
from tickets.accounts.models import Role
from tickets.core.timeutil import parse_local
from tickets.extensions import limiter
from tickets.helpdesk import services
from tickets.helpdesk.attachments import Upload
from tickets.helpdesk.models import Status

OPENED = parse_local("2021-11-15T10:00:00")
INTERNAL_NOTE = "NOTA-INTERNA: el jefe de sistemas dice que el servidor está saturado"
INTERNAL_FILE = "bitacora-interna.txt"
PUBLIC_REPLY = "Borre la caché del navegador y vuelva a entrar, por favor."
PUBLIC_FILE = "instrucciones.pdf"
OPERATOR_EMAIL = "ana.lopez.operadora@ine.mx"


@pytest.fixture(autouse=True)
def _fresh_limiter(app):
    """Rate-limit counters live in memory across tests; every test starts and ends at zero."""
    with app.app_context():
        limiter.reset()
    yield
    with app.app_context():
        limiter.reset()


@dataclass(frozen=True)
class World:
    """Plain values only: view tests make requests outside any app context."""

    folio: str
    code: str
    operator_id: int
    requester_id: int
    stranger_id: int
    other_folio: str
    public_file_id: int
    internal_file_id: int


def open_with_code(actor, **overrides):
    """Open a ticket through the service; return it with its access code."""
    return services.open_ticket(actor, ticket_data(**overrides), now=OPENED)


def advance(actor, ticket, *statuses, now=None):
    """Assign to ``actor`` and walk the ticket through ``statuses`` with the real service."""
    if ticket.assignee_id is None:
        services.assign(actor, ticket, actor, now=now or OPENED)
    for status in statuses:
        services.transition(actor, ticket, Status(status), now=now or OPENED)
    return ticket


@pytest.fixture
def world(app) -> World:
    """A Junta Distrital ticket being worked, with a public reply and file, an internal note and
    file; a requester of that Junta, one of the OPL of the Estado de México with its own
    ticket."""
    with app.app_context():
        operator = make_user(Role.OPERATOR, name="Ana López Ruiz", email=OPERATOR_EMAIL)
        requester = make_user(Role.REQUESTER, organization=org("JD-12-05"), name="Luis Pérez")
        stranger = make_user(Role.REQUESTER, organization=org("OPL-15"), name="Rosa Díaz")
        ticket, code = open_with_code(operator)
        advance(operator, ticket, "in_progress")
        reply = services.add_comment(
            operator,
            ticket,
            PUBLIC_REPLY,
            files=[Upload(PUBLIC_FILE, io.BytesIO(b"%PDF-1.4 pasos"))],
            now=OPENED,
        )
        note = services.add_comment(
            operator,
            ticket,
            INTERNAL_NOTE,
            internal=True,
            files=[Upload(INTERNAL_FILE, io.BytesIO(b"solo personal"))],
            now=OPENED,
        )
        other, _ = open_with_code(operator, organization=org("OPL-15"))
        public_file = _file_of(ticket, reply.id)
        internal_file = _file_of(ticket, note.id)
        return World(
            folio=ticket.folio,
            code=code,
            operator_id=operator.id,
            requester_id=requester.id,
            stranger_id=stranger.id,
            other_folio=other.folio,
            public_file_id=public_file,
            internal_file_id=internal_file,
        )


def _file_of(ticket, comment_id: int) -> int:
    import sqlalchemy as sa

    from tickets.extensions import db
    from tickets.helpdesk.models import Attachment

    return db.session.scalar(sa.select(Attachment.id).where(Attachment.comment_id == comment_id))
