"""Working days in Mexico City: Monday to Friday less Mexican official holidays (LFT art. 74).

The `holidays` package keeps the moving holidays (the first Monday of February, the third Monday
of March and of November) and the presidential-transition day right year by year.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays

from tickets.core.timeutil import MX_TZ, to_mx


@lru_cache(maxsize=64)
def _mexican_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("MX", years=year).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday and not an official holiday."""
    return day.weekday() < 5 and day not in _mexican_holidays(day.year)


def add_working_days(day: date, count: int) -> date:
    """The date ``count`` working days after ``day`` (``day`` itself does not count)."""
    current = day
    remaining = count
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def end_of_working_days(moment: datetime, count: int) -> datetime:
    """The last instant (Mexico City midnight) of the ``count``-th working day after ``moment``."""
    last_day = add_working_days(to_mx(moment).date(), count)
    return datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=MX_TZ)
