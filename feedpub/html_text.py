"""The text of HTML: what a reader sees, for summaries and plain-text fields."""

from __future__ import annotations

from html.parser import HTMLParser

_BLOCKS = frozenset({"p", "div", "li", "ul", "ol", "blockquote", "pre", "h1", "h2", "h3",
                     "h4", "h5", "h6", "table", "tr", "td", "th", "br", "hr", "section",
                     "figure", "figcaption", "dd", "dt"})
_SKIP = frozenset({"script", "style", "template", "sup"})


class _TextExtractor(HTMLParser):
    """Text of an HTML fragment, block boundaries as spaces; footnote marks skipped."""

    def __init__(self, first_paragraph: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.first_paragraph = first_paragraph
        self.parts: list[str] = []
        self.skipping: list[str] = []
        self.depth_p = 0
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.append(tag)  # nested element of the same kind
        elif tag in _SKIP and (tag != "sup" or ("class", "footnote-ref") in attrs):
            self.skipping.append(tag)
        if tag == "p":
            self.depth_p += 1
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if self.skipping and tag == self.skipping[-1]:
            self.skipping.pop()
        if tag == "p" and self.depth_p:
            self.depth_p -= 1
            if self.first_paragraph and "".join(self.parts).strip():
                self.done = True
        if tag in _BLOCKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self.done or self.skipping:
            return
        if self.first_paragraph and not self.depth_p:
            return
        self.parts.append(data)

    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def html_to_text(html: str) -> str:
    parser = _TextExtractor(first_paragraph=False)
    parser.feed(html)
    parser.close()
    return parser.text()


def first_paragraph_text(html: str) -> str:
    """Plain text of the first paragraph that has any text."""
    parser = _TextExtractor(first_paragraph=True)
    start = 0
    while not parser.done and start < len(html):
        end = html.find("</p>", start)
        end = len(html) if end == -1 else end + 4
        parser.feed(html[start:end])  # a paragraph at a time: stop after the first
        start = end
    parser.close()
    return parser.text()
