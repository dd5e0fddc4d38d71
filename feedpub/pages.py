"""The archive's pages (outputs/archive.py), each made and handed on at once.

The pages hold every entry, so a build never holds them all: a page's entries are
rendered (those the other feeds did not render already: `made`), its documents
assembled and handed to the sink, and all of it dropped before the next page. With
the Publisher as the sink (publish/write.py) each page is staged to temporary files
at once, in whichever process made it: this process and a forked child take pages
from a shared queue (runtime/parallel.py), and only the names of the staged files
come back. Peak memory then grows with a page, not with the site.

An archive-only entry is not kept in the fragment cache. Instead a page whose
entries and neighbours are as the last build recorded them, and whose files are as
it left them, is not made at all (`unchanged`: publish/cache/pages.py).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from feedpub.base.problems import Problem
from feedpub.config.model import Config
from feedpub.runtime.progress import Progress

if TYPE_CHECKING:
    from feedpub.outputs.registry import Document, Feed, Fragments
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


def page_shape(feed: Feed, links: str) -> str:
    """What a page's bytes depend on besides its entries' files and the config."""
    return repr((feed.title, feed.related, feed.empty_updated, links))


def stream_pages(config: Config, pages: Sequence[Document], made: Mapping[str, Fragments],
                 sink: Sink, *, context: RenderContext | None = None,
                 progress: Progress | None = None,
                 unchanged: Callable[[Feed, str, list[Path]], bool] | None = None,
                 ) -> Streamed:
    """Make every page of `pages` (each feed's documents next to each other) that is
    not `unchanged`, one at a time, into `sink`."""
    streamed = Streamed()
    links = context.digest if context is not None else ""
    todo: list[list[Document]] = []
    for documents in _by_feed(pages):
        feed = documents[0].feed
        shape = page_shape(feed, links)
        streamed.pages[feed.folder] = (tuple(e.rel for e in feed.entries), shape)
        paths = [d.path(config) for d in documents]
        if unchanged is not None and unchanged(feed, shape, paths):
            streamed.kept += paths
        else:
            todo.append(documents)
    progress = progress or Progress()
    progress.start("writing archive pages", len(todo))
    try:
        for _, token, notes in _made_pages(config, todo, made, sink, context, progress):
            sink.adopt(token)
            streamed.notes += notes
    except BaseException:  # a child's staged files too: nothing of this build is left
        sink.discard([d.path(config) for documents in todo for d in documents])
        raise
    streamed.written += [d.path(config) for documents in todo for d in documents]
    return streamed


Made = tuple[int, Any, list[Problem]]  # page index, sink token, content notes


def _made_pages(config: Config, todo: list[list[Document]], made: Mapping[str, Fragments],
                sink: Sink, context: RenderContext | None, progress: Progress) -> list[Made]:
    """Every page of `todo` made, in order: shared with a forked child when it pays."""
    from feedpub.runtime import parallel

    entries = sum(len(documents[0].feed.entries) for documents in todo)
    if not parallel.worth_it(entries, MIN_TO_SHARE) or len(todo) < 2:
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
    done.update((item[0], item) for item in _make(config, todo, made, sink, context,
                                                  missing, progress))
    return [done[i] for i in range(len(todo))]


def _make(config: Config, todo: list[list[Document]], made: Mapping[str, Fragments],
          sink: Sink, context: RenderContext | None, indices: Any,
          progress: Progress | None) -> list[Made]:
    """The pages at `indices` (a range, a list or a shared queue), each staged."""
    from feedpub.fragments import fragments_of
    from feedpub.outputs.registry import assemble

    out = []
    for index in indices:
        documents = todo[index]
        needed = [e for e in documents[0].feed.entries if e.rel not in made]
        new = dict(zip((e.rel for e in needed), fragments_of(needed, config, context),
                       strict=True))
        files = assemble(config, documents, ChainMap(new, made))  # type: ignore[arg-type]
        notes = [n for parts in new.values() for n in parts[1]]
        out.append((index, sink.stage(files), notes))
        if progress is not None:
            progress.advance()
    return out


def _by_feed(pages: Sequence[Document]) -> list[list[Document]]:
    groups: dict[str, list[Document]] = {}
    for document in pages:
        groups.setdefault(document.feed.folder, []).append(document)
    return list(groups.values())
