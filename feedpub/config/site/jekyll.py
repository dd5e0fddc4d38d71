"""Jekyll's _config.yml: url + baseurl, title, description, lang, timezone, permalink
(site-wide and the posts collection's), front matter `defaults`, markdown_ext, and
every value for Liquid's `site.*` (see jekyllrb.com/docs/configuration/)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from feedpub.base.problems import Problem, warning
from feedpub.config.site.files import files_under, person_value, read_settings, site_url, text_value
from feedpub.config.site.model import Site

NAMES = ("_config.yml", "_config.yaml")
# Jekyll's default markdown_ext (lib/jekyll/configuration.rb).
DEFAULT_EXTENSIONS = "markdown,mkdown,mkdn,mkd,md"


def read_jekyll(file: Path, detected: bool) -> tuple[Site | None, list[Problem]]:
    data, problems = read_settings(file)
    if data is None:
        return None, problems
    root = file.parent
    permalink = _permalink(data)
    return Site(
        kind="jekyll", file=file, detected=detected, root=root, content=root,
        url=site_url(text_value(data, "url"), text_value(data, "baseurl")),
        title=text_value(data, "title"), description=text_value(data, "description"),
        language=text_value(data, "lang"), timezone=text_value(data, "timezone"),
        author=person_value(data.get("author")),
        permalinks={"posts": permalink}, defaults=_defaults(data, file, problems),
        extensions=_extensions(data), settings=data,
        files=(file, *files_under(root / "_data"), *files_under(root / "_includes")),
    ), problems


def _permalink(data: dict[str, Any]) -> str:
    """The posts' pattern: the posts collection's, else the site's, else "date"."""
    collections = data.get("collections")
    if isinstance(collections, dict) and isinstance(collections.get("posts"), dict):
        own = collections["posts"].get("permalink")
        if isinstance(own, str) and own.strip():
            return own.strip()
    value = data.get("permalink")
    return value.strip() if isinstance(value, str) and value.strip() else "date"


def _defaults(data: dict[str, Any], file: Path, problems: list[Problem],
              ) -> tuple[dict[str, Any], ...]:
    """`defaults:` entries that apply to posts: {"path": ..., "values": {...}}."""
    value = data.get("defaults")
    if value is None:
        return ()
    if not isinstance(value, list):
        problems.append(warning("defaults is not a list: ignored", file.name))
        return ()
    found = []
    for item in value:
        if not isinstance(item, dict) or not isinstance(item.get("values"), dict):
            continue
        scope = item.get("scope") if isinstance(item.get("scope"), dict) else {}
        kind = scope.get("type")
        if kind not in (None, "", "posts"):
            continue
        path = scope.get("path")
        found.append({"path": path.strip("/") if isinstance(path, str) else "",
                      "values": item["values"]})
    return tuple(found)


def _extensions(data: dict[str, Any]) -> tuple[str, ...]:
    value = data.get("markdown_ext")
    text = value if isinstance(value, str) and value.strip() else DEFAULT_EXTENSIONS
    return tuple("." + part.strip().lower().lstrip(".") for part in text.split(",")
                 if part.strip())
