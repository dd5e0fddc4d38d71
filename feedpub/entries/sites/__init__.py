"""Links as an existing site publishes them: with a generator's settings found
(config/site/), an entry's link is the URL that generator gives its page; one module
per generator, each copying its rules (and saying where from).

Ids are not made here: they stay the core's tag: URIs (entries/links.py).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from feedpub.base.urls import iri_to_uri
from feedpub.config.model import Config
from feedpub.config.site.model import Site
from feedpub.entries.sites.hugo import hugo_link
from feedpub.entries.sites.jekyll import defaults_for, jekyll_link, title_from_file_name
from feedpub.entries.sites.page import Page
from feedpub.entries.sites.pelican import pelican_link
from feedpub.entries.sites.zola import zola_link

LINKS: dict[str, Callable[[Site, Page], str]] = {
    "jekyll": jekyll_link, "hugo": hugo_link, "zola": zola_link, "pelican": pelican_link}

__all__ = ["LINKS", "Page", "site_link", "title_from_file_name", "with_defaults"]


def site_link(config: Config, meta: Mapping[str, Any], rel: str, published: datetime,
              title: str) -> str | None:
    """The entry's link as its generator publishes it; None for a plain site, or when
    feedpub.toml's own feed.permalink replaces the generator's (Pelican excepted: there
    feed.permalink is ARTICLE_URL)."""
    site = config.site
    if site.kind == "plain" or (config.permalink and site.kind != "pelican"):
        return None
    page = Page(meta, content_prefix(config.entries_dir, site.content) + rel,
                published.astimezone(config.timezone), title)
    if site.kind == "pelican":
        path = pelican_link(site, page, config.permalink)
    else:
        path = LINKS[site.kind](site, page)
    return iri_to_uri(config.url + path.lstrip("/"))


@lru_cache(maxsize=8)
def content_prefix(entries_dir: Path, content: Path | None) -> str:
    """The entries folder's path inside the site's content folder, ending with "/"
    ("_posts/", "posts/"); "" when it is not inside it."""
    if content is None:
        return ""
    try:
        inside = entries_dir.relative_to(content).as_posix()
    except ValueError:
        return ""
    return "" if inside == "." else inside + "/"


def with_defaults(config: Config, rel: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    """The front matter over the Jekyll `defaults:` that apply to the file."""
    site = config.site
    path = content_prefix(config.entries_dir, site.content) + rel
    return {**defaults_for(site.defaults, path), **meta}
