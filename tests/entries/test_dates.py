"""Dates in every form people write them, into aware datetimes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from feedpub.entries.dates import DateError, date_from_filename, parse_date, strip_date_prefix

NY = ZoneInfo("America/New_York")


@pytest.mark.parametrize(("value", "expected"), [
    (date(2021, 5, 13), datetime(2021, 5, 13, tzinfo=NY)),  # date alone: midnight in zone
    (datetime(2021, 5, 13, 10, 0), datetime(2021, 5, 13, 10, 0, tzinfo=NY)),  # naive
    (datetime(2021, 5, 13, 10, 0, tzinfo=UTC), datetime(2021, 5, 13, 10, 0, tzinfo=UTC)),
    ("2021-05-13", datetime(2021, 5, 13, tzinfo=NY)),
    ("2021-05-13T10:00:00Z", datetime(2021, 5, 13, 10, tzinfo=UTC)),
    ("2021-05-13T10:00:00+02:00",
     datetime(2021, 5, 13, 10, tzinfo=timezone(timedelta(hours=2)))),
    ("2021-05-13 10:00:00 +0200",  # Jekyll's usual form
     datetime(2021, 5, 13, 10, tzinfo=timezone(timedelta(hours=2)))),
    ("2021-05-13 10:00", datetime(2021, 5, 13, 10, tzinfo=NY)),
    ("2021-05-13T10:00:00.250Z", datetime(2021, 5, 13, 10, tzinfo=UTC)),  # whole seconds
    ("Thu, 13 May 2021 10:00:00 +0200",
     datetime(2021, 5, 13, 10, tzinfo=timezone(timedelta(hours=2)))),
    ("Thu, 13 May 2021 10:00:00 GMT", datetime(2021, 5, 13, 10, tzinfo=UTC)),
])
def test_accepted_forms(value: object, expected: datetime) -> None:
    parsed = parse_date(value, NY)
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()
    assert parsed.microsecond == 0


def test_naive_time_takes_the_zone_with_daylight_saving() -> None:
    winter = parse_date("2021-01-13 10:00", NY)
    summer = parse_date("2021-07-13 10:00", NY)
    assert winter.utcoffset() == timedelta(hours=-5)
    assert summer.utcoffset() == timedelta(hours=-4)


@pytest.mark.parametrize(("value", "message"), [
    ("tomorrow", "'tomorrow' is not a date"),
    ("2021-13-45", "does not exist: there is no month 13"),
    (600, "YAML reads an unquoted time"),  # `date: 10:00` in YAML 1.1
    (True, "not a date"),
    ("", "is empty"),
    ([2021, 5, 13], "a list"),
    ("0099-01-01", "out of range"),
])
def test_rejected(value: object, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date(value, UTC)


def test_historic_offsets_with_seconds_become_utc() -> None:
    amsterdam = ZoneInfo("Europe/Amsterdam")  # +00:19:32 local mean time in 1900
    parsed = parse_date("1900-06-01 12:00", amsterdam)
    assert parsed.utcoffset() == timedelta(0)


def test_file_name_dates() -> None:
    assert date_from_filename("2021-05-13-truce.md") == date(2021, 5, 13)
    assert date_from_filename("2021-13-45-x.md") is None
    assert date_from_filename("truce.md") is None
    assert strip_date_prefix("2021-05-13-truce") == "truce"
    assert strip_date_prefix("truce") == "truce"
