"""RSS 2.0 with content:encoded, dc:creator and an atom:link to itself (feedgen)."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from feedgen.entry import FeedEntry
from feedgen.ext.dc import DcEntryExtension
from lxml import etree

from feedpub.base.chunks import Chunks
from feedpub.config import Config
from feedpub.outputs.channel import (
    ATOM_NS,
    MEDIA_NS,
    PREFIXES,
    Element,
    channel_extension,
    common_entry,
    framed,
    generator,
    hex_,
    hex_references,
    history_marks,
    hubs,
    person,
    split,
)
from feedpub.outputs.registry import Feed
from feedpub.render.entry import RenderedEntry


def document(config: Config, feed: Feed, self_url: str,
             fragments: Sequence[bytes | memoryview]) -> Chunks:
    """The feed: its channel (made by feedgen with no items), `fragments` in place."""
    fg = generator(config, feed, self_url=self_url,
                   self_type="application/rss+xml")
    fg.load_extension("dc", atom=False, rss=True)  # declares xmlns:dc on <rss>
    # WebSub hubs and the archive's links: feedgen drops RSS links other than
    # alternate and self, so they are written by our extension, as atom:link.
    links = [("hub", hub) for hub in hubs(config, feed)]
    links += [(rel, feed.url_in(folder, self_url)) for rel, folder in feed.related]
    extra = [(f"{{{ATOM_NS}}}link", {"rel": rel, "href": href}, None) for rel, href in links]
    extra += history_marks(feed)
    if config.podcast is not None:
        from feedpub.outputs.podcast import channel_tags

        extra += channel_tags(fg, config)
    # the namespaces of what items carry (declared once, on <rss>)
    media = {"media": MEDIA_NS} if any(e.image for e in feed.entries) else {}
    channel_extension(fg, rss=extra, namespaces=media)
    head, tail = split(hex_references(fg.rss_str(pretty=True)), b"  </channel>\n</rss>\n")
    if config.pages:  # a readable page when opened in a browser
        from feedpub.outputs.browser import with_stylesheet

        head = with_stylesheet(head, feed.folder)
    return Chunks([head, *fragments, tail])  # (joined by assemble, unless written)


def fragment(config: Config, item: RenderedEntry) -> bytes:
    """One <item>, serialised as it stands in the feed (indented, with its newline)."""
    entry = item.entry
    fe = FeedEntry()
    # (register_extension, not load_extension: that one retries an import per call)
    fe.register_extension("dc", DcEntryExtension, atom=False, rss=True)
    # content:encoded as CDATA: readable, and no entity escaping to undo. A body
    # that contains "]]>" cannot be CDATA, so it is escaped instead.
    cdata = "]]>" not in item.html
    common_entry(fe, item, config, "CDATA" if cdata else "html")
    fe.guid(entry.id, permalink=entry.id == entry.link)
    if entry.enclosures:  # RSS readers take one enclosure per item: the first
        url, length, kind = entry.enclosures[0]
        fe.enclosure(url, str(length), kind)
    if item.summary:
        # RSS readers treat description as HTML: escape the plain text once more.
        fe.summary(html.escape(item.summary, quote=False))
    if len(entry.authors) == 1 and entry.authors[0].email:
        fe.author(person(entry.authors[0]))  # <author>email (Name)</author>
    else:
        # <author> takes exactly one, with an e-mail; and the W3C validator
        # warns when one item has both <author> and dc:creator. Several authors share
        # one dc:creator, "Ann, Bob", as large publishers write it: readers (feedparser,
        # newsboat) show only the first of several dc:creator elements. ("Doe, Jane;
        # Bob Roe" where a name holds a comma.)
        names = [a.name for a in entry.authors]
        fe.dc.dc_creator(("; " if any("," in n for n in names) else ", ").join(names))
    extra = [(f"{{{MEDIA_NS}}}thumbnail", {"url": entry.image}, None)] if entry.image else []
    if config.podcast is not None:
        from feedpub.outputs.podcast import episode_tags

        extra += episode_tags(fe, entry)
    if extra:
        fe.register_extension("feedpub", _ItemExtension, atom=False, rss=True)
        fe.feedpub.elements = extra
    element = fe.rss_entry()
    etree.SubElement(etree.Element("rss", nsmap=_RSS_NAMESPACES), "channel").append(element)
    etree.indent(element, space="  ", level=2)
    text = etree.tostring(element, encoding="UTF-8", with_tail=False)
    # The namespaces are declared once, on <rss>: not again on every item.
    declared = _ITEM_NAMESPACES.match(text)
    after = declared.end() if declared is not None else len(b"<item")
    if not (cdata and config.content == "full" and item.html):
        return b"".join((b"    <item", hex_references(text[after:]), b"\n"))
    # Its one CDATA section is the content, the bulk of the item: the references are
    # made hexadecimal around it (hex_references, without looking through it for the
    # section's end: "]]>" is escaped everywhere else, so its last one ends it).
    start, end = text.find(b"<![CDATA[", after), text.rfind(b"]]>") + 3
    return b"".join((b"    <item", hex_(text[after:start]), memoryview(text)[start:end],
                     hex_(text[end:]), b"\n"))


_RSS_NAMESPACES = {"dc": "http://purl.org/dc/elements/1.1/",
                   "content": "http://purl.org/rss/1.0/modules/content/", **PREFIXES}
_ITEM_NAMESPACES = re.compile(rb'^<item(?: xmlns:\w+="[^"]*")+')




def whole(fragment: bytes | memoryview) -> bool:
    """One <item>, as `fragment` makes it (lxml wrote it: well-formed)."""
    return framed(fragment, (b"    <item>",), b"</item>\n")


def count(document: bytes) -> int:
    return document.count(b"<item>") + document.count(b"<item ")


class _ItemExtension:
    """Elements of an item that feedgen has no method for (media:thumbnail) or writes
    wrongly (itunes:explicit, outputs/podcast.py): added after its own."""

    def __init__(self) -> None:
        self.elements: list[Element] = []

    def extend_ns(self) -> dict[str, str]:
        return {}

    def extend_rss(self, item: etree._Element) -> etree._Element:
        for tag, attributes, text in self.elements:
            etree.SubElement(item, tag, attributes).text = text
        return item
