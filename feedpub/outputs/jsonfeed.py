"""JSON Feed 1.1 (jsonfeed.org/version/1.1): the same entries, order, ids and limit
as the XML feeds, written with the standard library's json (no feedgen here).

An item is a fragment: its JSON object, indented as it stands in the document, so
the document is the feed's head, the fragments joined by ",\\n", and its tail.
Keys are in a fixed order and nothing depends on the clock: the same input gives
the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from feedpub.base.chunks import Chunks
from feedpub.base.people import Person
from feedpub.config import Config
from feedpub.outputs.registry import Feed
from feedpub.render.entry import RenderedEntry

VERSION = "https://jsonfeed.org/version/1.1"
MEDIA_TYPE = "application/feed+json"
_ITEM_INDENT = "    "


def document(config: Config, feed: Feed, self_url: str,
             fragments: Sequence[bytes | memoryview]) -> Chunks:
    """The feed: its top-level keys, then `fragments` as its items."""
    head: dict[str, Any] = {"version": VERSION, "title": feed.title,
                            "home_page_url": feed.home, "feed_url": self_url,
                            "description": config.description}
    if config.icon:  # (JSON Feed's icon is meant large, its favicon small: one image)
        head["icon"] = head["favicon"] = config.icon
    if feed.language or config.language:
        head["language"] = feed.language or config.language
    if config.author:
        head["authors"] = [author(config.author)]
    if config.hubs and feed.history != "archive":  # (an archive page never changes)
        head["hubs"] = [{"type": "WebSub", "url": hub} for hub in config.hubs]
    older = dict(feed.related).get("prev-archive")
    if older is not None:  # the archive (outputs/archive.py), newest page first
        head["next_url"] = feed.url_in(older, self_url)
    text = _dumps(head)
    assert text.endswith(b"\n}")
    if not fragments:
        return Chunks([text[:-2], b',\n  "items": []\n}\n'])
    parts: list[bytes | memoryview] = [text[:-2], b',\n  "items": [\n']
    for index, part in enumerate(fragments):
        if index:
            parts.append(b",\n")
        parts.append(part)
    parts.append(b"\n  ]\n}\n")
    return Chunks(parts)  # (joined by assemble, unless written)


def fragment(config: Config, item: RenderedEntry) -> bytes:
    """One item, as it stands in the document: indented, without a trailing comma."""
    entry = item.entry
    data: dict[str, Any] = {"id": entry.id, "url": entry.link, "title": entry.title}
    if config.content == "full" and item.html:
        data["content_html"] = item.html
    else:
        data["content_text"] = item.summary or ""
    if item.summary:
        data["summary"] = item.summary
    data["date_published"] = entry.published.isoformat()
    data["date_modified"] = entry.updated.isoformat()
    if entry.authors:
        data["authors"] = [author(a) for a in entry.authors]
    if entry.tags:
        data["tags"] = list(entry.tags)
    if entry.lang:
        data["language"] = entry.lang
    if entry.image:
        data["image"] = entry.image
    if entry.enclosures:
        data["attachments"] = [_attachment(url, length, kind)
                               for url, length, kind in entry.enclosures]
        if entry.episode is not None and entry.episode.duration is not None:
            data["attachments"][0]["duration_in_seconds"] = entry.episode.duration
    return (_ITEM_INDENT + _value(data, _ITEM_INDENT)).encode("utf-8")  # (as it stands)


def _attachment(url: str, length: int, kind: str) -> dict[str, Any]:
    found: dict[str, Any] = {"url": url, "mime_type": kind}
    if length:
        found["size_in_bytes"] = length
    return found


def author(who: Person) -> dict[str, str]:
    """A JSON Feed author: a name and, where known, a URL (the person's page, else a
    mailto: address)."""
    data = {"name": who.name}
    if who.uri:
        data["url"] = who.uri
    elif who.email:
        data["url"] = f"mailto:{who.email}"
    return data


def whole(fragment: bytes | memoryview) -> bool:
    """One item, as `fragment` makes it: an indented object, nothing after it."""
    return (len(fragment) > 10 and fragment[:5] == b"    {" and fragment[-5:] == b"    }"
            and fragment[-6:-5] == b"\n")


def count(document: bytes) -> int:
    """The items of a JSON Feed document (0 if it is not one)."""
    try:
        data = json.loads(document)
    except (ValueError, UnicodeDecodeError):
        return 0
    items = data.get("items") if isinstance(data, dict) else None
    return len(items) if isinstance(items, list) and data.get("version") == VERSION else 0


def _dumps(data: dict[str, Any]) -> bytes:
    """`json.dumps(data, ensure_ascii=False, indent=2)`, byte for byte, without its
    cost: with `indent` the json module runs its Python encoder, whose closures
    leave reference cycles behind (a build runs with the garbage collector paused)."""
    return _value(data, "").encode("utf-8")


def _value(value: Any, pad: str) -> str:
    if isinstance(value, str):
        return _string(value)
    inner = pad + "  "
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{\n" + ",\n".join(f"{inner}{_string(key)}: {_value(item, inner)}"
                                   for key, item in value.items()) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + _value(item, inner) for item in value) + f"\n{pad}]"
    return json.dumps(value)  # numbers, true/false/null


_string = json.encoder.encode_basestring  # the C encoder: no cycles
