"""Where an entry lives: its slug, its page's link (feed.permalink), its tag: id and the
base its body's relative URLs resolve against."""

from __future__ import annotations

import re
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from feedpub.base.people import type_name
from feedpub.base.urls import iri_to_uri
from feedpub.config.model import Config
from feedpub.entries.dates import strip_date_prefix


class SlugError(ValueError):
    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


def parse_slug(value: Any, rel: str) -> str:
    """The front matter's slug without outer slashes; without one, the file's path
    inside the entries folder less its extension. Raises SlugError."""
    if value is None:
        return rel.rpartition(".")[0] or rel  # the path without ".md"
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise SlugError(f"slug must be non-empty text, not {type_name(value)}")
    slug = value.strip().strip("/")
    parts = slug.split("/")
    if any(p in ("", ".", "..") for p in parts) or "\\" in slug:
        raise SlugError(f"slug {value!r} may not contain empty, '.' or '..' parts or "
                        "backslashes", "use letters, digits, '-' and '/' only")
    return slug


def permalink(config: Config, slug: str, name: str, rel: str, published: datetime) -> str:
    """The entry's web page: url + slug + '/', or the config's permalink pattern
    resolved against url like a link ("/" at its start means the host's root)."""
    if not config.permalink:
        return config.url + quoted_path(slug) + "/"
    folder = rel.rpartition("/")[0]
    fields = {
        "year": f"{published.year:04d}", "month": f"{published.month:02d}",
        "day": f"{published.day:02d}",
        "name": quote(strip_date_prefix(name.rpartition(".")[0] or name), safe=""),
        "slug": quoted_path(slug),
        "folder": quote(folder, safe="/"),
    }
    path = config.permalink.format_map(fields)
    # Resolved against feed.url as a link is: "/..." from the root of the site's host,
    # anything else under feed.url. An empty field leaves no "//" (nor a leading "/").
    rooted = config.permalink.startswith("/")
    path = ("/" if rooted else "") + re.sub(r"/{2,}", "/", path).lstrip("/")
    return iri_to_uri(urljoin(config.url, path))


def page_base(url: str, link: str, slug: str) -> str:
    """What relative URLs in the body resolve against: the entry's page on this site
    (`url` is feed.url). A link post whose link is another site's article still has
    its page here."""
    return link if link.startswith(origin(url)) else url + quoted_path(slug) + "/"


@lru_cache(maxsize=8)
def origin(url: str) -> str:
    """https://example.org/blog/ -> "https://example.org/" (scheme, host and a slash)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def tag_uri(host: str, published: datetime, slug: str) -> str:
    """An RFC 4151 tag URI: stable when the site moves path or the link pattern changes."""
    return f"tag:{host},{published.date().isoformat()}:{quoted_path(slug)}"


_UNRESERVED_PATH = re.compile(r"[A-Za-z0-9_.~/-]*")


def quoted_path(path: str) -> str:
    """quote(path, safe="/"), without its cost for the common all-unreserved path."""
    return path if _UNRESERVED_PATH.fullmatch(path) else quote(path, safe="/")
