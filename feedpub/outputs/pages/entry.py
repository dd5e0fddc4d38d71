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
    or None (`no_page_reason` says why)."""
    return _page(config, entry)[0]


def no_page_reason(config: Config, entry: Entry) -> str:
    """Why an entry whose link is on the site gets no page ("": it gets one, or its
    link is another site's)."""
    return _page(config, entry)[1]


# A link whose last part ends so names a file of its own: the entry gets no page there.
FILE_SUFFIXES = frozenset({
    "xml", "rss", "atom", "json", "txt", "csv", "pdf", "zip", "gz", "png", "jpg", "jpeg",
    "gif", "svg", "webp", "avif", "ico", "mp3", "m4a", "ogg", "opus", "wav", "mp4",
    "webm", "mov", "css", "js", "md", "xsl"})


def _page(config: Config, entry: Entry) -> tuple[str | None, str]:
    """The page's file, or None and why. A link ending in ".html" is that file; one
    ending in "/", or in a name that is no file's (`/post`, `/release-1.2`: a static
    host redirects it to `/post/`), is a folder with an index.html."""
    url = config.url
    if not entry.link.startswith(url):
        return None, ""  # (another site's page: the link is said to be the article)
    rest = entry.link[len(url):]
    if not rest:
        return None, "its link is the site's front page"
    if "?" in rest or "#" in rest:
        return None, "its link has a query or a fragment"
    try:
        path = unquote(rest, errors="strict")
    except UnicodeDecodeError:
        return None, "its link's path is not UTF-8"
    last = path.rpartition("/")[2]
    if path.endswith("/"):
        path += INDEX
    elif last.rpartition(".")[2].lower() in FILE_SUFFIXES and "." in last:
        return None, f"its link names a file ({last})"
    elif not last.lower().endswith((".html", ".htm")):
        path += "/" + INDEX
    if any(p in ("", ".", "..") or "\\" in p or "\0" in p for p in path.split("/")):
        return None, "its link's path has an empty, '.' or '..' part"
    return path, ""


def fragment(config: Config, item: RenderedEntry) -> bytes:
    """The entry's page (empty: the entry has none)."""
    if page_file(config, item.entry) is None:
        return b""
    from feedpub.outputs.registry import outputs_for

    feeds = [(o.name, o.media_type, o.url(config)) for o in outputs_for(config)]
    return render_page(config, TEMPLATE, item.entry.source, site=site_fields(config),
                       feeds=feed_fields(feeds), entry=entry_fields(config, item))


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
    first, as `entries` come); a warning for each whose link is on the site but can
    have no page, or whose page would be written over (or inside) a file the build
    writes already (a feed, another entry's page): it gets none."""
    from feedpub.base.problems import warning

    pages: list[tuple[Entry, str]] = []
    problems: list[Problem] = []
    hint = "give it another slug (or link)"
    files = {file.casefold(): "" for file in taken}  # (a file system may fold case)
    folders = {folder for file in files for folder in _folders(file)}
    for entry in entries:
        file, why = _page(config, entry)
        if file is None:
            if why:
                problems.append(warning(f"its link {entry.link} is on the site, but {why}: "
                                        "it gets no page of its own", entry.source,
                                        hint=hint))
            continue
        clash = _clash(file.casefold(), files, folders)
        if clash is None:
            files[file.casefold()] = entry.source
            folders.update(_folders(file.casefold()))
            pages.append((entry, file))
            continue
        problems.append(warning(f"this entry's page would be written to {file}, {clash}; "
                                "it gets no page", entry.source, hint=hint))
    return pages, problems


def _clash(key: str, files: dict[str, str], folders: set[str]) -> str | None:
    """What stands where the page `key` would go (None: nothing), in words."""
    owner = files.get(key)
    if owner is not None:
        return f"where the page of {owner} goes" if owner else "where a feed of the site goes"
    for folder in _folders(key):
        if folder in files:
            whose = f"the page of {files[folder]}" if files[folder] else "a feed of the site"
            return f"inside {folder}, which is {whose}"
    if key in folders:
        return "which is a folder of other files the build writes"
    return None


def _folders(file: str) -> list[str]:
    """The folders a file is in: "a/b/index.html" -> ["a", "a/b"]."""
    parts = file.split("/")[:-1]
    return ["/".join(parts[:i]) for i in range(1, len(parts) + 1)]
