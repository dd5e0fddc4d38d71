"""`Site`: what feedpub reads from the settings of the generator an entries folder was
written for (Jekyll's _config.yml, Hugo's hugo.toml, Zola's config.toml, Pelican's
pelicanconf.py), so that entries get the links and dates that site gives them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

SiteKind = Literal["jekyll", "hugo", "zola", "pelican", "plain"]
KINDS: tuple[str, ...] = ("jekyll", "hugo", "zola", "pelican", "plain")
NAMES = {"jekyll": "Jekyll", "hugo": "Hugo", "zola": "Zola", "pelican": "Pelican",
         "plain": "plain"}


@dataclass(frozen=True, slots=True)
class Site:
    """One generator's settings, read (never run). Values the site does not set are None.

    `url` is where the generator publishes the site (Jekyll's url + baseurl, Hugo's
    baseURL, Zola's base_url, Pelican's SITEURL), absolute and ending with "/".
    `permalinks` maps a section (Hugo), a collection (Jekyll: "posts") or "article"
    (Pelican) to the generator's own URL pattern. `content` is the folder entries'
    paths are taken from for links: Jekyll's site folder, Hugo's and Zola's content
    folder, Pelican's PATH. `settings` holds every value as read (Liquid's `site.*`).
    """

    kind: SiteKind = "plain"
    file: Path | None = None  # the settings file read
    detected: bool = False  # found by from = "auto" (not named in feedpub.toml)
    root: Path | None = None
    content: Path | None = None
    url: str | None = None
    title: str | None = None
    description: str | None = None
    language: str | None = None
    timezone: str | None = None
    author: str | dict[str, str] | None = None  # a name, or {"name": ..., "email": ...}
    permalinks: Mapping[str, str] = field(default_factory=dict)
    defaults: tuple[Mapping[str, Any], ...] = ()  # Jekyll's front matter defaults
    extensions: tuple[str, ...] | None = None  # Jekyll's markdown_ext, with dots
    date_sources: tuple[str, ...] | None = None  # Hugo's [frontmatter] date
    options: Mapping[str, Any] = field(default_factory=dict)  # generator-specific flags
    settings: Mapping[str, Any] = field(default_factory=dict)
    files: tuple[Path, ...] = ()  # every file read, for the build cache's key

    @property
    def name(self) -> str:
        return NAMES[self.kind]


PLAIN = Site()
