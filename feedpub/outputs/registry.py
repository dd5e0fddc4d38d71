"""The registries of output formats and of feeds: what `build`, `check` and the cache
iterate over.

An output format (RSS, Atom) makes one fragment per entry (made once, cached, reused
while the entry is unchanged) and a document from the fragments of a feed's entries.
A feed is a choice of entries with a title and a home page: the main feed now; a
tag's or a language's feed is one more function in FEEDS. Every feed is written in
every format: `Document`s, one file each. `build`, `check` and the cache know
formats and feeds only through this module. Importing it is cheap: a format's maker
(feedgen, lxml) is imported the first time it is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from feedpub.base.chunks import Chunks, joined

if TYPE_CHECKING:
    from feedpub.base.problems import Problem
    from feedpub.config import Config
    from feedpub.entries.model import Entry
    from feedpub.render.entry import RenderedEntry

# An entry's fragments, one per output in registry order (bytes, or views into the
# cache), and the warnings and notes about its content: made together, cached together.
Fragments = tuple[tuple[bytes | memoryview, ...], tuple["Problem", ...]]


class Maker(Protocol):
    """What an output's module provides."""

    def fragment(self, config: Config, item: RenderedEntry) -> bytes:
        """The entry's fragment, as it stands in the document."""

    def document(self, config: Config, feed: Feed, self_url: str,
                 fragments: Sequence[bytes | memoryview]) -> bytes | Chunks:
        """The feed's file, found at `self_url`: `fragments` (one per entry of the
        feed, in its order) in place; as bytes, or as its parts (base/chunks.py)."""

    def whole(self, fragment: bytes | memoryview) -> bool:
        """Whether this is one whole fragment as `fragment` makes it (a cheap check
        of its ends: what the cache saves, and a fragment it gives back, must pass)."""

    def count(self, document: bytes) -> int:
        """How many entries a document on disk holds (0 if it is not one of ours)."""


@dataclass(frozen=True, slots=True)
class Feed:
    """A feed the site publishes, in every output format."""

    folder: str  # under the output folder and feed.url: "" (the main feed), "tags/x/"
    title: str
    home: str  # the page the feed is about: its alternate link and its id
    entries: tuple[Entry, ...]  # newest first
    notes: tuple[str, ...] = field(default=(), compare=False)  # warnings about the feed
    language: str | None = None  # the feed's own language (else feed.language)
    # RFC 5005 (outputs/archive.py): "archive" (an archive page: fh:archive),
    # "complete" (every entry: fh:complete) or ""; and the feeds it links to, as
    # (relation, folder) pairs such as ("prev-archive", "archive/3/")
    history: str = ""
    related: tuple[tuple[str, str], ...] = ()
    empty_updated: datetime | None = None  # the date of the feed when it has no entries
    # [feed] full_content: the entries (by rel) that carry their full content here, the
    # others their summary; None: every one (set by `plan`)
    full: frozenset[str] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        # Whatever names a feed's folder (a tag, a language), it stays inside the
        # output folder: plain relative parts, each followed by "/".
        parts = self.folder.split("/")
        if self.folder and (parts[-1] or any(p in ("", ".", "..") or "\\" in p
                                             for p in parts[:-1])):
            raise ValueError(f"feed folder {self.folder!r} is not a relative folder "
                             "of plain names, each followed by '/'")

    def url_in(self, folder: str, self_url: str) -> str:
        """The URL of the same format's file of the feed in `folder`, given this feed's
        (`self_url`: the site's URL, this feed's folder, the format's file name)."""
        cut = self_url.rindex("/") + 1
        return self_url[:cut - len(self.folder)] + folder + self_url[cut:]


class Choosing(Protocol):
    """The entries a feed may choose from (entries.select.Eligible)."""

    def __len__(self) -> int: ...

    def newest(self, limit: int) -> list[Entry]: ...

    def all(self) -> list[Entry]: ...


def main_feed(config: Config, eligible: Choosing) -> list[Feed]:
    """The site's feed: its newest `limit` entries (with its archive's links)."""
    feed = Feed("", config.title, config.url, tuple(eligible.newest(config.limit)))
    if config.archive_page_size:
        from feedpub.outputs.archive import subscription

        feed = subscription(config, eligible, feed)
    return [feed]


def _tag_feeds(config: Config, eligible: Choosing) -> list[Feed]:
    if not config.tag_feeds:  # (the module is imported only for a site that has them)
        return []
    from feedpub.outputs.tags import tag_feeds

    return tag_feeds(config, eligible)


def _language_feeds(config: Config, eligible: Choosing) -> list[Feed]:
    if config.languages != "split":
        return []
    from feedpub.outputs.languages import language_feeds

    return language_feeds(config, eligible)


def _archive_pages(config: Config, eligible: Choosing) -> list[Feed]:
    if not config.archive_page_size:
        return []
    from feedpub.outputs.archive import archive_pages

    return archive_pages(config, eligible)


# Each gives the feeds of one kind; the first gives the main feed.
FEEDS: list[Callable[[Config, Choosing], list[Feed]]] = [main_feed, _tag_feeds,
                                                         _language_feeds, _archive_pages]


@dataclass(frozen=True, slots=True)
class Output:
    """One registered output format: its file name and where its maker is."""

    name: str  # "rss": the cache and messages know it by this
    filename: str  # in the output folder, and under feed.url
    media_type: str
    fragment_name: str  # how messages name one fragment, such as "<item>"
    load: Callable[[], Maker] = field(compare=False)

    def path(self, config: Config, feed: Feed | None = None) -> Path:
        """Where this format of `feed` (the main feed: None) is written."""
        return config.output_dir / (feed.folder if feed else "") / self.filename

    def url(self, config: Config, feed: Feed | None = None) -> str:
        # The output folder is served as the site's root: public/rss.xml is url + rss.xml.
        return config.url + (feed.folder if feed else "") + self.filename

    @property
    def maker(self) -> Maker:
        return self.load()


def _module(name: str) -> Callable[[], Maker]:
    def load() -> Maker:
        return importlib.import_module(name)  # type: ignore[return-value]
    return load


REGISTRY: list[Output] = [
    Output("rss", "rss.xml", "application/rss+xml", "<item>", _module("feedpub.outputs.rss")),
    Output("atom", "atom.xml", "application/atom+xml", "<entry>",
           _module("feedpub.outputs.atom")),
    Output("json", "feed.json", "application/feed+json", "JSON Feed item",
           _module("feedpub.outputs.jsonfeed")),
]


def register(output: Output) -> None:
    """Add an output (after the others): every build from now on writes it too."""
    if any(o.name == output.name or o.filename == output.filename for o in REGISTRY):
        raise ValueError(f"an output named {output.name!r} or writing "
                         f"{output.filename!r} is already registered")
    REGISTRY.append(output)


def unregister(name: str) -> None:
    REGISTRY[:] = [o for o in REGISTRY if o.name != name]


def outputs_for(config: Config) -> tuple[Output, ...]:
    """The outputs a build with this config writes, in registry order: those named in
    feed.formats, or every one registered."""
    formats = config.formats
    return tuple(o for o in REGISTRY if formats is None or o.name in formats)


def by_name(config: Config, name: str) -> Output:
    return next(o for o in outputs_for(config) if o.name == name)


@dataclass(frozen=True, slots=True)
class Variant:
    """One fragment each entry gets: an output's, with full content (as feed.content
    says) or, with feed.full_content, also its summary-only one."""

    output: Output
    summary: bool = False

    @property
    def name(self) -> str:  # what the cache knows the fragment by
        return self.output.name + (":summary" if self.summary else "")


# An entry's own page ([site] pages: outputs/pages/entry.py) and the files beside it
# that the page links to (outputs/pages/files.py): no feed's format, but made with the
# entry's fragments and cached with them, the last two of them.
ENTRY_PAGE = Output("page", "index.html", "text/html", "entry page",
                    _module("feedpub.outputs.pages.entry"))
ENTRY_FILES = Output("files", "files.json", "application/json", "entry's files",
                     _module("feedpub.outputs.pages.files"))


def variants(config: Config) -> tuple[Variant, ...]:
    """Each entry's fragments, in order: one per output, then (with feed.full_content)
    one more per output without the full content, then (with [site] pages) its page
    and the files the page links to."""
    outputs = outputs_for(config)
    return tuple(Variant(o) for o in outputs) + (
        tuple(Variant(o, summary=True) for o in outputs) if config.full_content else ()) + (
        page_only() if config.pages else ())


def page_only() -> tuple[Variant, ...]:
    """The variants of an entry rendered for its page alone (pages.py): the page and
    its files, the last two of every entry's fragments."""
    return (Variant(ENTRY_PAGE), Variant(ENTRY_FILES))


def make_fragments(kinds: Sequence[Variant], config: Config,
                   item: RenderedEntry) -> tuple[bytes, ...]:
    return fragments_of_each(kinds, config, [item])[0]


def fragments_of_each(kinds: Sequence[Variant], config: Config,
                      items: Sequence[RenderedEntry]) -> list[tuple[bytes, ...]]:
    """Each item's fragments, one per variant: made a variant at a time for all the
    items (the same bytes as item by item, in a sixth less time: one output's code
    and data stay in the processor's caches; fragments.py)."""
    brief = replace(config, content="summary") if config.full_content else config
    made = [[v.output.maker.fragment(brief if v.summary else config, item)
             for item in items] for v in kinds]
    return list(zip(*made, strict=True)) if made else [() for _ in items]


def whole(kinds: Sequence[Variant], parts: Sequence[bytes | memoryview]) -> bool:
    """Whether `parts` are one whole fragment for each variant."""
    return len(parts) == len(kinds) and all(
        v.output.maker.whole(p) for v, p in zip(kinds, parts, strict=True))


@dataclass(frozen=True, slots=True)
class Document:
    """One file to write: a feed in one format."""

    output: Output
    index: int  # of the output among the outputs: which of an entry's fragments is its
    feed: Feed

    def path(self, config: Config) -> Path:
        return self.output.path(config, self.feed)

    def url(self, config: Config) -> str:
        return self.output.url(config, self.feed)


def plan(config: Config, eligible: Choosing) -> list[Document]:
    """Every file a build writes: each feed in each format, the main feed first.
    With feed.full_content, only the site's newest N entries have their full content,
    in every feed but the archive's pages (fetched once, kept: they keep it all)."""
    feeds = [feed for kind in FEEDS for feed in kind(config, eligible)]
    if config.full_content:
        full = frozenset(e.rel for e in eligible.newest(config.full_content))
        feeds = [f if f.history == "archive" else replace(f, full=full) for f in feeds]
    outputs = outputs_for(config)
    return [Document(output, index, feed) for feed in feeds
            for index, output in enumerate(outputs)]


def static_files(config: Config) -> dict[Path, bytes]:
    """The files a build writes besides its feeds: the browser stylesheet ([site] pages)."""
    if not config.pages:
        return {}
    from feedpub.outputs.browser import NAME, stylesheet

    return {config.output_dir / NAME: stylesheet()}


def site_pages(config: Config, documents: Sequence[Document],
               rendered: Sequence[RenderedEntry]) -> dict[Path, bytes]:
    """The site's pages ([site] pages): the front page, with the main feed's entries
    (`rendered`, newest first) and every format of the main feed."""
    if not config.pages:
        return {}
    from feedpub.outputs.pages import front_page, index_path

    feeds = [(d.output.name, d.output.media_type, d.url(config)) for d in documents
             if not d.feed.folder]
    return {index_path(config): front_page(config, feeds, rendered)}


def feed_warnings(config: Config, documents: Sequence[Document]) -> list[Problem]:
    """The warnings about the feeds themselves (such as tags merged into one), once each."""
    from feedpub.base.problems import warning

    notes = dict.fromkeys(n for d in documents for n in d.feed.notes)
    return [warning(note, config.display(config.path)) for note in notes]


def published(documents: Sequence[Document]) -> list[Entry]:
    """Every entry in some document, once, in the order first met."""
    seen: dict[str, Entry] = {}
    for document in documents:
        for entry in document.feed.entries:
            seen.setdefault(entry.rel, entry)
    return list(seen.values())


def assemble(config: Config, documents: Sequence[Document],
             fragments: Mapping[str, Fragments]) -> dict[Path, bytes]:
    """Each document's bytes, from its entries' fragments (by entry file, `rel`)."""
    return {path: joined(data)
            for path, data in assemble_parts(config, documents, fragments).items()}


def assemble_parts(config: Config, documents: Sequence[Document],
                   fragments: Mapping[str, Fragments]) -> dict[Path, bytes | Chunks]:
    """`assemble`, each document as its maker gives it: its parts not joined, for a
    caller that writes them (base/chunks.py)."""
    brief = len(outputs_for(config))  # where the summary-only variants begin
    return {d.path(config): d.output.maker.document(config, d.feed, d.url(config), [
        fragments[e.rel][0][d.index if full is None or e.rel in full else d.index + brief]
        for full in (d.feed.full,) for e in d.feed.entries]) for d in documents}
