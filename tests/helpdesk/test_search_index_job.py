"""The nightly "search-index" job: SQLite's search index merged into one segment, nothing lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.conftest import IS_POSTGRES
from tests.factories import make_ticket, make_user
from tickets.accounts.models import Role
from tickets.core.timeutil import parse_local
from tickets.extensions import db
from tickets.helpdesk import queries
from tickets.helpdesk.queries import QueueFilters
from tickets.jobs import runner, scheduler
from tickets.jobs.models import JobRun

NIGHT = datetime(2021, 11, 16, 9, 0, tzinfo=UTC)  # 03:00 in Mexico City


@pytest.fixture
def segment_per_commit(app):
    """On SQLite, FTS5 merges segments on its own: `automerge` once a few pile up at a level,
    and always once 16 do (`crisismerge`), so how many the test's commits left depended on what
    earlier tests had written. The index starts merged and automerge is off for the test, so
    each commit leaves its own segment; automerge is restored afterwards."""
    if IS_POSTGRES:
        yield
        return
    with app.app_context():
        db.session.execute(sa.text("INSERT INTO tickets_fts(tickets_fts) VALUES ('optimize')"))
        _set_automerge(0)
    yield
    with app.app_context():
        _set_automerge(4)  # FTS5's default


def _set_automerge(value: int) -> None:
    db.session.execute(
        sa.text("INSERT INTO tickets_fts(tickets_fts, rank) VALUES ('automerge', :value)"),
        {"value": value},
    )
    db.session.commit()


def _segments() -> int:
    return db.session.scalar(sa.text("SELECT count(DISTINCT segid) FROM tickets_fts_idx"))


def test_the_job_merges_the_index_and_every_ticket_is_still_found(app, segment_per_commit):
    with app.app_context():
        operator = make_user(Role.OPERATOR)
        for n in range(4):  # each ticket commits on its own: a segment each on SQLite
            make_ticket(
                operator,
                subject=f"Cómputo de la casilla {n}",
                received_at=parse_local(f"2021-11-1{n}T09:00:00"),
            )
        segments_before = None if IS_POSTGRES else _segments()
    job = scheduler.job_named("search-index")

    result = runner.run_job(app, job.name, job.func, NIGHT, NIGHT, holder="prueba")

    with app.app_context():
        summary = db.session.scalar(sa.select(JobRun.summary).where(JobRun.job == job.name))
        found = queries.queue_rows(db.session.merge(operator), QueueFilters(q="computo casilla"))
        assert len(found.tickets) == 4
        if IS_POSTGRES:
            assert (
                summary == "No aplica: en PostgreSQL el índice de búsqueda lo mantiene autovacuum."
            )
        else:
            assert segments_before >= 4
            assert _segments() == 1
            assert summary == f"Índice de búsqueda compactado: {segments_before} segmentos → 1."
    assert result.outcome == runner.OK


def test_the_job_runs_nightly_at_three_mexico_city_time(app):
    job = scheduler.job_named("search-index")
    tz = scheduler.timezone_of(app)

    assert scheduler.next_run(job, NIGHT + timedelta(minutes=1), tz) == NIGHT + timedelta(days=1)
