"""Pelican's pelicanconf.py, read without running it: only top-level `NAME = literal`
assignments (SITEURL, SITENAME, TIMEZONE, DEFAULT_LANG, ARTICLE_URL, PATH,
USE_FOLDER_AS_CATEGORY, DEFAULT_CATEGORY, SLUGIFY_SOURCE); anything computed is
ignored. feedpub.toml's values win (feed.url, feed.permalink for ARTICLE_URL)."""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

from feedpub.base.problems import Problem, error
from feedpub.base.regular import RefusedFile, read_regular_file
from feedpub.config.site.files import MAX_SETTINGS_SIZE, person_value, site_url, text_value
from feedpub.config.site.model import Site

NAMES = ("pelicanconf.py",)
DEFAULT_ARTICLE_URL = "{slug}.html"  # Pelican's default settings


def literal_settings(text: str) -> dict[str, Any]:
    """Every top-level `NAME = <literal>` of a Python file, never executed."""
    found: dict[str, Any] = {}
    for node in ast.parse(text).body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 \
                and isinstance(node.targets[0], ast.Name):
            try:
                found[node.targets[0].id] = ast.literal_eval(node.value)
            except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
                continue
    return found


def read_pelican(file: Path, detected: bool) -> tuple[Site | None, list[Problem]]:
    try:
        text = read_regular_file(file, MAX_SETTINGS_SIZE).decode("utf-8-sig")
        data = literal_settings(text)
    except (OSError, RefusedFile, UnicodeDecodeError) as exc:
        return None, [error(f"cannot read the site's settings: {exc}", file.name)]
    except (SyntaxError, ValueError, RecursionError, MemoryError) as exc:
        return None, [error(f"is not valid Python: {exc}", file.name,
                            getattr(exc, "lineno", None))]
    article_url = text_value(data, "ARTICLE_URL") or DEFAULT_ARTICLE_URL
    return Site(
        kind="pelican", file=file, detected=detected, root=file.parent,
        content=file.parent / (text_value(data, "PATH") or "content"),
        url=site_url(text_value(data, "SITEURL")), title=text_value(data, "SITENAME"),
        language=text_value(data, "DEFAULT_LANG"), timezone=text_value(data, "TIMEZONE"),
        author=person_value(data.get("AUTHOR")),
        permalinks={"article": article_url},
        options={"folder_category": data.get("USE_FOLDER_AS_CATEGORY", True) is not False,
                 "default_category": text_value(data, "DEFAULT_CATEGORY") or "misc",
                 "slug_source": text_value(data, "SLUGIFY_SOURCE") or "title"},
        settings=data, files=(file,),
    ), []
