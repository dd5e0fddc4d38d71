"""Feeds that read well in a browser (`[site] pages`): the XSLT stylesheet `feed.xsl`,
written at the top of the output folder, that turns an RSS or Atom feed opened in a
browser into a page saying what a feed is, how to subscribe, and what is in it.
Readers ignore it; the feeds stay valid.

Each feed names it with an `<?xml-stylesheet?>` processing instruction after the XML
declaration, by a relative address (`feed.xsl`, `../../feed.xsl` from `tags/x/`), so
that it works wherever the output folder is served (browsers load stylesheets from
the feed's own origin only). feedgen writes the document element only, never what
comes before it: the instruction is put in the prolog it writes.

May import `base` and `config`.
"""

from __future__ import annotations

import importlib.resources
from functools import cache

NAME = "feed.xsl"


@cache
def stylesheet() -> bytes:
    return importlib.resources.files(__name__).joinpath(NAME).read_bytes()


def with_stylesheet(document: bytes, folder: str) -> bytes:
    """`document` (beginning with its XML declaration) naming the stylesheet, from a
    feed in `folder` ("" or "tags/x/")."""
    declaration, newline, rest = document.partition(b"\n")
    assert declaration.startswith(b"<?xml ") and newline, "feedgen's layout changed"
    href = "../" * folder.count("/") + NAME
    return b"".join([declaration, newline,
                     f'<?xml-stylesheet type="text/xsl" href="{href}"?>\n'.encode(), rest])
