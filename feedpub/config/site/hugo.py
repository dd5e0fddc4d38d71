"""Hugo's settings (hugo.toml|yaml|json, config.toml|yaml|json, config/_default/):
baseURL, title, languageCode, timeZone, [permalinks], [frontmatter] date, uglyURLs,
disablePathToLower, contentDir. Keys are case-insensitive, as in Hugo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from feedpub.base.problems import Problem, warning
from feedpub.config.site.files import lower_keys, person_value, read_settings, site_url, text_value
from feedpub.config.site.model import Site

NAMES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
OLD_NAMES = ("config.toml", "config.yaml", "config.yml", "config.json")
# Hugo's default [frontmatter] date (gohugo.io/configuration/front-matter/).
DEFAULT_DATE = ("date", "publishDate", "lastmod")
_SOURCES = {"date": "date", "publishdate": "publishDate", "pubdate": "publishDate",
            "published": "publishDate", "lastmod": "lastmod", "modified": "lastmod",
            ":filename": ":filename"}


def is_hugo(data: dict[str, Any]) -> bool:
    return "baseurl" in lower_keys(data)


def read_hugo(file: Path, detected: bool) -> tuple[Site | None, list[Problem]]:
    raw, problems = read_settings(file)
    if raw is None:
        return None, problems
    data = lower_keys(raw)
    root = file.parent.parent.parent if file.parent.name == "_default" else file.parent
    params = data.get("params") if isinstance(data.get("params"), dict) else {}
    return Site(
        kind="hugo", file=file, detected=detected, root=root,
        content=root / (text_value(data, "contentdir") or "content"),
        url=site_url(text_value(data, "baseurl")), title=text_value(data, "title"),
        description=text_value(params, "description"),
        language=text_value(data, "languagecode"), timezone=text_value(data, "timezone"),
        author=person_value(params.get("author") or data.get("author")),
        permalinks=_permalinks(data), date_sources=_date_sources(data, file, problems),
        options={"ugly": data.get("uglyurls") is True,
                 "keep_case": data.get("disablepathtolower") is True},
        settings=raw, files=(file,),
    ), problems


def _permalinks(data: dict[str, Any]) -> dict[str, str]:
    """Section -> pattern. Hugo 0.120's [permalinks.page] form and the older flat one."""
    table = data.get("permalinks")
    if not isinstance(table, dict):
        return {}
    page = table.get("page")
    if isinstance(page, dict):
        table = page
    return {str(k): v for k, v in table.items() if isinstance(v, str)}


def _date_sources(data: dict[str, Any], file: Path, problems: list[Problem],
                  ) -> tuple[str, ...] | None:
    table = data.get("frontmatter")
    value = table.get("date") if isinstance(table, dict) else None
    if not isinstance(value, list):
        return None
    sources: list[str] = []
    for item in value:
        name = str(item).lower()
        if name == ":default":
            sources.extend(DEFAULT_DATE)
        elif name in _SOURCES:
            sources.append(_SOURCES[name])
        elif name in (":filemodtime", ":git"):
            problems.append(warning(
                f"[frontmatter] date source {item!r} is not read: a feed's dates must not "
                "depend on when files were copied or committed", file.name))
        else:
            sources.append(str(item))  # a front matter key of the site's own
    return tuple(dict.fromkeys(sources))
