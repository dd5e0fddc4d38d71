"""Pelican's article URLs (docs "URL settings"): ARTICLE_URL (default "{slug}.html")
filled with the article's slug (`Slug:`, else the slugified title), its date, its
category's slug (`Category:`, else its folder, else DEFAULT_CATEGORY), its first
author's slug and its language."""

from __future__ import annotations

from feedpub.config.site.model import Site
from feedpub.entries.sites.page import Page
from feedpub.entries.sites.slugs import in_path, pelican_slug


def pelican_link(site: Site, page: Page, pattern: str | None = None) -> str:
    pattern = pattern or site.permalinks.get("article") or "{slug}.html"
    slug = page.text("slug")
    if slug is None:
        source = page.title if site.options.get("slug_source", "title") == "title" \
            else page.stem
        slug = pelican_slug(source)
    return "/" + pattern.format(slug=in_path(slug), date=page.published,
                                category=in_path(pelican_slug(_category(site, page))),
                                author=in_path(pelican_slug(_author(page))),
                                lang=in_path(page.text("lang") or site.language or "en")
                                ).lstrip("/")


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
