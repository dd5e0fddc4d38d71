"""Reading a generator's settings file: bounded, decoded, parsed by format, and every
failure a `Problem` naming the file (a broken _config.yml never stops with a traceback)."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from feedpub.base.problems import Problem, error
from feedpub.base.regular import RefusedFile, read_regular_file
from feedpub.base.toml_errors import error_line, without_position

MAX_SETTINGS_SIZE = 1024 * 1024


def read_settings(path: Path) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The file's top-level mapping (YAML, TOML or JSON by extension); None and the
    problem if it cannot be read or is not a mapping."""
    where = path.name
    try:
        text = read_regular_file(path, MAX_SETTINGS_SIZE).decode("utf-8-sig")
    except (OSError, RefusedFile) as exc:
        return None, [error(f"cannot read the site's settings: {exc}", where)]
    except UnicodeDecodeError as exc:
        return None, [error(f"is not UTF-8 (bad byte at offset {exc.start})", where,
                            hint="save the file as UTF-8")]
    import yaml  # here: a build without a YAML settings file does not import it

    try:
        data = parse_settings(text, path.suffix.lower())
    except tomllib.TOMLDecodeError as exc:
        return None, [error(f"invalid TOML: {without_position(str(exc))}", where,
                            error_line(str(exc)))]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [error(f"invalid YAML: {getattr(exc, 'problem', None) or exc}", where,
                            mark.line + 1 if mark is not None else None)]
    except json.JSONDecodeError as exc:
        return None, [error(f"invalid JSON: {exc.msg}", where, exc.lineno)]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return None, [error("the site's settings are not a mapping of keys to values", where)]
    return data, []


def parse_settings(text: str, suffix: str) -> Any:
    if suffix == ".toml":
        return tomllib.loads(text)
    if suffix == ".json":
        return json.loads(text)
    import yaml

    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def text_value(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return value.strip() if isinstance(value, str) and value.strip() else None


def site_url(base: str | None, path: str | None = None) -> str | None:
    """An absolute http(s) URL ending with "/" from a base and a path under it (Jekyll's
    url + baseurl); None when the base is not absolute (a site served from "/")."""
    if not base:
        return None
    parts = urlsplit(base.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    joined = parts.path.rstrip("/") + "/" + (path or "").strip("/")
    joined = joined.rstrip("/") + "/"
    return urlunsplit((parts.scheme, parts.netloc, joined, "", ""))


def lower_keys(data: dict[str, Any]) -> dict[str, Any]:
    """Hugo's keys are case-insensitive: baseURL, baseurl and BaseURL are one key."""
    return {str(k).lower(): lower_keys(v) if isinstance(v, dict) else v
            for k, v in data.items()}


def files_under(folder: Path, limit: int = 2000) -> list[Path]:
    """The regular files in a folder, sorted, at most `limit` (for the cache's key)."""
    if not folder.is_dir():
        return []
    found = sorted(p for p in folder.rglob("*") if p.is_file() and not p.is_symlink())
    return found[:limit]


def person_value(value: object) -> str | dict[str, str] | None:
    """A site's author setting as feed.author takes it: a name, or a table of name and
    email (other keys, such as a Twitter handle, are left out)."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return {k: v.strip() for k, v in value.items()
                if k in ("name", "email") and isinstance(v, str) and v.strip()}
    return None
