"""Atom 1.0 (RFC 4287), with xml:lang and xml:base where known (feedgen)."""

from __future__ import annotations

from collections.abc import Sequence

from feedgen.entry import FeedEntry
from lxml import etree

from feedpub.base.chunks import Chunks
from feedpub.config import Config
from feedpub.outputs.channel import (
    MEDIA_NS,
    channel_extension,
    common_entry,
    framed,
    generator,
    history_marks,
    hubs,
    person,
    split,
)
from feedpub.outputs.registry import Feed
from feedpub.render.entry import RenderedEntry

_XML_NS = "http://www.w3.org/XML/1998/namespace"


def document(config: Config, feed: Feed, self_url: str,
             fragments: Sequence[bytes | memoryview]) -> Chunks:
    """The feed: its channel (made by feedgen with no items), `fragments` in place."""
    fg = generator(config, feed, self_url=self_url,
                   self_type="application/atom+xml")
    for hub in hubs(config, feed):  # WebSub (feedgen keeps every Atom link relation)
        fg.link(href=hub, rel="hub")
    for rel, folder in feed.related:  # the archive's (RFC 5005)
        fg.link(href=feed.url_in(folder, self_url), rel=rel)
    channel_extension(fg, atom=history_marks(feed))
    head, tail = split(fg.atom_str(pretty=True), b"</feed>\n")
    if config.pages:  # a readable page when opened in a browser
        from feedpub.outputs.browser import with_stylesheet

        head = with_stylesheet(head, feed.folder)
    return Chunks([head, *fragments, tail])  # (joined by assemble, unless written)


def fragment(config: Config, item: RenderedEntry) -> bytes:
    """One <entry>, serialised as it stands in the feed (indented, with its newline)."""
    entry = item.entry
    fe = FeedEntry()
    fe.register_extension("feedpub", _AtomEntryExtension, atom=True, rss=False)
    common_entry(fe, item, config, "html")
    fe.id(entry.id)
    if item.summary:
        fe.summary(item.summary, type="text")
    fe.author([person(a) for a in entry.authors])
    fe.feedpub.lang = entry.lang
    fe.feedpub.base = entry.link
    fe.feedpub.enclosures = entry.enclosures
    fe.feedpub.image = entry.image
    element = fe.atom_entry()
    etree.indent(element, space="  ", level=1)
    return b"  " + etree.tostring(element, encoding="UTF-8", with_tail=False) + b"\n"


def whole(fragment: bytes | memoryview) -> bool:
    """One <entry>, as `fragment` makes it (lxml wrote it: well-formed)."""
    return framed(fragment, (b"  <entry>", b"  <entry "), b"</entry>\n")


def count(document: bytes) -> int:
    return document.count(b"<entry>") + document.count(b"<entry ")


class _AtomEntryExtension:
    """Adds what feedgen cannot: xml:lang, xml:base on the content, and the link's rel.

    feedgen builds Atom elements without a namespace (the root carries a literal
    xmlns attribute), so they are found by their bare names. It also drops the
    rel of entry links; we only ever give an entry its alternate link.
    """

    def __init__(self) -> None:
        self.lang: str | None = None
        self.base: str | None = None
        self.enclosures: tuple[tuple[str, int, str], ...] = ()
        self.image: str | None = None

    def extend_atom(self, entry: etree._Element) -> etree._Element:
        if self.lang:
            entry.set(f"{{{_XML_NS}}}lang", self.lang)
        content = entry.find("content")
        if content is not None and self.base:
            content.set(f"{{{_XML_NS}}}base", self.base)
        links = list(entry.iterfind("link"))
        for link in links:
            link.set("rel", link.get("rel") or "alternate")
        # rel="enclosure" with type and length: feedgen 1.0.0 drops all three on entry
        # links, so they are written here (tests/outputs/test_media.py pins it).
        after = links[-1] if links else None
        for url, length, kind in self.enclosures:
            element = etree.Element("link", href=url, rel="enclosure", type=kind,
                                    length=str(length))
            if after is not None:
                after.addnext(element)
            else:
                entry.append(element)
            after = element
        if self.image:  # Media RSS, as readers take it in Atom too
            etree.SubElement(entry, f"{{{MEDIA_NS}}}thumbnail", url=self.image,
                             nsmap={"media": MEDIA_NS})
        return entry

    def extend_rss(self, item: etree._Element) -> etree._Element:
        return item
