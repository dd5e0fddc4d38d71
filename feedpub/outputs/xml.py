"""Rendered entries -> RSS 2.0 and Atom 1.0 bytes. The only module that touches feedgen.

feedgen's traps, each handled here on purpose (and pinned by tests/test_feeds.py):
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

import html
import re
from collections.abc import Sequence
from datetime import UTC, datetime

from feedgen.entry import FeedEntry
from feedgen.ext.dc import DcEntryExtension
from feedgen.feed import FeedGenerator
from lxml import etree

from feedpub import __version__
from feedpub.base.people import Person
from feedpub.config.model import Config
from feedpub.entries.model import Entry
from feedpub.render.entry import RenderedEntry

GENERATOR = "feedpub"
_XML_NS = "http://www.w3.org/XML/1998/namespace"
# Used only when a feed has no entries, so that even then nothing depends on the clock.
EMPTY_FEED_DATE = datetime(1970, 1, 1, tzinfo=UTC)


def rss(config: Config, items: Sequence[RenderedEntry]) -> bytes:
    """RSS 2.0 with content:encoded, dc:creator and an atom:link to itself."""
    return rss_document(config, [i.entry for i in items], [rss_item(config, i) for i in items])


def atom(config: Config, items: Sequence[RenderedEntry]) -> bytes:
    """Atom 1.0 (RFC 4287), with xml:lang and xml:base where known."""
    return atom_document(config, [i.entry for i in items],
                         [atom_entry(config, i) for i in items])


# A feed is its channel (made by feedgen with no items) with the items' fragments
# put in place. Each fragment is made by feedgen too, once per entry, so that a
# rebuild can reuse the fragments of entries that did not change (the cache).

def rss_document(config: Config, entries: Sequence[Entry], fragments: Sequence[bytes]) -> bytes:
    fg = _generator(config, entries, self_url=config.rss_url,
                    self_type="application/rss+xml")
    fg.load_extension("dc", atom=False, rss=True)  # declares xmlns:dc on <rss>
    head, tail = _split(_hex_references(fg.rss_str(pretty=True)), b"  </channel>\n</rss>\n")
    return b"".join([head, *fragments, tail])


def atom_document(config: Config, entries: Sequence[Entry],
                  fragments: Sequence[bytes]) -> bytes:
    fg = _generator(config, entries, self_url=config.atom_url,
                    self_type="application/atom+xml")
    head, tail = _split(fg.atom_str(pretty=True), b"</feed>\n")
    return b"".join([head, *fragments, tail])


def rss_item(config: Config, item: RenderedEntry) -> bytes:
    """One <item>, serialised as it stands in the feed (indented, with its newline)."""
    entry = item.entry
    fe = FeedEntry()
    # (register_extension, not load_extension: that one retries an import per call)
    fe.register_extension("dc", DcEntryExtension, atom=False, rss=True)
    # content:encoded as CDATA: readable, and no entity escaping to undo. A body
    # that contains "]]>" cannot be CDATA, so it is escaped instead.
    _common_entry(fe, item, config, "CDATA" if "]]>" not in item.html else "html")
    fe.guid(entry.id, permalink=entry.id == entry.link)
    if item.summary:
        # RSS readers treat description as HTML: escape the plain text once more.
        fe.summary(html.escape(item.summary, quote=False))
    if len(entry.authors) == 1 and entry.authors[0].email:
        fe.author(_person(entry.authors[0]))  # <author>email (Name)</author>
    else:
        # <author> takes exactly one, with an e-mail; and the W3C validator
        # warns when one item has both <author> and dc:creator. Several authors share
        # one dc:creator, "Ann, Bob", as large publishers write it: readers (feedparser,
        # newsboat) show only the first of several dc:creator elements. ("Doe, Jane;
        # Bob Roe" where a name holds a comma.)
        names = [a.name for a in entry.authors]
        fe.dc.dc_creator(("; " if any("," in n for n in names) else ", ").join(names))
    element = fe.rss_entry()
    etree.SubElement(etree.Element("rss", nsmap=_RSS_NAMESPACES), "channel").append(element)
    etree.indent(element, space="  ", level=2)
    text = etree.tostring(element, encoding="UTF-8", with_tail=False)
    # The namespaces are declared once, on <rss>: not again on every item.
    return b"    " + _hex_references(_ITEM_NAMESPACES.sub(b"<item", text, count=1)) + b"\n"


def atom_entry(config: Config, item: RenderedEntry) -> bytes:
    """One <entry>, serialised as it stands in the feed (indented, with its newline)."""
    entry = item.entry
    fe = FeedEntry()
    fe.register_extension("feedpub", _AtomEntryExtension, atom=True, rss=False)
    _common_entry(fe, item, config, "html")
    fe.id(entry.id)
    if item.summary:
        fe.summary(item.summary, type="text")
    fe.author([_person(a) for a in entry.authors])
    fe.feedpub.lang = entry.lang
    fe.feedpub.base = entry.link
    element = fe.atom_entry()
    etree.indent(element, space="  ", level=1)
    return b"  " + etree.tostring(element, encoding="UTF-8", with_tail=False) + b"\n"


_RSS_NAMESPACES = {"dc": "http://purl.org/dc/elements/1.1/",
                   "atom": "http://www.w3.org/2005/Atom",
                   "content": "http://purl.org/rss/1.0/modules/content/"}
_ITEM_NAMESPACES = re.compile(rb'^<item(?: xmlns:\w+="[^"]*")+')


def _split(document: bytes, end: bytes) -> tuple[bytes, bytes]:
    assert document.endswith(end), "feedgen's layout changed"
    return document[: -len(end)], end


def _hex_references(xml: bytes) -> bytes:
    """&, < and > as hexadecimal character references outside CDATA sections, as the
    RSS Best Practices Profile asks (readers disagree on entity-encoded plain text;
    the W3C validator warns otherwise). The XML is the same document either way."""
    head, *sections = xml.split(b"<![CDATA[")
    out = [_hex(head)]
    for section in sections:
        cdata, end, rest = section.partition(b"]]>")
        out += [b"<![CDATA[", cdata, end, _hex(rest)]
    return b"".join(out)


def _hex(xml: bytes) -> bytes:
    return xml.replace(b"&amp;", b"&#x26;").replace(b"&lt;", b"&#x3C;").replace(b"&gt;", b"&#x3E;")


def _generator(config: Config, entries: Sequence[Entry], self_url: str,
               self_type: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.id(config.url)
    fg.title(config.title)
    fg.subtitle(config.description)  # RSS description, Atom subtitle
    fg.link(href=self_url, rel="self", type=self_type)
    fg.link(href=config.url, rel="alternate")  # last: RSS <link> takes the last one
    if config.language:
        fg.language(config.language)
    if config.author:
        fg.author(_person(config.author))
    fg.generator(GENERATOR, version=__version__)
    newest = max((e.updated for e in entries), default=EMPTY_FEED_DATE)
    fg.updated(newest)  # Atom <updated> and RSS <lastBuildDate>
    return fg


def _common_entry(fe: FeedEntry, item: RenderedEntry, config: Config,
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


def _person(person: Person) -> dict[str, str]:
    data = {"name": person.name}
    if person.email:
        data["email"] = person.email
    if person.uri:
        data["uri"] = person.uri
    return data


class _AtomEntryExtension:
    """Adds what feedgen cannot: xml:lang, xml:base on the content, and the link's rel.

    feedgen builds Atom elements without a namespace (the root carries a literal
    xmlns attribute), so they are found by their bare names. It also drops the
    rel of entry links; we only ever give an entry its alternate link.
    """

    def __init__(self) -> None:
        self.lang: str | None = None
        self.base: str | None = None

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        if self.lang:
            entry.set(f"{{{_XML_NS}}}lang", self.lang)
        content = entry.find("content")
        if content is not None and self.base:
            content.set(f"{{{_XML_NS}}}base", self.base)
        for link in entry.iterfind("link"):
            link.set("rel", link.get("rel") or "alternate")
        return entry

    def extend_rss(self, item: etree._Element) -> etree._Element:
        return item
