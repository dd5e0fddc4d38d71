"""Dates as the site generators accept them (issue 11): each form, read into an aware
datetime, and the forms refused with a reason. The docstrings say whose behaviour a
test copies."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from feedpub.entries.dates import ACCEPTED, ACCEPTED_EXAMPLES, DateError, parse_date

NY = ZoneInfo("America/New_York")
PLUS_2 = timezone(timedelta(hours=2))


def parsed(value: object, tz=NY) -> datetime:
    result = parse_date(value, tz)
    assert result.microsecond == 0
    return result


def same(result: datetime, expected: datetime) -> None:
    """Equal instants with equal offsets (2021-05-13T12:00Z is not 14:00+02:00 here)."""
    assert result == expected
    assert result.utcoffset() == expected.utcoffset()


def test_every_example_in_the_hint_is_read() -> None:
    assert ACCEPTED == ("2021-05-13, 2021-05-13T14:30:00+02:00, 2021-05-13 14:30 "
                        "or Thu, 13 May 2021 14:30:00 +0200")
    for example in ACCEPTED_EXAMPLES:
        assert parsed(example).year == 2021


def test_one_digit_hour() -> None:
    """Jekyll (Ruby's Time.parse) reads `date: 2013-11-22 5:00:00 +0000`."""
    same(parsed("2013-11-22 5:00:00 +0000"), datetime(2013, 11, 22, 5, tzinfo=UTC))
    same(parsed("2013-11-22 5:00"), datetime(2013, 11, 22, 5, tzinfo=NY))
    same(parsed("2013-11-22T5:07:09+02:00"), datetime(2013, 11, 22, 5, 7, 9, tzinfo=PLUS_2))


def test_one_digit_day_and_month() -> None:
    """Jekyll and Hugo read 2020-12-2 as 2 December 2020."""
    same(parsed("2020-12-2"), datetime(2020, 12, 2, tzinfo=NY))
    same(parsed("2020-1-2 10:30"), datetime(2020, 1, 2, 10, 30, tzinfo=NY))


def test_slashes_year_first() -> None:
    """Hugo (and Ruby's Time.parse) read 2021/06/08: year first, so no doubt."""
    same(parsed("2021/06/08"), datetime(2021, 6, 8, tzinfo=NY))
    same(parsed("2021/6/8 14:30:00 +0200"), datetime(2021, 6, 8, 14, 30, tzinfo=PLUS_2))


@pytest.mark.parametrize("text", [
    "March 10, 2024", "March 10 2024", "Mar 10, 2024", "mar. 10, 2024", "10 March 2024",
    "10 Mar 2024", "10 mar. 2024", "Sunday, March 10, 2024", "Sun, 10 March 2024",
])
def test_english_month_names(text: str) -> None:
    """Jekyll (Time.parse), Hugo ("January 2, 2006", "02 Jan 2006") and JavaScript's
    Date read English month names, full or abbreviated."""
    same(parsed(text), datetime(2024, 3, 10, tzinfo=NY))


def test_english_month_names_with_a_time() -> None:
    same(parsed("Sept 3, 2024 10:00"), datetime(2024, 9, 3, 10, tzinfo=NY))
    same(parsed("September 3, 2024 10:00:05 +0200"),
         datetime(2024, 9, 3, 10, 0, 5, tzinfo=PLUS_2))
    same(parsed("3 Sep 2024 10:00 UTC"), datetime(2024, 9, 3, 10, tzinfo=UTC))


def test_rfc_2822() -> None:
    """RSS's own form, as WordPress exports and JavaScript's toUTCString() write it."""
    same(parsed("Thu, 13 May 2021 14:30:00 +0200"), datetime(2021, 5, 13, 14, 30, tzinfo=PLUS_2))
    same(parsed("Thu, 13 May 2021 14:30:00 GMT"), datetime(2021, 5, 13, 14, 30, tzinfo=UTC))


@pytest.mark.parametrize("text", [
    "2021-05-13T14:30:00+02:00", "2021-05-13T14:30:00+0200", "2021-05-13 14:30:00 +0200",
    "2021-05-13 14:30:00 +02:00", "2021-05-13T12:30:00Z",
])
def test_iso_8601_offsets_with_and_without_a_colon(text: str) -> None:
    """Jekyll writes `2021-05-13 14:30:00 +0200`; Hugo and Zola write RFC 3339."""
    result = parsed(text)
    assert result == datetime(2021, 5, 13, 12, 30, tzinfo=UTC)
    assert result.utcoffset() in (timedelta(hours=2), timedelta(0))


def test_toml_and_yaml_values_are_taken_as_they_are() -> None:
    """Hugo and Zola's TOML date-times arrive from tomllib as datetime values."""
    same(parsed(datetime(2021, 5, 13, 14, 30, tzinfo=PLUS_2)),
         datetime(2021, 5, 13, 14, 30, tzinfo=PLUS_2))
    same(parsed(datetime(2021, 5, 13, 14, 30)), datetime(2021, 5, 13, 14, 30, tzinfo=NY))


@pytest.mark.parametrize(("text", "readings"), [
    ("03/04/2024", "2024-04-03 (3 April) or 2024-03-04 (4 March)"),
    ("4/3/24", "2024-03-04 (4 March) or 2024-04-03 (3 April)"),
    ("10.03.2024", "2024-03-10 (10 March) or 2024-10-03 (3 October)"),
    ("03-04-2024 10:00", "2024-04-03 (3 April) or 2024-03-04 (4 March)"),
    ("13/04/2024", "2024-04-13 (13 April)"),  # only one reading, but the form is unclear
    ("31/31/2024", "YYYY-MM-DD"),
])
def test_day_and_month_that_cannot_be_told_apart(text: str, readings: str) -> None:
    """Jekyll reads 03/04/2024 as 3 April, JavaScript's Date as March 4: no guess."""
    with pytest.raises(DateError) as caught:
        parse_date(text, UTC)
    assert str(caught.value) == (
        f"{text!r} is ambiguous: in this form day and month cannot be told apart "
        "(sites write both day/month/year and month/day/year)")
    assert caught.value.hint == f"write the year first, then month and day: {readings}"


@pytest.mark.parametrize(("text", "message"), [
    ("2021-2-30", "'2021-2-30' does not exist: February 2021 has 28 days"),
    ("2021/02/30", "'2021/02/30' does not exist: February 2021 has 28 days"),
    ("2013-11-22 25:00:00", "does not exist: there is no hour 25"),
    ("Feb 30, 2024", "'Feb 30, 2024' does not exist: February 2024 has 29 days"),
    ("Foo 10, 2024", "'Foo 10, 2024' is not a date"),
    ("Mayday 10, 2024", "'Mayday 10, 2024' is not a date"),
    ("2021-1-1 10:00 +25:00", "is not a date"),
    ("2021-05-13 10:5", "is not a date"),
    ("10 March", "is not a date"),  # no year: Hugo and JavaScript would guess one
    ("2021/06-08", "is not a date"),
])
def test_rarer_forms_refused(text: str, message: str) -> None:
    with pytest.raises(DateError, match=message):
        parse_date(text, UTC)


def test_unix_seconds() -> None:
    """Front matter written by scripts and JSON exports holds Unix time in seconds;
    the moment is shown in the site's time zone, as a naive time would be."""
    result = parsed(1620916200)
    same(result, datetime(2021, 5, 13, 10, 30, tzinfo=NY))
    assert result.tzinfo is NY
    same(parsed(1620916200, UTC), datetime(2021, 5, 13, 14, 30, tzinfo=UTC))


def test_unix_milliseconds() -> None:
    """Astro, Eleventy and other JavaScript sites store Date.now(): milliseconds. The
    part below a second is dropped, as for every date."""
    same(parsed(1620916200999, UTC), datetime(2021, 5, 13, 14, 30, tzinfo=UTC))


@pytest.mark.parametrize(("number", "expected"), [
    (10**8, datetime(1973, 3, 3, 9, 46, 40, tzinfo=UTC)),  # the first number read
    (10**11 - 1, datetime(5138, 11, 16, 9, 46, 39, tzinfo=UTC)),  # the last in seconds
    (10**11, datetime(1973, 3, 3, 9, 46, 40, tzinfo=UTC)),  # the first in milliseconds
    (253402300799999, datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)),
])
def test_where_seconds_and_milliseconds_begin(number: int, expected: datetime) -> None:
    same(parsed(number, UTC), expected)


@pytest.mark.parametrize("number", [600, 36000, 86399, 20211313, 10**8 - 1, 0, -1])
def test_small_numbers_are_still_unquoted_times(number: int) -> None:
    """YAML 1.1 (PyYAML, Jekyll's Psych) reads `date: 10:00` as 600: below 10**8 a
    number keeps the message that says so (20210513 reads as a date: see below)."""
    with pytest.raises(DateError, match="YAML reads an unquoted time such as 10:00 as a "
                       "number: quote the whole date"):
        parse_date(number, UTC)


@pytest.mark.parametrize(("number", "message"), [
    (253402300800000, "253402300800000 is out of range as Unix time in milliseconds "
     "(years 1000-9999)"),
    (10**30, "is out of range as Unix time in milliseconds"),
])
def test_numbers_past_the_year_9999(number: int, message: str) -> None:
    with pytest.raises(DateError, match=re.escape(message)):
        parse_date(number, UTC)


def test_last_millisecond_east_of_utc_is_out_of_range() -> None:
    with pytest.raises(DateError, match="out of range"):
        parse_date(253402300799999, ZoneInfo("Asia/Tokyo"))


def test_fractional_numbers_and_yes_no_values_are_not_unix_time() -> None:
    with pytest.raises(DateError, match="YAML reads an unquoted time"):
        parse_date(1620916200.5, UTC)
    with pytest.raises(DateError, match="is a yes/no value"):
        parse_date(True, UTC)


@pytest.mark.parametrize(("text", "message"), [
    ("Thu, 13 May 2021 14:30:00 CEST", "a time zone name feedpub cannot tell apart"),
    ("13 May 2021 14:30:00 IST", "a time zone name feedpub cannot tell apart"),
    ("May 13 2021 2:30 PM", "gives the time with PM"),
])
def test_a_zone_name_email_utils_would_drop_is_an_error(text: str, message: str) -> None:
    """email.utils drops zone names it does not know (and reads 2:30 PM as 02:30):
    the entry would move by hours without a word, so these are errors."""
    with pytest.raises(DateError, match=message):
        parse_date(text, UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("13 May 2021 14:30:00 +02:00",
     datetime(2021, 5, 13, 14, 30, tzinfo=timezone(timedelta(hours=2)))),
    ("Thu, 13 May 2021 14:30:00 EDT",
     datetime(2021, 5, 13, 14, 30, tzinfo=timezone(timedelta(hours=-4)))),
    ("Thu, 13 May 2021 14:30:00 GMT", datetime(2021, 5, 13, 14, 30, tzinfo=UTC)),
])
def test_rfc_822_zones_and_colon_offsets_are_read(text: str, expected: datetime) -> None:
    parsed = parse_date(text, timezone(timedelta(hours=-5)))
    assert parsed == expected and parsed.utcoffset() == expected.utcoffset()


@pytest.mark.parametrize(("number", "reading"), [
    (20240102, "2024-01-02"),
    (202401021530, "2024-01-02 15:30:00"),  # also milliseconds in 1976
    (20240102153000, "2024-01-02 15:30:00"),
])
def test_numbers_whose_digits_read_as_a_date_are_an_error_giving_both_readings(
        number: int, reading: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_date(number, UTC)
    assert str(caught.value).startswith(f"is the number {number}: it may mean {reading}, "
                                        "or Unix time (")
    assert caught.value.hint == f"write it as {reading!r}, in quotes, if that is the date"


def test_numbers_that_are_no_date_in_digits_stay_unix_time() -> None:
    # 1234567890123: 13 digits (milliseconds, 2009); 202413011530: month 13
    assert parse_date(1234567890123, UTC) == datetime(2009, 2, 13, 23, 31, 30, tzinfo=UTC)
    assert parse_date(202413011530, UTC).year == 1976
