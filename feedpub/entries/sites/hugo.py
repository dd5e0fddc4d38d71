"""Hugo's page URLs (gohugo.io/content-management/urls/): front matter `url`, else the
section's [permalinks] pattern, else the file's path under content/ with `slug` as
its last part; page bundles (x/index.md) at their folder's URL; lower case unless
disablePathToLower; uglyURLs end in .html."""

from __future__ import annotations

import re

from feedpub.config.site.model import Site
from feedpub.entries.dates import strip_date_prefix
from feedpub.entries.sites.page import Page
from feedpub.entries.sites.slugs import hugo_path

_TOKEN = re.compile(r":([a-z]+)(?:\[(-?\d*)(:?)(-?\d*)\])?")


def hugo_link(site: Site, page: Page) -> str:
    own = page.text("url")
    if own:
        return "/" + own.lstrip("/")
    folders, filename = _place(page, ":filename" in (site.date_sources or ()))
    slug = page.text("slug")
    section = folders[0] if folders else ""
    pattern = site.permalinks.get(section) if folders else site.permalinks.get("/")
    keep_case = bool(site.options.get("keep_case"))
    if pattern:
        path = _expand(pattern, page, folders, filename, slug)
    else:
        path = "/" + "/".join([*folders, slug or filename]) + "/"
    path = hugo_path(re.sub(r"/{2,}", "/", path), lower=not keep_case)
    if site.options.get("ugly") and path.endswith("/") and path != "/":
        path = path[:-1] + ".html"
    return path


def _place(page: Page, dated_names: bool) -> tuple[list[str], str]:
    """The folders above the page and its file name; a bundle's name is its folder's.
    With :filename among the date sources, a leading date leaves the name (Hugo)."""
    folders = page.folders
    filename = page.stem
    if filename == "index" and folders:
        filename = folders[-1]
        folders = folders[:-1]
    return folders, (strip_date_prefix(filename) if dated_names else filename) or filename


def _expand(pattern: str, page: Page, folders: list[str], filename: str,
            slug: str | None) -> str:
    date = page.published
    title = hugo_path(page.title)
    values = {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
        "monthname": date.strftime("%B"), "weekday": str((date.weekday() + 1) % 7),
        "weekdayname": date.strftime("%A"), "yearday": str(date.timetuple().tm_yday),
        "section": folders[0] if folders else "", "sections": "/".join(folders),
        "title": title, "slug": slug or title, "slugorfilename": slug or filename,
        "filename": filename, "contentbasename": filename,
        "slugorcontentbasename": slug or filename,
    }
    return _TOKEN.sub(lambda m: _value(m, values, folders), pattern)


def _value(match: re.Match[str], values: dict[str, str], folders: list[str]) -> str:
    """A token's value; `:sections[1:]` and `:sections[last]`-style slices of the
    sections (Hugo 0.112's permalink slices)."""
    name = match[1]
    if name == "sections" and match.group(2) is not None:
        start, colon, end = match[2], match[3], match[4]
        if not colon:
            index = int(start) if start else 0
            return folders[index] if -len(folders) <= index < len(folders) else ""
        part = folders[int(start) if start else None:int(end) if end else None]
        return "/".join(part)
    return values.get(name, match[0])
