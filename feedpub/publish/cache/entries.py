"""The entry cache: files unchanged since the last build are not read again.

Each file's `Entry` (without its body) and problems are kept as a compact row. The
row is made from `Entry`'s fields by their types, and the fields' names and types
are part of the format: adding a field to `Entry` needs no edit here (a field of a
type not in CODECS fails at import, with a message that says so).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import fields
from datetime import datetime
from operator import attrgetter
from typing import Any

from feedpub.base.people import Person
from feedpub.base.problems import Problem
from feedpub.config import Config
from feedpub.entries.episode import Episode
from feedpub.entries.model import Entry
from feedpub.publish.cache.files import PARSED, load_json, rows, write_json
from feedpub.publish.cache.state import FORMAT, Snapshot, key

# How a field of each type is written to a row and read back (JSON holds the rest
# as it is); "people": each author once per file, rows hold their numbers.
CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "datetime": (datetime.isoformat, datetime.fromisoformat),
    "datetime | None": (lambda d: d and d.isoformat(), lambda s: s and datetime.fromisoformat(s)),
    "tuple[str, ...]": (list, tuple),
    "tuple[tuple[str, int, str], ...]": (lambda items: [list(i) for i in items],
                                         lambda rows: tuple(tuple(r) for r in rows)),
    "Episode | None": (lambda e: e and [e.duration, e.number, e.season, e.type, e.explicit],
                       lambda row: row and Episode(*row)),
}
PLAIN = frozenset({"str", "str | None", "bool", "int"})
PEOPLE = "tuple[Person, ...]"
# Fields derived from the file's place and link, left out of a row when they are as
# derived (most are); `rel` is the row's key; the body is read again when needed.
DERIVED = ("source", "path", "base")
NOT_KEPT = ("rel", "body")

_FIELDS = [f for f in fields(Entry) if f.name not in NOT_KEPT]
for _field in _FIELDS:
    if not (_field.name in DERIVED or _field.type in CODECS or _field.type in PLAIN
            or _field.type == PEOPLE):
        raise TypeError(f"Entry.{_field.name}: no cache codec for {_field.type!r} (add one "
                        "to CODECS)")


def row_format(model: type) -> str:
    """The cache format and the model's field names and types: rows written for one
    shape of `Entry` are never read as another."""
    shape = repr([(f.name, f.type) for f in fields(model)])
    return f"{FORMAT}/" + hashlib.sha256(shape.encode()).hexdigest()[:16]


ROW_FORMAT = row_format(Entry)


def parse_key(config: Config, versions: str) -> str:
    """What a cached entry or fragment depends on besides its file: the config,
    feedpub, and the `versions` of the libraries that parse, render and write it."""
    return hashlib.sha256((key(config) + versions).encode()).hexdigest()


Known = dict[str, tuple[Entry | None, tuple[Problem, ...]]]


def known_entries(config: Config, parsed_key: str, current: Snapshot,
                  notes: list[Problem] | None = None) -> Known | None:
    """Entries (without bodies) and their problems for files unchanged since cached;
    None if there is no usable entry cache (missing, corrupt, another version)."""
    data = load_json(config, PARSED, notes)
    if data is None:
        return None
    try:
        if data["format"] != ROW_FORMAT or data["key"] != parsed_key:
            return None
        rowed = _Rows(config, [Person(*person) for person in data["people"]])
        known = {}
        for rel, (stat, row, problems) in data["files"].items():
            if current.reusable(rel, stat):
                entry = rowed.entry(rel, row) if row is not None else None
                known[rel] = (entry, tuple(Problem(*p) for p in problems))
        return known
    except (OSError, KeyError, TypeError, ValueError, IndexError):
        return None


# Re-parsing a few changed files next time is cheaper than rewriting the whole
# entry cache now: below this many newly parsed files, it is left as it is.
WORTH_SAVING = 50


def save_parsed(config: Config, parsed_key: str, taken: Snapshot,
                files: tuple[tuple[str, Entry | None, tuple[Problem, ...]], ...],
                newly_parsed: int, replace_unusable: bool = False) -> None:
    """Write the entry cache (unless only a few entries are new and the cache on disk
    is usable: `replace_unusable` says it was missing or unusable)."""
    if newly_parsed < WORTH_SAVING and not replace_unusable:
        return
    rowed = _Rows(config, [])
    kept = {rel: [taken.packed(rel), rowed.row(entry) if entry is not None else None,
                  rows(problems)]
            for rel, entry, problems in files if taken.keeps(rel)}
    write_json(config, PARSED, {"format": ROW_FORMAT, "key": parsed_key, "files": kept,
                                "people": [[p.name, p.email, p.uri] for p in rowed.people]})


class _Rows:
    """Entries to rows and back, with the people numbered once per file."""

    def __init__(self, config: Config, people: list[Person]) -> None:
        self.prefix = config.entries_prefix
        self.folder = str(config.entries_dir) + os.sep
        self.people = people
        self.numbers: dict[Person, int] = {}

    def row(self, entry: Entry) -> list[Any]:
        """An entry as a compact row; what can be derived from its file is left out.
        (By a plan made once, as `entry` reads one: 10,000 rows in 38 ms, not 57.)"""
        row = list(_KEPT(entry))
        for at, encode in _ENCODE:
            row[at] = encode(row[at])
        number = self._number
        for at in _PEOPLE_AT:
            row[at] = [number(person) for person in row[at]]
        rel = entry.rel
        if row[_SOURCE] == self.prefix + rel:
            row[_SOURCE] = None
        if row[_PATH] == self.folder + rel:
            row[_PATH] = None
        if row[_BASE] == row[_LINK]:
            row[_BASE] = None
        return row

    def _number(self, person: Person) -> int:
        number = self.numbers.setdefault(person, len(self.people))
        if number == len(self.people):
            self.people.append(person)
        return number

    def entry(self, rel: str, row: list[Any]) -> Entry:
        """The row's Entry (positional values, decoded by a plan made once: a rebuild
        of 10,000 entries reads them in 35 ms, where building each by name took 74)."""
        if len(row) != len(_FIELDS):
            raise ValueError("a row of another length")
        values = list(row)
        for at, decode in _DECODE:
            values[at] = decode(values[at])
        people = self.people
        for at in _PEOPLE_AT:
            values[at] = tuple([people[i] for i in values[at]])
        values[_SOURCE] = values[_SOURCE] or self.prefix + rel
        values[_PATH] = values[_PATH] or self.folder + rel
        values[_BASE] = values[_BASE] or values[_LINK]
        values.insert(_BODY, None)
        values.append(rel)
        return Entry(*values)


_NAMES = [f.name for f in _FIELDS]
_PEOPLE_AT = [at for at, f in enumerate(_FIELDS) if f.type == PEOPLE]
_DECODE = [(at, CODECS[f.type][1]) for at, f in enumerate(_FIELDS) if f.type in CODECS]
# Tuples need no encoding: JSON writes them as the lists they are read back from.
_ENCODE = [(at, CODECS[f.type][0]) for at, f in enumerate(_FIELDS)
           if f.type in CODECS and not f.type.startswith("tuple[")]
_KEPT = attrgetter(*_NAMES)
_SOURCE, _PATH, _BASE, _LINK = map(_NAMES.index, ("source", "path", "base", "link"))
# A row is Entry's fields but the body and rel, in order; the body goes back where it
# was, and rel (the row's key) is the last field.
_BODY = [f.name for f in fields(Entry)].index("body")
if [f.name for f in fields(Entry)] != [*_NAMES[:_BODY], "body", *_NAMES[_BODY:], "rel"]:
    raise TypeError("Entry.rel must be its last field (a row is read back by position)")
