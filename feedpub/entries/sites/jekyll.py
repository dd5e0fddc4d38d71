"""Jekyll's post URLs (lib/jekyll/drops/url_drop.rb, lib/jekyll/url.rb,
lib/jekyll/document.rb): a permalink style or pattern with :placeholders, filled from
the post's date, its slug (from the file name after the date, or `slug:`) and its
categories (front matter, then the folders above _posts)."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from feedpub.config.model import Config
from feedpub.config.site.model import Site
from feedpub.entries.sites.page import Page
from feedpub.entries.sites.slugs import in_path, jekyll_slug

# Jekyll's built-in styles (lib/jekyll/utils.rb / docs "Permalinks").
STYLES = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}
# Document::DATE_FILENAME_MATCHER
_DATED = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)$")
_PLACEHOLDER = re.compile(r":([a-z_]+)")


def jekyll_link(site: Site, page: Page) -> str:
    """The post's URL path on the site (without baseurl), starting with "/"."""
    own = page.text("permalink")
    template = own or site.permalinks.get("posts") or "date"
    template = STYLES.get(template, template)
    values = Placeholders(page)

    def fill(match: re.Match[str]) -> str:
        name = match[1]
        for key in (name, name[:-1]) if name.endswith("_") else (name,):
            if key in PLACEHOLDERS:  # escaped as Jekyll's URL.escape_path does ("C#": "C%23")
                return in_path(values[key]) + match[0][1 + len(key):]
        return match[0]

    url = "/" + _PLACEHOLDER.sub(fill, template)
    return re.sub(r"/{2,}", "/", url.replace("/./", "/").replace("../", ""))


def _slug(page: Page) -> str:
    dated = _DATED.match(page.stem)
    return page.text("slug") or (dated[2] if dated else page.stem)


# Each placeholder's value, made only when a pattern names it: a date pattern names
# four of the 26, and making them all took a third of the time a post took to read.
PLACEHOLDERS: dict[str, Callable[[Page, datetime], str]] = {
    "year": lambda _, d: f"{d.year:04d}", "month": lambda _, d: f"{d.month:02d}",
    "day": lambda _, d: f"{d.day:02d}", "hour": lambda _, d: f"{d.hour:02d}",
    "minute": lambda _, d: f"{d.minute:02d}", "second": lambda _, d: f"{d.second:02d}",
    "i_day": lambda _, d: str(d.day), "i_month": lambda _, d: str(d.month),
    "short_month": lambda _, d: d.strftime("%b").upper(),
    "long_month": lambda _, d: d.strftime("%B"), "short_year": lambda _, d: d.strftime("%y"),
    "w_year": lambda _, d: str(d.isocalendar()[0]),
    "week": lambda _, d: f"{d.isocalendar()[1]:02d}", "w_day": lambda _, d: str(d.isoweekday()),
    "short_day": lambda _, d: d.strftime("%a").upper(), "long_day": lambda _, d: d.strftime("%A"),
    "y_day": lambda _, d: d.strftime("%j"),
    "title": lambda p, _: jekyll_slug(_slug(p), pretty=True, cased=True),
    "slug": lambda p, _: jekyll_slug(_slug(p)), "name": lambda p, _: jekyll_slug(p.stem),
    "categories": lambda p, _: "/".join(dict.fromkeys(c.lower() for c in categories(p))),
    "path": lambda p, _: _collection_path(p), "collection": lambda _p, _d: "posts",
    "output_ext": lambda _p, _d: ".html",
}


class Placeholders:
    """A post's placeholder values by name (PLACEHOLDERS), each made when first asked."""

    def __init__(self, page: Page) -> None:
        self.page = page

    def __getitem__(self, name: str) -> str:
        return PLACEHOLDERS[name](self.page, self.page.published)


def categories(page: Page) -> list[str]:
    """Front matter `categories` (text split at white space), then the folders above
    _posts, then `category`, each once (Document#merge_categories!, populate_categories)."""
    found: list[str] = _listed(page.meta.get("categories"))
    found += _above_posts(page.folders)
    found += _listed(page.meta.get("category"))
    return list(dict.fromkeys(found))


def folder_categories(rel: str, config: Config) -> list[str]:
    """The categories a post's folders give it: those above its _posts folder."""
    from feedpub.entries.sites.page import content_prefix

    path = content_prefix(config.entries_dir, config.site.content) + rel
    return _above_posts(path.split("/")[:-1])


def _above_posts(folders: list[str]) -> list[str]:
    return [f for f in folders[:folders.index("_posts")] if f] if "_posts" in folders else []


def _listed(value: Any) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return [] if value is None else [str(value)]


def _collection_path(page: Page) -> str:
    """The file's path inside its collection, without extension (":path")."""
    folders = page.folders
    inside = folders[folders.index("_posts") + 1:] if "_posts" in folders else folders
    return "/".join([*inside, page.stem])


def title_from_file_name(rel: str) -> str:
    """A post without `title:` is titled from its file name: "2020-01-02-hello-world.md"
    gives "Hello World" (Document#populate_title, Utils.titleize_slug)."""
    stem = rel.rpartition("/")[2].rpartition(".")[0]
    dated = _DATED.match(stem)
    slug = dated[2] if dated else stem
    return " ".join(part[:1].upper() + part[1:].lower() for part in slug.split("-")) or stem


def defaults_for(defaults: tuple[Mapping[str, Any], ...], path: str) -> dict[str, Any]:
    """The `defaults:` values whose scope path holds `path` (the file inside the site's
    folder), the most specific last so that it wins (FrontmatterDefaults#all)."""
    matching = [d for d in defaults if _in_scope(str(d.get("path") or ""), path)]
    matching.sort(key=lambda d: len(str(d.get("path") or "").split("/")))
    merged: dict[str, Any] = {}
    for item in matching:
        merged.update(item["values"])
    return merged


def _in_scope(scope: str, path: str) -> bool:
    scope = scope.strip("/")
    if not scope:
        return True
    if "*" in scope:
        return fnmatch.fnmatchcase(path, scope + "*") or fnmatch.fnmatchcase(path, scope)
    return path == scope or path.startswith(scope + "/")
