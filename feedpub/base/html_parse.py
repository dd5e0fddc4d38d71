"""Feeding HTML to libxml2's parser (through lxml) in time proportional to its length.

libxml2's HTML parser tokenizes as HTML5 does, so unclosed comments and tags and `<![`
cost it nothing special (Python's html.parser rescans an unclosed construct from its
start for every '<' after it, and fails on some declarations). It has one weakness:
each end tag that closes nothing makes it look through every open element. So it is
fed a piece at a time, and its target raises TooDeep once more than LIBXML2_DEPTH
elements are open: the caller then reads the HTML with `html_flatten.flatten`.
"""

from __future__ import annotations

from lxml import etree

LIBXML2_DEPTH = 512  # deeper, and libxml2 gives way to `flatten`
_FEED = 1 << 14  # bytes given to libxml2 at a time
_SOME = 1 << 10  # bytes at least, when feeding up to a boundary


class TooDeep(Exception):
    """libxml2 has more than LIBXML2_DEPTH elements open."""


class Target:
    """What `parse` needs of an lxml parser target."""

    done = False  # nothing more to read
    too_deep = False  # libxml2 opened more than LIBXML2_DEPTH elements

    def close(self) -> str:
        raise NotImplementedError


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
