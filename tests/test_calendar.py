"""Working days for the reopen window: weekends and Mexican holidays do not count."""

from datetime import date

from tickets.core.calendar import add_working_days, end_of_working_days, is_working_day
from tickets.core.timeutil import parse_local


def test_weekends_do_not_count():
    friday = date(2021, 11, 12)

    assert add_working_days(friday, 1) == date(2021, 11, 16)  # Mon 15 Nov 2021 is a holiday
    assert add_working_days(date(2021, 11, 8), 5) == date(2021, 11, 16)  # skips Sat, Sun, Mon


def test_revolution_day_third_monday_of_november_is_a_holiday():
    assert not is_working_day(date(2021, 11, 15))
    assert not is_working_day(date(2021, 9, 16))
    assert is_working_day(date(2021, 11, 16))


def test_reopen_window_ends_at_mexico_city_midnight():
    resolved = parse_local("2021-11-12T17:00:00")  # Friday

    deadline = end_of_working_days(resolved, 5)

    assert deadline == parse_local("2021-11-23T00:00:00")  # Tue 16 .. Mon 22; Mon 15 is a holiday
