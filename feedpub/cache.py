"""The build state in `.feedpub-cache/` beside the config: a no-change rebuild in a blink.

After each successful build feedpub records what it read (each entry file's size
and modification time), what it wrote (each output's size and modification
time), the warnings it printed and when the next future-dated entry falls due.
The next build first compares: if nothing differs, it does nothing more. The
cache is only ever a shortcut: a missing, corrupt, unreadable or foreign state
file is ignored (and replaced), never trusted and never fatal. Deleting the
folder at any time is safe.

Files modified just before the snapshot are "racy" (a second edit in the same
clock tick would keep the same modification time), so a build that saw them is
never taken as proof that nothing changed: within two seconds where the file
system keeps whole seconds, within 50 ms where it keeps finer times.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .config import Config
from .files import Found, stat_all, unpack_stat
from .people import Person
from .problems import Problem

if TYPE_CHECKING:
    from .entries import Entry

FOLDER = ".feedpub-cache"
STATE = "state.json"
FORMAT = 8
# How close to the snapshot a file's modification time must be for the file to be
# distrusted: two seconds where the file system keeps whole seconds (FAT keeps
# two), a few clock ticks where it keeps finer times.
RACY_COARSE_NS = 2_000_000_000
RACY_FINE_NS = 50_000_000


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The entry files as they were before the build read them."""

    files: dict[str, bytes]  # rel -> (size, mtime_ns, inode, ctime_ns), files.pack_stat
    taken_ns: int  # a time before any of the files was read
    unseen: bool = False  # some file found could not be stat'ed: never trust this one
    racy_after_ns: int = 0  # files modified or changed since may change again unseen
    racy_files: frozenset[str] = frozenset()  # those files, found once

    def __post_init__(self) -> None:
        fine = any(unpack_stat(stat)[3] % 1_000_000_000 for stat in self.files.values())
        after = self.taken_ns - (RACY_FINE_NS if fine else RACY_COARSE_NS)
        object.__setattr__(self, "racy_after_ns", after)
        object.__setattr__(self, "racy_files", frozenset(
            rel for rel, stat in self.files.items()
            if max(unpack_stat(stat)[1::2]) >= after))  # mtime, ctime

    def racy(self, rel: str) -> bool:
        return rel in self.racy_files

    def same_packed(self, rel: str, stat: str) -> bool:
        """Whether the file is there with this (cached) stat, written by `packed`."""
        try:
            return self.files.get(rel) == bytes.fromhex(stat)
        except (ValueError, TypeError):
            return False

    def packed(self, rel: str) -> str:
        return self.files[rel].hex()



@dataclass(frozen=True, slots=True)
class Unchanged:
    """What the last build reported, when nothing has changed since."""

    entry_count: int
    found_count: int
    warnings: tuple[Problem, ...]
    left_out: tuple[int, int, int] = (0, 0, 0)  # build.LeftOut's fields


def state_path(config: Config) -> Path:
    return _path(config, STATE)


def _path(config: Config, name: str) -> Path:
    """One set of files per config file, so that two configs can share a folder."""
    return config.root / FOLDER / f"{config.path.stem}.{name}"


def key(config: Config, drafts: bool = False, future: bool = False,
        skip_invalid: bool = False) -> str:
    """Everything besides the entries that decides the output (and the exit code)."""
    digest = hashlib.sha256(config.digest.encode())
    for part in (str(config.path), str(config.entries_dir), str(config.output_dir),
                 __version__, sys.version, repr((drafts, future, skip_invalid))):
        digest.update(b"\0" + part.encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


def snapshot(found: list[Found], taken_ns: int) -> Snapshot:
    """Every file's stat, taken now, before the build reads any of them (`taken_ns`
    is the time before that; a cold build takes each file's stat instead as it opens
    it: see build.py)."""
    files = stat_all(found)
    return Snapshot(files, taken_ns, unseen=len(files) < len(found))


def unchanged(config: Config, build_key: str, now: datetime,
              current: Snapshot) -> Unchanged | None:
    """The last build's report if nothing it depends on has changed, else None."""
    state = _load(config)
    if state is None or state.get("key") != build_key:
        return None
    try:
        files = state["files"]
        if state["racy"] or not state["complete"] or files["rels"] != list(current.files) \
                or base64.b64decode(files["stats"]) != b"".join(current.files.values()):
            return None
        due = state["next_change"]
        if not state["now"] <= now.timestamp() < (due if due is not None else float("inf")):
            return None  # a future-dated entry is due, or the clock went back
        for path, (size, mtime_ns) in state["outputs"].items():
            info = os.stat(path)
            if (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
                return None
        warnings = tuple(Problem(*row) for row in state["warnings"])
        drafts, future, beyond = map(int, state["left_out"])
        return Unchanged(int(state["entry_count"]), int(state["found_count"]), warnings,
                         (drafts, future, beyond))
    except (OSError, KeyError, TypeError, ValueError):
        return None


def save(config: Config, build_key: str, taken: Snapshot, outputs: list[Path],
         now: datetime, next_change: datetime | None, entry_count: int, found_count: int,
         warnings: tuple[Problem, ...], left_out: tuple[int, int, int] = (0, 0, 0)) -> None:
    """Record a successful build, while its outputs are on disk and locked.

    Failing to write the cache never fails the build.
    """
    racy = sorted(rel for rel in taken.files if taken.racy(rel))
    try:
        output_stats = {str(p): [os.stat(p).st_size, os.stat(p).st_mtime_ns] for p in outputs}
    except OSError:
        return
    _write(config, STATE, {
        "format": FORMAT, "key": build_key, "racy": racy, "complete": not taken.unseen,
        # the files in order, and their packed stats as one string: compared whole
        # next time, and little memory to write
        "files": {"rels": list(taken.files), "stats": base64.b64encode(
            b"".join(taken.files.values())).decode("ascii")},
        "now": now.timestamp(), "next_change": next_change.timestamp() if next_change else None,
        "outputs": output_stats, "entry_count": entry_count, "found_count": found_count,
        "warnings": _rows(warnings), "left_out": list(left_out),
    })


def _rows(problems: tuple[Problem, ...]) -> list[list[Any]]:
    return [[p.severity, p.message, p.path, p.line, p.hint] for p in problems]


def _load(config: Config) -> dict[str, Any] | None:
    try:
        with open(state_path(config), encoding="utf-8") as handle:
            state = json.load(handle)
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        return None
    return state


# --- Parsed entries: files unchanged since the last build are not read again -------

PARSED = "entries.json"


def parse_key(config: Config) -> str:
    """What a cached entry or fragment depends on besides its file: the config,
    feedpub, and the libraries that parse, render and write it."""
    return hashlib.sha256((key(config) + library_versions()).encode()).hexdigest()


def library_versions() -> str:
    """Versions of the parsing, rendering and writing libraries (imported anyway by a
    build that gets this far), so that upgrading one re-renders what it affects."""
    import feedgen.version
    import lxml.etree
    import nh3
    import yaml
    from cmarkgfm import _cmark

    cmark = _cmark.ffi.string(_cmark.lib.cmark_version_string()).decode()
    return repr((cmark, nh3.__version__, feedgen.version.version_str, lxml.etree.__version__,
                 yaml.__version__))


def known_entries(config: Config, parsed_key: str,
                  current: Snapshot,
                  ) -> dict[str, tuple[Entry | None, tuple[Problem, ...]]] | None:
    """Entries (without bodies) and their problems for files unchanged since cached;
    None if there is no usable entry cache (missing, corrupt, another version)."""
    try:
        with open(_path(config, PARSED), encoding="utf-8") as handle:
            data = json.load(handle)
        if data["format"] != FORMAT or data["key"] != parsed_key:
            return None
        people = [Person(*fields) for fields in data["people"]]
        where = _Where(config)
        known = {}
        for rel, (stat, row, problems) in data["files"].items():
            if not current.same_packed(rel, stat) or rel in current.racy_files:
                continue
            entry = _entry(where, rel, row, people) if row is not None else None
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
    rows = {}
    where = _Where(config)
    people: dict[Person, int] = {}  # each author once, rows hold their numbers
    for rel, entry, problems in files:
        if rel not in taken.files or taken.racy(rel):
            continue  # racy or vanished: parse it again next time
        rows[rel] = [taken.packed(rel),
                     _row(where, entry, people) if entry is not None else None,
                     _rows(problems)]
    _write(config, PARSED, {"format": FORMAT, "key": parsed_key, "files": rows,
                            "people": [[p.name, p.email, p.uri] for p in people]})


def _row(where: _Where, entry: Entry, people: dict[Person, int]) -> list[Any]:
    """An entry as a compact row; what can be derived from its file is left out."""
    source, path, base = where.derived(entry.rel, entry.link)
    return [entry.title, entry.published.isoformat(), entry.updated.isoformat(),
            [people.setdefault(a, len(people)) for a in entry.authors], entry.summary,
            list(entry.tags), entry.id, entry.slug, entry.link, entry.draft, entry.lang,
            None if entry.base == base else entry.base,
            None if entry.source == source else entry.source,
            None if entry.path == path else entry.path]


def _entry(where: _Where, rel: str, row: list[Any], people: list[Person]) -> Entry:
    from .entries import Entry

    (title, published, updated, authors, summary, tags, entry_id, slug, link, draft, lang,
     base, source, path) = row
    derived_source, derived_path, derived_base = where.derived(rel, link)
    return Entry(
        source=source or derived_source, title=title,
        published=datetime.fromisoformat(published), updated=datetime.fromisoformat(updated),
        authors=tuple([people[i] for i in authors]), summary=summary, tags=tuple(tags),
        id=entry_id, slug=slug, link=link, base=base or derived_base, draft=bool(draft),
        lang=lang, body=None, path=path or derived_path, rel=rel)


class _Where:
    """An entry's display path, file path and base URL as loading usually makes them."""

    def __init__(self, config: Config) -> None:
        self.prefix = config.display(config.entries_dir) + "/"
        self.folder = str(config.entries_dir) + os.sep

    def derived(self, rel: str, link: str) -> tuple[str, str, str]:
        return self.prefix + rel, self.folder + rel, link


def _write(config: Config, name: str, data: dict[str, Any]) -> None:
    """Write one cache file atomically; failing to write never fails the build."""
    temp = None
    try:
        target = _path(config, name)
        target.parent.mkdir(exist_ok=True)
        import tempfile  # late: a build writes its cache last

        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)  # one write: json.dump's many small ones cost 10 times more
        os.replace(temp, target)
    except (OSError, TypeError, ValueError):
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


# --- Feed fragments: each published entry's RSS item and Atom entry, as bytes ------

FRAGMENTS = "fragments"


def known_fragments(config: Config, parsed_key: str,
                    current: Snapshot) -> dict[str, tuple[Any, Any, Any]] | None:
    """(RSS item, Atom entry, content notes) for entries whose files are unchanged
    since cached; None if there is no usable fragment cache."""
    try:
        with open(_path(config, FRAGMENTS), "rb") as handle:
            data = handle.read()
        size = int.from_bytes(data[:8], "big")
        index = json.loads(data[8: 8 + size])
        if index["format"] != FORMAT or index["key"] != parsed_key:
            return None
        blob = memoryview(data)[8 + size:]
        known = {}
        for rel, (stat, start, rss_size, atom_size, notes) in index["items"].items():
            if current.same_packed(rel, stat) and rel not in current.racy_files:
                middle = start + rss_size  # views into one read: no copy per fragment
                known[rel] = (blob[start:middle], blob[middle:middle + atom_size],
                              tuple(Problem(*row) for row in notes) if notes else ())
        return known
    except (OSError, KeyError, TypeError, ValueError, IndexError):
        return None


def save_fragments(config: Config, parsed_key: str, taken: Snapshot,
                   fragments: dict[str, tuple[bytes, bytes, tuple[Problem, ...]]], new: int,
                   replace_unusable: bool = False) -> None:
    """Write the fragment cache (as save_parsed decides)."""
    if new < WORTH_SAVING and not replace_unusable:
        return
    items, chunks, offset = {}, [], 0
    for rel, (rss, atom, notes) in fragments.items():
        if rel not in taken.files or taken.racy(rel):
            continue
        items[rel] = [taken.packed(rel), offset, len(rss), len(atom), _rows(notes)]
        chunks += [rss, atom]
        offset += len(rss) + len(atom)
    index = json.dumps({"format": FORMAT, "key": parsed_key, "items": items},
                       separators=(",", ":"), ensure_ascii=False).encode()
    _write_bytes(config, FRAGMENTS, [len(index).to_bytes(8, "big"), index, *chunks])


def _write_bytes(config: Config, name: str, parts: list[bytes]) -> None:
    temp = None
    try:
        target = _path(config, name)
        target.parent.mkdir(exist_ok=True)
        import tempfile  # late: a build writes its cache last

        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.writelines(parts)
        os.replace(temp, target)
    except OSError:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
