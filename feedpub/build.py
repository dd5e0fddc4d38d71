"""The build: config -> content -> entries -> render -> outputs, as a pure function; then
publish (atomic writes, the build cache)."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from feedpub.base.problems import (
    SKIPPED,
    ConfigError,
    InputError,
    Problem,
    error,
    errors_in,
)
from feedpub.config.model import Config
from feedpub.content.files import Found
from feedpub.entries.discover import entry_files
from feedpub.notes import feed_notes, same_updated, status_notes
from feedpub.publish.cache import BuildCache, Made, Report, Reuse
from feedpub.publish.cache import key as cache_key
from feedpub.runtime import collector
from feedpub.runtime.timings import Timings

# The pipeline's heavy modules (PyYAML, cmarkgfm, nh3, feedgen, lxml), and the stages
# a build needs only once it has work to do, are imported inside functions: a
# rebuild with nothing to do never loads them.
if TYPE_CHECKING:
    from feedpub.base.chunks import Chunks
    from feedpub.entries.loading import LoadResult
    from feedpub.entries.model import Entry
    from feedpub.notes.assets import Copies
    from feedpub.outputs.registry import Document, Fragments
    from feedpub.pages import Sink, Streamed
    from feedpub.publish.written import Written


@dataclass(frozen=True, slots=True)
class Build:
    """What a build produced, in memory: file contents and what went into them."""

    outputs: dict[Path, bytes | Chunks]  # (Chunks: the feeds' parts, with `unjoined`)
    entry_count: int  # entries in the main feed
    found_count: int  # entries read (drafts and future ones included)
    warnings: tuple[Problem, ...]
    next_change: datetime | None = None  # when a future entry falls due or one expires
    left_out: LeftOut = field(default_factory=lambda: LeftOut())
    files: tuple[Any, ...] = field(default=(), compare=False)  # per file, for the cache
    stats: dict[str, bytes] = field(default_factory=dict, compare=False)  # of files read
    # each published entry's fragments (one per output) and notes, for the cache;
    # how many of them are new
    fragments: dict[str, Fragments] = field(default_factory=dict, compare=False)
    new_fragments: int = 0
    links: str = ""  # render.context's digest of the links the fragments were made with
    # With no entry in the feeds: why each entry read was left out (drafts, future)
    documents: tuple[Document, ...] = field(default=(), compare=False)  # what outputs is
    empty_reasons: tuple[Problem, ...] = field(default=(), compare=False)
    # the archive's pages: handed to build's sink (or in outputs), or kept as they were
    streamed: Streamed = field(default_factory=lambda: _no_pages(), compare=False)
    # the files beside entries that their pages link to: (from, to), for publish to copy;
    # and every such file looked at, with its (size, mtime_ns) or None (not there)
    copies: tuple[tuple[Path, Path], ...] = ()
    watched: dict[str, tuple[int, int] | None] = field(default_factory=dict, compare=False)


def _no_pages() -> Streamed:
    from feedpub.pages import Streamed

    return Streamed()


@dataclass(frozen=True, slots=True)
class LeftOut:
    """Entries read but not in the feeds, by reason."""

    drafts: int = 0
    future: int = 0  # dated in the future (drafts not counted again)
    beyond_limit: int = 0  # older than the newest feed.limit
    expired: int = 0  # past their expiry (drafts and future ones not counted again)

    def describe(self, limit: int, archived: bool = False) -> str:
        """"left out: 1 draft, 1 dated in the future — see feedpub check", or "".
        `archived`: the entries beyond the limit are in the archive's pages."""
        if archived and self.beyond_limit:
            rest = replace(self, beyond_limit=0).describe(limit)
            return (f"{self.beyond_limit} older in the archive pages"
                    + (f"; {rest}" if rest else ""))
        parts = []
        if self.drafts:
            parts.append(f"{self.drafts} draft{'s' if self.drafts != 1 else ''}")
        if self.future:
            parts.append(f"{self.future} dated in the future")
        if self.expired:
            parts.append(f"{self.expired} expired")
        if self.beyond_limit:
            parts.append(f"{self.beyond_limit} older than the newest {limit} (feed.limit)")
        if not parts:
            return ""
        see = (" \u2014 see feedpub check" if self.drafts or self.future or self.expired
               else "")
        return "left out: " + ", ".join(parts) + see


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
          found: list[Found] | None = None, reuse: Reuse | None = None,
          sink: Sink | None = None, unjoined: bool = False) -> Build:
    """Build every output in memory. Raises InputError listing every input problem.

    With `skip_invalid`, invalid entries are left out and their errors become warnings.
    `found`: the entry files, if discovered already; `reuse`: what earlier builds left
    (the cache) that this one may take instead of reading or rendering it again.
    `sink`: takes the archive's pages and the entries' own pages a few at a time as
    they are made (pages.py; a publish.write.Publisher stages them), instead of
    `outputs` holding them all; `unjoined`: the feeds there unjoined (base/chunks.py).
    """
    from feedpub import fragments
    from feedpub.entries.select import Eligible, next_change
    from feedpub.outputs import registry

    timings = timings or Timings()
    reuse = reuse or Reuse()
    loaded, problems = _load(config, timings, now, drafts, future, skip_invalid, found, reuse)
    eligible = Eligible(loaded.entries, now=now, drafts=drafts, future=future)
    documents = registry.plan(config, eligible)
    feeds = [d for d in documents if d.feed.history != "archive"]  # the archive: below
    chosen = registry.published(feeds)  # in some feed
    context = fragments.context_for(config, loaded.entries)  # None on a plain site
    cached = fragments.with_links(reuse.fragments or {},
                                  links := context.digest if context else "")
    with timings.phase("render"):
        made = fragments.fragments_for(chosen, config, cached, timings.progress, context)
    with timings.phase("feeds"):
        made, redone = fragments.verified(chosen, config, made, cached, timings.progress,
                                          context)
        assemble = registry.assemble_parts if unjoined else registry.assemble
        files = assemble(config, feeds, made) | registry.static_files(config)
        files |= _site_pages(config, documents, context)
    own, clashes = _entry_pages(config, eligible, files, documents)
    streamed = _pages(config, documents, own, made, sink, files, context, reuse, timings)
    copies = _copies(config, own, streamed, files)
    warnings = (*config.warnings, *(context.problems if context else ()), *problems,
                *redone, *_published_warnings(config, chosen, made, files, documents),
                *streamed.notes, *clashes, *copies.problems)
    in_main = len(documents[0].feed.entries) if documents else 0  # the count reported
    return Build(files, in_main, len(loaded.entries), warnings,
                 next_change(loaded.entries, now, drafts, future),
                 _left_out(loaded.entries, in_main, now, drafts, future), files=loaded.files,
                 stats=loaded.stats, fragments=made, documents=tuple(documents),
                 new_fragments=sum(e.rel not in cached for e in chosen), links=links,
                 empty_reasons=() if chosen else tuple(
                     n for e in loaded.entries for n in status_notes(e, now)),
                 streamed=streamed, copies=tuple(copies.copies), watched=copies.watched)


def _site_pages(config: Config, documents: list[Document], context: Any) -> dict[Path, bytes]:
    """The site's pages ([site] pages): the front page's entries rendered once more
    (their summaries: the feeds' fragments keep none apart)."""
    if not config.pages:
        return {}
    from feedpub.entries.loading import body_of
    from feedpub.outputs import registry
    from feedpub.render.context import PLAIN
    from feedpub.render.entry import render_entry

    newest = documents[0].feed.entries[:config.limit or None] if documents else ()
    rendered = [render_entry(e, body_of(e, config), context or PLAIN) for e in newest]
    return registry.site_pages(config, documents, rendered)


def _load(config: Config, timings: Timings, now: datetime, drafts: bool, future: bool,
          skip_invalid: bool, found: list[Found] | None, reuse: Reuse,
          ) -> tuple[LoadResult, tuple[Problem, ...]]:
    """Every entry, and the problems found; InputError on errors (unless skipped)."""
    from feedpub.entries.loading import Selection, load_entries

    loaded = load_entries(config, timings, Selection(now, drafts, future, config.limit),
                          found, reuse.entries,
                          partial(_import_ahead, config),
                          keep_files=reuse.entries is not None)  # kept for the entry cache
    problems = loaded.problems
    if errors_in(problems):
        if not skip_invalid:
            raise InputError(problems)
        problems = tuple(_skipped(p) for p in problems)
    return loaded, problems


def _entry_pages(config: Config, eligible: Any, files: dict[Path, bytes | Chunks],
                 documents: list[Document]) -> tuple[list[Any], list[Problem]]:
    """Each entry that gets a page of its own ([site] pages), with the page's file."""
    if not config.pages:
        return [], []
    from feedpub.outputs.pages.entry import entry_pages

    out = config.output_dir
    taken = {p.relative_to(out).as_posix() for p in (*files, *(d.path(config)
                                                                for d in documents))}
    return entry_pages(config, eligible.all(), taken)


def _pages(config: Config, documents: list[Document], own: list[Any],
           made: dict[str, Fragments], sink: Sink | None, files: dict[Path, bytes | Chunks],
           context: Any, reuse: Reuse, timings: Timings) -> Streamed:
    """The archive's pages and the entries' own pages, a few at a time into `sink`
    (else into `files`: pages.py); a page the last build made from the same entry
    files is kept as it is."""
    from feedpub.pages import InMemory, Streamed, stream_pages

    pages = [d for d in documents if d.feed.history == "archive"]
    if not pages and not own:
        return Streamed()
    with timings.phase("pages"):
        return stream_pages(config, pages, made, sink or InMemory(files), context=context,
                            progress=timings.progress, entry_pages=own, known=reuse.pages)


def _template_warnings(config: Config, front: bytes | None,
                       made: dict[str, Fragments]) -> list[Problem]:
    if not config.pages:
        return []
    from feedpub.outputs.pages import made_template_warnings

    return made_template_warnings(config, front, made.values())


def _copies(config: Config, own: list[Any], streamed: Streamed,
            files: dict[Path, bytes | Chunks]) -> Copies:
    """The files beside entries that their pages link to (notes/assets.py)."""
    from feedpub.notes.assets import Copies, plan_copies

    if not own:
        return Copies()
    return plan_copies(config, ((entry.source, streamed.assets.get(file, ()))
                                for entry, file in own),
                       {*files, *streamed.written, *streamed.kept}, {file for _, file in own})


def _published_warnings(config: Config, chosen: list[Entry], made: dict[str, Fragments],
                        files: dict[Path, bytes | Chunks],
                        documents: list[Document]) -> list[Problem]:
    """What build says about the entries it publishes, the feeds it writes and the
    site's own templates."""
    from feedpub.notes.podcast import podcast_problems
    from feedpub.outputs import registry

    return [*(n for e in chosen for n in made[e.rel][1]), *same_updated(chosen),
            *feed_notes(config, chosen, files), *registry.feed_warnings(config, documents),
            *podcast_problems(config, documents[0].feed.entries, strict=False),
            *_template_warnings(config, files.get(config.output_dir / "index.html"), made)]


def _import_ahead(config: Config, shared: bool) -> None:
    """The feed modules, while a forked child reads entries (`shared`) or after; with
    a child reading, a Jekyll site's Liquid renderer too (ARCHITECTURE.md, Speed)."""
    from feedpub.outputs import registry

    for output in registry.outputs_for(config):
        output.maker  # noqa: B018  (imports it)
    from feedpub.publish import write  # noqa: F401

    if shared and config.site.kind == "jekyll":
        with contextlib.suppress(ImportError):  # (it is imported again where needed)
            from feedpub.render.liquid import render  # noqa: F401


def _left_out(entries: tuple[Entry, ...], chosen: int, now: datetime, drafts: bool,
              future: bool) -> LeftOut:
    from feedpub.entries.select import expired

    draft_count = 0 if drafts else sum(e.draft for e in entries)
    future_count = 0 if future else sum(
        e.published > now for e in entries if drafts or not e.draft)
    expired_count = sum(expired(e, now) for e in entries if e.expires is not None
                        and (drafts or not e.draft) and (future or e.published <= now))
    beyond = len(entries) - chosen - draft_count - future_count - expired_count
    return LeftOut(draft_count, future_count, beyond, expired_count)


def build_and_publish(config: Config, *, now: datetime, drafts: bool = False,
                      future: bool = False, skip_invalid: bool = False,
                      timings: Timings | None = None,
                      use_cache: bool = True,
                      allow_empty: bool = False) -> tuple[Build, list[Written]]:
    """Build and write the outputs, unless the cache shows nothing changed since last time.

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
        found = entry_files(config) if config.entries_dir.is_dir() else None
        memo = BuildCache(config, cache_key(config, drafts, future, skip_invalid), found,
                          library_versions, use=use_cache)
        last = memo.unchanged(now)
    if last is not None:
        from feedpub.publish.written import Written

        return Build({}, last.entry_count, last.found_count, last.warnings,
                     left_out=LeftOut(*last.left_out)), [
            Written(path, changed=False) for path in last.outputs]
    from feedpub.outputs import registry

    kinds = registry.variants(config)  # each entry's fragments
    names = [v.name for v in kinds]
    with timings.phase("discover"):
        reuse = memo.reusable(names)
    from feedpub.publish.guards import refuse_foreign_pages, refuse_to_empty
    from feedpub.publish.write import Publisher

    with Publisher(config.output_dir) as publisher:  # the output folder locked from here
        result = build(config, now=now, drafts=drafts, future=future,
                       skip_invalid=skip_invalid, timings=timings, found=found, reuse=reuse,
                       sink=publisher, unjoined=True)
        if not result.entry_count and not allow_empty:
            refuse_to_empty(config, result, now)
        last = memo.last_outputs()
        refuse_foreign_pages(config, [*result.outputs, *result.streamed.written], last)
        with timings.phase("write"):
            publisher.add(result.outputs)
            publisher.keep(result.streamed.kept)
            publisher.copy(result.copies)
            made = _made(result)
            written = publisher.commit(then=lambda: memo.save_state(now, made), stale=last)
            memo.save_reused(made, names, partial(registry.whole, kinds))
    if memo.notes:
        result = replace(result, warnings=(*result.warnings, *memo.notes))
    return result, written


def _made(result: Build) -> Made:
    """What the cache keeps of a build."""
    left_out = result.left_out
    every = (*result.outputs, *result.streamed.written, *result.streamed.kept,
             *(target for _, target in result.copies))
    return Made(Report(result.entry_count, result.found_count, result.warnings,
                       (left_out.drafts, left_out.future, left_out.beyond_limit,
                        left_out.expired), every),
                result.next_change, result.stats, result.files, result.fragments,
                result.new_fragments, result.links, result.streamed.pages,
                {key: [a.row() for a in assets]
                 for key, assets in result.streamed.assets.items()}, result.watched)


def library_versions() -> str:
    """Versions of the libraries that parse, render and write entries (imported anyway
    by a build that gets this far), so that upgrading one re-renders what it affects."""
    import feedgen.version
    import lxml.etree
    import nh3
    import yaml
    from cmarkgfm import _cmark

    cmark = _cmark.ffi.string(_cmark.lib.cmark_version_string()).decode()
    return repr((cmark, nh3.__version__, feedgen.version.version_str, lxml.etree.__version__,
                 yaml.__version__))


def _skipped(problem: Problem) -> Problem:
    if problem.severity != "error":
        return problem
    return replace(problem, severity="warning", message=problem.message + SKIPPED)

