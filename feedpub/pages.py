"""The archive's pages (outputs/archive.py) and the entries' own pages
(outputs/pages/entry.py), each made and handed on at once.

The pages hold every entry, so a build never holds them all: a page's entries are
rendered (those the other feeds did not render already: `made`), its documents
assembled and handed to the sink, and all of it dropped before the next page. With
the Publisher as the sink (publish/write.py) each page is staged to temporary files
at once, in whichever process made it: this process and a forked child take pages
from a shared queue (runtime/parallel.py), and only the names of the staged files
come back. Peak memory then grows with a page, not with the site.

An archive-only entry is not kept in the fragment cache. Instead a page whose
entries and neighbours are as the last build recorded them, and whose files are as
it left them, is not made at all (`known`: publish/cache/pages.py).

An entry's own page is its last fragment but one (outputs/registry.page_only): taken
from `made` for an entry the feeds rendered, made with its archive page for an
archive-only one (so it is rendered once), else rendered for its page alone, a few
entries a turn. With each page come the files beside the entry that it links to
(its last fragment; for a page kept as it was, the last build's record of them).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from feedpub.base.problems import Problem
from feedpub.config.model import Config
from feedpub.runtime.progress import Progress

if TYPE_CHECKING:
    from feedpub.entries.model import Entry
    from feedpub.outputs.registry import Document, Feed, Fragments
    from feedpub.render.assets import Asset
    from feedpub.render.context import RenderContext

# Pages are shared with a forked child from this many entries to make on (a child
# costs a few milliseconds; an entry about a millisecond).
MIN_TO_SHARE = 64


class Sink(Protocol):
    """Where pages go: `stage` runs in the process that made the page (this one or
    a forked child) and gives a token (picklable); `adopt` takes it back here."""

    def stage(self, files: dict[Path, bytes]) -> Any: ...

    def adopt(self, token: Any) -> None: ...

    def discard(self, paths: Sequence[Path]) -> None: ...


class InMemory:
    """A sink that keeps the pages' bytes (a build without a Publisher: check, tests)."""

    def __init__(self, outputs: dict[Path, bytes]) -> None:
        self.outputs = outputs

    def stage(self, files: dict[Path, bytes]) -> Any:
        return files

    def adopt(self, token: Any) -> None:
        self.outputs.update(token)

    def discard(self, paths: Sequence[Path]) -> None:
        pass


@dataclass(slots=True)
class Streamed:
    """What streaming the pages made: the files handed on, the files left as they were
    (unchanged pages), each page's record for the cache, and content notes."""

    written: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    pages: dict[str, tuple[tuple[str, ...], str]] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)
    # each entry page's files beside the entry that it links to (render/assets.py)
    assets: dict[str, list[Asset]] = field(default_factory=dict)


def page_shape(feed: Feed, links: str) -> str:
    """What a page's bytes depend on besides its entries' files and the config."""
    return repr((feed.title, feed.related, feed.empty_updated, links))


def entry_page_shape(links: str) -> str:
    """What an entry's page depends on besides its file and the config (whose digest
    holds the site's templates too)."""
    return repr(("entry page", links))


class Known(Protocol):
    """The pages the last build made (publish/cache/pages.py: KnownPages)."""

    def unchanged(self, key: str, rels: Sequence[str], shape: str,
                  paths: Sequence[Path]) -> bool: ...

    def assets(self, key: str) -> list[list[Any]]: ...


_PAGE_ENDS = (".html", ".htm")  # an entry page's key is its file; an archive page's, "x/"
EntryPage = tuple["Entry", str]  # an entry, and its page's file under the output folder


@dataclass(frozen=True, slots=True)
class Job:
    """What one turn makes: an archive page (its documents, one per format) and/or
    entries' own pages."""

    documents: tuple[Document, ...] = ()
    entry_pages: tuple[EntryPage, ...] = ()

    def paths(self, config: Config) -> list[Path]:
        return [d.path(config) for d in self.documents] + [
            config.output_dir / file for _, file in self.entry_pages]

    def work(self, made: Mapping[str, Fragments]) -> int:
        """Roughly what it costs: the entries it renders."""
        entries = self.documents[0].feed.entries if self.documents else ()
        return len(entries) + sum(e.rel not in made for e, _ in self.entry_pages)


def stream_pages(config: Config, pages: Sequence[Document], made: Mapping[str, Fragments],
                 sink: Sink, *, context: RenderContext | None = None,
                 progress: Progress | None = None, known: Known | None = None,
                 entry_pages: Sequence[EntryPage] = ()) -> Streamed:
    """Make every archive page of `pages` (each feed's documents next to each other)
    and every entry page of `entry_pages` that is not unchanged since the last build
    (`known`), a few at a time, into `sink`."""
    streamed = Streamed()
    links = context.digest if context is not None else ""

    def current(key: str, rels: Sequence[str], shape: str, paths: list[Path]) -> bool:
        streamed.pages[key] = (tuple(rels), shape)
        if known is not None and known.unchanged(key, rels, shape, paths):
            streamed.kept.extend(paths)
            if key.endswith(_PAGE_ENDS):
                from feedpub.render.assets import asset_of

                streamed.assets[key] = [a for a in map(asset_of, known.assets(key))
                                        if a is not None]
            return True
        return False

    archive = [documents for documents in _by_feed(pages)
               if not current(documents[0].feed.folder,
                              [e.rel for e in documents[0].feed.entries],
                              page_shape(documents[0].feed, links),
                              [d.path(config) for d in documents])]
    shape = entry_page_shape(links)
    own = [(entry, file) for entry, file in entry_pages
           if not current(file, (entry.rel,), shape, [config.output_dir / file])]
    todo = _jobs(archive, own, made)
    progress = progress or Progress()
    progress.start("writing pages", len(todo))
    try:
        for _, token, notes, assets in _made_pages(config, todo, made, sink, context,
                                                   progress):
            sink.adopt(token)
            streamed.notes += notes
            streamed.assets.update(assets)
    except BaseException:  # a child's staged files too: nothing of this build is left
        sink.discard([p for job in todo for p in job.paths(config)])
        raise
    streamed.written += [p for job in todo for p in job.paths(config)]
    return streamed


ENTRY_PAGES_A_TURN = 16  # entries rendered for their pages alone, taken at a time
WRITTEN_A_TURN = 256  # pages of entries made already (the feeds'), written at a time


def _jobs(archive: list[list[Document]], own: list[EntryPage],
          made: Mapping[str, Fragments]) -> list[Job]:
    """The turns: each archive page with the pages of its entries that are to be
    rendered for it anyway; then the other entries' pages, a few at a time."""
    waiting = {entry.rel: (entry, file) for entry, file in own if entry.rel not in made}
    jobs = []
    for documents in archive:
        mine = tuple(waiting.pop(e.rel) for e in documents[0].feed.entries if e.rel in waiting)
        jobs.append(Job(tuple(documents), mine))
    ready = [page for page in own if page[0].rel in made]
    rest = list(waiting.values())
    jobs += [Job(entry_pages=tuple(ready[i:i + WRITTEN_A_TURN]))
             for i in range(0, len(ready), WRITTEN_A_TURN)]
    jobs += [Job(entry_pages=tuple(rest[i:i + ENTRY_PAGES_A_TURN]))
             for i in range(0, len(rest), ENTRY_PAGES_A_TURN)]
    return jobs


# job index, sink token, content notes, each entry page's assets
Made = tuple[int, Any, list[Problem], dict[str, list["Asset"]]]


def _made_pages(config: Config, todo: list[Job], made: Mapping[str, Fragments],
                sink: Sink, context: RenderContext | None, progress: Progress) -> list[Made]:
    """Every job of `todo` made, in order: shared with a forked child when it pays."""
    from feedpub.runtime import parallel

    work = sum(job.work(made) for job in todo)
    if not parallel.worth_it(work, MIN_TO_SHARE) or len(todo) < 2:
        return _make(config, todo, made, sink, context, range(len(todo)), progress)
    queue = parallel.SharedQueue(len(todo), 1)
    try:
        later = parallel.in_child(_make, config, todo, made, sink, context, queue, None)
        with parallel.cancelled_on_error(later):  # (while waiting for it, too)
            mine = _make(config, todo, made, sink, context, queue, progress)
            theirs = later()
    finally:
        queue.close()
    done = {item[0]: item for item in (*mine, *theirs)}
    missing = [i for i in range(len(todo)) if i not in done]  # the child failed
    sink.discard([p for i in missing for p in todo[i].paths(config)])  # what it staged
    done.update((item[0], item) for item in _make(config, todo, made, sink, context,
                                                  missing, progress))
    return [done[i] for i in range(len(todo))]


def _make(config: Config, todo: list[Job], made: Mapping[str, Fragments],
          sink: Sink, context: RenderContext | None, indices: Any,
          progress: Progress | None) -> list[Made]:
    """The jobs at `indices` (a range, a list or a shared queue), each staged."""
    out = []
    for index in indices:
        job = todo[index]
        files, notes, assets = _job_files(config, job, made, context)
        out.append((index, sink.stage(files), notes, assets))
        if progress is not None:
            progress.advance()
    return out


def _job_files(config: Config, job: Job, made: Mapping[str, Fragments],
               context: RenderContext | None,
               ) -> tuple[dict[Path, bytes], list[Problem], dict[str, list[Asset]]]:
    """A job's files and its entry pages' assets, rendering the entries not `made`
    already: every fragment for an archive page's (and its content notes), the page
    and its files alone for the others."""
    from feedpub.fragments import fragments_of
    from feedpub.outputs.pages.files import assets as assets_in
    from feedpub.outputs.registry import assemble, page_only

    files: dict[Path, bytes] = {}
    notes: list[Problem] = []
    if job.documents:
        needed = [e for e in job.documents[0].feed.entries if e.rel not in made]
        new = dict(zip((e.rel for e in needed), fragments_of(needed, config, context),
                       strict=True))
        files = assemble(config, job.documents, ChainMap(new, made))  # type: ignore[arg-type]
        notes = [n for parts in new.values() for n in parts[1]]
        made = ChainMap(new, made)  # type: ignore[arg-type]
    alone = [e for e, _ in job.entry_pages if e.rel not in made]
    pages = dict(zip((e.rel for e in alone), fragments_of(alone, config, context, page_only()),
                     strict=True))
    assets = {}
    for entry, file in job.entry_pages:  # (the page and its files: the last fragments)
        parts = pages[entry.rel] if entry.rel in pages else made[entry.rel]
        files[config.output_dir / file] = bytes(parts[0][-2])
        assets[file] = assets_in(parts[0][-1])
    return files, notes, assets


def _by_feed(pages: Sequence[Document]) -> list[list[Document]]:
    groups: dict[str, list[Document]] = {}
    for document in pages:
        groups.setdefault(document.feed.folder, []).append(document)
    return list(groups.values())
