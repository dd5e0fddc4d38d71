"""Reading HTML in time proportional to its length: its text (for summaries and
plain-text fields), and the HTML written again with its nesting bounded.

libxml2's HTML parser (through lxml) reads the markup: it tokenizes as HTML5 does, so
unclosed comments and tags and `<![` cost it nothing special (Python's html.parser
rescans an unclosed construct from its start for every '<' after it, and fails on
some declarations). It has one weakness: each end tag that closes nothing makes it
look through every open element. So it is fed a piece at a time, and a document that
nests deeper than LIBXML2_DEPTH is read instead by `flatten`, a tokenizer of our own
that never keeps more than NESTING_LIMIT elements open.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from lxml import etree

NESTING_LIMIT = 100  # elements inside each other; documented in the README
FORMATTING_LIMIT = 8  # formatting elements (<b>, <em>, <a>...) inside each other
LIBXML2_DEPTH = 512  # deeper, and libxml2 gives way to `flatten`
_FEED = 1 << 14  # bytes given to libxml2 at a time
_SOME = 1 << 10  # bytes at least, when feeding up to a boundary

_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3",
                     "h4", "h5", "h6", "table", "tr", "td", "th", "br", "hr", "section",
                     "figure", "figcaption", "dd", "dt"})
_SKIP = frozenset({"script", "style", "template", "sup"})
_PARAGRAPH = re.compile(r"<p[\t\n\f\r />]", re.IGNORECASE)


class TooDeep(Exception):
    """libxml2 has more than LIBXML2_DEPTH elements open."""


class Target:
    """What `parse` needs of an lxml parser target."""

    done = False  # nothing more to read
    too_deep = False  # libxml2 opened more than LIBXML2_DEPTH elements

    def close(self) -> str:
        raise NotImplementedError


class _TextExtractor(Target):
    """An lxml parser target: the text of an HTML fragment, block boundaries as spaces;
    footnote marks skipped."""

    def __init__(self, first_paragraph: bool) -> None:
        self.first_paragraph = first_paragraph
        self.reset(None)

    def reset(self, limit: int | None) -> None:
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.depth_p = 0
        self.depth = 0
        self.done = self.too_deep = False
        self.has_text = False  # (parts holds more than white space)
        self.wanted = limit + 1 if limit is not None else None  # non-space characters

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > LIBXML2_DEPTH:
            self.too_deep = True
            raise TooDeep
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.append(tag)  # nested element of the same kind
        elif tag in _SKIP and (tag != "sup" or attrib.get("class") == "footnote-ref"):
            self.skipping.append(tag)
        if tag == "p":
            self.depth_p += 1
        if tag in _BLOCKS:
            self.parts.append(" ")

    def end(self, tag: str) -> None:
        self.depth -= 1
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        if tag == "p" and self.depth_p:
            self.depth_p -= 1
            if self.first_paragraph and self.has_text:
                self.done = True
        if tag in _BLOCKS:
            self.parts.append(" ")

    def data(self, data: str) -> None:
        if self.done or self.skipping:
            return
        if self.first_paragraph and not self.depth_p:
            return
        self.parts.append(data)
        self.has_text = self.has_text or not data.isspace()
        if self.wanted is not None:
            self.wanted -= len("".join(data.split()))
            self.done = self.wanted <= 0

    def close(self) -> str:
        return " ".join("".join(self.parts).split())


def html_parser(target: object) -> etree.HTMLParser:
    """libxml2's HTML parser sending its events to `target`: UTF-8 input (so that no
    <meta charset> or XML declaration in the text can change how it is read), no
    network, no limit on the size of a text node."""
    return etree.HTMLParser(target=target, encoding="utf-8", recover=True, no_network=True,
                            huge_tree=True, remove_pis=True)


def utf8(html: str) -> bytes:
    return html.encode("utf-8", "replace")  # (a lone surrogate becomes '?')


def parse(parser: etree.HTMLParser, target: Target, data: bytes,
          boundary: bytes | None = None) -> str:
    """Feed `data` to `parser` a piece at a time, up to a `boundary` (such as b"</p>")
    when one comes sooner, until the target is `done`; the target's result. Raises
    TooDeep when libxml2 opens more than LIBXML2_DEPTH elements (the target counts
    them, and stops libxml2 at the end of that piece)."""
    try:
        start = 0
        while start < len(data) and not target.done:
            end = start + _FEED
            if boundary is not None:  # (some way on: not a feed for each empty <p>)
                found = data.find(boundary, start + _SOME, end)
                end = end if found == -1 else found + len(boundary)
            parser.feed(data[start:end])
            start = end
        return str(parser.close())
    except etree.XMLSyntaxError:  # (how lxml may pass on an exception of the target)
        if target.too_deep:
            raise TooDeep from None
        return target.close()


# A parser's first document costs it ~10 µs of set-up; later ones reuse it. Each is
# taken out while in use, and put back only after a document ended without an error.
_IDLE: dict[bool, tuple[_TextExtractor, etree.HTMLParser]] = {}


def _text(html: str, first_paragraph: bool, limit: int | None = None) -> str:
    if not html or html.isspace():
        return ""
    target, parser = _IDLE.pop(first_paragraph, None) or _new(first_paragraph)
    target.reset(limit)
    try:
        text = parse(parser, target, utf8(html), b"</p>" if first_paragraph else None)
    except TooDeep:
        return _text(flatten(html, _TEXT_TAGS, {"sup": frozenset({"class"})})[0],
                     first_paragraph, limit)
    _IDLE[first_paragraph] = target, parser
    return text


def _new(first_paragraph: bool) -> tuple[_TextExtractor, etree.HTMLParser]:
    target = _TextExtractor(first_paragraph)
    return target, html_parser(target)


def html_to_text(html: str, limit: int | None = None) -> str:
    """The text of the HTML, whitespace collapsed; with `limit`, reading stops once
    there is more than `limit` characters of it (enough to cut it at `limit`)."""
    return _text(html, first_paragraph=False, limit=limit)


def first_paragraph_text(html: str) -> str:
    """Plain text of the first paragraph that has any text."""
    if not _PARAGRAPH.search(html):
        return ""  # (libxml2 makes a paragraph only of a <p> tag)
    return _text(html, first_paragraph=True)


# --- Writing HTML again, bounded ---------------------------------------------------

VOID = frozenset({"area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr",
                  "image", "img", "input", "keygen", "link", "meta", "param", "source",
                  "track", "wbr"})
FORMATTING = frozenset({"a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small",
                        "strike", "strong", "tt", "u"})
_TABLE_PARTS = frozenset({"table", "thead", "tbody", "tfoot", "tr", "colgroup"})
_TEXT_RUN = 4096  # characters of text between two breaks
_BREAK = "<!---->"
_REFERENCE = 40  # characters: longer than any character reference


class Writer:
    """HTML written again, well formed: every element closed explicitly, at most
    NESTING_LIMIT deep and FORMATTING_LIMIT formatting elements inside each other
    (a start tag past that is left out: `flattened` counts them), and text broken
    every _TEXT_RUN characters into a text node of its own (by an empty comment, or in
    a table, where html5ever would join the text moved before it, a <span>)."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.written: list[str] = []  # the open elements
        self.formatting = 0
        self.flattened = 0
        self.run = 0  # characters of text written since the last break

    def start(self, tag: str, attributes: str = "") -> bool:
        """Write a start tag; whether the element is now open (not void, not left out)."""
        if tag in VOID:
            self.out.append(f"<{tag}{attributes}>")
            return False
        room = NESTING_LIMIT - (tag in _TABLE_PARTS)  # (and a <span> in it: see text)
        if len(self.written) >= room or (
                tag in FORMATTING and self.formatting >= FORMATTING_LIMIT):
            self.flattened += 1
            return False
        self.out.append(f"<{tag}{attributes}>")
        self.written.append(tag)
        self.formatting += tag in FORMATTING
        return True

    def end(self) -> str:
        """Close the innermost open element; its tag."""
        tag = self.written.pop()
        self.out.append(f"</{tag}>")
        self.formatting -= tag in FORMATTING
        return tag

    def text(self, html: str) -> None:
        """Write text, given as HTML (no '<'; '&' only in character references)."""
        self.run += len(html)
        if self.run <= _TEXT_RUN:
            self.out.append(html)
            return
        table = bool(self.written) and self.written[-1] in _TABLE_PARTS \
            and not html.isspace()
        start = 0
        while start < len(html):
            end = _break_before(html, start + _TEXT_RUN)
            piece = html[start:end]
            self.out.append(f"<span>{piece}</span>" if table else _BREAK + piece)
            start = end
            self.run = len(piece)

    def close(self) -> str:
        while self.written:
            self.end()
        return "".join(self.out)


def _break_before(html: str, end: int) -> int:
    """Where to cut text at about `end`: never inside a character reference."""
    if end >= len(html):
        return len(html)
    ampersand = html.rfind("&", end - _REFERENCE, end + 1)
    return ampersand if ampersand > end - _REFERENCE else end


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_value(value: str) -> str:
    return value.replace("&", "&amp;").replace('"', "&quot;")


# --- flatten: a tokenizer of our own, for HTML nested too deep for libxml2 ---------
#
# It reads tags, comments and text as HTML5 does (a tag that never ends takes the rest
# of the document, as in a browser), builds a tree with the usual implied end tags
# (<p> before a block, <li> before <li>, cells and rows), and writes it with Writer.
# Attribute values and text keep their character references as written.

_S = r"[\t\n\f\r ]"
_NAME = r"[^\t\n\f\r />][^\t\n\f\r />=]*+"
_VALUE = r"""(?:"[^"]*+"|'[^']*+'|[^\t\n\f\r >"'][^\t\n\f\r >]*+|(?=>))"""
_ATTRIBUTE = re.compile(rf"({_NAME})(?:{_S}*+={_S}*+({_VALUE})|(?!{_S}*+=))")
_MARKUP = re.compile(
    r"(<!--(?:-?>|.*?(?:--!?>|\Z)))"  # 1: a comment
    r"|<(?:!|\?|/(?![A-Za-z]))[^>]*+>?"  # a doctype, CDATA, bogus comment, </>
    rf"|<(/?)([A-Za-z][^\t\n\f\r />]*+)"  # 2: end, 3: name
    rf"((?:[\t\n\f\r /]*+{_NAME}(?:{_S}*+={_S}*+{_VALUE}|(?!{_S}*+=)))*+)"  # 4: attributes
    r"[\t\n\f\r /]*+>", re.DOTALL)
_TAG_START = re.compile(r"</?[A-Za-z]")
_MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
_RAW = frozenset({"script", "style", "xmp", "iframe", "noembed", "noframes", "textarea",
                  "title", "plaintext"})
_RCDATA = frozenset({"textarea", "title"})  # (character references count)
_RAW_END: dict[str, re.Pattern[str]] = {}
_CLOSES_P = frozenset({"address", "article", "aside", "blockquote", "center", "details",
                       "dialog", "dir", "div", "dl", "fieldset", "figcaption", "figure",
                       "footer", "header", "hgroup", "main", "menu", "nav", "ol", "p",
                       "search", "section", "summary", "ul", "h1", "h2", "h3", "h4", "h5",
                       "h6", "pre", "listing", "form", "table", "hr", "li", "dd", "dt"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
# Elements that end the reach of an end tag (html5ever's scopes), by kind.
_BOUNDS = {"scope": frozenset({"applet", "caption", "html", "table", "td", "th", "marquee",
                               "object", "template"}),
           "list": frozenset({"ol", "ul"}), "button": frozenset({"button"}),
           "table": frozenset({"table", "template"})}
_KINDS = {name: tuple(kind for kind, names in _BOUNDS.items() if name in names)
          for name in frozenset().union(*_BOUNDS.values())}
_SECTIONS = ("thead", "tbody", "tfoot")
_TEXT_TAGS = _BLOCKS | _SKIP


def _implied(name: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The elements that a start tag `name` closes when open (in the scope given)."""
    closes: list[tuple[str, tuple[str, ...]]] = []
    if name in _CLOSES_P:
        closes.append(("p", ("scope", "button")))
    if name == "li":
        closes.append(("li", ("scope", "list")))
    if name in ("dd", "dt"):
        closes += [("dd", ("scope",)), ("dt", ("scope",))]
    if name in ("td", "th", "tr", *_SECTIONS):
        closes += [("td", ("table",)), ("th", ("table",))]
    if name in ("tr", *_SECTIONS):
        closes.append(("tr", ("table",)))
    if name in _SECTIONS:
        closes += [(section, ("table",)) for section in _SECTIONS]
    if name in ("a", "button"):
        closes.append((name, ("scope",)))
    return tuple(closes)


_IMPLIED = {name: _implied(name) for name in _CLOSES_P | {"li", "dd", "dt", "td", "th", "tr",
                                                          "a", "button", *_SECTIONS}}


def flatten(html: str, keep: frozenset[str], attributes: Mapping[str, frozenset[str]],
            removed: frozenset[str] = frozenset({"script", "style"})) -> tuple[str, int]:
    """The HTML written again by Writer, with only the elements in `keep` (others are
    unwrapped; those in `removed` go with their content) and the `attributes` kept
    for each; and how many start tags were left out for nesting too deep."""
    tree = _Tree(keep, attributes, removed)
    position = 0
    while position < len(html):
        less = html.find("<", position)
        if less == -1:
            tree.text(html[position:])
            break
        if less > position:
            tree.text(html[position:less])
        position = tree.markup(html, less)
    return tree.writer.close(), tree.writer.flattened


class _Tree:
    """Tokens in, a tree (html5ever's rules, simplified) out, through a Writer."""

    def __init__(self, keep: frozenset[str], attributes: Mapping[str, frozenset[str]],
                 removed: frozenset[str]) -> None:
        self.writer = Writer()
        self.keep, self.attributes, self.removed = keep, attributes, removed
        self.at: dict[str, list[int]] = {}  # each open element's depth, by name
        self.bounds: dict[str, list[int]] = {kind: [] for kind in _BOUNDS}
        self.left_out: dict[str, int] = {}  # start tags left out, end tags to come

    def text(self, raw: str) -> None:
        self.writer.text(raw)

    def markup(self, html: str, position: int) -> int:
        """Read the markup at `position` (a '<'); where reading goes on."""
        match = _MARKUP.match(html, position)
        if match is None:
            if _TAG_START.match(html, position):
                return len(html)  # a tag that never ends: the rest is inside it
            self.writer.text("&lt;")
            return position + 1
        comment, end, name, attributes = match.group(1, 2, 3, 4)
        if comment is not None:
            if _MORE.fullmatch(comment):
                self.writer.out.append("<!--more-->")
        elif name is None:
            pass  # a doctype or bogus comment
        elif end:
            self.end(name.lower())
        elif (name := name.lower()) in _RAW:
            return self.raw(name, html, match)
        else:
            self.start(name, attributes)
        return match.end()

    def raw(self, name: str, html: str, match: re.Match[str]) -> int:
        """An element whose content is text (<script>, <textarea>...): gone with its
        content, or its content written as text."""
        end = _RAW_END.get(name) or _RAW_END.setdefault(
            name, re.compile(rf"</{name}[\t\n\f\r />]", re.IGNORECASE))
        found = end.search(html, match.end()) if name != "plaintext" else None
        stop = found.start() if found else len(html)
        if name not in self.removed:
            content = html[match.end():stop]
            self.text(content.replace("<", "&lt;") if name in _RCDATA else escape(content))
        return stop

    def start(self, name: str, attributes: str) -> None:
        self.implied_ends(name)
        if name not in self.keep:
            return
        kept = self.attributes.get(name)
        written = _attributes(attributes, kept) if attributes and kept else ""
        depth = len(self.writer.written)
        if self.writer.start(name, written):
            self.at.setdefault(name, []).append(depth)
            for kind in _KINDS.get(name, ()):
                self.bounds[kind].append(depth)
        elif name not in VOID:
            self.left_out[name] = self.left_out.get(name, 0) + 1

    def end(self, name: str) -> None:
        if self.left_out.get(name):
            self.left_out[name] -= 1
        elif self.in_scope(name, _end_bounds(name)):
            self.close_to(name)
        elif name == "p" and "p" in self.keep and len(self.writer.written) < NESTING_LIMIT:
            self.writer.out.append("<p></p>")  # as html5ever does
        elif name == "br" and "br" in self.keep:
            self.writer.out.append("<br>")

    def implied_ends(self, name: str) -> None:
        """The end tags that html5ever implies before the start tag `name`."""
        for other, kinds in _IMPLIED.get(name, ()):
            if self.in_scope(other, kinds):
                self.close_to(other)
        written = self.writer.written
        if (name in _HEADINGS or name == "option") and written and (
                written[-1] in _HEADINGS if name in _HEADINGS else written[-1] == "option"):
            self.close_to(written[-1])

    def in_scope(self, name: str, kinds: tuple[str, ...]) -> bool:
        """Whether `name` is open with no element of the `kinds` of bounds inside it."""
        depths = self.at.get(name)
        if not depths:
            return False
        return all(not self.bounds[kind] or self.bounds[kind][-1] <= depths[-1]
                   for kind in kinds)

    def close_to(self, name: str) -> None:
        while True:
            tag = self.writer.end()
            self.at[tag].pop()
            for kind in _KINDS.get(tag, ()):
                self.bounds[kind].pop()  # (pushed with the element: its depth is last)
            if tag == name:
                return


def _end_bounds(name: str) -> tuple[str, ...]:
    if name == "table":
        return ()
    if name in ("td", "th", "tr", "caption", "colgroup", *_SECTIONS):
        return ("table",)
    return {"li": ("scope", "list"), "p": ("scope", "button")}.get(name, ("scope",))


def _attributes(source: str, kept: frozenset[str]) -> str:
    """The attributes in `kept`, the first of each name, each value as written (its
    character references too) with '"' as &quot;."""
    found: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(source):
        key = match.group(1).lower()
        if key in kept and key not in found:
            value = match.group(2) or ""
            if value[:1] in ("'", '"'):
                value = value[1:-1]
            found[key] = value.replace('"', "&quot;")
    return "".join(f' {key}="{value}"' for key, value in found.items())
