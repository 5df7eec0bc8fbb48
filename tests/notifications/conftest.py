"""A real SMTP server on loopback (aiosmtpd) that keeps every mail it accepts."""

from __future__ import annotations

import email
import socket
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from config import TestingConfig
from tests.conftest import IS_POSTGRES
from tickets import create_app
from tickets.extensions import db

REFUSED_MARK = "rechazo"  # the server answers 550 to any recipient containing this


@dataclass
class Caught:
    """One mail as the SMTP server received it."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage
    tls: bool = False

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    def part(self, subtype: str) -> str:
        return self.message.get_body(preferencelist=(subtype,)).get_content()

    @property
    def text(self) -> str:
        return self.part("plain")

    @property
    def html(self) -> str:
        return self.part("html")


class Inbox:
    """aiosmtpd handler: refuses marked recipients, keeps the rest."""

    def __init__(self) -> None:
        self.caught: list[Caught] = []
        self._lock = threading.Lock()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if REFUSED_MARK in address:
            return "550 5.1.1 Buzon inexistente"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content, policy=policy.default)
        tls = server.transport.get_extra_info("ssl_object") is not None
        with self._lock:
            self.caught.append(Caught(envelope.mail_from, list(envelope.rcpt_tos), parsed, tls))
        return "250 Mensaje aceptado"


class SMTPServer:
    """Start, stop and restart on the same loopback port; ``caught`` survives restarts."""

    def __init__(self) -> None:
        self.inbox = Inbox()
        self.port = _free_port()
        self.controller: Controller | None = None

    @property
    def caught(self) -> list[Caught]:
        return self.inbox.caught

    def to(self, address: str) -> list[Caught]:
        return [c for c in self.caught if address in c.rcpt_tos]

    def start(self, **kwargs) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, **kwargs)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def mail_settings(app, **settings):
    """Set MAIL_* on an app for a test and put the old values back."""
    saved = {name: app.config.get(name) for name in settings}
    app.config.update(settings)
    try:
        yield
    finally:
        app.config.update(saved)


def loopback(server: SMTPServer, **overrides) -> dict:
    """MAIL_* settings that point at ``server``: plain SMTP, no login unless overridden."""
    settings = {
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": server.port,
        "MAIL_TIMEOUT": 5,
        "MAIL_USE_TLS": False,
        "MAIL_USE_SSL": False,
        "MAIL_USERNAME": None,
        "MAIL_PASSWORD": None,
    }
    return {**settings, **overrides}


@pytest.fixture
def smtp_server():
    server = SMTPServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp(app, smtp_server):
    """The session app sends to the loopback server for this test."""
    with mail_settings(app, **loopback(smtp_server)):
        yield smtp_server


@pytest.fixture
def concurrent_app(app, tmp_path):
    """An app whose database accepts several connections: the PostgreSQL one, or a SQLite file."""
    if IS_POSTGRES:
        yield app
        return
    from tickets.catalogs.loader import load_catalogs

    file_app = create_app(
        TestingConfig,
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'outbox.db'}",
        ATTACHMENT_DIR=str(tmp_path / "files"),
    )
    with file_app.app_context():
        db.create_all()
        load_catalogs()
    yield file_app
    with file_app.app_context():
        db.session.remove()
        db.engine.dispose()
