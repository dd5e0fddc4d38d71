"""A Jekyll site as its Liquid sees it: `LiquidSite`, and `load_site`, which reads the
site's `_data` folder into `site.data` as Jekyll's DataReader does
(lib/jekyll/readers/data_reader.rb).

Data files are YAML (`.yml`, `.yaml`, with PyYAML's safe loader), JSON, or CSV and TSV
(a list of rows, each a mapping from the header's names; an empty field is nil, as
Ruby's CSV reads it). A folder is a mapping of its files by name without the extension
(a folder's name wins over a file's, as it is read last). A file that cannot be read
is left out with a message that names it; nothing outside the site is read, even
through a link.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Any

from feedpub.base.regular import RefusedFile, read_regular_file

MAX_DATA_FILE = 16 << 20  # bytes
MAX_DATA_DEPTH = 16  # folders in folders
MAX_EXPANDED = 1_000_000  # values once YAML aliases are copied out
_SUFFIXES = (".yaml", ".yml", ".json", ".csv", ".tsv")


@dataclass(frozen=True)
class LiquidSite:
    root: Path  # the Jekyll site's folder (where _config.yml is)
    variables: Mapping[str, Any]  # _config.yml's values, as YAML-loaded
    links: Mapping[str, str]  # site-relative source path -> its URL path (no baseurl)
    timezone: tzinfo  # the site's time zone (dates are shown in it)
    includes_dir: str = "_includes"
    data_dir: str = "_data"
    data: Mapping[str, Any] = field(default_factory=dict)  # site.data
    # What is made once per site: the Liquid environment (see render.py).
    _memo: dict[str, Any] = field(default_factory=dict, init=False, repr=False,
                                  compare=False)

    def __getstate__(self) -> dict[str, Any]:
        return {name: value for name, value in self.__dict__.items() if name != "_memo"}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in {**state, "_memo": {}}.items():
            object.__setattr__(self, name, value)


def load_site(root: Path, variables: Mapping[str, Any], links: Mapping[str, str],
              timezone: tzinfo) -> tuple[LiquidSite, list[str]]:
    """The site, with its `_data` read; and the problems, each naming its file."""
    problems: list[str] = []
    base = LiquidSite(root, variables, links, timezone)
    folder = root / base.data_dir
    try:
        top = root.resolve()
        data = _folder(folder, top, base.data_dir, problems, 0) if folder.is_dir() else {}
    except OSError as err:
        problems.append(f"{base.data_dir}: cannot be read ({err})")
        data = {}
    return LiquidSite(root, variables, links, timezone, data=data), problems


def _key(name: str) -> str:
    """Jekyll's sanitize_filename: no punctuation, spaces as underscores."""
    return re.sub(r"\s+", "_", re.sub(r"[^\w\s-]+", "", name).strip())


def _folder(folder: Path, top: Path, shown: str, problems: list[str],
            depth: int) -> dict[str, Any]:
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    folders = [p for p in entries if p.is_dir()]
    files = {p for p in entries if p.suffix.lower() in _SUFFIXES} - set(folders)
    data: dict[str, Any] = {}
    for path in [*sorted(files, key=lambda p: p.name), *folders]:
        name = f"{shown}/{path.name}"
        real = path.resolve()
        if not real.is_relative_to(top):
            problems.append(f"{name}: a link to outside the site; left out")
        elif path.is_dir():
            if depth >= MAX_DATA_DEPTH:
                problems.append(f"{name}: folders nested over {MAX_DATA_DEPTH} deep; left out")
            else:
                data[_key(path.name)] = _folder(path, top, name, problems, depth + 1)
        elif path in files:
            value, problem = _file(real, name)
            if problem:
                problems.append(problem)
            else:
                data[_key(path.stem)] = value
    return data


def _file(path: Path, shown: str) -> tuple[Any, str | None]:
    """A data file's value, or the problem that keeps it out."""
    try:
        text = read_regular_file(path, MAX_DATA_FILE).decode("utf-8-sig")
    except (OSError, RefusedFile, UnicodeDecodeError) as err:
        return None, f"{shown}: cannot be read: {err}"
    suffix = path.suffix.lower()
    import yaml  # lazy: only a site with data files needs it

    try:
        if suffix in (".csv", ".tsv"):
            return _rows(text, "\t" if suffix == ".tsv" else ","), None
        if suffix == ".json":
            return json.loads(text), None
        value = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except json.JSONDecodeError as err:
        return None, f"{shown}: invalid JSON at line {err.lineno}: {err.msg}"
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        return None, f"{shown}: invalid YAML{where}: {getattr(err, 'problem', None) or err}"
    except (csv.Error, ValueError, TypeError, RecursionError) as err:
        return None, f"{shown}: cannot be read: {err}"
    if "*" in text and _too_big(value):
        return None, (f"{shown}: expands to over {MAX_EXPANDED:,} values through YAML "
                      "aliases (*name); left out, as a 'billion laughs' attack would be")
    return value, None


def _rows(text: str, delimiter: str) -> list[dict[str, Any]]:
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [{key: value if value != "" else None for key, value in row.items()
             if key is not None} for row in reader]


def _too_big(value: Any) -> bool:
    try:
        return _expanded(value, {}) > MAX_EXPANDED
    except RecursionError:  # nested thousands deep: no real data file is
        return True


def _expanded(value: Any, seen: dict[int, int]) -> int:
    """How many values `value` holds with every aliased part copied out (memoised by
    identity: one visit per distinct list or mapping)."""
    if not isinstance(value, list | dict):
        return 1
    if id(value) in seen:
        return seen[id(value)]
    seen[id(value)] = MAX_EXPANDED + 1  # a cycle counts as too big
    total = 1
    for child in value.values() if isinstance(value, dict) else value:
        total += _expanded(child, seen)
        if total > MAX_EXPANDED:
            break
    seen[id(value)] = total
    return total
