"""Markdown -> sanitised HTML with absolute links, and the plain-text summary.

cmarkgfm (GitHub's own cmark-gfm) renders CommonMark with the GFM extensions:
tables, strikethrough, autolinks, task lists and footnotes. Raw HTML is let
through the renderer and then cleaned by nh3 (the Ammonia sanitiser), which
keeps a safe allow-list of tags, attributes and URL schemes. Then every relative
URL is rewritten against the entry's own page, because many feed readers ignore
xml:base.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

from .entries import Entry
from .html_text import first_paragraph_text, html_to_text
from .resolve import Base

_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
_EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]
_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)

_URL_SCHEMES = frozenset(nh3.ALLOWED_URL_SCHEMES)
_MEDIA = {"src", "width", "height", "title"}
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS | {"video", "audio", "source", "picture"})
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
}
# Removed with everything inside them; other disallowed tags lose only the tag (a
# form's text stays, its controls go: no reader can use them).
CLEAN_CONTENT_TAGS = frozenset({"script", "style", "template", "textarea", "select",
                                "button", "datalist", "option", "optgroup", "output"})
# One cleaner, configured once (much cheaper than nh3.clean's per-call set-up).
_CLEANER = nh3.Cleaner(
    tags=set(ALLOWED_TAGS), clean_content_tags=set(CLEAN_CONTENT_TAGS),
    attributes=ALLOWED_ATTRIBUTES, link_rel=None, strip_comments=True)
# GFM task-list items, exactly as cmark-gfm writes their check boxes. They become the
# characters ☐ and ☑: feed readers' sanitisers (and ours) remove form controls, and
# a plain-text summary would lose which items are done.
_TASK_BOXES = {'<input type="checkbox" disabled="" />': "\u2610",
               '<input type="checkbox" checked="" disabled="" />': "\u2611"}
_TASK_BOX = re.compile("|".join(map(re.escape, _TASK_BOXES)))


@dataclass(frozen=True, slots=True)
class RenderedEntry:
    entry: Entry
    html: str  # sanitised, every URL absolute
    summary: str  # plain text
    # What a reader might notice, for notes.py to judge: each relative link or image
    # source as written and as resolved, and the images that have no alt text.
    relative_urls: tuple[tuple[str, str], ...] = ()
    images_without_alt: tuple[str, ...] = ()
    summary_chosen: bool = True  # written by the author (front matter or <!--more-->)


@dataclass(slots=True)
class Seen:
    """Collected while URLs are made absolute (see RenderedEntry)."""

    relative_urls: list[tuple[str, str]] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)


def render_entry(entry: Entry, body: str | None = None) -> RenderedEntry:
    """The entry's HTML and summary; `body` stands in when loading dropped the entry's."""
    body = body if body is not None else entry.body
    assert body is not None, "render_entry needs the body (see entries.body_of)"
    raw = markdown_to_html(body)
    seen = Seen()
    html = sanitise(raw, base=entry.base, seen=seen)
    summary, chosen = entry.summary, entry.summary is not None
    if summary is None:
        parts = _MORE.split(raw, maxsplit=1)
        chosen = len(parts) == 2  # the writer's excerpt, up to <!--more-->
        summary = html_to_text(parts[0]) if chosen else first_paragraph_text(raw)
        if not summary and html:  # raw HTML with no <p>, a list, a table...
            summary = shortened(html_to_text(html))
    if not summary:
        summary = entry.title  # an entry needs some text (a link post may have no body)
    return RenderedEntry(entry, html, summary, tuple(seen.relative_urls),
                         tuple(seen.images_without_alt), chosen)


SUMMARY_LENGTH = 300  # characters of a summary made from a whole body without paragraphs


def shortened(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The text, cut at a word boundary with an ellipsis when longer than `length`."""
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] if " " in text[:length] else text[:length]
    return cut.rstrip(" ,;:.-") + "\u2026"


def markdown_to_html(markdown: str) -> str:
    """GitHub-flavoured Markdown as HTML (not yet sanitised); task-list boxes as ☐/☑."""
    html = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=_OPTIONS, extensions=_EXTENSIONS)
    if 'type="checkbox"' in html:
        html = _TASK_BOX.sub(lambda m: _TASK_BOXES[m.group(0)], html)
    return html


def sanitise(html: str, base: str, seen: Seen | None = None) -> str:
    """Allow-listed HTML only; relative URLs made absolute against `base`."""
    return absolutise(_CLEANER.clean(html).strip(), base, seen)


# Tags as nh3's serialiser writes them: lower-case names, every attribute value in
# double quotes with '"' escaped, so this pattern reads them exactly (text nodes
# cannot hold a raw '<').
# Only the tags that may carry a URL or a class attribute are visited.
_TAG = re.compile(r'<(?:a|img|video|audio|source|blockquote|q|del|ins|code)'
                  r'(?:\s+[^\s"=/>]+(?:="[^"]*")?)+\s*/?>')
# Every attribute of the tag, each consumed whole, so that a value which merely
# contains ' href="' can never be taken for an attribute of its own.
_ATTRIBUTE = re.compile(r'(\s([^\s"=/>]+)=")([^"]*)"')
_HAS_SCHEME = re.compile(r"\s*[A-Za-z][A-Za-z0-9+.-]*:")
_ALT = re.compile(r'\salt="[^"]*\S[^"]*"')  # alt text that is not blank
_SRC = re.compile(r'\ssrc="([^"]*)"')
_URL_WHITESPACE = {ord("\t"): None, ord("\n"): None, ord("\r"): None}
_REWRITTEN = frozenset({"href", "src", "poster", "cite", "srcset", "class"})


def absolutise(html: str, base: str, seen: Seen | None = None) -> str:
    """Every URL in sanitised HTML made absolute; code classes kept to language-*.

    With `seen`, relative href and src values (as written, as resolved) and the
    sources of images without alt text are collected there.
    """
    if '="' not in html:
        return html
    resolver = Base(base)

    def attribute(match: re.Match[str]) -> str:
        name, value = match.group(2), match.group(3)
        if name not in _REWRITTEN:
            return match.group(0)
        if name == "class":
            kept = " ".join(c for c in value.split() if c.startswith("language-"))
            return f'{match.group(1)}{kept}"' if kept else ""
        raw = unescape(value) if "&" in value else value
        if name == "srcset":  # nh3 does not look inside srcset: check each candidate here
            joined = ", ".join(c for c in (_candidate(resolver, url, descriptor)
                                           for url, descriptor in srcset_candidates(raw)) if c)
            if not joined:
                return ""
        else:
            joined = _absolute_url(resolver, raw)
            if joined is None:
                return ""
            if seen is not None and name in ("href", "src") \
                    and not raw.startswith(("#", "//")) and not _HAS_SCHEME.match(raw):
                seen.relative_urls.append((raw.strip(), joined))
        if "&" in joined or '"' in joined:
            joined = joined.replace("&", "&amp;").replace('"', "&quot;")
        return f'{match.group(1)}{joined}"'

    def tag(match: re.Match[str]) -> str:
        text = match.group(0)
        if seen is not None and text.startswith("<img") and not _ALT.search(text):
            source = _SRC.search(text)
            seen.images_without_alt.append(unescape(source.group(1)) if source else "")
        return _ATTRIBUTE.sub(attribute, text) if '="' in text else text

    return _TAG.sub(tag, html)


def _absolute_url(resolver: Base, value: str) -> str | None:
    """The URL made absolute, or None where its scheme is not on the allow-list."""
    value = value.strip()
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.translate(_URL_WHITESPACE)  # browsers and urljoin drop these
    if value.startswith(("https://", "http://")):
        return value  # the common case, and already absolute
    joined = resolver.join(value)
    scheme = joined.partition(":")[0].lower()
    return joined if scheme in _URL_SCHEMES else None


def _candidate(resolver: Base, url: str, descriptor: str) -> str | None:
    joined = _absolute_url(resolver, url) if url else None
    if joined is None:
        return None
    return f"{joined} {descriptor}" if descriptor else joined


def srcset_candidates(value: str) -> list[tuple[str, str]]:
    """(url, descriptor) pairs, split as the HTML standard does: a URL is a run of
    non-space characters and may contain commas (w_100,h_50 or data:...;base64,...);
    a descriptor runs to the next comma outside parentheses."""
    candidates = []
    position, end = 0, len(value)
    while position < end:
        while position < end and (value[position].isspace() or value[position] == ","):
            position += 1
        start = position
        while position < end and not value[position].isspace():
            position += 1
        url = value[start:position]
        if not url:
            break
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth, start = 0, position
            while position < end and (value[position] != "," or depth):
                depth += {"(": 1, ")": -1 if depth else 0}.get(value[position], 0)
                position += 1
            descriptor = " ".join(value[start:position].split())
        candidates.append((url, descriptor))
    return candidates
