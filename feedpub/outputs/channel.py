"""What RSS and Atom share: the channel made by feedgen, an entry's common fields,
people, and the split of a document around its entries.

feedgen's traps, each handled here on purpose (and pinned by tests/outputs/test_feeds.py):
- `add_entry` prepends by default: we do not use it; each item is made by
  feedgen on its own and placed in our own newest-first order.
- entry `description()` overwrites Atom content: we use `summary()` and `content()`.
- the RSS channel `<link>` is the last link set: the self link goes first,
  the home page last.
- feed and entry `updated` default to the clock: we always set them from entries.
- naive datetimes are refused: every date is aware by the time it gets here.
- an RSS author without e-mail is silently dropped: we write `dc:creator` instead
  (one, naming every author: readers show only the first of several).
- XML-invalid control characters raise: the entries stage removes them.
- `content(type='CDATA')` makes Atom content invalid: Atom gets type "html"
  (RSS content:encoded is CDATA, which is valid there).
- RSS keeps only the first `rel="self"` link: each format gets its own generator
  with exactly one self link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator
from lxml import etree

from feedpub import __version__
from feedpub.base.people import Person
from feedpub.config import Config
from feedpub.outputs.registry import Feed
from feedpub.render.entry import RenderedEntry

GENERATOR = "feedpub"
# Used only when a feed has no entries, so that even then nothing depends on the clock.
EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=UTC)


def split(document: bytes, end: bytes) -> tuple[bytes, bytes]:
    assert document.endswith(end), "feedgen's layout changed"
    return document[: -len(end)], end


def hex_references(xml: bytes) -> bytes:
    """&, < and > as hexadecimal character references outside CDATA sections, as the
    RSS Best Practices Profile asks (readers disagree on entity-encoded plain text;
    the W3C validator warns otherwise). The XML is the same document either way."""
    head, *sections = xml.split(b"<![CDATA[")
    out = [hex_(head)]
    for section in sections:
        cdata, end, rest = section.partition(b"]]>")
        out += [b"<![CDATA[", cdata, end, hex_(rest)]
    return b"".join(out)


def hex_(xml: bytes) -> bytes:
    return xml.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;").replace(b"&gt;", b"&#x3E;")


def generator(config: Config, feed: Feed, self_url: str, self_type: str) -> FeedGenerator:
    """The feed's channel, with no items: feedgen lays out the head and tail."""
    fg = FeedGenerator()
    fg.id(feed.home)
    fg.title(feed.title)
    fg.subtitle(config.description)  # RSS description, Atom subtitle
    fg.link(href=self_url, rel="self", type=self_type)
    fg.link(href=feed.home, rel="alternate")  # last: RSS <link> takes the last one
    if feed.language or config.language:
        fg.language(feed.language or config.language)
    if config.author:
        fg.author(person(config.author))
    if config.icon:
        fg.icon(config.icon)  # Atom only
    if config.logo:  # Atom's logo; RSS's <image>, which needs a title and a link
        fg.logo(config.logo)
        fg.image(url=config.logo, title=feed.title, link=feed.home)
    if config.copyright:
        fg.rights(config.copyright)  # Atom rights and RSS copyright
    fg.generator(GENERATOR, version=__version__)
    newest = max((e.updated for e in feed.entries),
                 default=feed.empty_updated or EMPTY_FEED_DATE)
    fg.updated(newest)  # Atom <updated> and RSS <lastBuildDate>
    return fg


def common_entry(fe: FeedEntry, item: RenderedEntry, config: Config,
                  content_type: str) -> None:
    entry = item.entry
    fe.title(entry.title)
    fe.link(href=entry.link, rel="alternate")
    fe.published(entry.published)
    fe.updated(entry.updated)
    if config.content == "full" and item.html:
        fe.content(item.html, type=content_type)
    if entry.tags:  # one call: feedgen rebuilds its category list on every call
        fe.category([{"term": tag} for tag in entry.tags])


def person(who: Person) -> dict[str, str]:
    data = {"name": who.name}
    if who.email:
        data["email"] = who.email
    if who.uri:
        data["uri"] = who.uri
    return data


def framed(data: bytes | memoryview, starts: tuple[bytes, ...], end: bytes) -> bool:
    """Whether `data` begins with one of `starts` and ends with `end` (and is longer)."""
    return (len(data) > len(starts[0]) + len(end) and data[-len(end):] == end
            and any(data[:len(start)] == start for start in starts))


def hubs(config: Config, feed: Feed) -> tuple[str, ...]:
    """The WebSub hubs a feed names: none on an archive page, which never changes."""
    return () if feed.history == "archive" else config.hubs


# An element to add: its qualified tag ("{namespace}name"), attributes and text.
Element = tuple[str, dict[str, str], "str | None"]


def history_marks(feed: Feed) -> list[Element]:
    """RFC 5005's `fh:archive` or `fh:complete` for this feed, if it is either."""
    return [(f"{{{FH_NS}}}{feed.history}", {}, None)] if feed.history else []


def channel_extension(fg: FeedGenerator, *, rss: Sequence[Element] = (),
                      atom: Sequence[Element] = (),
                      namespaces: Mapping[str, str] | None = None) -> None:
    """Adds what feedgen cannot write, through a feedgen extension of our own:
    elements at the end of the RSS channel or the Atom feed's head, and namespaces
    declared on the root (for elements the items carry)."""
    if rss or atom or namespaces:
        fg.register_extension("feedpub", _ChannelExtension, atom=True, rss=True)
        fg.feedpub.rss, fg.feedpub.atom = list(rss), list(atom)
        fg.feedpub.namespaces = dict(namespaces or {})


class _ChannelExtension:
    """Elements feedgen has no method for: RFC 5005's marks, RSS links other than
    alternate and self (`<atom:link rel="hub">`, `rel="prev-archive"`, ...), the
    iTunes tags feedgen writes wrongly; and the namespaces they need."""

    def __init__(self) -> None:
        self.rss: list[Element] = []
        self.atom: list[Element] = []
        self.namespaces: dict[str, str] = {}

    def extend_ns(self) -> dict[str, str]:
        used = {tag[1:].partition("}")[0] for tag, _, _ in (*self.rss, *self.atom)}
        return {**{prefix: ns for prefix, ns in PREFIXES.items() if ns in used},
                **self.namespaces}

    def extend_rss(self, rss: etree._Element) -> etree._Element:
        _append(rss[0], self.rss)
        return rss

    def extend_atom(self, feed: etree._Element) -> etree._Element:
        _append(feed, self.atom)
        return feed


def _append(parent: etree._Element, elements: Sequence[Element]) -> None:
    for tag, attributes, text in elements:
        element = etree.SubElement(parent, tag, attributes)
        element.text = text


ATOM_NS = "http://www.w3.org/2005/Atom"
FH_NS = "http://purl.org/syndication/history/1.0"  # RFC 5005
ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
MEDIA_NS = "http://search.yahoo.com/mrss/"  # Media RSS: media:thumbnail
PREFIXES = {"atom": ATOM_NS, "fh": FH_NS, "itunes": ITUNES_NS, "media": MEDIA_NS}
