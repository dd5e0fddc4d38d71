"""The frozen `Config` a build runs on, and the names and defaults it is made with."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from feedpub.base.people import Person
from feedpub.base.problems import Problem
from feedpub.config.site.model import PLAIN, Site

if TYPE_CHECKING:
    from feedpub.config.podcast import Podcast

CONFIG_NAME = "feedpub.toml"

DEFAULT_MAX_ENTRY_SIZE = 10 * 1024 * 1024
PERMALINK_FIELDS = ("year", "month", "day", "name", "slug", "folder")
FORMATS = ("rss", "atom", "json")  # the output formats feed.formats may name
PELICAN_FIELDS = ("slug", "date", "category", "author", "lang")  # Pelican's ARTICLE_URL

EXAMPLE = """\
[feed]
title = "My site"
description = "What my site is about"
url = "https://example.org/"
author = { name = "Your Name" }
"""


@dataclass(frozen=True, slots=True)
class Config:
    """Everything a build needs to know, validated. Paths are absolute."""

    path: Path
    title: str
    description: str
    url: str  # absolute, always ends with "/"
    language: str | None
    author: Person | None
    limit: int
    timezone: tzinfo
    content: Literal["full", "summary"]
    entries_dir: Path
    output_dir: Path
    permalink: str | None
    max_entry_size: int = DEFAULT_MAX_ENTRY_SIZE  # bytes; larger entry files are refused
    site: Site = PLAIN  # the settings of the generator the entries come from
    date_sources: tuple[str, ...] | None = None  # None: entries.dates.DATE_SOURCES
    formats: tuple[str, ...] | None = None  # None: every registered output format
    icon: str | None = None  # absolute URLs of the feed's images
    logo: str | None = None
    copyright: str | None = None
    tag_feeds: bool = False  # a feed per tag, under tags/SLUG/
    languages: str = "one"  # "split": a feed per language too, under LANG/
    full_content: int | None = None  # the newest N have full content, the others summaries
    hubs: tuple[str, ...] = ()  # [websub] hubs: linked from every feed, pinged on --ping
    archive_page_size: int = 0  # [archive]: entries per RFC 5005 archive page (0: off)
    podcast: Podcast | None = None  # [podcast]: the RSS feed is a podcast (iTunes tags)
    pages: bool = False  # [site] pages: the browser stylesheet (outputs/browser/)
    origins: tuple[str, ...] = ()  # which values came from the site's settings
    warnings: tuple[Problem, ...] = ()  # about the site's settings (errors stop loading)
    digest: str = ""  # SHA-256 of the file's bytes as read (for the build cache)

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def host(self) -> str:
        """The site's host in ASCII (IDNA), as a tag URI needs it."""
        return _host(self.url)

    @property
    def entries_prefix(self) -> str:
        """What entry files' shown names start with: "entries/" ("" when the entries
        folder is the config's own, as a Jekyll site's may be)."""
        shown = self.display(self.entries_dir)
        return "" if shown == "." else shown + "/"

    def display(self, path: Path) -> str:
        """A path as the user should see it: relative to the config's folder."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


@lru_cache(maxsize=8)
def _host(url: str) -> str:
    return urlsplit(url).hostname or ""
