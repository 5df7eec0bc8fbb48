"""Mexico City time: report months, local dates, and the Mexican way of writing dates."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

MX_TZ = ZoneInfo("America/Mexico_City")


def to_mx(moment: datetime) -> datetime:
    """An aware instant seen on a Mexico City wall clock."""
    return moment.astimezone(MX_TZ)


def report_month(moment: datetime) -> str:
    """'YYYY-MM' of the instant in Mexico City: the month a ticket belongs to (DESIGN.md)."""
    return to_mx(moment).strftime("%Y-%m")


def parse_local(value: str) -> datetime:
    """ISO 8601 text to an aware UTC instant; without an offset it is Mexico City local time."""
    parsed = datetime.fromisoformat(value.strip())
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=MX_TZ)
    return parsed.astimezone(UTC)


def local_to_utc(naive_local: datetime) -> datetime:
    """A naive wall-clock time typed in Mexico City, as an aware UTC instant."""
    return naive_local.replace(tzinfo=MX_TZ).astimezone(UTC)


def long_date(day: date | datetime | None, locale: str = "es_MX") -> str:
    """'14 de noviembre de 2021'."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = to_mx(day).date()
    return format_date(day, "d 'de' MMMM 'de' y", locale=locale)


def long_datetime(moment: datetime | None, locale: str = "es_MX") -> str:
    """'14 de noviembre de 2021, 18:05' in Mexico City time."""
    if moment is None:
        return ""
    return format_datetime(to_mx(moment), "d 'de' MMMM 'de' y, HH:mm", locale=locale)


def short_datetime(moment: datetime | None) -> str:
    """'14/11/2021 18:05' in Mexico City time, for dense tables."""
    if moment is None:
        return ""
    return to_mx(moment).strftime("%d/%m/%Y %H:%M")
