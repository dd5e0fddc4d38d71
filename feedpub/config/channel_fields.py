"""The [feed] keys about the feed's channel beyond its title: `icon` and `logo` (image
URLs, absolute or relative to feed.url) and `copyright` (text)."""

from __future__ import annotations

import contextlib
from urllib.parse import urljoin

from feedpub.base.people import is_absolute_http_url
from feedpub.base.urls import iri_to_uri
from feedpub.config.fields import Check


def image_url(c: Check, key: str) -> str | None:
    """feed.`key` as an absolute URL: a path is taken relative to feed.url."""
    value = c.text(key)
    return None if value is None else resolved_image(c, key, value, f"feed.{key}")


def resolved_image(c: Check, key: str, value: str, label: str) -> str | None:
    """`value` (the config's `label`) as an absolute URL, relative to feed.url."""
    url = value
    with contextlib.suppress(ValueError):
        url = iri_to_uri(urljoin(c.values.get("url", ""), value))
    if not is_absolute_http_url(url) or any(ch.isspace() for ch in url):
        c.bad(key, f"{label} {value!r} is not a URL of an image",
              f'for example {key} = "/{key}.png" (on the site) or an https:// address')
        return None
    return url


def icon_field(c: Check) -> str | None:
    """A small square image: Atom's icon, JSON Feed's icon and favicon."""
    return image_url(c, "icon")


def logo_field(c: Check) -> str | None:
    """A wider image: Atom's logo, RSS's <image> (with the feed's title and link)."""
    return image_url(c, "logo")


def tag_feeds_field(c: Check) -> bool:
    """Whether each tag gets feeds of its own (outputs/tags.py)."""
    value = c.feed.get("tag_feeds", False)
    if not isinstance(value, bool):
        c.bad("tag_feeds", f"feed.tag_feeds must be true or false, not {value!r}")
        return False
    return value


def languages_field(c: Check) -> str:
    """"one" (the default: one feed, every language) or "split" (also a feed per
    language, outputs/languages.py)."""
    value = c.text("languages", default="one") or "one"
    if value not in ("one", "split"):
        c.bad("languages", f'feed.languages must be "one" or "split", not {value!r}',
              '"split" adds a feed per language, under LANG/')
        return "one"
    return value


def hubs_field(c: Check) -> tuple[str, ...]:
    """[websub] hubs: the WebSub hubs each feed names (rel="hub") and `--ping` tells."""
    table = c.tables.get("websub")
    if table is None:
        return ()
    hint = 'for example:\n\n[websub]\nhubs = ["https://pubsubhubbub.appspot.com/"]'
    if not isinstance(table, dict) or set(table) - {"hubs"}:
        c.bad("websub", "[websub] takes one key, hubs", hint)
        return ()
    hubs = table.get("hubs")
    if not isinstance(hubs, list) or not all(isinstance(h, str) for h in hubs):
        c.bad("websub", "websub.hubs must be a list of URLs", hint)
        return ()
    found = []
    for hub in hubs:
        with contextlib.suppress(ValueError):
            hub = iri_to_uri(hub.strip())
        if not is_absolute_http_url(hub):
            c.bad("websub", f"websub.hubs: {hub!r} is not an http(s) URL", hint)
            return ()
        found.append(hub)
    return tuple(dict.fromkeys(found))


def copyright_field(c: Check) -> str | None:
    """Atom's rights, RSS's copyright (plain text)."""
    return c.text("copyright")


def archive_field(c: Check) -> int:
    """[archive] enabled and page_size: the page size of the RFC 5005 archive (0: off)."""
    table = c.tables.get("archive")
    if table is None:
        return 0
    hint = "for example:\n\n[archive]\nenabled = true\npage_size = 50"
    if not isinstance(table, dict) or set(table) - {"enabled", "page_size"}:
        c.bad("archive", "[archive] takes two keys, enabled and page_size", hint)
        return 0
    enabled, size = table.get("enabled", False), table.get("page_size", ARCHIVE_PAGE_SIZE)
    if not isinstance(enabled, bool):
        c.bad("enabled", f"archive.enabled must be true or false, not {enabled!r}", hint)
        return 0
    if isinstance(size, bool) or not isinstance(size, int) or not 1 <= size <= 10_000:
        c.bad("page_size", f"archive.page_size must be a whole number from 1 to 10000, "
              f"not {size!r}", "50 is usual: a page is one file of that many entries")
        return 0
    return size if enabled else 0


ARCHIVE_PAGE_SIZE = 50


def full_content_field(c: Check) -> int | None:
    """feed.full_content: how many of the newest entries carry their full content
    (the older ones their summary); None: every one."""
    value = c.feed.get("full_content")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        c.bad("full_content", "feed.full_content must be a whole number of entries, 1 or "
              f"more, not {value!r}", 'content = "summary" gives every entry its summary')
        return None
    if c.values.get("content") == "summary":
        c.bad("full_content", 'feed.full_content needs content = "full" (here every entry '
              'has its summary only)', 'remove one of the two lines')
        return None
    return value


def pages_field(c: Check) -> bool:
    """[site] pages: whether feedpub makes the site's pages too (the front page, each
    entry's page, the feeds' browser stylesheet: outputs/pages/, outputs/browser/). On
    by default, except on an existing Jekyll, Hugo, Zola or Pelican site (feed.from,
    or found above the entries folder), which makes its own."""
    table = c.tables.get("site")
    default = c.site.kind == "plain"
    if table is None:
        return default
    if not isinstance(table, dict) or set(table) - {"pages"}:
        c.bad("site", "[site] takes one key, pages", "for example:\n\n[site]\npages = false")
        return default
    value = table.get("pages", default)
    if not isinstance(value, bool):
        c.bad("pages", f"site.pages must be true or false, not {value!r}")
        return default
    return value
