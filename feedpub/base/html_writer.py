"""HTML written again, well formed and bounded: the `Writer` that both readers of
deep HTML (libxml2 through an lxml target, and `html_flatten.flatten`) write through.

Every element is closed explicitly, nesting stops at NESTING_LIMIT elements and
FORMATTING_LIMIT formatting elements, and long text is cut into text nodes of at
most _TEXT_RUN characters: what nh3's parser, html5ever, reads in time proportional
to its length (see render/sanitise.py).
"""

from __future__ import annotations

NESTING_LIMIT = 100  # elements inside each other; documented in the README
FORMATTING_LIMIT = 8  # formatting elements (<b>, <em>, <a>...) inside each other

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
