"""A fast path for the YAML that nearly all front matter is: ``key: value`` lines.

PyYAML builds every value through a general (and, even with libyaml, mostly
Python) constructor: the largest part of the time it takes to read an entry.
Front matter is almost always a flat mapping of scalars and short lists, so this
module reads exactly that subset line by line and gives up (returns None) on
anything else, leaving the file to PyYAML. Plain scalars are typed with PyYAML's
own implicit resolvers and constructors, so a result is always the one PyYAML
would give; tests compare the two on generated and real front matter.

The subset, per line: blank lines and ``#`` comments; ``key: value`` at column 0
with a plain ASCII key; a value that is plain, single- or double-quoted without
escapes, or a one-line flow list ``[a, "b"]`` of such scalars; and ``key:``
followed by ``- item`` lines. Anything else (block scalars, nested mappings,
anchors, tags, escapes, continuation lines, tabs) is PyYAML's.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*):(?: +(.*))?$")
_ITEM_LINE = re.compile(r"( *)- +(.*)$")
# A scalar that ends the value: "..." or '...' without escapes, then an optional comment.
_DOUBLE = re.compile(r'"([^"\\]*)"(?: +#.*)? *$')
_SINGLE = re.compile(r"'([^']*)'(?: +#.*)? *$")
# Flow list items: quoted, or plain without flow indicators, colons or comments.
_FLOW_ITEM = re.compile(r""" *(?:"([^"\\]*)"|'([^']*)'"""
                        r"""|([^\s,\[\]{}#&*!|>'"%@`:?-][^,\[\]{}#:]*?)) *(,|\]$)""")
_PLAIN_START = frozenset("-?:,[]{}#&*!|>'\"%@`")

_TYPED = frozenset({"null", "bool", "int", "float", "timestamp"})


class Scalars:
    """Types plain scalars as a loader class would: its resolvers, its constructors."""

    def __init__(self, loader: type[yaml.SafeLoader]) -> None:
        self.resolvers = loader.yaml_implicit_resolvers
        self.constructors = loader.yaml_constructors
        self.constructor = loader("")  # constructors for scalars read only node.value
        self.text_keys: set[str] = set()  # keys already known to be plain text

    def plain(self, text: str) -> Any:
        """The value of a plain scalar (`text` stripped); raises _Unsupported."""
        for tag, pattern in self.resolvers.get(text[:1], ()):
            if pattern.match(text):
                short = tag.rsplit(":", 1)[-1]
                if short not in _TYPED:
                    raise _Unsupported
                node = yaml.ScalarNode(tag, text)
                try:
                    return self.constructors[tag](self.constructor, node)
                except Exception:  # such as int("0x_"): PyYAML may read the whole text
                    raise _Unsupported from None  # otherwise, or word the error itself
        return text


class _Unsupported(Exception):
    pass


def load(fm: str, scalars: Scalars) -> dict[str, Any] | None:
    """The mapping PyYAML would load from `fm`, or None if `fm` leaves the subset."""
    try:
        return _load(fm, scalars)
    except _Unsupported:
        return None


def _load(fm: str, scalars: Scalars) -> dict[str, Any] | None:
    data: dict[str, Any] = {}
    lines = fm.split("\n")
    count = len(lines)
    index = 0
    while index < count:
        line = lines[index]
        index += 1
        if not line.isprintable():
            # Tabs, control and format characters (the BOM), line and paragraph
            # separators, non-breaking and other spaces than ' ', unassigned code
            # points: YAML treats some of these specially, so PyYAML reads the file.
            raise _Unsupported
        if not line or line[0] == "#" or line.isspace():
            continue
        key, rest = _key_line(line, scalars)
        if rest and rest[0] != "#":
            data[key] = _value(rest, scalars)
        else:  # `key:` alone: null, or a block list on the following lines
            data[key], index = _block_list(lines, index, scalars)
    return data or None  # no keys at all: PyYAML gives None


def _key_line(line: str, scalars: Scalars) -> tuple[str, str]:
    """A ``key: value`` line's key and value text (without trailing spaces)."""
    match = _KEY_LINE.match(line)
    if match is None:
        raise _Unsupported
    key, rest = match.groups()
    if key not in scalars.text_keys:
        if scalars.plain(key) is not key:  # keys such as yes or null are typed
            raise _Unsupported
        scalars.text_keys.add(key)
    return key, rest.rstrip(" ") if rest else ""


def _block_list(lines: list[str], index: int, scalars: Scalars) -> tuple[list[Any] | None, int]:
    """The ``- item`` lines from `index` on (None if there are none), and the index
    of the line after them."""
    items: list[Any] = []
    indent = None
    while index < len(lines):
        line = lines[index]
        if not line.isprintable():
            raise _Unsupported
        if not line or line.isspace() or line.lstrip(" ")[0] == "#":
            index += 1
            continue
        item = _ITEM_LINE.match(line)
        if item is None:
            if line[0] == " ":
                raise _Unsupported  # a nested mapping or a continuation line
            break
        if indent is None:
            indent = item.group(1)
        elif item.group(1) != indent:
            raise _Unsupported
        text = item.group(2).rstrip(" ")
        if not text or text[0] == "#":
            raise _Unsupported
        items.append(_scalar(text, scalars))
        index += 1
    return (items if indent is not None else None), index


def _value(text: str, scalars: Scalars) -> Any:
    if text[0] == "[":
        return _flow_list(text, scalars)
    return _scalar(text, scalars)


def _scalar(text: str, scalars: Scalars) -> Any:
    first = text[0]
    if first == '"':
        match = _DOUBLE.match(text)
        if match is None:
            raise _Unsupported
        return match.group(1)
    if first == "'":
        match = _SINGLE.match(text)
        if match is None:
            raise _Unsupported
        return match.group(1)
    if first in _PLAIN_START:
        raise _Unsupported
    at = text.find(" #")
    if at >= 0:
        text = text[:at].rstrip(" ")
    if ": " in text or text.endswith(":"):
        raise _Unsupported
    return scalars.plain(text)


def _flow_list(text: str, scalars: Scalars) -> list[Any]:
    if text == "[]":
        return []
    items: list[Any] = []
    at = 1
    end = len(text)
    while at < end:
        match = _FLOW_ITEM.match(text, at)
        if match is None:
            raise _Unsupported
        double, single, plain, _ = match.groups()
        if double is not None:
            items.append(double)
        elif single is not None:
            items.append(single)
        else:
            items.append(scalars.plain(plain))
        at = match.end()
    if not text.endswith("]") or not items:
        raise _Unsupported
    return items
