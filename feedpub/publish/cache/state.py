"""The state of the last build: what it read and wrote, and what it reported.

A build that finds every entry file and output as the last one left them, under
the same key (config, feedpub, Python, options), reports the same and does nothing
more. Files modified just before the snapshot are "racy" (a second edit in the
same clock tick would keep the same modification time), so a build that saw them is
never taken as proof that nothing changed: within two seconds where the file system
keeps whole seconds, within 50 ms where it keeps finer times.
"""

from __future__ import annotations

import base64
import hashlib
import os
import stat as stat_module
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from feedpub import __version__
from feedpub.base.problems import Problem
from feedpub.config import Config
from feedpub.content.files import Found, stat_all, unpack_stat
from feedpub.publish.cache.files import STATE, is_cache_note, load_json, path, rows, write_json

# Of every cache file: a file of another format is not used (and is written anew).
# (12: an entry whose own URL has "." or ".." parts has its relative links resolved as
# urljoin does; fragments made before are not reused.)
FORMAT = 12
# How close to the snapshot a file's modification time must be for the file to be
# distrusted: two seconds where the file system keeps whole seconds (FAT keeps
# two), a few clock ticks where it keeps finer times.
RACY_COARSE_NS = 2_000_000_000
RACY_FINE_NS = 50_000_000


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The entry files as they were before the build read them."""

    files: dict[str, bytes]  # rel -> (size, mtime_ns, inode, ctime_ns): content.files.pack_stat
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

    def reusable(self, rel: str, stat: str) -> bool:
        """Whether what was cached for this file (with this stat) may be used now."""
        return self.same_packed(rel, stat) and rel not in self.racy_files

    def keeps(self, rel: str) -> bool:
        """Whether what is made from this file now may be cached (it was seen, not racy)."""
        return rel in self.files and rel not in self.racy_files


NONE_LEFT_OUT = (0, 0, 0, 0)  # build.LeftOut's fields: drafts, future, beyond_limit, expired


@dataclass(frozen=True, slots=True)
class Report:
    """What a build reported, kept for a next build that finds nothing changed."""

    entry_count: int
    found_count: int
    warnings: tuple[Problem, ...]
    left_out: tuple[int, ...] = NONE_LEFT_OUT  # build.LeftOut's fields
    outputs: tuple[Path, ...] = ()  # the files it wrote


def state_path(config: Config) -> Path:
    return path(config, STATE)


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
    it: see BuildCache.save_state)."""
    files = stat_all(found)
    return Snapshot(files, taken_ns, unseen=len(files) < len(found))


def unchanged(config: Config, build_key: str, now: datetime, current: Snapshot,
              notes: list[Problem] | None = None) -> Report | None:
    """The last build's report if nothing it depends on has changed, else None (a
    state file that does not verify adds a note to `notes`)."""
    state = load_json(config, STATE, notes)
    if state is None or state.get("format") != FORMAT or state.get("key") != build_key:
        return None
    try:
        files = state["files"]
        if state["racy"] or not state["complete"] or files["rels"] != list(current.files) \
                or base64.b64decode(files["stats"]) != b"".join(current.files.values()):
            return None
        due = state["next_change"]
        if not state["now"] <= now.timestamp() < (due if due is not None else float("inf")):
            return None  # a future-dated entry is due, or the clock went back
        for output, (size, mtime_ns) in state["outputs"].items():
            info = os.stat(output)
            if (info.st_size, info.st_mtime_ns) != (size, mtime_ns):
                return None
        if not _watched_unchanged(state.get("watched", {})):
            return None
        warnings = tuple(Problem(*row) for row in state["warnings"])
        left_out = tuple(map(int, state["left_out"]))
        if len(left_out) != len(NONE_LEFT_OUT):  # from another shape of build.LeftOut
            return None
        return Report(int(state["entry_count"]), int(state["found_count"]), warnings,
                      left_out, tuple(map(Path, state["outputs"])))
    except (OSError, KeyError, TypeError, ValueError):
        return None


def _watched_unchanged(watched: dict[str, Any]) -> bool:
    """Whether each file beside an entry that a page links to is as the last build
    saw it (there with the same size and mtime, or still not there)."""
    for file, stat in watched.items():
        try:
            info = os.stat(file)
            now = [info.st_size, info.st_mtime_ns] if stat_module.S_ISREG(info.st_mode) \
                else None
        except OSError:
            now = None
        if now != stat:
            return False
    return True


def last_state(config: Config, build_key: str) -> dict[str, Any] | None:
    """The last build's state, if it was made under this key."""
    state = load_json(config, STATE, None)
    return state if state and state.get("format") == FORMAT and state.get("key") == build_key \
        else None


def last_outputs(config: Config) -> dict[Path, tuple[int, int]]:
    """The files the last build wrote, each with its (size, mtime_ns) just after: what
    a build may remove when it no longer makes one (whatever the last build's key),
    if the last build wrote the same site to the same folder (not a preview built
    with --output and --url elsewhere, or inside this one)."""
    state = load_json(config, STATE, None)
    try:
        same = state and state.get("format") == FORMAT \
            and state.get("site") == _site(config)
        outputs = state["outputs"] if same else {}
        return {Path(name): (int(size), int(mtime_ns))
                for name, (size, mtime_ns) in outputs.items()}
    except (AttributeError, TypeError, ValueError):
        return {}


def _site(config: Config) -> list[str]:
    return [str(config.output_dir), config.url]


def save(config: Config, build_key: str, taken: Snapshot, now: datetime,
         next_change: datetime | None, report: Report,
         pages: dict[str, str] | None = None,
         assets: Mapping[str, list[list[Any]]] | None = None,
         watched: Mapping[str, tuple[int, int] | None] | None = None) -> None:
    """Record a successful build, while its outputs are on disk and locked.

    Failing to write the cache never fails the build.
    """
    racy = sorted(rel for rel in taken.files if taken.racy(rel))
    watched = watched or {}
    racy += sorted(file for file, stat in watched.items()  # (beside entries: copied)
                   if stat is not None and stat[1] >= taken.racy_after_ns)
    try:
        output_stats = {str(p): [info.st_size, info.st_mtime_ns]
                        for p in report.outputs for info in (os.stat(p),)}
    except OSError:
        return
    write_json(config, STATE, {
        "format": FORMAT, "key": build_key, "racy": racy, "complete": not taken.unseen,
        # the files in order, and their packed stats as one string: compared whole
        # next time, and little memory to write
        "files": {"rels": list(taken.files), "stats": base64.b64encode(
            b"".join(taken.files.values())).decode("ascii")},
        "now": now.timestamp(), "next_change": next_change.timestamp() if next_change else None,
        "outputs": output_stats, "entry_count": report.entry_count,
        "found_count": report.found_count,
        "warnings": rows(tuple(p for p in report.warnings if not is_cache_note(p))),
        "left_out": list(report.left_out),
        "site": _site(config),  # where it wrote: what last_outputs may remove
        "pages": pages or {},  # archive page folder or entry page -> digest: cache/pages.py
        "assets": {key: [list(row) for row in rows] for key, rows in (assets or {}).items()},
        # the files beside entries that pages link to, as they were: (size, mtime_ns) or
        # None (not there); a rebuild with any of them changed is no rebuild to skip
        "watched": {path: list(stat) if stat else None for path, stat in watched.items()},
    })
