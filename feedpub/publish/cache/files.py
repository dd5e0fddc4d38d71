"""Cache files: where they are, and a header with the length and checksum of the rest.

Every cache file begins with the same 100-byte header, `{"check":"sha256 LENGTH
DIGEST",`: the length of the rest of the file (16 decimal digits) and its SHA-256
(64 hex digits). A file is read only if it is a regular file no larger than
MAX_FILE_BYTES, and used only if its length and checksum match: anything else is
ignored with a note and written anew (the JSON files stay JSON: the header is their
first member). Writing one never fails the build.

The fragment cache's header is `{"index":"sha256 LENGTH DIGEST",`: LENGTH and DIGEST
are those of its index alone (the first parts written). The fragments after it carry
a CRC-32 each in that index, checked before any is used (fragments.py): hashing their
200 MB again (at 10,000 entries, every entry in the feed) took 96 ms of every build
that wrote or read them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

from feedpub.base.problems import Problem, note
from feedpub.config import Config

FOLDER = ".feedpub-cache"
# The cache's files, beside each other in FOLDER (see path):
STATE = "state.json"  # the last build: state.py
PARSED = "entries.json"  # entries read: entries.py
FRAGMENTS = "fragments"  # fragments made: fragments.py
HEADER_SIZE = 100
_HEADER = re.compile(rb'\{"(check|index)":"sha256 (\d{16}) ([0-9a-f]{64})",')
# A cache file larger than this is not read (nor written): a feed of this size would
# not be built in memory anyway.
MAX_FILE_BYTES = 2 << 30


class Unusable(Exception):
    """A cache file that is there but not to be used; the message says why."""


def path(config: Config, name: str) -> Path:
    """One set of files per config file, so that two configs can share a folder."""
    return config.root / FOLDER / f"{config.path.stem}.{name}"


def rows(problems: tuple[Problem, ...]) -> list[list[Any]]:
    return [[p.severity, p.message, p.path, p.line, p.hint] for p in problems]


def is_cache_note(problem: Problem) -> bool:
    """Whether this is a note about the cache itself (not repeated by an unchanged build)."""
    return problem.severity == "note" and (problem.path or "").startswith(FOLDER + "/")


def cache_note(config: Config, name: str, message: str) -> Problem:
    return note(message, config.display(path(config, name)),
                hint="harmless: the build does not use what does not verify")


class ReadAhead:
    """A cache file read and verified in a thread (reading and hashing let go of the
    GIL), while this one does other work: the fragment cache can be 100 MB and more."""

    def __init__(self, file: Path, indexed: bool = False) -> None:
        import threading

        self.path, self.indexed = file, indexed
        self._result: bytes | BaseException | None = None
        self._thread = threading.Thread(target=self._read, name="feedpub-cache", daemon=True)
        self._thread.start()

    def _read(self) -> None:
        try:
            self._result = read_verified(self.path, self.indexed)
        except (Unusable, OSError) as exc:
            self._result = exc

    def result(self) -> bytes:
        """What read_verified returned, or raises what it raised."""
        self._thread.join()
        if isinstance(self._result, BaseException):
            raise self._result
        assert self._result is not None
        return self._result


def load_file(config: Config, name: str, notes: list[Problem] | None,
              ahead: ReadAhead | None = None, indexed: bool = False) -> bytes | None:
    """A cache file's bytes, header included, if it verifies; None if it is missing or
    does not (then with a note in `notes`). `indexed`: a header that verifies only the
    index is taken (read_verified)."""
    try:
        return ahead.result() if ahead is not None else \
            read_verified(path(config, name), indexed)
    except FileNotFoundError:
        return None
    except (Unusable, OSError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if notes is not None:
            notes.append(cache_note(config, name, f"build cache file ignored ({reason}); it "
                                                  "is written anew"))
        return None


def load_json(config: Config, name: str, notes: list[Problem] | None) -> dict[str, Any] | None:
    """A verified JSON cache file as a dict, or None."""
    data = load_file(config, name, notes)
    if data is None:
        return None
    try:
        value = json.loads(data)  # the header is the object's first member
    except (ValueError, UnicodeDecodeError):
        return None
    return value if isinstance(value, dict) else None


def read_verified(file: Path, indexed: bool = False) -> bytes:
    """The file's bytes, header included, once its length and checksum are verified
    (with `indexed`, an "index" header verifies what it covers only: the caller checks
    the rest).

    Raises FileNotFoundError if it is missing, Unusable (or OSError) if it is not a
    regular file, too large, unreadable or damaged. Anything but a regular file is
    never opened for reading (regular.read_regular_file): a FIFO would block, a
    device never end.
    """
    from feedpub.base.regular import RefusedFile, read_regular_file

    try:
        data = read_regular_file(file, MAX_FILE_BYTES)
    except RefusedFile as exc:
        raise Unusable(str(exc)) from None
    if not _verifies(data, indexed):
        raise Unusable("damaged, truncated or from another version: its length or "
                       "checksum does not match")
    return data


def _verifies(data: bytes, indexed: bool) -> bool:
    """Whether the header is whole and the length and SHA-256 it gives match the rest
    (an "index" header, where taken: the part of the rest it covers)."""
    match = _HEADER.match(data)
    if match is None or (match[1] == b"index" and not indexed):
        return False
    length = int(match[2])
    if length != len(data) - HEADER_SIZE if match[1] == b"check" \
            else length > len(data) - HEADER_SIZE:
        return False
    covered = memoryview(data)[HEADER_SIZE:HEADER_SIZE + length]
    return hashlib.sha256(covered).hexdigest().encode() == match[3]


def indexed_length(data: bytes) -> int | None:
    """What an "index" header's checksum covers (None: the header covers all)."""
    match = _HEADER.match(data)
    return int(match[2]) if match is not None and match[1] == b"index" else None


def _header(parts: list[bytes], covered: int | None = None) -> bytes:
    """The header for a file whose content after it is `parts`: its SHA-256 covers the
    first `covered` parts (an "index" header) or, with None, all."""
    digest, length = hashlib.sha256(), 0
    for part in parts if covered is None else parts[:covered]:
        digest.update(part)
        length += len(part)
    kind = b"check" if covered is None else b"index"
    header = b'{"%s":"sha256 %016d %s",' % (kind, length, digest.hexdigest().encode())
    assert len(header) == HEADER_SIZE
    return header


def write_json(config: Config, name: str, data: dict[str, Any]) -> None:
    """Write one JSON cache file atomically; failing to write never fails the build."""
    try:
        text = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        payload = text.encode()
    except (TypeError, ValueError):
        return
    assert payload.startswith(b"{") and payload != b"{}"
    # The header is the object's first member: its members follow it.
    write_bytes(config, name, [payload[1:]])


def write_bytes(config: Config, name: str, parts: list[bytes],
                indexed: int | None = None) -> None:
    """Write one cache file atomically, its header first; failing to write (or a file
    too large to be read back) never fails the build. `indexed`: how many of the first
    parts the header's checksum covers (the reader checks the rest); None: all."""
    temp = None
    try:
        target = path(config, name)
        if HEADER_SIZE + sum(len(part) for part in parts) > MAX_FILE_BYTES:
            target.unlink(missing_ok=True)  # not a stale one in its place
            return
        target.parent.mkdir(exist_ok=True)
        import tempfile  # late: a build writes its cache last

        fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.writelines([_header(parts, indexed), *parts])
        os.replace(temp, target)
    except OSError:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)
