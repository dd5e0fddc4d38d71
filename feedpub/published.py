"""A feed as it is published now (a file or an http(s) URL), read for `check --against`."""

from __future__ import annotations

import http.client
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit

from lxml import etree

MAX_BYTES = 50 * 1024 * 1024
TIMEOUT = 15  # seconds, for each attempt
RETRY_DELAYS = (0.5, 1.5)  # seconds before each retry: at most two
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_pis=True)
_ATOM = "{http://www.w3.org/2005/Atom}"
_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"


class PublishedFeedError(Exception):
    """The published feed could not be fetched or read; the message says why."""


@dataclass(frozen=True, slots=True)
class PublishedItem:
    """One published item. Each field is None when the feed does not give it.

    `id` is the RSS guid or the Atom id (an RSS item without a guid has none:
    readers then go by its link). A date is an aware datetime, or a `date` when
    the feed gave a day without a time (Atom only; RSS requires the time).
    """

    id: str | None
    link: str | None
    title: str | None
    published: date | None = None  # RSS pubDate (else dc:date), Atom published
    updated: date | None = None  # Atom updated


@dataclass(frozen=True, slots=True)
class PublishedFeed:
    kind: str  # "rss" or "atom"
    self_link: str | None
    items: tuple[PublishedItem, ...]


def read_published(source: str) -> PublishedFeed:
    return parse_published(_fetch(source))


def _fetch(source: str) -> bytes:
    if urlsplit(source).scheme in ("http", "https"):
        data = _download(source)
    else:
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise PublishedFeedError(f"cannot read it: {exc.strerror}") from None
    if len(data) > MAX_BYTES:
        raise PublishedFeedError(f"it is larger than {MAX_BYTES:,} bytes")
    return data


def _download(url: str) -> bytes:
    """The body at `url`. A refused or reset connection and a 5xx answer are tried
    again (twice at most, after a short pause); a 4xx answer or a timeout is not."""
    delays = iter(RETRY_DELAYS)
    while True:
        try:
            return _get(url)
        except (URLError, OSError, ValueError, http.client.HTTPException) as exc:
            delay = next(delays, None) if _worth_retrying(exc) else None
            if delay is None:
                raise PublishedFeedError(f"cannot fetch it: {exc}") from None
        time.sleep(delay)


def _get(url: str) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "feedpub"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        return response.read(MAX_BYTES + 1)


def _worth_retrying(exc: Exception) -> bool:
    if isinstance(exc, HTTPError):
        return exc.code >= 500
    reason = exc.reason if isinstance(exc, URLError) else exc
    return isinstance(reason, ConnectionError)


def parse_published(data: bytes) -> PublishedFeed:
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise PublishedFeedError(f"it is not well-formed XML: {exc}") from None
    if root.tag == "rss":
        return _rss(root)
    if root.tag == f"{_ATOM}feed":
        return _atom(root)
    raise PublishedFeedError(f"it is neither RSS nor Atom (root element {root.tag!r})")


def _rss(root: etree._Element) -> PublishedFeed:
    channel = root.find("channel")
    items = [] if channel is None else channel.findall("item")
    self_link = None if channel is None else channel.find(f"{_ATOM}link[@rel='self']")
    return PublishedFeed("rss", _attr(self_link, "href"), tuple(
        PublishedItem(_text(i.find("guid")), _text(i.find("link")), _text(i.find("title")),
                      published=_rss_date(_text(i.find("pubDate")))
                      or _iso_date(_text(i.find(_DC_DATE))))
        for i in items))


def _atom(root: etree._Element) -> PublishedFeed:
    self_link = root.find(f"{_ATOM}link[@rel='self']")
    return PublishedFeed("atom", _attr(self_link, "href"), tuple(
        PublishedItem(_text(e.find(f"{_ATOM}id")), _atom_alternate(e),
                      _text(e.find(f"{_ATOM}title")),
                      published=_iso_date(_text(e.find(f"{_ATOM}published"))),
                      updated=_iso_date(_text(e.find(f"{_ATOM}updated"))))
        for e in root.findall(f"{_ATOM}entry")))


def _rss_date(text: str | None) -> datetime | None:
    """An RFC 822 date (`Thu, 13 May 2021 10:00:00 +0000`); None if it is not one."""
    if not text:
        return None
    try:
        return _aware(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _iso_date(text: str | None) -> date | None:
    """An RFC 3339 date-time (`Z` or an offset), or a bare day; None if it is neither."""
    if not text:
        return None
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        if len(text) == len("2021-05-13"):
            return date.fromisoformat(text)
        return _aware(datetime.fromisoformat(text))
    except ValueError:
        return None


def _aware(moment: datetime) -> datetime:
    """A time without an offset (RFC 822's -0000, say) is taken as UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


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
