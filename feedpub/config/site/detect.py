"""Which generator an entries folder comes from: `[feed] from`, or with "auto" the
first settings file found in the config's folder or a folder above the entries
folder (up to `LEVELS` up): _config.yml (Jekyll); hugo.toml|yaml|json, or
config.toml|yaml|json with baseURL (Hugo); config.toml with base_url (Zola);
pelicanconf.py (Pelican)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from feedpub.base.problems import Problem
from feedpub.config.site import hugo, jekyll, pelican, zola
from feedpub.config.site.files import read_settings
from feedpub.config.site.model import KINDS, PLAIN, Site

FROM_VALUES = ("auto", *KINDS)
LEVELS = 3  # Hugo's content/posts/ and Jekyll's blog/_posts/ are two levels down

Reader = Callable[[Path, bool], tuple[Site | None, list[Problem]]]
READERS: dict[str, Reader] = {"jekyll": jekyll.read_jekyll, "hugo": hugo.read_hugo,
                              "zola": zola.read_zola, "pelican": pelican.read_pelican}


def find_site(kind: str, config_dir: Path, entries_dir: Path,
              ) -> tuple[Site, list[Problem]]:
    """The site's settings for `kind` ("auto" detects it); PLAIN when there are none."""
    if kind == "plain":
        return PLAIN, []
    for folder in _folders(config_dir, entries_dir):
        for found_kind, file in _settings_files(folder):
            if kind in ("auto", found_kind):
                site, problems = READERS[found_kind](file, kind == "auto")
                return site or Site(kind=found_kind, file=file), problems  # type: ignore[arg-type]
    if kind == "auto":
        return PLAIN, []
    return _without_settings(kind, entries_dir), []


def _folders(config_dir: Path, entries_dir: Path) -> Iterator[Path]:
    seen = set()
    for folder in (config_dir, *list(entries_dir.parents)[:LEVELS]):
        if folder not in seen:
            seen.add(folder)
            yield folder


def _settings_files(folder: Path) -> Iterator[tuple[str, Path]]:
    for name in jekyll.NAMES:
        if (folder / name).is_file():
            yield "jekyll", folder / name
    for name in hugo.NAMES:
        for candidate in (folder / name, folder / "config" / "_default" / name):
            if candidate.is_file():
                yield "hugo", candidate
    for name in hugo.OLD_NAMES:
        candidate = folder / name
        if candidate.is_file():
            data, _ = read_settings(candidate)
            if data is not None and hugo.is_hugo(data):
                yield "hugo", candidate
            elif data is not None and zola.is_zola(data):
                yield "zola", candidate
    for name in pelican.NAMES:
        if (folder / name).is_file():
            yield "pelican", folder / name


def _without_settings(kind: str, entries_dir: Path) -> Site:
    """`from` names a generator whose settings file is not there: its defaults, with
    the entries folder's parent as the site's folder."""
    parent = entries_dir.parent
    if kind == "jekyll":
        return Site(kind="jekyll", root=parent, content=parent,
                    permalinks={"posts": "date"},
                    extensions=tuple("." + e for e in jekyll.DEFAULT_EXTENSIONS.split(",")))
    if kind == "pelican":
        return Site(kind="pelican", root=parent, content=entries_dir,
                    permalinks={"article": pelican.DEFAULT_ARTICLE_URL},
                    options={"folder_category": True, "default_category": "misc",
                             "slug_source": "title"})
    if kind == "zola":
        return Site(kind="zola", root=parent, content=parent, options={"slugify": "on"})
    return Site(kind=kind, root=parent, content=parent)  # type: ignore[arg-type]
