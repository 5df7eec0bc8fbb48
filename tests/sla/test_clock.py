"""The SLA clock on its own: calendars and status timelines in, due instants out.

Times are written in Mexico City local time, as an operator reads them.
"""

from __future__ import annotations

from datetime import UTC, date, timedelta

from tickets.core.timeutil import parse_local
from tickets.helpdesk.models import Status
from tickets.sla.clock import Calendar, due, left, rewind, used

OFFICE = Calendar()  # a state with no election in process: office hours only
HOURS = timedelta(hours=1)


def mx(text: str):
    return parse_local(text)


def opened(at: str) -> list:
    return [(mx(at), Status.NEW)]


def test_office_hours_skip_the_weekend():
    # Friday 17:00 plus two office hours: one hour on Friday, one on Monday morning.
    result = due(OFFICE, opened("2025-11-07T17:00"), 2 * HOURS)
    assert result.due_at == mx("2025-11-10T10:00")


def test_a_ticket_logged_at_night_starts_counting_when_the_office_opens():
    result = due(OFFICE, opened("2025-11-11T21:30"), 30 * timedelta(minutes=1))
    assert result.due_at == mx("2025-11-12T09:30")


def test_independence_day_does_not_count():
    # 15 September 2025 is a Monday; the 16th (Tuesday) is an official holiday.
    result = due(OFFICE, opened("2025-09-15T17:00"), 2 * HOURS)
    assert result.due_at == mx("2025-09-17T10:00")


def test_the_third_monday_of_november_does_not_count():
    # Revolution Day 2021 was observed on Monday 15 November.
    result = due(OFFICE, opened("2021-11-12T17:00"), 2 * HOURS)
    assert result.due_at == mx("2021-11-16T10:00")


def test_an_admin_added_day_off_does_not_count():
    calendar = Calendar(non_working_days=frozenset({date(2025, 11, 12)}))
    result = due(calendar, opened("2025-11-11T17:00"), 2 * HOURS)
    assert result.due_at == mx("2025-11-13T10:00")


def test_in_process_every_hour_counts_weekends_and_nights_included():
    calendar = Calendar(process_periods=((date(2021, 8, 15), date(2021, 12, 31)),))
    result = due(calendar, opened("2021-11-13T22:00"), 4 * HOURS)  # a Saturday night
    assert result.due_at == mx("2021-11-14T02:00")


def test_a_process_starting_mid_ticket_turns_the_weekend_into_working_time():
    # Office hours until Friday 1 October 2021; the process starts on Saturday the 2nd.
    calendar = Calendar(process_periods=((date(2021, 10, 2), date(2021, 12, 31)),))
    result = due(calendar, opened("2021-10-01T17:00"), 4 * HOURS)
    assert result.due_at == mx("2021-10-02T03:00")  # one office hour, then three from midnight


def test_a_process_ending_mid_ticket_brings_back_office_hours():
    # The process ends on Friday 31 December 2021; 1 January is a holiday, then a weekend.
    calendar = Calendar(process_periods=((date(2021, 8, 15), date(2021, 12, 31)),))
    result = due(calendar, opened("2021-12-31T22:00"), 3 * HOURS)
    assert result.due_at == mx("2022-01-03T10:00")  # two hours before midnight, one on Monday


def test_waiting_on_the_requester_stops_the_clock_and_resuming_restarts_it():
    timeline = [
        (mx("2025-11-10T09:00"), Status.NEW),
        (mx("2025-11-10T10:00"), Status.WAITING),
        (mx("2025-11-11T09:00"), Status.IN_PROGRESS),
    ]
    result = due(OFFICE, timeline, 2 * HOURS)
    assert result.due_at == mx("2025-11-11T10:00")  # a whole working day of waiting is not lost


def test_while_waiting_there_is_no_due_time_nor_risk():
    timeline = [(mx("2025-11-10T09:00"), Status.NEW), (mx("2025-11-10T10:00"), Status.WAITING)]
    result = due(OFFICE, timeline, 2 * HOURS)
    assert result.due_at is None and result.risk_at is None


def test_a_target_missed_before_the_wait_stays_missed():
    timeline = [(mx("2025-11-10T09:00"), Status.NEW), (mx("2025-11-10T12:00"), Status.WAITING)]
    assert due(OFFICE, timeline, 2 * HOURS).due_at == mx("2025-11-10T11:00")


def test_risk_comes_when_three_quarters_are_used():
    result = due(OFFICE, opened("2025-11-10T09:00"), 4 * HOURS)
    assert result.risk_at == mx("2025-11-10T12:00")
    assert result.due_at == mx("2025-11-10T13:00")


def test_a_state_in_process_and_one_without_get_different_due_times_for_the_same_call():
    in_process = Calendar(process_periods=((date(2021, 8, 15), date(2021, 12, 31)),))
    saturday = opened("2021-11-13T10:00")
    assert due(in_process, saturday, 8 * HOURS).due_at == mx("2021-11-13T18:00")
    # Without a process the Saturday does not count, and Monday 15 November is a holiday.
    assert due(OFFICE, saturday, 8 * HOURS).due_at == mx("2021-11-16T17:00")


def test_mexico_city_has_no_daylight_saving_time_after_2022():
    # The first Sunday of April used to lose an hour. In 2021 the day had 23 hours; in 2023, 24.
    in_process = Calendar(process_periods=((date(2021, 1, 1), date(2023, 12, 31)),))
    start_2021, start_2023 = opened("2021-04-04T00:00"), opened("2023-04-02T00:00")
    assert due(in_process, start_2021, 24 * HOURS).due_at == mx("2021-04-05T01:00")
    assert due(in_process, start_2023, 24 * HOURS).due_at == mx("2023-04-03T00:00")
    # And office hours open at 09:00 local time, 15:00 UTC all year round after 2022.
    summer = due(OFFICE, opened("2023-07-03T08:00"), HOURS).due_at
    assert summer.astimezone(UTC).hour == 16  # 10:00 local = UTC−6


def test_used_and_left_count_only_working_time():
    start = opened("2025-11-07T17:00")  # Friday
    assert used(OFFICE, start, mx("2025-11-10T09:30")) == timedelta(minutes=90)
    assert left(mx("2025-11-10T11:00"), OFFICE, mx("2025-11-07T17:30")) == timedelta(hours=2.5)
    assert left(mx("2025-11-10T10:00"), OFFICE, mx("2025-11-10T11:30")) == -timedelta(hours=1.5)


def test_rewind_finds_the_arrival_that_used_a_given_span():
    # Monday 09:30 with 90 office minutes used: it arrived the Friday before at 17:00.
    assert rewind(OFFICE, mx("2025-11-10T09:30"), timedelta(minutes=90)) == mx("2025-11-07T17:00")
    arrival = rewind(OFFICE, mx("2025-11-10T09:30"), timedelta(minutes=90))
    assert used(OFFICE, [(arrival, Status.NEW)], mx("2025-11-10T09:30")) == timedelta(minutes=90)
