r"""`flatten`: a tokenizer of our own, for HTML nested too deep for libxml2.

It reads tags, comments and text as HTML5 does (a tag that never ends takes the rest
of the document, as in a browser), builds a tree with the usual implied end tags
(<p> before a block, <li> before <li>, cells and rows), and writes it with a Writer
that never keeps more than NESTING_LIMIT elements open. Attribute values and text
keep their character references as written. It runs only where libxml2 has opened
more than LIBXML2_DEPTH (512) elements: never for ordinary entries.

Why not lxml here (issue 10; measured with lxml 6.1.3, libxml2 2.14.6): libxml2 stops
at a fixed depth, 2048 elements with XML_PARSE_HUGE (lxml's huge_tree) and 256
without, with a fatal ERR_RESOURCE_LIMIT error. Everything after that point is lost,
and a parser target cannot make libxml2 close elements, so no lxml parse keeps the
text of '<div>' * 3000 + 'deep':

    python -c "from lxml import etree as e; p = e.HTMLParser(huge_tree=True); \
    print(repr(e.HTML('<div>' * 3000 + 'deep', p).xpath('string()')), p.error_log)"
    # '' ...:FATAL:PARSER:ERR_RESOURCE_LIMIT: Excessive depth in document: 2048, ...
    # (with '<div>' * 2000: 'deep')

An lxml stand-in for flatten (the tree from HTMLParser(huge_tree=True), walked with
iterwalk and written again through the same Writer, with the same tags and attributes
kept) was tried in its place. It gave the same sanitised output up to that depth, at
the same speed ('<div>' * 1000 + 'deep': 1.17 ms, flatten 1.16 ms), and past it lost
the text: tests/test_pathological.py::test_deep_raw_html_is_flattened failed ('deep'
gone; 1,946 elements counted as flattened instead of 99,900), while the rest of
test_render, test_pathological, test_hostile and test_golden passed. It was faster
only where it stopped reading ('<div>' * 100,000: 3 ms, flatten 130 ms;
'<ul><li>x' * 20,000: 3 ms, flatten 80 ms). So flatten stays. It costs nothing on
ordinary entries: `python bench/render_parts.py` shows `bounded` at 6 µs an entry on
bench/corpus.py's bodies (4 of 1,000 go through libxml2, none through flatten).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from feedpub.base.html_writer import NESTING_LIMIT, VOID, Writer, escape

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
