"""STARTTLS and implicit TLS against the loopback server, with a certificate the test trusts."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest

from tests.factories import make_ticket
from tests.notifications.conftest import loopback, mail_settings
from tickets.notifications.sender import send_pending


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made with the openssl command."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],  # fmt: skip
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def server_context(certificate, monkeypatch):
    """The server's TLS context; the worker trusts the certificate through SSL_CERT_FILE."""
    cert, key = certificate
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def test_starttls_upgrades_the_connection_before_sending(
    ctx, app, operator, smtp_server, server_context
):
    smtp_server.stop()
    smtp_server.start(tls_context=server_context, require_starttls=True)
    make_ticket(operator)

    with mail_settings(app, **loopback(smtp_server, MAIL_USE_TLS=True)):
        report = send_pending()

    assert report.sent == 1
    [mail] = smtp_server.caught
    assert mail.tls


def test_implicit_tls_sends_over_an_encrypted_connection(
    ctx, app, operator, smtp_server, server_context
):
    smtp_server.stop()
    smtp_server.start(ssl_context=server_context)
    make_ticket(operator)

    with mail_settings(app, **loopback(smtp_server, MAIL_USE_SSL=True)):
        report = send_pending()

    assert report.sent == 1
    [mail] = smtp_server.caught
    assert mail.tls


def test_a_server_without_starttls_is_a_recorded_failure(ctx, app, operator, smtp):
    make_ticket(operator)

    with mail_settings(app, **loopback(smtp, MAIL_USE_TLS=True)):
        report = send_pending()

    assert (report.sent, report.failed) == (0, 1)
    assert smtp.caught == []
