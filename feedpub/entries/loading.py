"""Loading: every entry file of a folder into `Entry` values, fast and complete.

Every file is read and validated (a build with any invalid entry publishes
nothing), but only what a feed can use is kept: bodies of entries that cannot
make the feed are dropped and read again if needed, files unchanged since the
last build come from the cache, and large folders are parsed by two processes.
"""

from __future__ import annotations

import heapq
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from operator import attrgetter
from typing import Any

from feedpub.base.batched import batched
from feedpub.base.problems import InputError, Problem, error
from feedpub.config.model import Config
from feedpub.content.files import Found, normal_rel
from feedpub.content.source import Source, SourceError, read_body, read_source
from feedpub.entries.discover import entry_files
from feedpub.entries.make import make_entry
from feedpub.entries.model import Entry
from feedpub.entries.select import expired
from feedpub.runtime import parallel
from feedpub.runtime.progress import Progress
from feedpub.runtime.timings import Timings


@dataclass(frozen=True, slots=True)
class LoadResult:
    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...]
    # per file, for the build cache (bodies may differ: not part of equality)
    files: tuple[tuple[str, Entry | None, tuple[Problem, ...]], ...] = field(
        default=(), compare=False)
    # rel -> stat (content.files.pack_stat) of each file read, taken before reading it
    stats: dict[str, bytes] = field(default_factory=dict, compare=False)


@dataclass(frozen=True, slots=True)
class Selection:
    """What a build will publish, known before reading: lets loading drop the bodies
    of entries that cannot make the feed (their metadata is still validated)."""

    now: datetime
    drafts: bool = False
    future: bool = False
    limit: int = 0  # 0: every entry, so every body is kept

    def eligible(self, entry: Entry) -> bool:
        return ((self.drafts or not entry.draft) and (self.future or entry.published <= self.now)
                and not expired(entry, self.now))


def load_entries(config: Config, timings: Timings | None = None,
                 selection: Selection | None = None,
                 found: list[Found] | None = None,
                 known: dict[str, tuple[Entry | None, tuple[Problem, ...]]] | None = None,
                 meanwhile: Callable[[bool], object] | None = None,
                 keep_files: bool = True) -> LoadResult:
    """Read every entry file; collect every problem instead of stopping at the first.

    With a `selection`, bodies are kept only for entries that may be published
    (the newest `limit` eligible ones seen); the others' bodies are read again if
    they turn out to be needed (see `body_of`). Large folders are parsed by two
    processes where the machine has the cores. Files in `known` (from the build
    cache, unchanged since) are not read at all. `meanwhile` is other work of the
    caller's (such as importing the feed modules) for this process to do while a
    forked child reads; it is called in any case, with True when a child reads
    meanwhile (work that may not be needed is worth doing then only). Without
    `keep_files`, the per-file results (for the entry cache) are not kept: less
    memory in a one-off build.
    """
    timings = timings or Timings()
    problems: list[Problem] = []
    if not config.entries_dir.is_dir():
        problems.append(error(
            f"the entries folder {config.display(config.entries_dir)} does not exist",
            config.display(config.path),
            hint="create it and put your Markdown files in it, or set feed.entries",
        ))
        return LoadResult((), tuple(problems))
    with timings.phase("discover"):
        paths = found if found is not None else entry_files(config)
    with timings.phase("parse"):
        stats: dict[str, bytes] = {}
        results = _parse_all(config, paths, selection, known or {}, timings.progress,
                             meanwhile, stats)
        entries = [entry for _, entry, _ in results if entry is not None]
        if selection is not None and selection.limit:
            # Each part kept the bodies of its own newest `limit`: keep the overall ones.
            _drop_bodies(entries, selection)
        duplicates, kept = _without_duplicates(entries)
    found_problems = [p for _, _, file_problems in results for p in file_problems]
    return LoadResult(tuple(kept), (*problems, *found_problems, *duplicates),
                      tuple(results) if keep_files else (), stats)


def body_of(entry: Entry, config: Config) -> str:
    """The entry's Markdown body, read again if loading dropped it."""
    if entry.body is not None:
        return entry.body
    found = Found(entry.path, entry.rel, os.path.islink(entry.path))
    try:
        if entry.body_start >= 0:  # the front matter need not be read again
            return read_body(found, config.entries_dir, entry.source, config.max_entry_size,
                             entry.body_start)
        return read_source(found, config.entries_dir, entry.source,
                           config.max_entry_size).body
    except SourceError as exc:  # the file changed or vanished during the build
        raise InputError([exc.problem]) from None


FileResult = tuple[str, "Entry | None", tuple[Problem, ...]]  # rel, entry, its problems
# What a child sends of a file: (index, the entry's fields or None, problems, stat);
# in parts of a chunk's files, then one part {index: body} of the bodies it kept.
Sent = tuple[int, Any, tuple[Problem, ...], "bytes | None"]
Part = list[Sent] | dict[int, str]


def _parse_all(config: Config, paths: list[Found], selection: Selection | None,
               known: dict[str, tuple[Entry | None, tuple[Problem, ...]]],
               progress: Progress, meanwhile: Callable[[bool], object] | None,
               stats: dict[str, bytes]) -> list[FileResult]:
    """Every file's entry and problems, in path order; `known` ones come from the cache.
    The stats of the files read go to `stats`."""
    missing = [p for p in paths if p.rel not in known]
    progress.start("reading entries", len(missing))
    parsed = iter(_parse_missing(config, missing, selection, progress, meanwhile, stats))
    # `missing` keeps the order of `paths`: the two merge without a lookup table.
    return [(path.rel, *known[path.rel]) if path.rel in known else next(parsed)
            for path in paths]


# Below this many files, a forked child does not pay for itself (bench/run.py on the
# 2-core machine: forking, pickling and unpickling cost about 15 ms, reading a file
# about 50 µs) unless this process has work of its own meanwhile (a build imports
# the feed modules then: ~25 ms).
MIN_FILES_TO_SHARE = 3000
MIN_FILES_TO_SHARE_WITH_WORK = 400
CHUNK = 32  # files taken at a time from the shared queue: ~2 ms of work


def _parse_missing(config: Config, missing: list[Found], selection: Selection | None,
                   progress: Progress, meanwhile: Callable[[bool], object] | None,
                   stats: dict[str, bytes]) -> list[FileResult]:
    minimum = MIN_FILES_TO_SHARE if meanwhile is None else MIN_FILES_TO_SHARE_WITH_WORK
    if not parallel.worth_it(len(missing), minimum):
        parsed = _parse(config, missing, selection, progress, stats)
        if meanwhile is not None:
            meanwhile(False)
        return parsed
    # A child and this process take chunks of files from a shared queue, so that this
    # process can do its `meanwhile` work first without the child waiting at the end.
    queue = parallel.SharedQueue(len(missing), CHUNK)
    ordered: list[FileResult | None] = [None] * len(missing)
    try:
        later = parallel.in_child_parts(_parse_in_parts, config, missing, queue, selection)
        with parallel.cancelled_on_error(later):
            if meanwhile is not None:
                meanwhile(True)
            taken: list[int] = []
            mine = _parse(config, _taking(queue, missing, taken), selection, progress, stats)
            for index, result in zip(taken, mine, strict=True):
                ordered[index] = result
        parts = later()
    finally:
        queue.close()
    bodies = parts.pop() if parts and isinstance(parts[-1], dict) else {}
    for part in parts:
        progress.advance(len(part))
        for index, fields, problems, stat in part:
            found = missing[index]  # its path and name: this process's strings, not copies
            entry = None if fields is None else Entry(*fields, found.path,
                                                      normal_rel(found.rel))
            if entry is not None and index in bodies:  # one of its newest, with its body
                entry = replace(entry, body=bodies[index])
            ordered[index] = (found.rel, entry, problems)
            if stat is not None:
                stats[found.rel] = stat
    gaps = [i for i, result in enumerate(ordered) if result is None]
    if gaps:  # the child failed: read what it had taken
        again = _parse(config, [missing[i] for i in gaps], selection, progress, stats)
        for index, result in zip(gaps, again, strict=True):
            ordered[index] = result
    return ordered  # type: ignore[return-value]  # every gap filled


# An entry's fields as a child sends them: all but the last two (path, rel), which
# the parent has already. At 100,000 entries this saves about 10 MB of copies.
_SENT = attrgetter(*Entry.__slots__[:-2])
assert Entry.__slots__[-2:] == ("path", "rel")


def _taking(queue: parallel.SharedQueue, missing: list[Found],
            taken: list[int]) -> Iterator[Found]:
    """The files this process takes from the queue; their indices go to `taken`
    (`_parse` gives one result per file, in order)."""
    for index in queue:
        taken.append(index)
        yield missing[index]


def _parse_in_parts(config: Config, missing: list[Found], queue: parallel.SharedQueue,
                    selection: Selection | None) -> Iterator[Part]:
    """In a child: the files it takes from the queue, a chunk at a time, as (index,
    fields, problems, stat); then the bodies it kept, {index: body}."""
    taken: list[int] = []
    stats: dict[str, bytes] = {}
    bodies: dict[int, str] = {}
    part: list[Sent] = []
    results = _parse_each(config, _taking(queue, missing, taken), selection, None, stats,
                          bodies)
    for position, (rel, entry, problems) in enumerate(results):
        part.append((taken[position], None if entry is None else _SENT(entry), problems,
                     stats.get(rel)))
        if len(part) == CHUNK:
            yield part
            part = []
    if part:
        yield part
    yield {taken[position]: body for position, body in bodies.items()}


def _parse(config: Config, paths: Iterable[Found], selection: Selection | None,
           progress: Progress | None = None,
           stats: dict[str, bytes] | None = None) -> list[FileResult]:
    bodies: dict[int, str] = {}
    results = list(_parse_each(config, paths, selection, progress, stats, bodies))
    for position, body in bodies.items():
        rel, kept, problems = results[position]
        results[position] = (rel, replace(kept, body=body), problems)  # type: ignore[arg-type]
    return results


def _parse_each(config: Config, paths: Iterable[Found], selection: Selection | None,
                progress: Progress | None, stats: dict[str, bytes] | None,
                bodies: dict[int, str]) -> Iterator[FileResult]:
    """Each file's result, in order. With a limit, entries come without their bodies,
    and once the last is read, `bodies` holds those of the newest `limit` eligible ones
    seen, by position."""
    limit = selection.limit if selection is not None else 0
    # The newest `limit` eligible entries seen so far, oldest first (ties: the later
    # file), as (timestamp, -position, body): floats compare faster than aware
    # datetimes. The final choice is `select`'s; a body it needs that was not kept is
    # read again (`body_of`).
    heap: list[tuple[float, int, str]] = []
    for position, path, source in _read_in_batches(config, paths, stats):
        if isinstance(source, Problem):
            yield path.rel, None, (source,)
            continue
        # With a limit, only the newest entries seen get their bodies, at the end.
        entry, found = make_entry(source, config, with_body=not limit)
        if entry is not None and selection is not None:
            if not selection.eligible(entry):
                if not limit:
                    entry = replace(entry, body=None)
            elif limit:
                rank = (entry.published.timestamp(), -position, source.body)
                if len(heap) < limit:
                    heapq.heappush(heap, rank)
                elif heap[0] < rank:
                    heapq.heapreplace(heap, rank)
        yield path.rel, entry, tuple(found)
        if progress is not None:
            progress.advance()
    bodies.update((-position, body) for _, position, body in heap)


# Files are read a batch at a time, then made into entries: reading (system calls,
# decoding, the front matter's parser) and validating in turn for each file keep
# fewer of either's code and data in the processor's caches (10,000 files: 57 µs a
# file one at a time, 52 µs in batches of 32; a cold build of the newest 20 of
# bench/corpus.py's 10,000 entries: 0.57 s to 0.55 s).
READ_BATCH = 32


def _read_in_batches(config: Config, paths: Iterable[Found], stats: dict[str, bytes] | None,
                     ) -> Iterator[tuple[int, Found, Source | Problem]]:
    """Each file's position, the file, and its Source (or the Problem reading it),
    in order, read a batch at a time; the stats of those read go to `stats`."""
    prefix, folder, limit = config.entries_prefix, config.entries_dir, config.max_entry_size
    for batch in batched(enumerate(paths), READ_BATCH):
        read: list[tuple[int, Found, Source | Problem]] = []
        for position, path in batch:
            try:
                source = read_source(path, folder, prefix + path.rel, limit)
            except SourceError as exc:
                read.append((position, path, exc.problem))
                continue
            if stats is not None:
                stats[path.rel] = source.stat
            read.append((position, path, source))
        yield from read


def _drop_bodies(entries: list[Entry], selection: Selection) -> None:
    ranked = [(-e.published.timestamp(), e.id, i) for i, e in enumerate(entries)
              if e.body is not None and selection.eligible(e)]
    keep = {i for _, _, i in heapq.nsmallest(selection.limit, ranked)}
    for index, entry in enumerate(entries):
        if entry.body is not None and index not in keep:
            entries[index] = replace(entry, body=None)


def _without_duplicates(entries: list[Entry]) -> tuple[list[Problem], list[Entry]]:
    """Errors for every slug, id or link used twice; the later entry of each pair is dropped."""
    problems: list[Problem] = []
    kept: list[Entry] = []
    # Sets while there is no clash (a third less memory than dictionaries at
    # 100,000 entries); the dictionaries that name the first owner only if needed.
    slugs: set[str] = set()
    ids: set[str] = set()
    links: set[str] = set()
    rels: set[str] = set()  # two file names that differ only in NFC/NFD spelling
    owners: dict[tuple[str, str], Entry] | None = None
    for entry in entries:
        slug, entry_id, link, rel = entry.slug, entry.id, entry.link, entry.rel
        if slug not in slugs and entry_id not in ids and link not in links \
                and rel not in rels:
            slugs.add(slug)
            ids.add(entry_id)
            links.add(link)
            rels.add(rel)
            kept.append(entry)
            if owners is not None:
                owners.update({("slug", slug): entry, ("id", entry_id): entry,
                               ("link", link): entry, ("rel", rel): entry})
            continue
        if owners is None:
            owners = {}
            for earlier in kept:
                owners.update({("slug", earlier.slug): earlier, ("id", earlier.id): earlier,
                               ("link", earlier.link): earlier, ("rel", earlier.rel): earlier})
        # One name in two spellings is the cause when it clashes: said first.
        attr = ("rel" if rel in rels else "slug" if slug in slugs else
                "id" if entry_id in ids else "link")
        first = owners[(attr, getattr(entry, attr))]
        if attr == "rel":
            problems.append(error(
                f"has the same name as {first.source}, spelled differently: the accents "
                f"of one are composed (Unicode NFC), of the other decomposed (NFD): "
                f"{os.path.basename(first.path)!a} and "
                f"{os.path.basename(entry.path)!a}",
                entry.source, hint="rename or remove one of the two files"))
            continue
        problems.append(error(
            f"{attr} {getattr(entry, attr)!r} is used by both {first.source} and "
            f"{entry.source}", entry.source,
            hint=f"give one of them its own {attr}" if attr != "link" else
            "give one of them its own link or slug, or use {slug} in feed.permalink"))
    return problems, kept
