"""Sanitised HTML: nh3 (the Ammonia sanitiser) keeps a safe allow-list of tags,
attributes and URL schemes; then every relative URL is made absolute (absolute.py),
because many feed readers ignore xml:base.

Before that, the HTML is bounded (see `bounded`): nh3's parser, html5ever, takes time
that grows with the square of the nesting depth, and of the length of a text node
full of `&` or no-break spaces; a small entry could otherwise hang a build.
"""

from __future__ import annotations

import re

import nh3

from feedpub.base.html_flatten import flatten
from feedpub.base.html_parse import LIBXML2_DEPTH, Target, TooDeep, html_parser, parse, utf8
from feedpub.base.html_writer import NESTING_LIMIT, Writer, escape, escape_value
from feedpub.render.absolute import Seen, absolutise
from feedpub.render.summary import MORE

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


def sanitise(html: str, base: str, seen: Seen | None = None) -> str:
    """Allow-listed HTML only; relative URLs made absolute against `base`."""
    return sanitise_bounded(bounded(html)[0], base, seen)


def sanitise_bounded(html: str, base: str, seen: Seen | None = None) -> str:
    """`sanitise` for HTML that is already bounded."""
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
# by html_flatten.flatten) and written again by html_writer.Writer: well formed, nested at
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
        if MORE.fullmatch(f"<!--{text}-->"):
            self.writer.out.append("<!--more-->")

    def close(self) -> str:
        return self.writer.close()


def _attributes(tag: str, attrib: dict[str, str]) -> str:
    kept = _KEPT.get(tag, frozenset())
    return "".join(f' {name}="{escape_value(value)}"'
                   for name, value in attrib.items() if name in kept)
