"""Zola's page URLs (getzola.org/documentation/content/page/): `path` in the front
matter, else the section's folders and the slug: `slug`, or the file name without a
leading date (YYYY-MM-DD followed by "-" or "_"), slugified as slugify.paths says;
an index.md bundle takes its folder's name."""

from __future__ import annotations

import re

from feedpub.config.site.model import Site
from feedpub.entries.sites.page import Page
from feedpub.entries.sites.slugs import zola_slug

# components/content/src/utils (Zola): a date, optionally with a time, then - or _.
_DATED = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?"
                    r"(?:Z|[+-]\d{2}:\d{2})?)?[-_](.+)$")


def zola_link(site: Site, page: Page) -> str:
    own = page.text("path")
    if own:
        return "/" + own.strip("/") + "/"
    mode = str(site.options.get("slugify", "on"))
    folders = page.folders
    name = page.stem
    if name == "index" and folders:
        name, folders = folders[-1], folders[:-1]
    dated = _DATED.match(name)
    slug = page.text("slug") or (dated[1] if dated else name)
    parts = [zola_slug(f, mode) for f in folders] + [zola_slug(slug, mode)]
    return "/" + "/".join(p for p in parts if p) + "/"
