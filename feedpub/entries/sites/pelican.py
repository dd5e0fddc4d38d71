"""Pelican's article URLs (docs "URL settings"): ARTICLE_URL (default "{slug}.html")
filled with the article's slug (`Slug:`, else the slugified title), its date, its
category's slug (`Category:`, else its folder, else DEFAULT_CATEGORY), its first
author's slug and its language."""

from __future__ import annotations

from urllib.parse import quote

from feedpub.config.site.model import Site
from feedpub.entries.sites.page import Page
from feedpub.entries.sites.slugs import pelican_slug


def pelican_link(site: Site, page: Page, pattern: str | None = None) -> str:
    pattern = pattern or site.permalinks.get("article") or "{slug}.html"
    slug = page.text("slug")
    if slug is None:
        source = page.title if site.options.get("slug_source", "title") == "title" \
            else page.stem
        slug = pelican_slug(source)
    return "/" + pattern.format(slug=_path(slug), date=page.published,
                                category=_path(pelican_slug(_category(site, page))),
                                author=_path(pelican_slug(_author(page))),
                                lang=_path(page.text("lang") or site.language or "en")
                                ).lstrip("/")


def _path(value: str) -> str:
    """A value as it stands in a path: "?" and "#" (and the rest) escaped."""
    return quote(value, safe="/!$&'()*+,;=:@-._~")


def _category(site: Site, page: Page) -> str:
    own = page.text("category")
    if own:
        return own
    if site.options.get("folder_category", True) and page.folders:
        return page.folders[0]
    return str(site.options.get("default_category") or "misc")


def _author(page: Page) -> str:
    value = page.meta.get("author") or page.meta.get("authors")
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value or "")
