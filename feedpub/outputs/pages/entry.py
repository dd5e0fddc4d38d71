"""Each entry's own page ([site] pages), at its link: `SLUG/index.html` for
`url + SLUG + "/"`, so that every item's link resolves when the output folder is
served as it is. It holds the same sanitised HTML as the feeds, and autodiscovery
links for the site's feeds. An entry whose link is elsewhere (another site, a page
of a site built by another generator) gets none.

A page is one more fragment of each entry (outputs/registry.py: `Variant`): made
when the entry is rendered for the feeds, and kept in the build cache with them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import unquote

from feedpub.outputs.pages import (
    entry_fields,
    feed_fields,
    render_page,
    site_fields,
)

if TYPE_CHECKING:
    from feedpub.base.problems import Problem
    from feedpub.config import Config
    from feedpub.entries.model import Entry
    from feedpub.render.entry import RenderedEntry

TEMPLATE = "entry.html"
INDEX = "index.html"


def page_file(config: Config, entry: Entry) -> str | None:
    """Where the entry's page goes under the output folder ("2024/hello/index.html"),
    or None: a link off the site, to the site's front page, with a query or fragment,
    or to a file of another kind (such as `.xml`). A link without an extension is a
    folder (a static host redirects `/post` to `/post/`)."""
    url = config.url
    if not entry.link.startswith(url):
        return None
    rest = entry.link[len(url):]
    if not rest or "?" in rest or "#" in rest:
        return None
    try:
        path = unquote(rest, errors="strict")
    except UnicodeDecodeError:
        return None
    last = path.rpartition("/")[2]
    if path.endswith("/"):
        path += INDEX
    elif "." not in last:
        path += "/" + INDEX
    elif not last.lower().endswith((".html", ".htm")):
        return None
    parts = path.split("/")
    if any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in parts):
        return None
    return path


def fragment(config: Config, item: RenderedEntry) -> bytes:
    """The entry's page (empty: the entry has none)."""
    if page_file(config, item.entry) is None:
        return b""
    from feedpub.outputs.registry import outputs_for

    feeds = [(o.name, o.media_type, o.url(config)) for o in outputs_for(config)]
    return render_page(config, TEMPLATE, site=site_fields(config), feeds=feed_fields(feeds),
                       entry=entry_fields(config, item))


def whole(data: bytes | memoryview) -> bool:
    """Any bytes: a site's own template may make a page of any shape (the cache's
    checksum is what tells a damaged one)."""
    return True


def document(config: Config, feed: object, self_url: str,
             fragments: Sequence[bytes | memoryview]) -> bytes:
    raise TypeError("an entry's page is written as it is made, not assembled")


def count(document: bytes) -> int:
    return 0


def entry_pages(config: Config, entries: Sequence[Entry], taken: set[str],
                ) -> tuple[list[tuple[Entry, str]], list[Problem]]:
    """Each entry that has a page, with its file under the output folder (newest
    first, as `entries` come); a warning for each whose page would be written over a
    file the build writes already (a feed, another entry's page): it gets none."""
    from feedpub.base.problems import warning

    pages: list[tuple[Entry, str]] = []
    problems: list[Problem] = []
    owners = {file.casefold(): "" for file in taken}  # (a file system may fold case)
    for entry in entries:
        file = page_file(config, entry)
        if file is None:
            continue
        owner = owners.setdefault(file.casefold(), entry.source)
        if owner == entry.source:
            pages.append((entry, file))
            continue
        problems.append(warning(
            f"this entry's page would be written to {file}, which "
            + (f"the page of {owner} takes" if owner else "a feed of the site takes")
            + "; it gets no page", entry.source,
            hint="give it another slug (or link)"))
    return pages, problems
