"""The build: config -> entries -> render -> feeds, as a pure function; then publish."""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedpub.base.problems import ConfigError, InputError, Problem, error, errors_in
from feedpub.config.model import Config
from feedpub.content.files import Found, discover
from feedpub.notes import content_notes, feed_notes, same_updated, status_notes
from feedpub.publish import cache
from feedpub.runtime import collector
from feedpub.runtime.progress import Progress
from feedpub.runtime.timings import Timings

# The pipeline's heavy modules (PyYAML, cmarkgfm, nh3, feedgen, lxml) are imported
# inside build(), so that a rebuild with nothing to do never loads them.
if TYPE_CHECKING:
    from feedpub.entries.model import Entry
    from feedpub.publish.write import Written


@dataclass(frozen=True, slots=True)
class Build:
    """What a build produced, in memory: file contents and what went into them."""

    outputs: dict[Path, bytes]
    entry_count: int  # entries in the feeds
    found_count: int  # entries read (drafts and future ones included)
    warnings: tuple[Problem, ...]
    next_change: datetime | None = None  # when a left-out future entry falls due
    left_out: LeftOut = field(default_factory=lambda: LeftOut())
    files: tuple[Any, ...] = field(default=(), compare=False)  # per file, for the cache
    stats: dict[str, bytes] = field(default_factory=dict, compare=False)  # of files read
    # each published entry's (RSS item, Atom entry, notes), for the cache; how many are new
    fragments: dict[str, Fragments] = field(default_factory=dict, compare=False)
    new_fragments: int = 0
    # With no entry in the feeds: why each entry read was left out (drafts, future)
    empty_reasons: tuple[Problem, ...] = field(default=(), compare=False)


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Entries read but not in the feeds, by reason."""

    drafts: int = 0
    future: int = 0  # dated in the future (drafts not counted again)
    beyond_limit: int = 0  # older than the newest feed.limit

    def describe(self, limit: int) -> str:
        """"left out: 1 draft, 1 dated in the future — see feedpub check", or ""."""
        parts = []
        if self.drafts:
            parts.append(f"{self.drafts} draft{'s' if self.drafts != 1 else ''}")
        if self.future:
            parts.append(f"{self.future} dated in the future")
        if self.beyond_limit:
            parts.append(f"{self.beyond_limit} older than the newest {limit} (feed.limit)")
        if not parts:
            return ""
        see = " \u2014 see feedpub check" if self.drafts or self.future else ""
        return "left out: " + ", ".join(parts) + see


# An entry's RSS item and Atom entry (as they stand in the feeds) and the warnings
# and notes about its content (notes.content_notes), made together and cached together.
Fragments = tuple[bytes, bytes, tuple[Problem, ...]]


def now_for_build() -> datetime:
    """The moment that decides which entries are "in the future".

    SOURCE_DATE_EPOCH (the reproducible-builds convention) pins it, so that even
    the choice of entries can be made independent of the clock.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise ConfigError([error(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a usable time",
            hint="set it to whole seconds since 1970 (such as `git log -1 --format=%ct`) "
                 "or unset it")]) from None


def build(config: Config, *, now: datetime, drafts: bool = False, future: bool = False,
          skip_invalid: bool = False, timings: Timings | None = None,
          found: list[Found] | None = None,
          known: dict[str, Any] | None = None,
          fragments: dict[str, Fragments] | None = None) -> Build:
    """Build both feeds in memory. Raises InputError listing every input problem.

    With `skip_invalid`, invalid entries are left out and their errors become warnings.
    """
    from feedpub.entries.loading import Selection, load_entries, select

    def import_feed_modules() -> None:  # done while a forked child reads entries
        from feedpub.outputs import xml as feeds  # noqa: F401
        from feedpub.publish import write as publish  # noqa: F401
        from feedpub.render import entry as render  # noqa: F401

    timings = timings or Timings()
    selection = Selection(now, drafts, future, config.limit)
    loaded = load_entries(config, timings, selection, found, known, import_feed_modules,
                          keep_files=known is not None)  # kept for the entry cache
    from feedpub.outputs import xml as feeds

    problems = loaded.problems
    if errors_in(problems):
        if not skip_invalid:
            raise InputError(problems)
        problems = tuple(_skipped(p) for p in problems)
    chosen = select(loaded.entries, config, now=now, drafts=drafts, future=future)
    with timings.phase("render"):
        made = fragments_for(chosen, config, fragments or {}, timings.progress)
    with timings.phase("feeds"):
        made, redone = _verified(chosen, config, made, fragments or {}, timings.progress)
        outputs = {
            config.rss_path: feeds.rss_document(config, chosen, [made[e.rel][0] for e in chosen]),
            config.atom_path: feeds.atom_document(config, chosen,
                                                  [made[e.rel][1] for e in chosen]),
        }
    warnings = (*problems, *(n for e in chosen for n in made[e.rel][2]),
                *same_updated(chosen), *feed_notes(config, chosen, outputs), *redone)
    due = [e.published for e in loaded.entries
           if e.published > now and (drafts or not e.draft)] if not future else []
    new = sum(e.rel not in (fragments or {}) for e in chosen)
    left_out = _left_out(loaded.entries, len(chosen), now, drafts, future)
    return Build(outputs, len(chosen), len(loaded.entries), warnings, min(due, default=None),
                 left_out, files=loaded.files, stats=loaded.stats, fragments=made,
                 new_fragments=new, empty_reasons=() if chosen else tuple(
                     n for e in loaded.entries for n in status_notes(e, now)))


def _left_out(entries: tuple[Entry, ...], chosen: int, now: datetime, drafts: bool,
              future: bool) -> LeftOut:
    draft_count = 0 if drafts else sum(e.draft for e in entries)
    future_count = 0 if future else sum(
        e.published > now for e in entries if drafts or not e.draft)
    beyond = len(entries) - chosen - draft_count - future_count
    return LeftOut(draft_count, future_count, beyond)


def _verified(chosen: list[Entry], config: Config, made: dict[str, Fragments],
              cached: dict[str, Fragments], progress: Progress | None = None,
              ) -> tuple[dict[str, Fragments], tuple[Problem, ...]]:
    """The last line of defence before the feeds are assembled: a fragment from the
    cache that is not whole, as saved (cache.faulty_fragments), is made again from its
    entry, with a note (and the cache is written anew)."""
    faulty = set(cache.faulty_fragments([e.rel for e in chosen], made, cached))
    if not faulty:
        return made, ()
    again = fragments_for([e for e in chosen if e.rel in faulty], config, {}, progress)
    return {**made, **again}, (cache.faulty_note(config, len(faulty)),)


def fragments_for(entries: list[Entry], config: Config, cached: dict[str, Fragments],
                  progress: Progress | None = None) -> dict[str, Fragments]:
    """Each entry's RSS item, Atom entry and content notes: from the cache, or rendered
    and made now (a long list is split with a forked child)."""
    from feedpub.runtime import parallel

    needed = [e for e in entries if e.rel not in cached]
    made = {e.rel: cached[e.rel] for e in entries if e.rel in cached}
    progress = progress or Progress()
    progress.start("rendering entries", len(needed))
    if not parallel.worth_it(len(needed), MIN_TO_RENDER_SHARED):
        made.update(zip((e.rel for e in needed), _fragments(needed, config, progress),
                        strict=True))
        return made
    # This process and a child take chunks of entries from a shared queue (bodies
    # differ in length: halves would not take the same time).
    queue = parallel.SharedQueue(len(needed), RENDER_CHUNK)
    try:
        later = parallel.in_child(_numbered_fragments, needed, config, queue)
        with parallel.cancelled_on_error(later):
            mine = _numbered_fragments(needed, config, queue, progress)
        theirs = later()
    finally:
        queue.close()
    progress.advance(len(theirs))
    done = dict(mine)
    done.update(theirs)
    made.update((e.rel, done[i]) for i, e in enumerate(needed) if i in done)
    missing = [e for i, e in enumerate(needed) if i not in done]  # the child failed
    made.update(zip((e.rel for e in missing), _fragments(missing, config, progress),
                    strict=True))
    return made


RENDER_CHUNK = 4  # entries taken at a time from the shared queue: ~1.5 ms of work
# Rendering an entry (~350 µs here) costs far more than reading one: a child pays
# for itself (~2 ms to fork and collect) from a couple of dozen entries on.
MIN_TO_RENDER_SHARED = 16


def _fragments(entries: Iterable[Entry], config: Config,
               progress: Progress | None = None) -> list[Fragments]:
    """Only bytes and notes travel back from a child, not the entries."""
    from feedpub.entries.loading import body_of
    from feedpub.outputs import xml as feeds
    from feedpub.render.entry import render_entry

    out = []
    for entry in entries:
        item = render_entry(entry, body_of(entry, config))
        out.append((feeds.rss_item(config, item), feeds.atom_entry(config, item),
                    tuple(content_notes(item, config))))
        if progress is not None:
            progress.advance()
    return out


def _numbered_fragments(entries: list[Entry], config: Config, queue: Any,
                        progress: Progress | None = None,
                        ) -> list[tuple[int, Fragments]]:
    """The fragments of the entries this process takes from `queue`, by index."""
    taken: list[int] = []

    def chosen() -> Iterator[Entry]:
        for index in queue:
            taken.append(index)
            yield entries[index]

    return list(zip(taken, _fragments(chosen(), config, progress), strict=True))


def build_and_publish(config: Config, *, now: datetime, drafts: bool = False,
                      future: bool = False, skip_invalid: bool = False,
                      timings: Timings | None = None,
                      use_cache: bool = True,
                      allow_empty: bool = False) -> tuple[Build, list[Written]]:
    """Build and write the feeds, unless the cache shows nothing changed since last time.

    A build with no entries does not replace feeds that have some (InputError saying
    why each entry was left out), unless `allow_empty`.
    """
    with collector.paused():
        return _build_and_publish(config, now=now, drafts=drafts, future=future,
                                  skip_invalid=skip_invalid, timings=timings,
                                  use_cache=use_cache, allow_empty=allow_empty)


def _build_and_publish(config: Config, *, now: datetime, drafts: bool, future: bool,
                       skip_invalid: bool, timings: Timings | None, allow_empty: bool,
                       use_cache: bool) -> tuple[Build, list[Written]]:
    timings = timings or Timings()
    with timings.phase("discover"):
        found = discover(config.entries_dir) if config.entries_dir.is_dir() else None
        build_key = cache.key(config, drafts, future, skip_invalid)
        before_reading = time.time_ns()
        # The entry cache pays off in a folder that is built again and again: a state
        # from an earlier build shows that this is one (a one-off CI build never is).
        rebuilding = use_cache and found is not None and cache.state_path(config).exists()
        taken = cache.snapshot(found, before_reading) if rebuilding and found else None
    known = fragments = None
    unusable = (False, False)
    notes: list[Problem] = []  # about cache files that did not verify
    if not use_cache and found is not None and cache.present(config):
        # --no-cache reads nothing from the cache, and writes all of it anew.
        parsed_key = cache.parse_key(config)
        known, fragments, unusable = {}, {}, (True, True)
    if taken is not None:
        with timings.phase("discover"):
            last = cache.unchanged(config, build_key, now, taken, notes)
        if last is not None:
            from feedpub.publish.write import Written

            written = [Written(config.rss_path, changed=False),
                       Written(config.atom_path, changed=False)]
            return Build({}, last.entry_count, last.found_count, last.warnings,
                         left_out=LeftOut(*last.left_out)), written
        with timings.phase("discover"):
            ahead = cache.read_ahead(config)  # the largest, read and verified meanwhile
            parsed_key = cache.parse_key(config)
            # None: no usable cache on disk (missing, corrupt, an older format or
            # library versions): it is written anew after this build.
            known = cache.known_entries(config, parsed_key, taken, notes)
            fragments = cache.known_fragments(config, parsed_key, taken, notes, ahead)
            unusable = (known is None, fragments is None)
            known, fragments = known or {}, fragments or {}
    result = build(config, now=now, drafts=drafts, future=future, skip_invalid=skip_invalid,
                   timings=timings, found=found, known=known, fragments=fragments)
    if not result.entry_count and not allow_empty:
        refuse_to_empty(config, result, now)
    if taken is None:
        # A cold build needs no stat pass of its own: each file was stat'ed on opening,
        # before it was read. One that could not be (gone, unreadable) is left out and
        # makes the next build read everything again.
        taken = cache.Snapshot({f.rel: result.stats[f.rel] for f in found or []
                                if f.rel in result.stats}, before_reading,
                               unseen=len(result.stats) < len(found or []))

    def remember() -> None:  # runs while the written outputs are still locked
        assert taken is not None
        left_out = result.left_out
        cache.save(config, build_key, taken, list(result.outputs), now, result.next_change,
                   result.entry_count, result.found_count, result.warnings,
                   (left_out.drafts, left_out.future, left_out.beyond_limit))

    from feedpub.publish.write import publish

    with timings.phase("write"):
        written = publish(result.outputs, then=remember)
        if known is not None and (len(known) < len(result.files) or unusable[0]):
            cache.save_parsed(config, parsed_key, taken, result.files,
                              len(result.files) - len(known), unusable[0])
        rewrite = unusable[1] or cache.damaged(fragments)  # (damaged: _verified)
        if fragments is not None and (result.new_fragments or rewrite):
            cache.save_fragments(config, parsed_key, taken, result.fragments,
                                 result.new_fragments, rewrite)
    return (replace(result, warnings=(*result.warnings, *notes)) if notes else result), written


def refuse_to_empty(config: Config, result: Build, now: datetime) -> None:
    """InputError if this empty build would replace a feed that has entries: an
    empty feed tells every reader the site stopped, and is rarely what was meant."""
    published = {path: _published_entries(path) for path in result.outputs}
    replaced = {path: count for path, count in published.items() if count}
    if not replaced:
        return
    path, count = next(iter(replaced.items()))
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    clock = f"now is {now.isoformat()}" + (f" (SOURCE_DATE_EPOCH={epoch})" if epoch else "")
    reasons = [problem for problem in result.warnings if problem.message.endswith(SKIPPED)]
    reasons += result.empty_reasons
    if not reasons:
        reasons.append(error("no entries were found", config.display(config.entries_dir),
                             hint="put Markdown files with front matter in it, or set "
                                  "feed.entries"))
    raise InputError([error(
        f"this build has no entries and would replace {config.display(path)}, which has "
        f"{count}; nothing was written ({clock})", config.display(config.path),
        hint="fix what left the entries out (listed below), or build --allow-empty to "
             "publish an empty feed"), *reasons])


def _published_entries(path: Path) -> int:
    """How many items or entries the feed on disk has (0 if there is none, or it is
    not a regular file: publish replaces that)."""
    from feedpub.base.regular import RefusedFile, read_regular_file

    try:
        data = read_regular_file(path, 1 << 31)
    except (OSError, RefusedFile):
        return 0
    return data.count(b"<item>") + data.count(b"<item ") + data.count(b"<entry>") \
        + data.count(b"<entry ")


def _skipped(problem: Problem) -> Problem:
    if problem.severity != "error":
        return problem
    return replace(problem, severity="warning", message=problem.message + SKIPPED)


SKIPPED = " (entry skipped: --skip-invalid)"  # ends an invalid entry's error, made a warning
