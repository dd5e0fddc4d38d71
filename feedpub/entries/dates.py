"""Dates from front matter (YAML/TOML values, ISO 8601 or RFC 2822 text) -> aware datetimes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from feedpub.base.people import type_name

MIN_YEAR = 1000  # four-digit years only: RFC 3339 and RFC 822 both need them
_SPACE_BEFORE_OFFSET = re.compile(r"\s+(?=(?:Z|[+-]\d{2}:?\d{2})$)")
_FILE_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-")

ACCEPTED = ("2021-05-13, 2021-05-13T14:30:00+02:00, 2021-05-13 14:30 "
            "or Thu, 13 May 2021 14:30:00 +0200")


class DateError(ValueError):
    """The value is not a usable date; the message says why, the hint (if any) how to
    fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def parse_date(value: Any, tz: tzinfo) -> datetime:
    """An aware datetime, whole seconds. Naive times take `tz`; a date alone is midnight."""
    if isinstance(value, bool):
        raise DateError(f"is {type_name(value)}, not a date")
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time(0))
    elif isinstance(value, int | float):
        raise DateError(f"is {type_name(value)}, not a date (YAML reads an unquoted "
                        "time such as 10:00 as a number: quote the whole date)")
    elif isinstance(value, str):
        result = _parse_text(value.strip())
    else:
        raise DateError(f"is {type_name(value)}, not a date")
    if result.tzinfo is None or result.utcoffset() is None:
        result = result.replace(tzinfo=tz)
    return _normalised(result)


def date_from_filename(name: str) -> date | None:
    """2021-05-13 from '2021-05-13-some-post.md' (None if absent or not a real date)."""
    match = _FILE_DATE.match(name)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def strip_date_prefix(name: str) -> str:
    return _FILE_DATE.sub("", name, count=1) if date_from_filename(name) else name


def _parse_text(text: str) -> datetime:
    if not text:
        raise DateError("is empty")
    candidate = _SPACE_BEFORE_OFFSET.sub("", text)
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        pass
    from email.utils import parsedate_to_datetime  # rare (RFC 822 dates): imported late

    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is not None:
        return parsed
    impossible = impossible_part(text) if _ISO_SHAPED.match(text) else None
    if impossible:
        raise DateError(f"{text!r} does not exist: {impossible}",
                        hint="correct that number; the form of the date is fine")
    raise DateError(f"{text!r} is not a date")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_DATE_TIME_PARTS = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?")


# The whole text in the form of an ISO 8601 date or date-time (whatever its numbers):
# only then is "the form of the date is fine" true.
_ISO_SHAPED = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}(?:[Tt ]+\d{1,2}:\d{1,2}(?::\d{1,2}(?:\.\d+)?)?"
    r"\s*(?:[Zz]|[+-]\d{2}:?\d{2})?)?$")


def impossible_part(text: str) -> str | None:
    """What makes a date of the right form impossible (2024-02-30: "February 2024
    has 29 days"), or None if it is not of that form or is a real date."""
    match = _DATE_TIME_PARTS.match(text)
    if match is None:
        return None
    year, month, day = (int(match[i]) for i in (1, 2, 3))
    if not 1 <= month <= 12:
        return f"there is no month {month} (months are 1 to 12)"
    import calendar

    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{_MONTHS[month - 1]} {year} has {days} days, so there is no day {day}"
    hour, minute, second = (int(match[i] or 0) for i in (4, 5, 6))
    if hour > 23:
        return f"there is no hour {hour} (hours are 0 to 23)"
    if minute > 59:
        return f"there is no minute {minute} (minutes are 0 to 59)"
    if second > 59:
        return f"there is no second {second} (seconds are 0 to 59)"
    return None


def _normalised(value: datetime) -> datetime:
    offset = value.utcoffset() or timedelta(0)
    try:
        if offset.seconds % 60 or offset.microseconds:
            # Historic local-mean-time offsets (+00:53:28) cannot be written in RFC 822.
            value = value.astimezone(UTC)
        in_range = MIN_YEAR <= value.astimezone(UTC).year <= 9999
    except OverflowError:
        in_range = False
    if not in_range:
        raise DateError(f"{value.year} is out of range (years {MIN_YEAR}-9999)")
    return value.replace(microsecond=0)
