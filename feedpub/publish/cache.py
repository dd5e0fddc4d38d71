"""The build state in `.feedpub-cache/` beside the config: a no-change rebuild in a blink.

After each successful build feedpub records what it read (each entry file's size
and modification time), what it wrote (each output's size and modification
time), the warnings it printed and when the next future-dated entry falls due.
The next build first compares: if nothing differs, it does nothing more. The
cache is only ever a shortcut: a missing, corrupt, unreadable or foreign state
file is ignored (and replaced), never trusted and never fatal. Deleting the
folder at any time is safe.

Every cache file begins with the same 100-byte header, `{"check":"sha256 LENGTH
DIGEST",`: the length of the rest of the file (16 decimal digits) and its SHA-256
(64 hex digits). A file is read only if it is a regular file no larger than
MAX_FILE_BYTES, and used only if its length and checksum match: anything else is
ignored with a note and written anew (the JSON files stay JSON: the header is their
first member). Each cached feed fragment also carries the CRC-32 of its bytes,
checked again when a feed is assembled from it (faulty_fragments).

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
import re
import sys
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedpub import __version__
from feedpub.base.people import Person
from feedpub.base.problems import Problem, note
from feedpub.config.model import Config
from feedpub.content.files import Found, stat_all, unpack_stat

if TYPE_CHECKING:
    from feedpub.entries.model import Entry

FOLDER = ".feedpub-cache"
STATE = "state.json"
FORMAT = 9
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


def present(config: Config) -> bool:
    """Whether the entry or fragment cache is there (even as a broken link): a build
    with --no-cache writes them anew (and the state, as every build does)."""
    return any(os.path.lexists(_path(config, name)) for name in (PARSED, FRAGMENTS))


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


def unchanged(config: Config, build_key: str, now: datetime, current: Snapshot,
              notes: list[Problem] | None = None) -> Unchanged | None:
    """The last build's report if nothing it depends on has changed, else None (a
    state file that does not verify adds a note to `notes`)."""
    state = _load(config, notes)
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
        "warnings": _rows(tuple(p for p in warnings if not is_cache_note(p))),
        "left_out": list(left_out),
    })


def _rows(problems: tuple[Problem, ...]) -> list[list[Any]]:
    return [[p.severity, p.message, p.path, p.line, p.hint] for p in problems]


def _load(config: Config, notes: list[Problem] | None = None) -> dict[str, Any] | None:
    state = _load_json(config, STATE, notes)
    if state is None or state.get("format") != FORMAT:
        return None
    return state


def _load_json(config: Config, name: str,
               notes: list[Problem] | None) -> dict[str, Any] | None:
    """A verified JSON cache file as a dict, or None."""
    data = _load_file(config, name, notes)
    if data is None:
        return None
    try:
        value = json.loads(data)  # the header is the object's first member
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


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


def known_entries(config: Config, parsed_key: str, current: Snapshot,
                  notes: list[Problem] | None = None,
                  ) -> dict[str, tuple[Entry | None, tuple[Problem, ...]]] | None:
    """Entries (without bodies) and their problems for files unchanged since cached;
    None if there is no usable entry cache (missing, corrupt, another version)."""
    data = _load_json(config, PARSED, notes)
    if data is None:
        return None
    try:
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
    from feedpub.entries.model import Entry

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
    """Write one JSON cache file atomically; failing to write never fails the build."""
    try:
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        payload = text.encode()
    except (TypeError, ValueError):
        return
    assert payload.startswith(b"{") and payload != b"{}"
    # The header is the object's first member: its members follow it.
    _write_bytes(config, name, [payload[1:]])


# --- Feed fragments: each published entry's RSS item and Atom entry, as bytes ------

FRAGMENTS = "fragments"


Fragment = tuple[Any, Any, tuple[Problem, ...]]  # build.Fragments: RSS, Atom, notes


class CachedFragments(dict[str, Fragment]):
    """Fragments read from the cache, with each one's CRC-32 as it was saved."""

    def __init__(self) -> None:
        super().__init__()
        self.checks: dict[str, int] = {}
        self.damaged = False  # some did not verify when a feed was assembled


def known_fragments(config: Config, parsed_key: str, current: Snapshot,
                    notes: list[Problem] | None = None,
                    ahead: ReadAhead | None = None) -> CachedFragments | None:
    """(RSS item, Atom entry, content notes) for entries whose files are unchanged
    since cached; None if there is no usable fragment cache. `ahead`: the file as
    read_ahead started reading it."""
    data = _load_file(config, FRAGMENTS, notes, ahead)
    if data is None:
        return None
    try:
        payload = memoryview(data)[HEADER_SIZE:]
        size = int.from_bytes(payload[:8], "big")
        index = json.loads(bytes(payload[8: 8 + size]))
        if index["format"] != FORMAT or index["key"] != parsed_key:
            return None
        blob = payload[8 + size:]
        known = CachedFragments()
        for rel, (stat, start, rss_size, atom_size, rows, check) in index["items"].items():
            end = start + rss_size + atom_size
            if not 0 <= start <= start + rss_size <= end <= len(blob):
                return None
            if current.same_packed(rel, stat) and rel not in current.racy_files:
                middle = start + rss_size  # views into one read: no copy per fragment
                known[rel] = (blob[start:middle], blob[middle:end],
                              tuple(Problem(*row) for row in rows) if rows else ())
                known.checks[rel] = int(check)
        return known
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def save_fragments(config: Config, parsed_key: str, taken: Snapshot,
                   fragments: dict[str, tuple[bytes, bytes, tuple[Problem, ...]]], new: int,
                   replace_unusable: bool = False) -> None:
    """Write the fragment cache (as save_parsed decides)."""
    if new < WORTH_SAVING and not replace_unusable:
        return
    items, chunks, offset = {}, [], 0
    for rel, (rss, atom, notes) in fragments.items():
        if rel not in taken.files or taken.racy(rel) or not _whole((rss, atom, notes)):
            continue
        items[rel] = [taken.packed(rel), offset, len(rss), len(atom), _rows(notes),
                      _crc(rss, atom)]
        chunks += [rss, atom]
        offset += len(rss) + len(atom)
    index = json.dumps({"format": FORMAT, "key": parsed_key, "items": items},
                       separators=(",", ":"), ensure_ascii=False).encode()
    _write_bytes(config, FRAGMENTS, [len(index).to_bytes(8, "big"), index, *chunks])


def _crc(rss: bytes, atom: bytes) -> int:
    """The CRC-32 of each, in one number (not of both run together: they would keep it
    if the boundary between them moved)."""
    return zlib.crc32(rss) << 32 | zlib.crc32(atom)


# --- The last line of defence: fragments checked as a feed is assembled from them ---

def faulty_fragments(rels: Iterable[str], made: Mapping[str, Fragment],
                     cached: Mapping[str, Fragment]) -> list[str]:
    """Of the entries `rels`, those whose fragments came from the cache and are not
    the bytes saved (their CRC-32 differs) or, without a CRC-32, not one whole <item>
    and one whole <entry>.

    Only whole fragments are saved, and each was well-formed when it was made (lxml
    wrote it): a feed of such fragments, the same bytes now, between a fresh head and
    tail is well-formed and has one item per entry, without parsing its megabytes
    again (a parse would cost as much as the rest of a rebuild after an edit).
    """
    checks = cached.checks if isinstance(cached, CachedFragments) else {}
    faulty = [rel for rel in rels if rel in cached and not _intact(made[rel], checks.get(rel))]
    if faulty and isinstance(cached, CachedFragments):
        cached.damaged = True
    return faulty


def damaged(cached: Mapping[str, Fragment] | None) -> bool:
    """Whether some of these cached fragments did not verify (faulty_fragments)."""
    return isinstance(cached, CachedFragments) and cached.damaged


def _intact(fragment: Fragment, check: int | None) -> bool:
    """With the CRC-32 it was saved with (only whole ones are saved), or else whole."""
    return _crc(fragment[0], fragment[1]) == check if check is not None else _whole(fragment)


def _whole(fragment: Fragment) -> bool:
    """One <item> and one <entry>, as feeds.rss_item and atom_entry make them (they
    are well-formed: lxml wrote them)."""
    rss, atom = fragment[0], fragment[1]
    return (_framed(rss, (b"    <item>",), b"</item>\n")
            and _framed(atom, (b"  <entry>", b"  <entry "), b"</entry>\n"))


def _framed(data: bytes | memoryview, starts: tuple[bytes, ...], end: bytes) -> bool:
    return (len(data) > len(starts[0]) + len(end) and data[-len(end):] == end
            and any(data[:len(start)] == start for start in starts))


def faulty_note(config: Config, count: int) -> Problem:
    return cache_note(config, FRAGMENTS,
                      f"{count} cached feed fragment{'s' if count != 1 else ''} did not "
                      "verify (not one whole <item> and <entry> as saved): made again from "
                      "the entries, and the cache written anew")


# --- Cache files: a header with the length and checksum of the rest ---------------

HEADER_SIZE = 100
_HEADER = re.compile(rb'\{"check":"sha256 (\d{16}) ([0-9a-f]{64})",')
# A cache file larger than this is not read (nor written): a feed of this size would
# not be built in memory anyway.
MAX_FILE_BYTES = 2 << 30


class _Unusable(Exception):
    """A cache file that is there but not to be used; the message says why."""


def is_cache_note(problem: Problem) -> bool:
    """Whether this is a note about the cache itself (not repeated by an unchanged build)."""
    return problem.severity == "note" and (problem.path or "").startswith(FOLDER + "/")


def cache_note(config: Config, name: str, message: str) -> Problem:
    return note(message, config.display(_path(config, name)),
                hint="harmless: the build does not use what does not verify")


class ReadAhead:
    """A cache file read and verified in a thread (reading and hashing let go of the
    GIL), while this one does other work: the fragment cache can be 100 MB and more."""

    def __init__(self, path: Path) -> None:
        import threading

        self.path = path
        self._result: bytes | BaseException | None = None
        self._thread = threading.Thread(target=self._read, name="feedpub-cache", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            self._result = read_verified(self.path)
        except (_Unusable, OSError) as exc:
            self._result = exc

    def result(self) -> bytes:
        """What read_verified returned, or raises what it raised."""
        self._thread.join()
        if isinstance(self._result, BaseException):
            raise self._result
        assert self._result is not None
        return self._result


def read_ahead(config: Config, name: str = FRAGMENTS) -> ReadAhead:
    """Start reading a cache file (for known_fragments)."""
    return ReadAhead(_path(config, name))


def _load_file(config: Config, name: str, notes: list[Problem] | None,
               ahead: ReadAhead | None = None) -> bytes | None:
    """A cache file's bytes, header included, if it verifies; None if it is missing or
    does not (then with a note in `notes`)."""
    try:
        return ahead.result() if ahead is not None else read_verified(_path(config, name))
    except FileNotFoundError:
        return None
    except (_Unusable, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if notes is not None:
            notes.append(cache_note(config, name, f"build cache file ignored ({reason}); it "
                                                  "is written anew"))
        return None


def read_verified(path: Path) -> bytes:
    """The file's bytes, header included, once its length and checksum are verified.

    Raises FileNotFoundError if it is missing, _Unusable (or OSError) if it is not a
    regular file, too large, unreadable or damaged. Anything but a regular file is
    never opened for reading (regular.read_regular_file): a FIFO would block, a
    device never end.
    """
    from feedpub.base.regular import RefusedFile, read_regular_file

    try:
        data = read_regular_file(path, MAX_FILE_BYTES)
    except RefusedFile as exc:
        raise _Unusable(str(exc)) from None
    if not _verifies(data):
        raise _Unusable("damaged, truncated or from another version: its length or "
                        "checksum does not match")
    return data


def _verifies(data: bytes) -> bool:
    """Whether the header is whole and the length and SHA-256 it gives match the rest."""
    match = _HEADER.match(data)
    return match is not None and int(match[1]) == len(data) - HEADER_SIZE \
        and hashlib.sha256(memoryview(data)[HEADER_SIZE:]).hexdigest().encode() == match[2]


def _header(parts: list[bytes]) -> bytes:
    """The header for a file whose content after it is `parts`."""
    digest, length = hashlib.sha256(), 0
    for part in parts:
        digest.update(part)
        length += len(part)
    header = b'{"check":"sha256 %016d %s",' % (length, digest.hexdigest().encode())
    assert len(header) == HEADER_SIZE
    return header


def _write_bytes(config: Config, name: str, parts: list[bytes]) -> None:
    """Write one cache file atomically, its header first; failing to write (or a file
    too large to be read back) never fails the build."""
    temp = None
    try:
        target = _path(config, name)
        if HEADER_SIZE + sum(len(part) for part in parts) > MAX_FILE_BYTES:
            target.unlink(missing_ok=True)  # not a stale one in its place
            return
        target.parent.mkdir(exist_ok=True)
        import tempfile  # late: a build writes its cache last

        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.writelines([_header(parts), *parts])
        os.replace(temp, target)
    except OSError:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
