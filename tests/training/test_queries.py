"""The month's total the report states, and the list's filters, totals and pages."""

from __future__ import annotations

from datetime import date

import pytest

from tests.factories import make_user, org, state, system
from tickets.accounts.models import Role
from tickets.core.timeutil import parse_local
from tickets.training import queries, services
from tickets.training.models import Modality
from tickets.training.queries import SessionFilters

NOW = parse_local("2022-02-01T12:00:00")


def record(actor, held_on: date, people: int, **overrides):
    """Log one session through the real service (Guerrero, SIJE, in person unless told)."""
    values = dict(
        held_on=held_on,
        state_id=state("12").id,
        office_id=None,
        topic=f"Sesión del {held_on:%d/%m}",
        system_id=system("SIJE").id,
        modality=Modality.IN_PERSON,
        people_trained=people,
    )
    values.update(overrides)
    return services.record_session(actor, services.SessionData(**values), now=NOW)


# --- people_trained(month): the figure of the monthly report -------------------------------


def test_an_empty_month_trained_nobody(ctx):
    assert queries.people_trained("2021-11") == 0


def test_the_month_total_counts_its_first_and_last_day_and_nothing_else(ctx, supervisor):
    record(supervisor, date(2021, 10, 31), 1000)
    record(supervisor, date(2021, 11, 1), 10)
    record(supervisor, date(2021, 11, 15), 20)
    record(supervisor, date(2021, 11, 30), 30)
    record(supervisor, date(2021, 12, 1), 2000)

    assert queries.people_trained("2021-11") == 60
    assert queries.people_trained("2021-10") == 1000
    assert queries.people_trained("2021-12") == 2000


def test_december_ends_at_new_year(ctx, supervisor):
    record(supervisor, date(2021, 12, 31), 7)
    record(supervisor, date(2022, 1, 1), 11)

    assert queries.people_trained("2021-12") == 7
    assert queries.people_trained("2022-01") == 11


def test_february_of_a_leap_year_ends_on_the_29th(ctx, supervisor):
    record(supervisor, date(2020, 2, 29), 5)
    record(supervisor, date(2020, 3, 1), 6)

    assert queries.people_trained("2020-02") == 5


def test_the_total_adds_every_state_office_and_modality(ctx, supervisor):
    record(supervisor, date(2021, 11, 3), 18, state_id=state("19").id, office_id=org("JL-19").id)
    record(supervisor, date(2021, 11, 8), 9, state_id=state("15").id, modality=Modality.REMOTE)
    record(supervisor, date(2021, 11, 9), 4, system_id=None)

    assert queries.people_trained("2021-11") == 31


@pytest.mark.parametrize("month", ["2021-13", "2021-00", "2021-1", "21-11", "noviembre", ""])
def test_a_malformed_month_is_an_error_not_a_zero(ctx, month):
    with pytest.raises(ValueError):
        queries.people_trained(month)


def test_the_latest_month_is_the_one_of_the_newest_session(ctx, supervisor):
    assert queries.latest_month() is None
    record(supervisor, date(2021, 10, 5), 3)
    record(supervisor, date(2021, 11, 30), 3)

    assert queries.latest_month() == "2021-11"


# --- the list --------------------------------------------------------------------------------


@pytest.fixture
def logged(ctx, supervisor):
    """Five sessions in November 2021 and one in December, in three states."""
    record(supervisor, date(2021, 11, 3), 18, state_id=state("19").id, office_id=org("JL-19").id)
    record(supervisor, date(2021, 11, 8), 9, state_id=state("15").id, modality=Modality.REMOTE)
    record(supervisor, date(2021, 11, 11), 7, modality=Modality.REMOTE, system_id=None)
    record(supervisor, date(2021, 11, 16), 8, system_id=system("PREP").id)
    record(supervisor, date(2021, 11, 25), 19)
    record(supervisor, date(2021, 12, 2), 40)
    return supervisor


def _topics(page) -> list[str]:
    return [s.topic for s in page.sessions]


def test_the_list_is_newest_first(logged):
    page = queries.sessions_page(logged, SessionFilters())

    assert _topics(page) == [
        "Sesión del 02/12",
        "Sesión del 25/11",
        "Sesión del 16/11",
        "Sesión del 11/11",
        "Sesión del 08/11",
        "Sesión del 03/11",
    ]


def test_the_month_filter_and_its_totals(logged):
    filters = SessionFilters(month="2021-11")

    assert len(queries.sessions_page(logged, filters).sessions) == 5
    assert queries.summary(logged, filters) == queries.Summary(sessions=5, people=61)


@pytest.mark.parametrize(
    ("filters", "sessions", "people"),
    [
        (dict(state_key="12"), 4, 74),
        (dict(modality=Modality.REMOTE), 2, 16),
        (dict(system_key="PREP"), 1, 8),
        (dict(state_key="12", modality=Modality.IN_PERSON), 3, 67),
        (dict(state_key="12", month="2021-11"), 3, 34),
    ],
)
def test_each_filter_narrows_the_list_and_its_sum(logged, filters, sessions, people):
    state_key, system_key = filters.pop("state_key", None), filters.pop("system_key", None)
    chosen = SessionFilters(
        state_id=state(state_key).id if state_key else None,
        system_id=system(system_key).id if system_key else None,
        **filters,
    )

    page = queries.sessions_page(logged, chosen)

    assert len(page.sessions) == sessions
    assert queries.summary(logged, chosen) == queries.Summary(sessions, people)


def test_pages_go_back_and_forth_without_counting(logged):
    first = queries.sessions_page(logged, SessionFilters(), page=1, per_page=4)
    second = queries.sessions_page(logged, SessionFilters(), page=2, per_page=4)

    assert (len(first.sessions), first.has_prev, first.has_next) == (4, False, True)
    assert (len(second.sessions), second.has_prev, second.has_next) == (2, True, False)
    assert set(_topics(first)).isdisjoint(_topics(second))


def test_requesters_see_no_session_and_no_total(logged):
    requester = make_user(Role.REQUESTER, organization=org("JD-12-05"))

    assert queries.sessions_page(requester, SessionFilters()).sessions == []
    assert queries.summary(requester, SessionFilters()) == queries.Summary(0, 0)


def test_the_offices_of_a_state_are_its_juntas_and_its_opl(ctx):
    offices = queries.offices_of(state("12").id)

    keys = [o.key for o in offices]
    assert keys[0] == "JL-12"
    assert keys[1:10] == [f"JD-12-{n:02d}" for n in range(1, 10)]
    assert keys[10:] == ["OPL-12"]
    assert queries.offices_of(None) == []
