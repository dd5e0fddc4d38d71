"""Zola's config.toml: base_url, title, description, default_language, and
slugify.paths (how file names become URL parts)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from feedpub.base.problems import Problem
from feedpub.config.site.files import person_value, read_settings, site_url, text_value
from feedpub.config.site.model import Site


def is_zola(data: dict[str, Any]) -> bool:
    return "base_url" in data


def read_zola(file: Path, detected: bool) -> tuple[Site | None, list[Problem]]:
    data, problems = read_settings(file)
    if data is None:
        return None, problems
    slugify = data.get("slugify") if isinstance(data.get("slugify"), dict) else {}
    paths = slugify.get("paths")
    return Site(
        kind="zola", file=file, detected=detected, root=file.parent,
        content=file.parent / "content", url=site_url(text_value(data, "base_url")),
        title=text_value(data, "title"), description=text_value(data, "description"),
        language=text_value(data, "default_language"),
        author=person_value(data.get("author")),
        options={"slugify": paths if paths in ("on", "safe", "off") else "on"},
        settings=data, files=(file,),
    ), problems
