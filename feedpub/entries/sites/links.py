"""An entry's link as its generator publishes it (see the package's docstring): the
generator's link function, chosen by `config.site.kind`."""


from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from feedpub.base.urls import iri_to_uri
from feedpub.config.model import Config
from feedpub.config.site.model import Site
from feedpub.entries.sites.hugo import hugo_link
from feedpub.entries.sites.jekyll import defaults_for, jekyll_link
from feedpub.entries.sites.page import Page, content_prefix
from feedpub.entries.sites.pelican import pelican_link
from feedpub.entries.sites.zola import zola_link

LINKS: dict[str, Callable[[Site, Page], str]] = {
    "jekyll": jekyll_link, "hugo": hugo_link, "zola": zola_link, "pelican": pelican_link}

__all__ = ["LINKS", "SiteLinkError", "content_prefix", "site_link", "with_defaults"]


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
    try:
        if site.kind == "pelican":
            path = pelican_link(site, page, config.permalink)
        else:
            path = LINKS[site.kind](site, page)
        return iri_to_uri(config.url + path.lstrip("/"))
    except (KeyError, IndexError, ValueError, AttributeError, TypeError) as exc:
        # A pattern from the site's settings that feedpub.toml did not check (such
        # as Pelican's ARTICLE_URL with a field Pelican does not have either).
        raise SiteLinkError(f"the {site.name} link pattern cannot be filled for this entry: "
                            f"{type(exc).__name__}: {exc}") from None


class SiteLinkError(ValueError):
    """The site's link pattern cannot make this entry's link."""


def with_defaults(config: Config, rel: str, meta: Mapping[str, Any]) -> dict[str, Any]:
    """The front matter over the Jekyll `defaults:` that apply to the file."""
    site = config.site
    path = content_prefix(config.entries_dir, site.content) + rel
    return {**defaults_for(site.defaults, path), **meta}
