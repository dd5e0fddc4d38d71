"""Dates from front matter (YAML/TOML values, ISO 8601 or RFC 2822 text) -> aware datetimes.

Text is read in this order, the common forms first (every entry has a date, and a
build may read 10,000 of them):

1. ISO 8601 / RFC 3339 by `datetime.fromisoformat` (a space before the offset
   removed): 2021-05-13, 2021-05-13T14:30:00+02:00, 2021-05-13 14:30:00 +0200.
   YAML and TOML date-times arrive as `datetime` values and need no reading at all.
2. The rarer forms the site generators accept, each an explicit pattern:
   - ISO dates with one-digit parts or slashes: 2020-12-2, 2013-11-22 5:00:00 +0000
     (Jekyll, via Ruby's Time.parse), 2021/06/08 (Hugo);
   - RFC 2822 (`email.utils`): Thu, 13 May 2021 14:30:00 +0200;
   - English month names, full or abbreviated: March 10, 2024; 10 Mar 2024.
3. Numbers for day and month in either order (03/04/2024, 4/3/24, 10.03.2024) are an
   error that says why: sites write both day/month and month/day, so 03/04/2024 may
   be 3 April or March 4, and a wrong guess publishes a wrong date without a word.

Whole numbers are Unix time, in seconds or (when too large for seconds) milliseconds,
as JSON front matter and JavaScript sites store dates; see UNIX_SECONDS_FROM.

python-dateutil is not used: its parser guesses (it reads 03/04/2024 as March 4 and
"May" alone as this year's May), and an explicit list says exactly what is read.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any, NamedTuple

from feedpub.base.people import type_name

MIN_YEAR = 1000  # four-digit years only: RFC 3339 and RFC 822 both need them
# Whole numbers are Unix time (JSON front matter and JavaScript sites store dates so):
# seconds from 10**8 (March 1973) on, milliseconds from 10**11 on (10**11 seconds would
# be the year 5138; 10**11 milliseconds are March 1973 again). A smaller number is no
# date anyone means: it is what YAML 1.1 makes of an unquoted time (10:00 is 600), and
# it stays the error that says so.
UNIX_SECONDS_FROM = 10**8
UNIX_MILLISECONDS_FROM = 10**11
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_SPACE_BEFORE_OFFSET = re.compile(r"\s+(?=(?:Z|[+-]\d{2}:?\d{2})$)")
_FILE_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})-")  # Jekyll: 2021-5-3-title.md too
_FOLDER_DATE = re.compile(r"(?:^|/)(\d{4})/(\d{1,2})/(\d{1,2})/")  # 2021/06/08/title.md
_PATH_DATE = re.compile(r"^/?(\d{4})/(\d{1,2})/(\d{1,2})(?:/|$)")  # path = "2018/07/27/x"

# Where an entry's date comes from: the first source present wins, and a bad value
# there is an error (a later source does not hide it). Hugo's [frontmatter] `date`
# setting is such a list; a config key may replace this tuple later. A name is a front
# matter key, ":filename" the file's name (2021-05-13-title.md), ":folders" a run of
# folders (2021/05/13/title.md), ":path" the first of PATH_KEYS that starts with one.
# `published` counts only when it is not a yes/no flag (see `is_flag`).
DATE_SOURCES = ("date", "published", "pubDate", "publishDate", "pubDatetime",
                ":filename", ":folders", ":path")
# Zola's `path`, Hugo's `url`, Jekyll's `permalink`: a date at their start.
PATH_KEYS = ("path", "url", "permalink")
# The keys of the updated date, the first present wins (Hugo's `lastmod` setting);
# Astro's blog template writes `updatedDate`, the AstroPaper theme `modDatetime`
# (and `pubDatetime` above). Each is in fields.DATE_KEYS too (never "unknown").
UPDATED_KEYS = ("updated", "lastmod", "modified", "last_modified_at", "updatedDate",
                "modDatetime")
_FLAGS = frozenset({"true", "false", "yes", "no", "on", "off"})

# The forms a hint suggests (a few of those read; tests check that each is read).
ACCEPTED_EXAMPLES = ("2021-05-13", "2021-05-13T14:30:00+02:00", "2021-05-13 14:30",
                     "Thu, 13 May 2021 14:30:00 +0200")
ACCEPTED = ", ".join(ACCEPTED_EXAMPLES[:-1]) + " or " + ACCEPTED_EXAMPLES[-1]


class DateError(ValueError):
    """The value is not a usable date; the message says why, the hint (if any) how to
    fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def parse_date(value: Any, tz: tzinfo) -> datetime:
    """An aware datetime, whole seconds. Naive times take `tz`; a date alone is midnight;
    Unix time is shown in `tz`."""
    if isinstance(value, bool):
        raise DateError(f"is {type_name(value)}, not a date")
    if isinstance(value, datetime):
        result = value
    elif isinstance(value, date):
        result = datetime.combine(value, time(0))
    elif isinstance(value, int) and (digits := _digit_date(value)) is not None:
        raise digits
    elif isinstance(value, int) and value >= UNIX_SECONDS_FROM:
        return _unix_time(value, tz)
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


def _digit_date(number: int) -> DateError | None:
    """A whole number whose digits read as a date, YYYYMMDD, YYYYMMDDhhmm or
    YYYYMMDDhhmmss (1900-2099): an error that gives that reading, as the number is
    also Unix time (20240102 seconds is in 1970; 202401021530 milliseconds in 1976)."""
    text = str(number)
    if len(text) not in (8, 12, 14) or text[:2] not in ("19", "20"):
        return None
    parts = [int(text[i:i + 2]) for i in range(4, len(text), 2)]
    try:
        written = datetime(int(text[:4]), *parts)  # type: ignore[misc]
    except ValueError:
        return None
    form = written.isoformat(" ") if len(text) > 8 else written.date().isoformat()
    return DateError(f"is the number {number}: it may mean {form}, or Unix time "
                     f"({_EPOCH + timedelta(seconds=number if len(text) == 8 else number // 1000)}"
                     ")", f"write it as {form!r}, in quotes, if that is the date")


def _unix_time(number: int, tz: tzinfo) -> datetime:
    """Unix time in seconds, or in milliseconds from UNIX_MILLISECONDS_FROM on; shown in `tz`."""
    seconds, unit = number, "seconds"
    if number >= UNIX_MILLISECONDS_FROM:
        seconds, unit = number // 1000, "milliseconds"
    try:
        return _normalised((_EPOCH + timedelta(seconds=seconds)).astimezone(tz))
    except (OverflowError, DateError):
        raise DateError(f"{number} is out of range as Unix time in {unit} "
                        f"(years {MIN_YEAR}-9999)") from None


def is_flag(value: Any) -> bool:
    """Whether a value is a yes/no flag (`published: false`, "no", 0), not a date."""
    if isinstance(value, str):
        return value.strip().lower() in _FLAGS
    return isinstance(value, bool) or (isinstance(value, int) and value in (0, 1))


class PathDate(NamedTuple):
    """A date written in an entry's path or a path key: where it is and the key whose
    line a message names, its text, the date or why it does not exist, and a hint."""

    where: str
    key: str
    text: str
    value: date | None
    problem: str | None
    hint: str


def path_date(source: str, rel: str, meta: Mapping[str, Any]) -> PathDate | None:
    """The date the DATE_SOURCES entry `source` (":filename", ":folders" or ":path")
    finds for the entry at `rel` with front matter `meta`; None if it finds none."""
    if source == ":filename":
        found = _FILE_DATE.match(rel.rpartition("/")[2])
        return _path_date("the file name", "date", found, "-",
                          "rename the file or add 'date:'")
    if source == ":folders":
        return _path_date("the folders", "date", _FOLDER_DATE.search(rel), "/",
                          "rename the folders or add 'date:'")
    if source == ":path":
        for key in PATH_KEYS:
            value = meta.get(key)
            if isinstance(value, str) and (found := _PATH_DATE.match(value.strip())):
                return _path_date(key, key, found, "/", f"correct {key} or add 'date:'")
        return None
    raise ValueError(f"unknown date source {source!r}")


def _path_date(where: str, key: str, match: re.Match[str] | None, separator: str,
               hint: str) -> PathDate | None:
    if match is None:
        return None
    year, month, day = int(match[1]), int(match[2]), int(match[3])
    text = separator.join(match.group(1, 2, 3))
    try:
        return PathDate(where, key, text, date(year, month, day), None, hint)
    except ValueError:
        problem = _impossible(year, month, day)  # None for year 0: no date at all
    return PathDate(where, key, text, None, problem, hint) if problem else None


def date_from_filename(name: str) -> date | None:
    """2021-05-13 from '2021-05-13-some-post.md' or '2021-5-13-some-post.md' (None if
    absent or not a real date)."""
    found = path_date(":filename", name, {})
    return found.value if found else None


def strip_date_prefix(name: str) -> str:
    return _FILE_DATE.sub("", name, count=1) if date_from_filename(name) else name


def _parse_text(text: str) -> datetime:
    if not text:
        raise DateError("is empty")
    candidate = _SPACE_BEFORE_OFFSET.sub("", text)
    try:
        return datetime.fromisoformat(candidate)  # the fast path: most dates end here
    except ValueError:
        pass
    return _parse_rarer(text)


# 2020-12-2, 2013-11-22 5:00:00 +0000, 2021/06/08 10:00: year first, then month and
# day of one or two digits, the same separator twice; the time as in ISO 8601 (or
# after "_", as Pelican reads 2010-12-03_10:20).
_LOOSE_ISO = re.compile(
    r"^(\d{4})([-/])(\d{1,2})\2(\d{1,2})"
    r"(?:[Tt _]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$")
_TIME_AND_OFFSET = (r"(?:,?\s+(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?"
                    r"(?:\s*(?P<z>[Zz]|UTC|GMT)|\s*(?P<sign>[+-])(?P<oh>\d{2}):?(?P<om>\d{2}))?$")
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
# March 10, 2024 and 10 March 2024 (Mar, Mar., Sept), with a time if any.
_MONTH_NAMED = (
    re.compile(rf"^{_WEEKDAY}(?P<month>[a-z]{{3,9}})\.?\s+(?P<day>\d{{1,2}}),?\s+"
               rf"(?P<year>\d{{4}}){_TIME_AND_OFFSET}", re.IGNORECASE),
    re.compile(rf"^{_WEEKDAY}(?P<day>\d{{1,2}})\s+(?P<month>[a-z]{{3,9}})\.?,?\s+"
               rf"(?P<year>\d{{4}}){_TIME_AND_OFFSET}", re.IGNORECASE),
)
# The zone names RFC 822 defines (email.utils reads these; any other name it drops),
# and an offset written with a colon (+02:00), which it misreads: made +0200 first.
_RFC822_ZONES = frozenset({"UT", "UTC", "GMT", "Z", "EST", "EDT", "CST", "CDT", "MST",
                           "MDT", "PST", "PDT"})
_RFC822_ZONE = re.compile(r"\d:\d{2}(?::\d{2})?\s*([A-Za-z]+)\s*$")  # after a time
_COLON_OFFSET = re.compile(r"(\s[+-])(\d{2}):(\d{2})\s*$")
# 03/04/2024, 4/3/24, 10.03.2024, 03-04-2024: which number is the month?
_DAY_MONTH_UNCLEAR = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})(?:$|[T ])")


def _parse_rarer(text: str) -> datetime:
    """The forms `fromisoformat` does not read (see the module's docstring)."""
    if (match := _LOOSE_ISO.match(text)) is not None:
        return _loose_iso(text, match)
    from email.utils import parsedate_to_datetime  # rare (RFC 822 dates): imported late

    zone = _RFC822_ZONE.search(text)
    if zone is not None and zone[1].upper() not in _RFC822_ZONES:
        # email.utils drops a zone it does not know (CEST, IST, PM) and gives a local
        # time: the entry would move by hours without a word.
        raise _unknown_zone(text, zone[1])
    try:
        parsed = parsedate_to_datetime(_COLON_OFFSET.sub(r"\1\2\3", text))
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed = None
    if parsed is not None:
        return parsed
    for pattern in _MONTH_NAMED:
        named = _month_named(match) if (match := pattern.match(text)) else None
        if named is not None:
            return named
    if (match := _DAY_MONTH_UNCLEAR.match(text)) is not None:
        raise _unclear_day_and_month(text, match)
    impossible = impossible_part(text) if _ISO_SHAPED.match(text) else None
    if impossible:
        raise DateError(f"{text!r} does not exist: {impossible}",
                        hint="correct that number; the form of the date is fine")
    raise DateError(f"{text!r} is not a date")


def _unknown_zone(text: str, name: str) -> DateError:
    if name.upper() in ("AM", "PM"):
        return DateError(f"{text!r} gives the time with {name}",
                         hint="write it on the 24-hour clock, as in 2021-05-13 14:30")
    return DateError(f"{text!r} ends in {name!r}, a time zone name feedpub cannot tell "
                     "apart (many names stand for several zones)",
                     hint="write the offset instead, as in 2021-05-13T14:30:00+02:00 or "
                          "Thu, 13 May 2021 14:30:00 +0200")


def _loose_iso(text: str, match: re.Match[str]) -> datetime:
    year, month, day, hour, minute, second = (
        int(match[i] or 0) for i in (1, 3, 4, 5, 6, 7))
    return _made(text, (year, month, day, hour, minute, second),
                 match[8], match[9], match[10], match[11])


def _month_named(match: re.Match[str]) -> datetime | None:
    """The date of a match of `_MONTH_NAMED`; None if its month is not a month's name."""
    month = _MONTH_NUMBERS.get(match["month"].lower())
    if month is None:
        return None
    parts = (int(match["year"]), month, int(match["day"]),
             *(int(match[g] or 0) for g in ("h", "mi", "s")))
    return _made(match[0], parts, match["z"], match["sign"], match["oh"], match["om"])


def _made(text: str, parts: tuple[int, ...], zulu: str | None, sign: str | None,
          hours: str | None, minutes: str | None) -> datetime:
    """The datetime of (year, month, day, hour, minute, second) and an offset (Z, or
    its sign, hours and minutes), or a DateError naming the impossible part."""
    try:
        return datetime(*parts, tzinfo=_offset(zulu, sign, hours, minutes))
    except ValueError:
        pass
    impossible = _impossible(*parts)
    if impossible:
        raise DateError(f"{text!r} does not exist: {impossible}",
                        hint="correct that number; the form of the date is fine")
    raise DateError(f"{text!r} is not a date")


def _offset(zulu: str | None, sign: str | None, hours: str | None,
            minutes: str | None) -> tzinfo | None:
    """UTC for Z, a fixed offset for +hh:mm, None for neither. ValueError if impossible."""
    if zulu:
        return UTC
    if not sign:
        return None
    if int(minutes or 0) > 59:
        raise ValueError("no such offset")
    delta = timedelta(hours=int(hours or 0), minutes=int(minutes or 0))
    return timezone(-delta if sign == "-" else delta)  # ValueError from 24:00 up


def _unclear_day_and_month(text: str, match: re.Match[str]) -> DateError:
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    if len(match[4]) == 2:  # as strptime's %y: 69-99 are 1969-1999, 00-68 2000-2068
        year += 1900 if year >= 69 else 2000
    readings: dict[date, None] = {}  # day first, then month first; one if both agree
    for month, day in ((second, first), (first, second)):
        try:
            readings[date(year, month, day)] = None
        except ValueError:
            continue
    if readings:
        fix = " or ".join(f"{d.isoformat()} ({d.day} {_MONTHS[d.month - 1]})"
                          for d in readings)
    else:
        fix = "YYYY-MM-DD"
    return DateError(
        f"{text!r} is ambiguous: in this form day and month cannot be told apart "
        "(sites write both day/month/year and month/day/year)",
        hint=f"write the year first, then month and day: {fix}")


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")
_MONTH_NUMBERS = {name.lower(): number for number, full in enumerate(_MONTHS, 1)
                  for name in (full, full[:3])} | {"sept": 9}
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
    hour, minute, second = (int(match[i] or 0) for i in (4, 5, 6))
    return _impossible(year, month, day, hour, minute, second)


def _impossible(year: int, month: int, day: int, hour: int = 0, minute: int = 0,
                second: int = 0) -> str | None:
    if not 1 <= month <= 12:
        return f"there is no month {month} (months are 1 to 12)"
    import calendar

    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{_MONTHS[month - 1]} {year} has {days} days, so there is no day {day}"
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
