"""`flask mail send-pending` and `flask mail outbox`: run the outbox worker, look at failures."""

from __future__ import annotations

import logging

import click
from flask.cli import AppGroup

mail_cli = AppGroup("mail", help="Correo: envío de la bandeja de salida.")


@mail_cli.command("send-pending")
@click.option(
    "--limit",
    type=click.IntRange(1, 10000),
    default=100,
    show_default=True,
    help="Máximo de correos por ejecución.",
)
def send_pending_command(limit: int) -> None:
    """Envía los correos pendientes que ya toca enviar (para cron, cada minuto)."""
    from flask import current_app

    from tickets.notifications import sender

    _console_logging(current_app)
    report = sender.send_pending(limit=limit)
    line = f"Enviados: {report.sent} · Fallidos: {report.failed}"
    if report.skipped:
        line += f" · Tomados por otro proceso: {report.skipped}"
    click.echo(f"{line} · Pendientes: {sender.unsent_count()}")


@mail_cli.command("outbox")
@click.option(
    "--limit",
    type=click.IntRange(1, 10000),
    default=50,
    show_default=True,
    help="Máximo de correos que se listan.",
)
def outbox_command(limit: int) -> None:
    """Lista los correos sin enviar: destinatario, asunto, intentos y último error."""
    from tickets.core.timeutil import short_datetime
    from tickets.notifications import sender

    total = sender.unsent_count()
    if not total:
        click.echo("No hay correos pendientes.")
        return
    click.echo(f"Correos sin enviar: {total}")
    for message in sender.unsent_messages(limit):
        click.echo(
            f"#{message.id} · {message.to_address} · {message.subject} · "
            f"intentos: {message.attempts} · "
            f"próximo intento: {short_datetime(message.next_attempt_at)}"
        )
        if message.last_error:
            click.echo(f"    Último error: {message.last_error}")
    if total > limit:
        click.echo(f"… y {total - limit} más.")


def _console_logging(app) -> None:
    """Failures (and, without MAIL_SERVER, the mails themselves) reach the console or cron log."""
    app.logger  # noqa: B018 - Flask attaches its stderr handler to the "tickets" logger here
    mail_logger = logging.getLogger("tickets.mail")
    if not app.config.get("MAIL_SERVER") and mail_logger.level == logging.NOTSET:
        mail_logger.setLevel(logging.INFO)
