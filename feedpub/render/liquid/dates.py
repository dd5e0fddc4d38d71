"""Dates as Jekyll writes them: Ruby's `strftime`, Ruby's `Time#to_s`, and Jekyll's date
filters (lib/jekyll/filters/date_filters.rb), always in the site's time zone.

Ruby's `strftime` is written out here rather than left to the C library: `%-d`, `%e`,
`%P` or `%s` differ between platforms (and `%s` reads the machine's time zone), and
`%L`, `%N` and `%:z` are Ruby's own. The clock is never read: `date: "now"` renders
nothing, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time, tzinfo
from typing import Any

from liquid import Undefined
from liquid.exceptions import FilterArgumentError

from feedpub.entries.dates import DateError, parse_date
from feedpub.render.liquid.environment import note_undefined

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


class RubyTime(datetime):
    """An aware datetime that renders as Ruby's Time#to_s: 2020-01-02 10:00:00 +0100."""

    def __str__(self) -> str:
        return strftime(self, "%Y-%m-%d %H:%M:%S %z")


def ruby_time(value: datetime, tz: tzinfo) -> RubyTime:
    """`value` in the zone `tz` (a naive one taken as being in it), as a RubyTime."""
    moment = value.replace(tzinfo=tz) if value.utcoffset() is None else value.astimezone(tz)
    return RubyTime(moment.year, moment.month, moment.day, moment.hour, moment.minute,
                    moment.second, moment.microsecond, moment.tzinfo, fold=moment.fold)


def _hour12(t: datetime) -> int:
    return t.hour % 12 or 12


def _offset(t: datetime, colons: int) -> str:
    seconds = int((t.utcoffset() or UTC.utcoffset(None)).total_seconds())
    sign, seconds = ("-" if seconds < 0 else "+"), abs(seconds)
    parts = [seconds // 3600, seconds // 60 % 60, seconds % 60][:colons + 1 if colons else 2]
    return sign + (":" if colons else "").join(f"{part:02d}" for part in parts)


# conversion -> (value, default width, default padding)
_NUMBERS: dict[str, tuple[Callable[[datetime], int], int, str]] = {
    "Y": (lambda t: t.year, 4, "0"), "C": (lambda t: t.year // 100, 2, "0"),
    "y": (lambda t: t.year % 100, 2, "0"), "m": (lambda t: t.month, 2, "0"),
    "d": (lambda t: t.day, 2, "0"), "e": (lambda t: t.day, 2, " "),
    "j": (lambda t: t.timetuple().tm_yday, 3, "0"), "H": (lambda t: t.hour, 2, "0"),
    "k": (lambda t: t.hour, 2, " "), "I": (_hour12, 2, "0"), "l": (_hour12, 2, " "),
    "M": (lambda t: t.minute, 2, "0"), "S": (lambda t: t.second, 2, "0"),
    "u": (lambda t: t.isoweekday(), 1, "0"), "w": (lambda t: t.isoweekday() % 7, 1, "0"),
    "U": (lambda t: int(t.strftime("%U")), 2, "0"), "W": (lambda t: int(t.strftime("%W")), 2, "0"),
    "G": (lambda t: t.isocalendar()[0], 4, "0"), "g": (lambda t: t.isocalendar()[0] % 100, 2, "0"),
    "V": (lambda t: t.isocalendar()[1], 2, "0"), "s": (lambda t: int(t.timestamp()), 1, "0"),
}
_WORDS: dict[str, Callable[[datetime], str]] = {
    "A": lambda t: _DAYS[t.weekday()], "a": lambda t: _DAYS[t.weekday()][:3],
    "B": lambda t: _MONTHS[t.month - 1], "b": lambda t: _MONTHS[t.month - 1][:3],
    "h": lambda t: _MONTHS[t.month - 1][:3], "p": lambda t: "AM" if t.hour < 12 else "PM",
    "P": lambda t: "am" if t.hour < 12 else "pm", "Z": lambda t: t.tzname() or "",
    "n": lambda t: "\n", "t": lambda t: "\t", "%": lambda t: "%",
}
_COMBINED = {"c": "%a %b %e %H:%M:%S %Y", "D": "%m/%d/%y", "x": "%m/%d/%y",
             "F": "%Y-%m-%d", "T": "%H:%M:%S", "X": "%H:%M:%S", "R": "%H:%M",
             "r": "%I:%M:%S %p", "v": "%e-%^b-%Y", "+": "%a %b %e %H:%M:%S %Z %Y"}
_DIRECTIVE = re.compile(r"%([-_0^#]*)(\d*)(:{0,2})([a-zA-Z%+])")


def strftime(t: datetime, fmt: str) -> str:
    """`t` formatted as Ruby's Time#strftime would (flags - _ 0 ^ #, widths, %:z)."""
    return _DIRECTIVE.sub(lambda m: _directive(t, m), fmt)


def _directive(t: datetime, m: re.Match[str]) -> str:
    flags, width, colons, conversion = m.group(1), m.group(2), len(m.group(3)), m.group(4)
    if colons and conversion != "z":
        return m.group(0)
    if conversion in _COMBINED:
        text = strftime(t, _COMBINED[conversion])
    elif conversion in ("L", "N"):  # fractions of a second, as many digits as the width
        text = f"{t.microsecond:06d}000"[:int(width or (3 if conversion == "L" else 9))]
        width = ""
    elif conversion == "z":
        text = _offset(t, colons)
    elif conversion in _NUMBERS:
        value, default, pad = _NUMBERS[conversion]
        pad = " " if "_" in flags else "0" if "0" in flags else pad
        size = 0 if "-" in flags else int(width or default)
        return str(value(t)).rjust(size, pad)
    elif conversion in _WORDS:
        text = _WORDS[conversion](t)
    else:
        return m.group(0)
    if "^" in flags:
        text = text.upper()
    elif "#" in flags:
        text = text.swapcase()
    return text if "-" in flags else text.rjust(int(width or 0), "0" if "0" in flags else " ")


# --- The filters ---------------------------------------------------------------------


def to_time(value: Any, tz: tzinfo, *, convert: bool = True) -> datetime | None:
    """A value as Liquid's `Utils.to_date` reads it, in `tz` (with `convert`: every
    Jekyll date filter calls `localtime`); None for nothing to format."""
    note_undefined(value)
    if value is None or isinstance(value, Undefined) or value == "":
        return None
    if _is_clock(value):
        raise FilterArgumentError(
            f"'{value}' is the time of the build: feedpub does not read the clock "
            "(a feed must be the same whenever it is built)", token=None)
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime.combine(value, time(0))
    try:
        moment = value if isinstance(value, datetime) else parse_date(value, tz)
    except DateError as err:
        raise FilterArgumentError(f"invalid date {value!r}: {err}", token=None) from None
    if moment.utcoffset() is None or convert:
        return ruby_time(moment, tz)
    return moment


def _is_clock(value: Any) -> bool:
    return isinstance(value, str) and value.strip().lower() in ("now", "today")


def date_filter(tz: tzinfo) -> Callable[..., object]:
    """Liquid's `date`: Ruby's strftime; a text that is no date is returned as it is."""

    def date_(value: Any, fmt: Any = None) -> object:
        if fmt is None or isinstance(fmt, Undefined) or str(fmt) == "":
            return value
        try:
            moment = to_time(value, tz, convert=False)
        except FilterArgumentError:
            if isinstance(value, str | int) and not _is_clock(value):
                return value
            raise
        return "" if moment is None else strftime(moment, str(fmt))

    return date_


def _ordinal(day: int) -> str:
    if 11 <= day <= 13:
        return f"{day}th"
    return f"{day}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(day % 10, 'th')}"


def date_filters(tz: tzinfo) -> dict[str, Callable[..., object]]:
    """date_to_string, date_to_long_string, date_to_xmlschema, date_to_rfc822."""

    def stringify(month: str) -> Callable[..., object]:
        def filter_(value: Any, kind: Any = None, style: Any = None) -> object:
            moment = to_time(value, tz)
            if moment is None:
                return value
            if kind == "ordinal":
                day = _ordinal(moment.day)
                if style == "US":
                    return strftime(moment, f"{month} {day}, %Y")
                return strftime(moment, f"{day} {month} %Y")
            return strftime(moment, f"%d {month} %Y")
        return filter_

    def formatted(fmt: str) -> Callable[..., object]:
        def filter_(value: Any) -> object:
            moment = to_time(value, tz)
            return value if moment is None else strftime(moment, fmt)
        return filter_

    return {"date_to_string": stringify("%b"), "date_to_long_string": stringify("%B"),
            "date_to_xmlschema": formatted("%Y-%m-%dT%H:%M:%S%:z"),
            "date_to_rfc822": formatted("%a, %d %b %Y %H:%M:%S %z"),
            "date": date_filter(tz)}
