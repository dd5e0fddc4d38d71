"""A feed as it is published now (a file or an http(s) URL), read for `check --against`."""

from __future__ import annotations

import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.error import URLError
from urllib.parse import urlsplit

from lxml import etree

MAX_BYTES = 50 * 1024 * 1024
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_pis=True)
_ATOM = "{http://www.w3.org/2005/Atom}"


class PublishedFeedError(Exception):
    """The published feed could not be fetched or read; the message says why."""


@dataclass(frozen=True, slots=True)
class PublishedItem:
    id: str | None
    link: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class PublishedFeed:
    kind: str  # "rss" or "atom"
    self_link: str | None
    items: tuple[PublishedItem, ...]


def read_published(source: str) -> PublishedFeed:
    return parse_published(_fetch(source))


def _fetch(source: str) -> bytes:
    if urlsplit(source).scheme in ("http", "https"):
        request = urllib.request.Request(source, headers={"User-Agent": "feedpub"})
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                data = response.read(MAX_BYTES + 1)
        except (URLError, OSError, ValueError) as exc:
            raise PublishedFeedError(f"cannot fetch it: {exc}") from None
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise PublishedFeedError(f"cannot read it: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise PublishedFeedError(f"it is larger than {MAX_BYTES:,} bytes")
    return data


def parse_published(data: bytes) -> PublishedFeed:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PublishedFeedError(f"it is not well-formed XML: {exc}") from None
    if root.tag == "rss":
        channel = root.find("channel")
        items = [] if channel is None else channel.findall("item")
        self_link = None if channel is None else channel.find(f"{_ATOM}link[@rel='self']")
        return PublishedFeed("rss", _attr(self_link, "href"), tuple(
            PublishedItem(_text(i.find("guid")) or _text(i.find("link")),
                          _text(i.find("link")), _text(i.find("title"))) for i in items))
    if root.tag == f"{_ATOM}feed":
        self_link = root.find(f"{_ATOM}link[@rel='self']")
        return PublishedFeed("atom", _attr(self_link, "href"), tuple(
            PublishedItem(_text(e.find(f"{_ATOM}id")), _atom_alternate(e),
                          _text(e.find(f"{_ATOM}title"))) for e in root.findall(f"{_ATOM}entry")))
    raise PublishedFeedError(f"it is neither RSS nor Atom (root element {root.tag!r})")


def _atom_alternate(entry: etree._Element) -> str | None:
    for link in entry.findall(f"{_ATOM}link"):
        if link.get("rel", "alternate") == "alternate":
            return link.get("href")
    return None


def _text(element: etree._Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def _attr(element: etree._Element | None, name: str) -> str | None:
    return None if element is None else element.get(name)
