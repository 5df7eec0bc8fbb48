"""The demo's training log: November 2021 sessions written through the real service.

The whole `flask demo load` takes long and runs in tests/demo; here the training loader runs on
its own, as the builder calls it.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from tests.factories import make_user, org
from tickets.accounts.models import Role
from tickets.core.timeutil import parse_local, to_mx
from tickets.demo import builder
from tickets.demo import training as demo
from tickets.extensions import db
from tickets.training import queries
from tickets.training.models import Modality, TrainingSession


def _sessions() -> list[TrainingSession]:
    return list(db.session.scalars(sa.select(TrainingSession).order_by(TrainingSession.held_on)))


def test_the_demo_loader_runs_as_the_demo_supervisor(ctx):
    supervisor = make_user(Role.SUPERVISOR, email="adriana.solis@mesatic.demo")
    loading = builder.Loading(plan=None, result=builder.LoadResult(), users={})
    loading.users[supervisor.email] = supervisor

    loaders = builder.LOADERS
    assert loaders.index(demo.load_training) > loaders.index(builder.load_staff)
    demo.load_training(loading)

    sessions = _sessions()
    assert len(sessions) == len(demo.SESSIONS) == 19
    assert {s.created_by_id for s in sessions} == {supervisor.id}


def test_november_2021_gets_believable_sessions_and_a_total_for_the_report(ctx, supervisor):
    written = demo.record_demo_sessions(supervisor)

    sessions = _sessions()
    assert written == len(sessions) == 19
    assert all(date(2021, 11, 1) <= s.held_on <= date(2021, 11, 30) for s in sessions)
    assert queries.people_trained("2021-11") == demo.TOTAL_PEOPLE == 253
    assert {s.modality for s in sessions} == {Modality.IN_PERSON, Modality.REMOTE}
    assert all(s.office is None or s.office.state_id == s.state_id for s in sessions)
    assert all(to_mx(s.created_at).date() == s.held_on for s in sessions)


def test_a_second_load_adds_nothing(ctx, supervisor):
    demo.record_demo_sessions(supervisor)

    assert demo.record_demo_sessions(supervisor) == 0
    assert len(_sessions()) == 19


def test_a_session_whose_office_was_deactivated_is_left_out(ctx, supervisor):
    ieem = org("OPL-15")
    ieem.is_active = False
    db.session.commit()

    assert demo.record_demo_sessions(supervisor) == 18
    assert queries.people_trained("2021-11") == demo.TOTAL_PEOPLE - 9


def test_no_session_is_dated_after_the_clock(ctx, supervisor):
    mid_month = parse_local("2021-11-15T12:00:00")

    demo.record_demo_sessions(supervisor, now=mid_month)

    assert max(s.held_on for s in _sessions()) == date(2021, 11, 12)
