"""Markdown -> sanitised HTML with absolute links, and the plain-text summary.

cmarkgfm (GitHub's own cmark-gfm) renders CommonMark with the GFM extensions:
tables, strikethrough, autolinks, task lists and footnotes. Raw HTML is let
through the renderer and then cleaned by nh3 (the Ammonia sanitiser), which
keeps a safe allow-list of tags, attributes and URL schemes. Then every relative
URL is rewritten against the entry's own page, because many feed readers ignore
xml:base.

Before that, the HTML is bounded (see `bounded`): nh3's parser, html5ever, takes time
that grows with the square of the nesting depth, and of the length of a text node
full of `&` or no-break spaces; a small entry could otherwise hang a build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options

from feedpub.entries.model import Entry
from feedpub.render.html_text import (
    LIBXML2_DEPTH,
    NESTING_LIMIT,
    Target,
    TooDeep,
    Writer,
    escape,
    escape_value,
    first_paragraph_text,
    flatten,
    html_parser,
    html_to_text,
    parse,
    utf8,
)
from feedpub.render.resolve import Base

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
    flattened: int = 0  # elements unwrapped, being nested too deep (see `bounded`)


@dataclass(slots=True)
class Seen:
    """Collected while URLs are made absolute (see RenderedEntry)."""

    relative_urls: list[tuple[str, str]] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)


def render_entry(entry: Entry, body: str | None = None) -> RenderedEntry:
    """The entry's HTML and summary; `body` stands in when loading dropped the entry's."""
    body = body if body is not None else entry.body
    assert body is not None, "render_entry needs the body (see entries.body_of)"
    body, cut = fewer_quotes(body)
    raw, flattened = bounded(markdown_to_html(body))
    seen = Seen()
    html = _sanitised(raw, entry.base, seen)
    summary, chosen = entry.summary, entry.summary is not None
    if summary is None:
        parts = _MORE.split(raw, maxsplit=1)
        chosen = len(parts) == 2  # the writer's excerpt, up to <!--more-->
        summary = html_to_text(parts[0]) if chosen else first_paragraph_text(raw)
        if not summary and html:  # raw HTML with no <p>, a list, a table...
            summary = shortened(html_to_text(html, limit=SUMMARY_LENGTH))
    if not summary:
        summary = entry.title  # an entry needs some text (a link post may have no body)
    return RenderedEntry(entry, html, summary, tuple(seen.relative_urls),
                         tuple(seen.images_without_alt), chosen, cut + flattened)


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
    return _sanitised(bounded(html)[0], base, seen)


def _sanitised(html: str, base: str, seen: Seen | None) -> str:
    return absolutise(_CLEANER.clean(html).strip(), base, seen)


# --- Bounded HTML: what nh3 parses in time proportional to its length ---------------
#
# html5ever (inside nh3) looks through every open element for most start tags, and
# through a tag's attributes for each attribute; it keeps a list of open formatting
# elements (<b>, <em>, <a>...) that it re-opens in each new block; and it writes a
# text node in time that grows with its length times its count of `&` and no-break
# spaces. So deep nesting, a tag with 100,000 attributes, many distinct unclosed <b>,
# or a long text of `&amp;` take time that grows with the square of their size.
#
# HTML of at most _GATE_LENGTH characters with at most NESTING_LIMIT start tags goes
# to nh3 as it is: nothing in it nests deeper, and the rest costs a few milliseconds
# at worst. Other HTML is read by libxml2 (or, nested deeper than libxml2 copes with,
# by html_text.flatten) and written again by html_text.Writer: well formed, nested at
# most NESTING_LIMIT deep, text in pieces, and with only the tags and attributes that
# nh3 keeps (it would drop the others) and those it removes with their content. For
# well-formed HTML, as cmark writes it, nh3's output is the same.

_GATE_LENGTH = 1 << 15  # characters of HTML that may go to nh3 as they are
# What each tag may keep: nh3's allow-list, and class (which nh3 keeps only on code)
# so that summaries can still tell a footnote mark.
_KEPT = {tag: frozenset(ALLOWED_ATTRIBUTES.get(tag, ())) | ALLOWED_ATTRIBUTES["*"] | {"class"}
         for tag in ALLOWED_TAGS}
_WRITTEN = ALLOWED_TAGS | CLEAN_CONTENT_TAGS  # (nh3 removes the latter, with content)
_REMOVED_RAW = frozenset({"script", "style", "textarea"})  # their content is text
# cmark writes 27 bytes of HTML for each '>' of '>' * 100000: a run of more block
# quotes than _QUOTES (leaving room for a paragraph inside) is cut to _QUOTES by a
# regular expression, on the Markdown where no line can be code or raw HTML (no fence
# and no '<' in it), else on the HTML (before it is read tag by tag).
_QUOTES = NESTING_LIMIT - 1
# (Each marker takes the space after it: atomic, so that a line of fewer markers
# fails at once instead of trying every way to share out its spaces.)
_QUOTE_MARKERS = re.compile(rf"^((?>[ ]{{0,3}}>[ ]?){{{_QUOTES}}})(?>[ ]{{0,3}}>[ ]?)+",
                            re.MULTILINE)
_QUOTE_RUNS = [re.compile(rf"(?:{tag}\n?){{{_QUOTES + 1},}}")
               for tag in ("<blockquote>", "</blockquote>")]


def fewer_quotes(markdown: str) -> tuple[str, int]:
    """The Markdown with lines that open more than _QUOTES block quotes cut to _QUOTES,
    and the number of '>' removed; unchanged where a fence or a '<' means that a line
    could be code or raw HTML."""
    if markdown.count(">") <= _QUOTES or "<" in markdown or "```" in markdown \
            or "~~~" in markdown:
        return markdown, 0
    cut = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal cut
        cut += match.group(0).count(">") - _QUOTES
        return match.group(1)

    return _QUOTE_MARKERS.sub(keep, markdown), cut


def bounded(html: str) -> tuple[str, int]:
    """HTML that nh3 parses in time proportional to its length (see above), and the
    number of elements unwrapped for being nested too deep."""
    if len(html) <= _GATE_LENGTH and (
            (tags := html.count("<")) <= NESTING_LIMIT
            or tags - html.count("</") <= NESTING_LIMIT):  # at most this many start tags
        return html, 0
    cut = 0
    if "<blockquote>\n<blockquote>\n<blockquote>\n" in html:
        opened, closed = _QUOTE_RUNS
        html, cut = _cut_runs(opened, html)
        html = _cut_runs(closed, html)[0]
    target = _Bounded()
    try:
        return parse(html_parser(target), target, utf8(html)), cut + target.flattened
    except TooDeep:
        written, flattened = flatten(html, _WRITTEN, _KEPT, _REMOVED_RAW)
        return written, cut + flattened


def _cut_runs(pattern: re.Pattern[str], html: str) -> tuple[str, int]:
    cut = 0

    def keep(match: re.Match[str]) -> str:
        nonlocal cut
        tag = match.group(0)[:match.group(0).index(">") + 1]
        cut += match.group(0).count("<") - _QUOTES
        return tag * _QUOTES

    return pattern.sub(keep, html), cut


class _Bounded(Target):
    """An lxml parser target: libxml2's tree written again by a Writer."""

    def __init__(self) -> None:
        self.writer = Writer()
        self.open: list[bool] = []  # libxml2's open elements: whether each was written
        self.skipping = 0  # inside an element that nh3 removes with its content

    @property
    def flattened(self) -> int:
        return self.writer.flattened

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if len(self.open) >= LIBXML2_DEPTH:
            self.too_deep = True
            raise TooDeep
        if self.skipping or tag in _REMOVED_RAW:
            self.skipping += 1
            return
        written = tag in _WRITTEN and self.writer.start(tag, _attributes(tag, attrib))
        self.open.append(written)

    def end(self, tag: str) -> None:
        if self.skipping:
            self.skipping -= 1
        elif self.open and self.open.pop():
            self.writer.end()

    def data(self, text: str) -> None:
        if not self.skipping and text:
            self.writer.text(escape(text))

    def comment(self, text: str) -> None:
        if _MORE.fullmatch(f"<!--{text}-->"):
            self.writer.out.append("<!--more-->")

    def close(self) -> str:
        return self.writer.close()


def _attributes(tag: str, attrib: dict[str, str]) -> str:
    kept = _KEPT.get(tag, frozenset())
    return "".join(f' {name}="{escape_value(value)}"'
                   for name, value in attrib.items() if name in kept)


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
