"""The build cache in `.feedpub-cache/` beside the config: a no-change rebuild in a blink.

After each successful build feedpub records what it read (each entry file's stat),
what it wrote (each output's size and modification time), what it reported, and when
the next future-dated entry falls due (state.py). The next build first compares: if
nothing differs, it does nothing more. Otherwise it reuses what it can: the entries
of files unchanged since (entries.py) and, for those published, their fragments for
every output (fragments.py). The cache is only ever a shortcut: a missing, corrupt,
unreadable or foreign file is ignored (and replaced), never trusted and never fatal
(files.py: every file carries its own length and SHA-256). Deleting the folder at any
time is safe.

`BuildCache` is one build's use of it; build.py knows the cache only through it.
Importing this package is cheap (a no-change rebuild loads nothing more); the entry
and fragment caches are imported when a build gets that far.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedpub.base.problems import Problem
from feedpub.config import Config
from feedpub.content.files import Found
from feedpub.publish.cache.files import (
    FOLDER,
    FRAGMENTS,
    HEADER_SIZE,
    PARSED,
    STATE,
    is_cache_note,
    path,
    read_verified,
)
from feedpub.publish.cache.state import (
    FORMAT,
    RACY_COARSE_NS,
    RACY_FINE_NS,
    Report,
    Snapshot,
    key,
    last_outputs,
    last_state,
    save,
    snapshot,
    state_path,
    unchanged,
)

if TYPE_CHECKING:
    from feedpub.publish.cache.entries import Known
    from feedpub.publish.cache.fragments import Fragment, Whole
    from feedpub.publish.cache.pages import KnownPages

__all__ = ["FOLDER", "FORMAT", "FRAGMENTS", "HEADER_SIZE", "PARSED", "RACY_COARSE_NS",
           "RACY_FINE_NS", "STATE", "BuildCache", "Report", "Reuse", "Snapshot",
           "is_cache_note", "key", "read_verified"]


@dataclass(frozen=True, slots=True)
class Reuse:
    """What a build may take from earlier builds instead of making it again."""

    # rel -> (entry without body, problems) of files unchanged since; None: this
    # build keeps no entry cache (a one-off build: less memory)
    entries: Known | None = None
    # rel -> fragments (one per output) and content notes, of files unchanged since
    fragments: Mapping[str, Fragment] | None = None
    # the archive pages the last build made, to tell which need not be made again
    pages: KnownPages | None = None


@dataclass(frozen=True, slots=True)
class Made:
    """What a build made that the cache keeps for the next (build.Build's fields)."""

    report: Report
    next_change: datetime | None
    stats: dict[str, bytes]  # rel -> stat of each file read, taken before reading it
    files: tuple[tuple[str, Any, tuple[Problem, ...]], ...]  # rel, entry, problems
    fragments: Mapping[str, Fragment]
    new_fragments: int
    links: str = ""  # the digest of the entries' links the fragments were made with
    # archive page folder -> (its entries' rels, its shape): pages.Streamed.pages
    pages: Mapping[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    # entry page file -> the files beside it, and pages, it links to (Asset.row each)
    assets: Mapping[str, list[list[Any]]] = field(default_factory=dict)
    # each such file looked at -> (size, mtime_ns), or None (not there)
    watched: Mapping[str, tuple[int, int] | None] = field(default_factory=dict)


class BuildCache:
    """One build's use of the cache: what it may skip or reuse, and what it saves."""

    def __init__(self, config: Config, build_key: str, found: list[Found] | None,
                 versions: Callable[[], str], *, use: bool = True) -> None:
        """`versions`: of the libraries that parse, render and write entries (what is
        made from an entry is reused only while they stay the same)."""
        self.config, self.key, self.found = config, build_key, found
        self.versions = versions
        self.notes: list[Problem] = []  # about cache files that did not verify
        self.before_reading = time.time_ns()
        # The entry cache pays off in a folder that is built again and again: a state
        # from an earlier build shows that this is one (a one-off CI build never is).
        rebuilding = use and found is not None and state_path(config).exists()
        self.taken = snapshot(found, self.before_reading) if rebuilding and found else None
        # --no-cache reads nothing from the cache, and writes all of it anew.
        self.rewrite = not use and found is not None and _present(config)
        self.reuse = Reuse()
        self.unusable = (False, False)  # (entries, fragments) on disk: write them anew
        self.parsed_key = ""

    def unchanged(self, now: datetime) -> Report | None:
        """The last build's report, if nothing it depends on has changed."""
        if self.taken is None:
            return None
        return unchanged(self.config, self.key, now, self.taken, self.notes)

    def reusable(self, outputs: Sequence[str]) -> Reuse:
        """What this build may reuse (fragments for the outputs named, in that order)."""
        from feedpub.publish.cache import entries, fragments

        config = self.config
        if self.rewrite:
            self.parsed_key = entries.parse_key(config, self.versions())
            self.reuse, self.unusable = Reuse({}, {}), (True, True)
        elif self.taken is not None:
            ahead = fragments.read_ahead(config)  # the largest, read and verified meanwhile
            self.parsed_key = entries.parse_key(config, self.versions())
            # None: no usable cache on disk (missing, corrupt, an older format or
            # library versions): it is written anew after this build.
            known = entries.known_entries(config, self.parsed_key, self.taken, self.notes)
            made = fragments.known_fragments(config, self.parsed_key, outputs, self.taken,
                                             self.notes, ahead)
            self.unusable = (known is None, made is None)
            self.reuse = Reuse(known or {}, made or {}, self._known_pages())
        return self.reuse

    def _known_pages(self) -> KnownPages | None:
        from feedpub.publish.cache.pages import KnownPages

        state = last_state(self.config, self.key)
        if state is None or self.taken is None or not isinstance(state.get("pages"), dict) \
                or not isinstance(state.get("outputs"), dict):
            return None
        return KnownPages(self.parsed_key, state["pages"], state["outputs"], self.taken,
                          state.get("assets"))

    def last_outputs(self) -> dict[Path, tuple[int, int]]:
        """The files the last build wrote (with their size and mtime then), from
        its state, even under another key or with --no-cache: the record of what
        feedpub wrote, for removing what it no longer makes."""
        return last_outputs(self.config)

    def save_state(self, now: datetime, made: Made) -> None:
        """Record the build (while its outputs are on disk and locked)."""
        if self.taken is None:
            # A cold build needs no stat pass of its own: each file was stat'ed on
            # opening, before it was read. One that could not be (gone, unreadable) is
            # left out and makes the next build read everything again.
            found = self.found or []
            self.taken = Snapshot({f.rel: made.stats[f.rel] for f in found
                                   if f.rel in made.stats}, self.before_reading,
                                  unseen=len(made.stats) < len(found))
        pages = None
        if made.pages:
            from feedpub.publish.cache import entries
            from feedpub.publish.cache.pages import page_digests

            self.parsed_key = self.parsed_key or entries.parse_key(self.config,
                                                                   self.versions())
            pages = page_digests(self.parsed_key, made.pages, self.taken)
        assets = {key: rows for key, rows in made.assets.items() if rows and pages
                  and key in pages}
        save(self.config, self.key, self.taken, now, made.next_change, made.report, pages,
             assets, made.watched)

    def save_reused(self, made: Made, outputs: Sequence[str], whole: Whole) -> None:
        """Write the entry and fragment caches anew, where this build added enough."""
        from feedpub.publish.cache.entries import save_parsed
        from feedpub.publish.cache.fragments import damaged, save_fragments

        known, cached = self.reuse.entries, self.reuse.fragments
        assert self.taken is not None  # save_state ran
        if known is not None and (len(known) < len(made.files) or self.unusable[0]):
            save_parsed(self.config, self.parsed_key, self.taken, made.files,
                        len(made.files) - len(known), self.unusable[0])
        if cached is not None and (made.new_fragments or self.unusable[1] or damaged(cached)):
            save_fragments(self.config, self.parsed_key, outputs, self.taken, made.fragments,
                           made.new_fragments, whole, self.unusable[1] or damaged(cached),
                           made.links)


def _present(config: Config) -> bool:
    """Whether the entry or fragment cache is there (even as a broken link)."""
    return any(os.path.lexists(path(config, name)) for name in (PARSED, FRAGMENTS))
