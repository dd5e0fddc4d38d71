"""A feed as it is published now (a file or an http(s) URL), read for `check --against`."""

from __future__ import annotations

import functools
import http.client
import io
import re
import socket
import time
import urllib.request
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.error import HTTPError, URLError

from lxml import etree

from feedpub.base.regular import RefusedFile, read_regular_file

MAX_BYTES = 50 * 1024 * 1024  # a file or a download; a larger one is refused
DEADLINE = 30.0  # seconds for the whole download: every attempt and pause included
TIMEOUT = 15  # seconds without a byte that end an attempt (within the deadline)
RETRY_DELAYS = (0.5, 1.5)  # seconds before each retry: at most two
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_pis=True)
_ATOM = "{http://www.w3.org/2005/Atom}"
_DC_DATE = "{http://purl.org/dc/elements/1.1/}date"
_URL = re.compile(r"^https?:", re.IGNORECASE)
_MAX_REASON = 200  # characters of a server's words quoted in a message
# When the download under way must be over, in time.monotonic() seconds.
_deadline: ContextVar[float] = ContextVar("deadline")


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


def is_url(source: str) -> bool:
    """Is `source` an http(s) URL (else a file name)?"""
    return bool(_URL.match(source))


def _fetch(source: str) -> bytes:
    if is_url(source):
        data = _download(source)
        if len(data) > MAX_BYTES:
            raise PublishedFeedError(f"it is larger than {MAX_BYTES:,} bytes")
        return data
    try:
        return read_regular_file(source, MAX_BYTES)
    except RefusedFile as exc:
        raise PublishedFeedError(str(exc)) from None
    except OSError as exc:
        raise PublishedFeedError(f"cannot read it: {exc.strerror or exc}") from None


# -- downloading ------------------------------------------------------------------------


class _DeadlinePassed(TimeoutError):
    """The download's deadline passed."""


def _download(url: str) -> bytes:
    """The body at `url`, all of it within DEADLINE seconds. A refused or reset
    connection and a 5xx answer are tried again (twice at most, after a short pause,
    if the pause ends before the deadline); a 4xx answer or a timeout is not."""
    deadline = time.monotonic() + DEADLINE
    token = _deadline.set(deadline)
    try:
        return _attempts(url, deadline)
    finally:
        _deadline.reset(token)


def _attempts(url: str, deadline: float) -> bytes:
    delays = iter(RETRY_DELAYS)
    while True:
        try:
            return _get(url)
        except (URLError, OSError, ValueError, http.client.HTTPException) as exc:
            if time.monotonic() >= deadline:
                raise PublishedFeedError(
                    f"cannot fetch it: no complete answer within {DEADLINE:g} seconds"
                ) from None
            delay = next(delays, None) if _worth_retrying(exc) else None
            if delay is None or time.monotonic() + delay >= deadline:
                raise PublishedFeedError(f"cannot fetch it: {_why(exc)}") from None
        time.sleep(delay)


def _get(url: str) -> bytes:
    """One attempt, ended by the current download's deadline (DEADLINE from now if none)."""
    deadline = _deadline.get(time.monotonic() + DEADLINE)
    opener = urllib.request.build_opener(_HTTPHandler(deadline), _HTTPSHandler(deadline))
    request = urllib.request.Request(url, headers={"User-Agent": "feedpub"})
    with opener.open(request, timeout=_time_left(deadline)) as response:
        return response.read(MAX_BYTES + 1)


def _worth_retrying(exc: Exception) -> bool:
    if isinstance(exc, HTTPError):
        return exc.code >= 500
    reason = exc.reason if isinstance(exc, URLError) else exc
    return isinstance(reason, ConnectionError)


def _why(exc: Exception) -> str:
    """What went wrong, in a line (the server's own words cut short)."""
    reason = exc.reason if isinstance(exc, URLError) and not isinstance(exc, HTTPError) \
        else exc
    if isinstance(reason, TimeoutError):
        text = f"no answer for {TIMEOUT} seconds"
    elif isinstance(reason, http.client.IncompleteRead):
        text = "the answer was cut short, or its chunked encoding is broken"
    elif isinstance(reason, http.client.BadStatusLine) and \
            not isinstance(reason, ConnectionError):
        text = f"the answer does not start with an HTTP status line: {reason.line[:80]!r}"
    elif isinstance(reason, http.client.HTTPException) and not isinstance(exc, HTTPError):
        text = f"malformed HTTP answer: {reason}"
    else:
        text = str(exc)
    return text if len(text) <= _MAX_REASON else text[:_MAX_REASON] + "..."


def _time_left(deadline: float) -> float:
    """The seconds a socket may wait now: TIMEOUT at most, and never past the deadline."""
    left = deadline - time.monotonic()
    if left <= 0:
        raise _DeadlinePassed("the download's deadline passed")
    return min(TIMEOUT, left)


class _Deadlined:
    """Opens each connection of a download with the deadline on every read."""

    def __init__(self, deadline: float) -> None:
        super().__init__()
        self._deadline = deadline

    def do_open(self, http_class: Any, req: Any, **http_conn_args: Any) -> Any:
        connect = functools.partial(_connection, http_class, self._deadline)
        return super().do_open(connect, req, **http_conn_args)  # type: ignore[misc]


class _HTTPHandler(_Deadlined, urllib.request.HTTPHandler):
    pass


class _HTTPSHandler(_Deadlined, urllib.request.HTTPSHandler):
    pass


def _connection(http_class: type[http.client.HTTPConnection], deadline: float, host: str,
                **kwargs: Any) -> http.client.HTTPConnection:
    """A connection whose connecting (and TLS handshake) ends by the deadline, and whose
    answer is read with every read ending by it: a server that sends a byte now and
    then cannot make one attempt, or all of them, last longer."""
    kwargs["timeout"] = _time_left(deadline)  # a redirect's request keeps the first one
    connection = http_class(host, **kwargs)
    connection.response_class = functools.partial(  # type: ignore[assignment]
        _DeadlinedResponse, deadline=deadline)
    return connection


class _DeadlinedResponse(http.client.HTTPResponse):
    def __init__(self, sock: socket.socket, debuglevel: int = 0, method: str | None = None,
                 url: str | None = None, *, deadline: float) -> None:
        super().__init__(_DeadlinedSocket(sock, deadline), debuglevel,  # type: ignore[arg-type]
                         method, url)


class _DeadlinedSocket:
    """What HTTPResponse needs of a socket (`makefile`), with the deadline on each read."""

    def __init__(self, sock: socket.socket, deadline: float) -> None:
        self._sock = sock
        self._deadline = deadline

    def makefile(self, mode: str) -> io.BufferedReader:
        raw = self._sock.makefile(mode, buffering=0)  # counted: the socket stays open
        return io.BufferedReader(_DeadlinedReader(self._sock, raw, self._deadline))


class _DeadlinedReader(io.RawIOBase):
    def __init__(self, sock: socket.socket, raw: Any, deadline: float) -> None:
        super().__init__()
        self._sock, self._raw, self._deadline = sock, raw, deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int | None:
        self._sock.settimeout(_time_left(self._deadline))
        return self._raw.readinto(buffer)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


# -- reading ----------------------------------------------------------------------------


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
