"""Markdown -> sanitised HTML with absolute links, and the plain-text summary.

cmarkgfm (GitHub's own cmark-gfm) renders CommonMark with the GFM extensions:
tables, strikethrough, autolinks, task lists and footnotes. Raw HTML is let
through the renderer and then cleaned by nh3 (the Ammonia sanitiser), which
keeps a safe allow-list of tags, attributes and URL schemes. While nh3 walks the
attributes we rewrite every relative URL against the entry's own link, because
many feed readers ignore xml:base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from urllib.parse import urljoin, urlsplit

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

from .entries import Entry
from .text import first_paragraph_text, html_to_text

_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
_EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]
_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)

_URL_ATTRIBUTES = frozenset({"href", "src", "poster", "cite"})
_URL_SCHEMES = frozenset(nh3.ALLOWED_URL_SCHEMES)
_MEDIA = {"src", "width", "height", "title"}
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS | {"video", "audio", "source", "picture", "input"})
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "*": {"title", "lang", "dir"},
    "a": {"href", "hreflang", "title"},
    "img": {"src", "srcset", "sizes", "alt", "width", "height", "title", "loading"},
    "video": _MEDIA | {"poster", "controls", "loop", "muted", "preload", "playsinline"},
    "audio": _MEDIA | {"controls", "loop", "preload"},
    "source": {"src", "srcset", "sizes", "type", "media"},
    "code": {"class"},
    "abbr": {"title"},
    "time": {"datetime"},
    "input": {"type", "checked", "disabled"},  # GFM task-list check boxes
}
# Removed with everything inside them; other disallowed tags lose only the tag.
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "textarea", "select"})


@dataclass(frozen=True, slots=True)
class RenderedEntry:
    entry: Entry
    html: str  # sanitised, every URL absolute
    summary: str  # plain text


def render_entry(entry: Entry) -> RenderedEntry:
    raw = markdown_to_html(entry.body)
    html = sanitise(raw, base=entry.base)
    summary = entry.summary
    if summary is None:
        parts = _MORE.split(raw, maxsplit=1)
        summary = html_to_text(parts[0]) if len(parts) == 2 else first_paragraph_text(raw)
    if not summary and not html:
        summary = entry.title  # an entry needs some text (a link post may have no body)
    return RenderedEntry(entry, html, summary)


def markdown_to_html(markdown: str) -> str:
    return cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=_OPTIONS, extensions=_EXTENSIONS)


def sanitise(html: str, base: str) -> str:
    """Allow-listed HTML only; relative URLs made absolute against `base`."""
    return nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags=set(CLEAN_CONTENT_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=partial(_filter_attribute, base),
        link_rel=None,
        strip_comments=True,
    ).strip()


def _filter_attribute(base: str, tag: str, attr: str, value: str) -> str | None:
    # nh3 has already dropped URLs with schemes outside its allow-list
    # (javascript:, data:, vbscript: ...) before it calls this.
    if attr in _URL_ATTRIBUTES:
        return _absolute_url(base, value)
    if attr == "srcset":  # nh3 does not look inside srcset: check each candidate here
        candidates = [_absolute_candidate(base, c) for c in value.split(",") if c.strip()]
        return ", ".join(c for c in candidates if c) or None
    if attr == "class":
        kept = [c for c in value.split() if c.startswith("language-")]
        return " ".join(kept) or None
    if tag == "input" and attr == "type":
        return value if value == "checkbox" else None
    return value


def _absolute_url(base: str, value: str) -> str | None:
    """The URL made absolute, or None where its scheme is not on the allow-list."""
    value = value.strip()
    if value.startswith(("https://", "http://")):
        return value  # the common case, and already absolute: skip the parsing
    if value.startswith("#"):
        return base.partition("#")[0] + value
    joined = urljoin(base, value)
    scheme = urlsplit(joined).scheme.lower()
    return joined if scheme in _URL_SCHEMES else None


def _absolute_candidate(base: str, candidate: str) -> str | None:
    url, _, descriptor = candidate.strip().partition(" ")
    joined = _absolute_url(base, url)
    if joined is None:
        return None
    return f"{joined} {descriptor.strip()}" if descriptor.strip() else joined
