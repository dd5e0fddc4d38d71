"""A fast path for the TOML that front matter nearly always is: ``key = value`` lines.

The standard library's tomllib is written in Python: 23 µs for a typical front
matter here, against 13 µs on this path. Front matter is a flat table of
strings, lists of strings, a date or two and a flag, so this module reads strings
and lists of strings itself and hands every other value to tomllib one line at a
time; anything else (tables, dotted or quoted keys,
multi-line values, escapes, tabs) makes it give up (return None) and the whole
text goes to tomllib. Tests compare the two on generated and real front matter.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

_KEY_LINE = re.compile(r"([A-Za-z0-9_-]+) *= *(.*)$")
_END = r" *(?:#.*)?$"  # what may follow a value: spaces and a comment
_STRING = re.compile(r'(?:"([^"\\]*)"|\'([^\']*)\')' + _END)
_ITEM = r"""(?:"[^"\\]*"|'[^']*')"""
_ARRAY = re.compile(r"\[( *(?:" + _ITEM + r" *, *)*(?:" + _ITEM + r" *,? *)?)\]" + _END)
_ITEMS = re.compile(r""""([^"\\]*)"|'([^']*)'""")


def load(fm: str) -> dict[str, Any] | None:
    """The table tomllib would load from `fm`, or None if `fm` leaves the subset."""
    data: dict[str, Any] = {}
    for line in fm.split("\n"):
        if not line.isprintable():
            return None  # tabs, control and format characters: tomllib decides
        if not line or line[0] == "#" or line.isspace():
            continue
        match = _KEY_LINE.match(line)
        if match is None:
            return None
        key, rest = match.groups()
        if key in data:
            return None  # an error in TOML: tomllib words it
        string = _STRING.match(rest)
        if string is not None:
            basic, literal = string.groups()
            data[key] = basic if basic is not None else literal
            continue
        array = _ARRAY.match(rest)
        if array is not None:
            data[key] = [item.group(item.lastindex or 0)
                         for item in _ITEMS.finditer(array.group(1))]
            continue
        try:  # a date, a number, a flag...: the line alone, read by tomllib
            data[key] = tomllib.loads(line)[key]
        except tomllib.TOMLDecodeError:
            return None
    return data
