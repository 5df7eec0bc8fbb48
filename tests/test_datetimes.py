"""Times read back from either database are the instant that was written, aware, in UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tests.factories import make_ticket
from tickets.extensions import db
from tickets.helpdesk.models import Ticket


def test_a_ticket_time_comes_back_as_the_same_instant_in_utc(ctx):
    # Half past one in Mexico City on the eve of the end of 2021's summer time (UTC-5).
    received = datetime(2021, 10, 30, 1, 30, 15, 123456, tzinfo=ZoneInfo("America/Mexico_City"))
    ticket = make_ticket(received_at=received)
    db.session.commit()
    folio = ticket.folio
    db.session.expunge_all()

    row = db.session.execute(
        sa.select(Ticket.received_at, Ticket.first_response_at).where(Ticket.folio == folio)
    ).one()

    assert row.received_at == received
    assert row.received_at.tzinfo is UTC
    assert (row.received_at.day, row.received_at.hour) == (30, 6)  # 01:30 at UTC-5
    assert row.first_response_at is None  # an empty time stays empty


def test_a_time_written_in_another_offset_reads_back_equal(ctx):
    received = datetime(2021, 11, 1, 23, 59, tzinfo=timezone(timedelta(hours=-6)))
    ticket = make_ticket(received_at=received)
    db.session.commit()
    db.session.expire_all()

    assert ticket.received_at == received
    assert ticket.received_at.utcoffset() == timedelta(0)
    assert (ticket.received_at.day, ticket.received_at.hour) == (2, 5)
