"""The outbox worker: send due messages over SMTP, each one once, retrying failures with backoff.

Services only write OutboxMessage rows (in the transaction of the change they announce);
`send_pending` is the one place that talks to the mail server. It is a plain function taking
``now`` so `flask mail send-pending`, cron and the scheduler all call the same thing.

Once-only: before sending, a worker claims a message with one conditional UPDATE and sends only
when that UPDATE changed exactly one row, so two workers never send the same mail. The one window
left is a crash (or lost database connection) after the SMTP server accepted a message and
before ``sent_at`` is committed: when the claim expires the message is sent again, with the same
Message-ID. See docs/mail.md.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr

import sqlalchemy as sa
from flask import current_app

from tickets.core.db import utcnow
from tickets.extensions import db
from tickets.notifications.models import OutboxMessage

logger = logging.getLogger("tickets.mail")

FIRST_RETRY = timedelta(minutes=1)
MAX_RETRY = timedelta(hours=1)
# A claim covers one message: connect (with STARTTLS and login) and send, each bounded by
# MAIL_TIMEOUT, plus the commit. It only matters when a worker dies holding it.
MIN_LEASE = timedelta(minutes=5)
ERROR_MAX_CHARS = 1000

# The server refused this one message; the connection is still good for the next.
MESSAGE_REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


@dataclass
class SendReport:
    """What one run did: sent, failed (will be retried), skipped (another worker had it)."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0


def send_pending(now: datetime | None = None, limit: int = 100) -> SendReport:
    """Send up to ``limit`` due messages over one SMTP connection; never raises for SMTP trouble.

    Without MAIL_SERVER each message is written to the ``tickets.mail`` log and marked sent.
    A failed message keeps its place in the outbox with ``attempts``, ``last_error`` and a
    ``next_attempt_at`` 1, 2, 4… minutes later (at most an hour). Commits as it goes (one claim,
    one result per message), so call it outside any other unit of work.
    """
    now = now or utcnow()
    ids = _due_ids(now, limit)
    report = SendReport()
    if not ids:
        return report
    transport = _transport(current_app.config)
    try:
        for message_id in ids:
            outcome = _send_one(transport, message_id, now)
            setattr(report, outcome, getattr(report, outcome) + 1)
    finally:
        transport.close()
    return report


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the ``attempts``-th failed attempt: 1, 2, 4… minutes, at most 1 h."""
    return min(FIRST_RETRY * 2 ** max(attempts - 1, 0), MAX_RETRY)


def unsent_count() -> int:
    """Messages not sent yet, due or waiting for their next attempt."""
    query = sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))
    return db.session.scalar(query)


def unsent_messages(limit: int = 50) -> list[OutboxMessage]:
    """The oldest unsent messages, for operators looking at failures."""
    query = (
        sa.select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None))
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def build_email(message: OutboxMessage, sender: str) -> EmailMessage:
    """The message as sent: multipart/alternative (text, then HTML), stable Message-ID."""
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Date"] = format_datetime(utcnow())
    email["Message-ID"] = message_id_for(message, sender)
    email["Auto-Submitted"] = "auto-generated"  # RFC 3834: no vacation replies to the desk
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def message_id_for(message: OutboxMessage, sender: str) -> str:
    """The same Message-ID on every attempt, so a resend after a crash can be recognised."""
    domain = parseaddr(sender)[1].rpartition("@")[2] or "mesatic.local"
    stamp = int(message.created_at.timestamp()) if message.created_at else 0
    return f"<mesatic.outbox.{message.id}.{stamp}@{domain}>"


# --- one message ------------------------------------------------------------------------------


def _due_ids(now: datetime, limit: int) -> list[int]:
    query = (
        sa.select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(query))
    db.session.commit()  # end the read: each claim below starts its own write transaction
    return ids


def _send_one(transport, message_id: int, now: datetime) -> str:
    """Claim, send, record; returns the SendReport field to count it in."""
    if not _claim(message_id, now, now + _lease()):
        return "skipped"
    message = db.session.get(OutboxMessage, message_id)
    attempts = message.attempts
    try:
        transport.send(message)
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried, never raised
        db.session.rollback()
        _record_failure(message_id, attempts + 1, _describe(exc), now)
        return "failed"
    db.session.commit()  # end the read before the write (SQLite: no read-to-write upgrade)
    _record_sent(message_id, attempts + 1, now)
    return "sent"


def _claim(message_id: int, now: datetime, until: datetime) -> bool:
    """One portable conditional UPDATE: exactly one worker sees rowcount == 1."""
    result = db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=until)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount == 1


def _record_sent(message_id: int, attempts: int, now: datetime) -> None:
    _update(message_id, sent_at=now, claimed_until=None, attempts=attempts, last_error=None)


def _record_failure(message_id: int, attempts: int, error: str, now: datetime) -> None:
    logger.warning("No se pudo enviar el correo %s (intento %s): %s", message_id, attempts, error)
    _update(
        message_id,
        attempts=attempts,
        last_error=error,
        next_attempt_at=now + retry_delay(attempts),
        claimed_until=None,
    )


def _update(message_id: int, **values) -> None:
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.id == message_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _lease() -> timedelta:
    timeout = timedelta(seconds=current_app.config.get("MAIL_TIMEOUT") or 10)
    return max(MIN_LEASE, timeout * 6)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        reply = exc.smtp_error
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        detail = f"{exc.smtp_code} {text}"
    elif isinstance(exc, smtplib.SMTPRecipientsRefused):
        detail = "; ".join(
            f"{address}: {code} {reply.decode('utf-8', 'replace')}"
            for address, (code, reply) in exc.recipients.items()
        )
    else:
        detail = str(exc) or "sin detalle"
    return f"{type(exc).__name__}: {detail}"[:ERROR_MAX_CHARS]


# --- transports -------------------------------------------------------------------------------


def _transport(config):
    if not config.get("MAIL_SERVER"):
        return LogTransport()
    return SMTPTransport(config)


class LogTransport:
    """No MAIL_SERVER (development, demos): the mail goes to the log instead of the network."""

    def send(self, message: OutboxMessage) -> None:
        logger.info(
            "Correo no enviado (sin MAIL_SERVER)\nPara: %s\nAsunto: %s\n\n%s",
            message.to_address,
            message.subject,
            message.body_text,
        )

    def close(self) -> None:
        pass


class SMTPTransport:
    """One SMTP connection for the batch, opened on first use, reopened once after a drop.

    When the server cannot be reached, the rest of the batch fails at once with the same error
    instead of waiting MAIL_TIMEOUT for each message.
    """

    def __init__(self, config) -> None:
        self.config = config
        self.sender = config["MAIL_DEFAULT_SENDER"]
        self.smtp: smtplib.SMTP | None = None
        self.unreachable: Exception | None = None

    def send(self, message: OutboxMessage) -> None:
        email = build_email(message, self.sender)
        smtp = self._connection()
        try:
            smtp.send_message(email)
        except MESSAGE_REFUSED:
            raise
        except Exception:
            self.close()  # the connection is in an unknown state: the next message reconnects
            raise

    def _connection(self) -> smtplib.SMTP:
        if self.unreachable is not None:
            raise self.unreachable
        if self.smtp is None:
            try:
                self.smtp = self._connect()
            except Exception as exc:
                self.unreachable = exc
                raise
        return self.smtp

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
        if config.get("MAIL_USE_SSL"):
            context = ssl.create_default_context()
            smtp = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        try:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        except BaseException:
            smtp.close()
            raise
        return smtp

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()
