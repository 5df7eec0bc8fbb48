"""`flask mail send-pending` and `flask mail outbox`: what an operator reads in the console."""

from __future__ import annotations

import logging

from tests.factories import make_ticket, make_user
from tests.notifications.conftest import mail_settings
from tickets.accounts.models import Role


def _tickets(app, count: int, **overrides) -> list[str]:
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        return [make_ticket(operator, **overrides).folio for _ in range(count)]


def test_send_pending_sends_and_prints_a_spanish_summary(app, runner, smtp):
    _tickets(app, 3)

    result = runner.invoke(args=["mail", "send-pending"])

    assert result.exit_code == 0
    assert result.output.strip() == "Enviados: 3 · Fallidos: 0 · Pendientes: 0"
    assert len(smtp.caught) == 3


def test_send_pending_with_a_limit_leaves_the_rest_for_the_next_run(app, runner, smtp):
    _tickets(app, 3)

    first = runner.invoke(args=["mail", "send-pending", "--limit", "2"])
    second = runner.invoke(args=["mail", "send-pending", "--limit", "2"])

    assert "Enviados: 2 · Fallidos: 0 · Pendientes: 1" in first.output
    assert "Enviados: 1 · Fallidos: 0 · Pendientes: 0" in second.output
    assert len(smtp.caught) == 3


def test_a_dead_server_is_reported_and_the_outbox_shows_why(app, runner, smtp):
    smtp.stop()
    [folio] = _tickets(app, 1)

    sent = runner.invoke(args=["mail", "send-pending"])
    listed = runner.invoke(args=["mail", "outbox"])

    assert sent.exit_code == 0
    assert "Enviados: 0 · Fallidos: 1 · Pendientes: 1" in sent.output
    assert listed.exit_code == 0
    assert "Correos sin enviar: 1" in listed.output
    assert "maria.hernandez@ine.mx" in listed.output and folio in listed.output
    assert "intentos: 1" in listed.output
    assert "Último error: ConnectionRefusedError" in listed.output


def test_the_outbox_says_when_nothing_is_waiting(app, runner, smtp):
    _tickets(app, 1)
    runner.invoke(args=["mail", "send-pending"])

    result = runner.invoke(args=["mail", "outbox"])

    assert result.exit_code == 0
    assert result.output.strip() == "No hay correos pendientes."


def test_without_a_mail_server_send_pending_writes_the_mail_to_the_log(app, runner, caplog):
    caplog.set_level(logging.INFO, logger="tickets.mail")
    [folio] = _tickets(app, 1)

    with mail_settings(app, MAIL_SERVER=None):
        result = runner.invoke(args=["mail", "send-pending"])

    assert "Enviados: 1 · Fallidos: 0 · Pendientes: 0" in result.output
    assert folio in caplog.text and "maria.hernandez@ine.mx" in caplog.text


def test_a_limit_below_one_is_refused(app, runner):
    result = runner.invoke(args=["mail", "send-pending", "--limit", "0"])

    assert result.exit_code == 2
    assert "--limit" in result.output
