"""The outbox worker against a real SMTP server on loopback: who hears what, once."""

from __future__ import annotations

import logging
import re
import threading
from collections import Counter
from datetime import timedelta

import sqlalchemy as sa
from aiosmtpd.smtp import AuthResult

from tests.factories import make_ticket, make_user, org
from tests.notifications.conftest import loopback, mail_settings
from tickets.accounts.models import Role
from tickets.core.db import utcnow
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import access_codes, services
from tickets.helpdesk.models import Status
from tickets.notifications.models import OutboxMessage
from tickets.notifications.sender import SendReport, send_pending

LATER = parse_local("2021-11-14T12:00:00")
CONTACT = "maria.hernandez@ine.mx"  # tests.factories.ticket_data's contact


def _outbox() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))


def _in_progress(operator):
    ticket = make_ticket(operator)
    services.assign(operator, ticket, operator, now=LATER)
    services.transition(operator, ticket, Status.IN_PROGRESS, now=LATER)
    return ticket


def _fresh(smtp) -> None:
    """Send what is queued so far (the opening mail) and forget it."""
    send_pending()
    smtp.caught.clear()


# --- who hears what ---------------------------------------------------------------------------


def test_a_new_ticket_mails_its_folio_and_a_working_access_code_to_the_contact(ctx, operator, smtp):
    ticket = make_ticket(operator)

    report = send_pending()

    assert (report.sent, report.failed) == (1, 0)
    [mail] = smtp.caught
    assert mail.rcpt_tos == [CONTACT]
    assert ticket.folio in mail.subject
    assert ticket.folio in mail.text and ticket.folio in mail.html
    code = re.search(r"Código de acceso: (\S+)", mail.text).group(1)
    assert access_codes.verify(code, ticket.access_code_hash)
    assert code in mail.html


def test_the_mail_has_text_and_html_from_the_desk_with_a_message_id(ctx, app, operator, smtp):
    make_ticket(operator)

    send_pending()

    [mail] = smtp.caught
    assert mail.message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in mail.message.iter_parts()] == [
        "text/plain",
        "text/html",
    ]
    assert mail.message["From"] == app.config["MAIL_DEFAULT_SENDER"]
    assert mail.mail_from == "mesatic@ine.mx"
    assert re.fullmatch(r"<mesatic\.outbox\.\d+\.\d+@ine\.mx>", mail.message["Message-ID"])
    assert "Recibimos su solicitud" in mail.subject


def test_a_sent_mail_is_marked_sent_and_never_sent_again(ctx, operator, smtp):
    make_ticket(operator)

    send_pending()
    again = send_pending()

    assert again == SendReport()
    assert len(smtp.caught) == 1
    [row] = _outbox()
    assert row.sent_at is not None and row.claimed_until is None and row.last_error is None


def test_a_public_reply_reaches_the_requester(ctx, operator, smtp):
    ticket = make_ticket(operator)
    _fresh(smtp)

    services.add_comment(operator, ticket, "Reinicie el navegador y vuelva a entrar.", now=LATER)
    send_pending()

    [mail] = smtp.caught
    assert mail.rcpt_tos == [CONTACT]
    assert ticket.folio in mail.subject
    assert "Reinicie el navegador y vuelva a entrar." in mail.text
    assert "Reinicie el navegador y vuelva a entrar." in mail.html


def test_an_internal_note_sends_no_mail_at_all(ctx, operator, smtp):
    ticket = make_ticket(operator)
    note = "El servidor de la Junta tiene el disco lleno"

    services.add_comment(operator, ticket, note, internal=True, now=LATER)
    report = send_pending()

    assert report.sent == 1  # the opening mail only
    assert [row.kind for row in _outbox()] == ["opened"]
    assert all(note not in mail.text and note not in mail.html for mail in smtp.caught)


def test_waiting_and_resolved_each_tell_the_requester(ctx, operator, smtp):
    ticket = _in_progress(operator)
    _fresh(smtp)

    services.transition(operator, ticket, Status.WAITING, now=LATER)
    services.transition(operator, ticket, Status.IN_PROGRESS, now=LATER)
    services.transition(operator, ticket, Status.RESOLVED, now=LATER)
    send_pending()

    mails = smtp.to(CONTACT)
    assert len(mails) == len(smtp.caught) == 2
    assert all(ticket.folio in mail.subject for mail in mails)
    assert any("en espera de información de su parte" in mail.text for mail in mails)
    assert any("fue marcada como resuelta" in mail.text for mail in mails)


def test_a_reopen_by_the_requester_tells_the_requester_and_the_assignee(ctx, operator, smtp):
    requester = make_user(Role.REQUESTER, organization=org("JD-12-05"))
    ticket = _in_progress(operator)
    services.transition(operator, ticket, Status.RESOLVED, now=LATER)
    _fresh(smtp)

    services.transition(
        requester,
        ticket,
        Status.IN_PROGRESS,
        reason="El reporte sigue sin abrir.",
        now=LATER + timedelta(hours=2),
    )
    send_pending()

    assert sorted(r for mail in smtp.caught for r in mail.rcpt_tos) == sorted(
        [CONTACT, operator.email]
    )
    for mail in smtp.caught:
        assert ticket.folio in mail.subject
        assert "El reporte sigue sin abrir." in mail.text
    [to_assignee] = smtp.to(operator.email)
    assert "fue reabierto" in to_assignee.text


def test_a_requester_reply_reaches_the_assignee(ctx, operator, smtp):
    requester = make_user(Role.REQUESTER, organization=org("JD-12-05"))
    ticket = _in_progress(operator)
    _fresh(smtp)

    services.add_comment(requester, ticket, "Adjunto la captura del error.", now=LATER)
    send_pending()

    [mail] = smtp.caught
    assert mail.rcpt_tos == [operator.email]
    assert ticket.folio in mail.subject
    assert "Adjunto la captura del error." in mail.text


def test_the_html_part_escapes_what_people_typed(ctx, operator, smtp):
    ticket = make_ticket(operator, subject="<b>SIJE</b> caído")
    services.add_comment(operator, ticket, "<script>alert(1)</script> Revisado.", now=LATER)

    send_pending()

    assert len(smtp.caught) == 2
    for mail in smtp.caught:
        assert "<b>SIJE</b>" not in mail.html
        assert "&lt;b&gt;SIJE&lt;/b&gt;" in mail.html
        assert "<b>SIJE</b> caído" in mail.text  # plain text shows it as typed
    [reply] = [mail for mail in smtp.caught if "Revisado." in mail.text]
    assert "<script>" not in reply.html and "&lt;script&gt;alert(1)&lt;/script&gt;" in reply.html


# --- failures and retries ---------------------------------------------------------------------


def test_mail_queued_while_the_server_is_down_goes_out_once_when_it_is_back(ctx, operator, smtp):
    smtp.stop()
    ticket = make_ticket(operator)  # the service never touches the network
    services.add_comment(operator, ticket, "Ya revisamos su equipo.", now=LATER)

    first = send_pending()

    assert (first.sent, first.failed) == (0, 2)
    rows = _outbox()
    assert len(rows) == 2
    for row in rows:
        assert row.sent_at is None and row.claimed_until is None and row.attempts == 1
        assert "ConnectionRefusedError" in row.last_error
    assert send_pending() == SendReport()  # not due again before the backoff

    smtp.start()
    back = send_pending(now=utcnow() + timedelta(minutes=2))

    assert (back.sent, back.failed) == (2, 0)
    per_message = Counter(mail.message["Message-ID"] for mail in smtp.caught)
    assert len(per_message) == 2 and set(per_message.values()) == {1}
    assert send_pending(now=utcnow() + timedelta(hours=3)) == SendReport()
    assert len(smtp.caught) == 2
    assert all(row.sent_at is not None and row.attempts == 2 for row in _outbox())


def test_failures_back_off_one_two_four_minutes_up_to_an_hour(ctx, operator, smtp):
    smtp.stop()
    make_ticket(operator)
    now = utcnow()
    delays = []

    for _ in range(8):
        assert send_pending(now=now).failed == 1
        [row] = _outbox()
        delays.append(row.next_attempt_at - now)
        now = row.next_attempt_at

    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 8, 16, 32, 60, 60)]
    assert row.attempts == 8 and row.sent_at is None


def test_a_refused_address_fails_alone_and_the_rest_of_the_batch_goes_out(ctx, operator, smtp):
    make_ticket(operator, contact_email="rechazo@ine.mx")
    make_ticket(operator)

    report = send_pending()

    assert (report.sent, report.failed) == (1, 1)
    [mail] = smtp.caught
    assert mail.rcpt_tos == [CONTACT]
    [refused] = [row for row in _outbox() if row.sent_at is None]
    assert refused.to_address == "rechazo@ine.mx" and refused.attempts == 1
    assert "550" in refused.last_error and "rechazo@ine.mx" in refused.last_error


def test_a_reply_posted_while_the_server_is_down_succeeds_and_is_delivered_later(
    app, client_as, smtp
):
    smtp.stop()
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        ticket = make_ticket(operator)
        operator_id, folio, version = operator.id, ticket.folio, ticket.version

    resp = client_as(operator_id).post(
        f"/tickets/{folio}/comentarios", data={"body": "Ya quedó su acceso.", "version": version}
    )

    assert resp.headers["Location"].endswith(f"/tickets/{folio}#historial")
    with app.app_context():
        assert send_pending().failed == 2
    smtp.start()
    with app.app_context():
        assert send_pending(now=utcnow() + timedelta(minutes=2)).sent == 2
    assert any("Ya quedó su acceso." in mail.text for mail in smtp.to(CONTACT))


def test_a_message_held_by_another_worker_waits_until_its_claim_expires(ctx, operator, smtp):
    make_ticket(operator)
    now = utcnow()
    [row] = _outbox()
    row.claimed_until = now + timedelta(minutes=5)  # a worker that took it and then died
    db.session.commit()

    assert send_pending(now=now) == SendReport()
    assert smtp.caught == []

    assert send_pending(now=now + timedelta(minutes=6)).sent == 1
    assert len(smtp.caught) == 1


def test_two_workers_at_once_send_each_mail_once(concurrent_app, smtp_server):
    mails = 20
    with concurrent_app.app_context():
        operator = make_user(Role.OPERATOR)
        for n in range(mails):
            make_ticket(operator, subject=f"Falla {n} en el SIJE")
        db.session.remove()
    barrier = threading.Barrier(2)
    reports: list[SendReport] = []
    errors: list[BaseException] = []

    def worker():
        with concurrent_app.app_context():
            try:
                barrier.wait()
                reports.append(send_pending())
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)
            finally:
                db.session.remove()

    with mail_settings(concurrent_app, **loopback(smtp_server)):
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert errors == []
    assert sum(r.sent for r in reports) == mails and sum(r.failed for r in reports) == 0
    per_message = Counter(mail.message["Message-ID"] for mail in smtp_server.caught)
    assert len(per_message) == mails and set(per_message.values()) == {1}
    with concurrent_app.app_context():
        unsent = db.session.scalar(
            sa.select(sa.func.count()).where(OutboxMessage.sent_at.is_(None))
        )
    assert unsent == 0


# --- configuration ----------------------------------------------------------------------------


def test_without_a_mail_server_the_mail_is_logged_and_marked_sent(ctx, app, operator, caplog):
    caplog.set_level(logging.INFO, logger="tickets.mail")
    with mail_settings(app, MAIL_SERVER=None):
        ticket = make_ticket(operator)
        report = send_pending()

    assert (report.sent, report.failed) == (1, 0)
    assert CONTACT in caplog.text and ticket.folio in caplog.text
    assert "Código de acceso:" in caplog.text
    [row] = _outbox()
    assert row.sent_at is not None


def test_the_worker_logs_in_once_per_batch_when_a_username_is_set(ctx, app, operator, smtp_server):
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password == b"secreto", handled=False)

    smtp_server.stop()
    smtp_server.start(authenticator=authenticator, auth_require_tls=False)
    settings = loopback(smtp_server, MAIL_USERNAME="mesatic", MAIL_PASSWORD="secreto")
    for _ in range(3):
        make_ticket(operator)

    with mail_settings(app, **settings):
        report = send_pending()

    assert report.sent == 3 and len(smtp_server.caught) == 3
    assert logins == [("mesatic", "secreto")]


def test_a_wrong_password_fails_the_batch_and_loses_nothing(ctx, app, operator, smtp_server):
    def authenticator(server, session, envelope, mechanism, auth_data):
        return AuthResult(success=False, handled=False)  # the server answers 535

    smtp_server.stop()
    smtp_server.start(authenticator=authenticator, auth_require_tls=False)
    make_ticket(operator)
    make_ticket(operator)

    with mail_settings(app, **loopback(smtp_server, MAIL_USERNAME="mesatic", MAIL_PASSWORD="otra")):
        report = send_pending()

    assert (report.sent, report.failed) == (0, 2)
    assert smtp_server.caught == []
    assert all("SMTPAuthenticationError" in row.last_error for row in _outbox())
