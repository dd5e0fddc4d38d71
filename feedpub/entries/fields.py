"""Front matter keys, one function each: `make.make_entry` calls them in turn.

Each field function takes the `Fields` being read (the source, the config and the
problems found so far), appends its problems in the order they are found and
returns the field's value, or None when it is invalid.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from feedpub.base.people import (
    Person,
    PersonError,
    is_absolute_http_url,
    is_invisible,
    remembered_people,
    type_name,
)
from feedpub.base.problems import Problem, did_you_mean, error, warning
from feedpub.base.text import clean_text, normalise_language, plain_text
from feedpub.base.urls import iri_to_uri
from feedpub.config.model import Config
from feedpub.content.source import Source
from feedpub.entries.dates import (
    ACCEPTED,
    DATE_SOURCES,
    UPDATED_KEYS,
    DateError,
    is_flag,
    parse_date,
    path_date,
)
from feedpub.entries.episode import KEYS as EPISODE_KEYS
from feedpub.entries.heading import heading_text, leading_heading
from feedpub.entries.links import SlugError, origin, parse_slug, permalink, tag_uri
from feedpub.entries.tags import numbers_as_text

# feedpub's own keys: the ones "did you mean" suggests for a misspelt key.
KNOWN_KEYS = ("title", "date", "updated", "author", "summary", "tags", "id", "slug",
              "link", "draft", "lang")
# Other generators' names for what those keys mean, read as them (see each field's
# function): known, so never "unknown", but not suggested either.
ALIASES = ("authors", "description", "excerpt", "categories", "category", "keywords",
           "taxonomies", "published", "status", "build", "_build", "headless",
           "enclosure", "image", *EPISODE_KEYS)
# Dates under other generators' names: date_field and updated_field read all but the
# last three; expires_field those (Hugo's spellings).
DATE_KEYS = ("published", "pubDate", "publishDate", "pubDatetime", "lastmod", "modified",
             "last_modified_at", "updatedDate", "modDatetime", "expiryDate", "expirydate",
             "unpublishdate")
_KNOWN = frozenset((*KNOWN_KEYS, *ALIASES, *DATE_KEYS))
# A key known but for its case ("Summary", "ExpiryDate"): Hugo would read it, feedpub
# does not, so it is reported with the spelling that works.
_BY_LOWER = {key.lower(): key for key in reversed((*KNOWN_KEYS, *ALIASES, *DATE_KEYS))}
# The keys of other generators that the field functions here read: most front matter
# has none, and one test per entry (Fields.aliased, 50 ns) spares a dozen look-ups.
_ALIASED = frozenset((*ALIASES, "expiryDate", "expirydate", "unpublishdate",
                      *UPDATED_KEYS[1:]))
# Keys other tools write that we knowingly ignore (no "did you mean" for them).
_FOREIGN_KEYS = {"layout", "permalink", "weight", "aliases", "image", "images", "type",
                 "extra", "template", "series", "toc", "math", "comments", "cover",
                 "featured"}
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_ID_SCHEMES = frozenset({"tag", "urn", "http", "https"})  # what feed ids are made of


class Fields:
    """One source's front matter while it is read: what the field functions share."""

    __slots__ = ("_lines", "aliased", "config", "heading_title", "kind", "meta", "problems",
                 "source")

    def __init__(self, source: Source, config: Config) -> None:
        self.source = source
        self.config = config
        self.meta = source.metadata
        site = config.site
        self.kind = site.kind  # the generator whose site this is ("plain": none)
        if self.kind == "hugo":  # Hugo's keys are case-insensitive
            self.meta = {_BY_LOWER.get(k.lower(), k) if isinstance(k, str) else k: v
                         for k, v in self.meta.items()}
        if site.defaults:  # Jekyll's front matter defaults, under the file's own
            from feedpub.entries.sites.links import with_defaults

            self.meta = with_defaults(config, source.rel, self.meta)
        self.aliased = not _ALIASED.isdisjoint(self.meta)  # has another generator's keys
        self.problems: list[Problem] = list(source.warnings)
        self.heading_title = False  # the title is the body's leading heading
        self._lines: dict[str, int] | None = None

    def at(self, key: str) -> int | None:
        """The file line of a top-level key (found only when a message needs it)."""
        if not self._lines:
            self._lines = self.source.key_lines
        return self._lines.get(key)

    def bad(self, key: str, message: str, hint: str | None = None) -> None:
        self.problems.append(error(message, self.source.display, self.at(key), hint))

    def warn(self, key: str, message: str, hint: str | None = None) -> None:
        self.problems.append(warning(message, self.source.display, self.at(key), hint))

    def text(self, key: str) -> str | None:
        """A text value with its white space collapsed; None if absent or not text."""
        value = self.meta.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.bad(key, f"{key} must be text, not {type_name(value)}",
                     f"put the {key} in quotes")
            return None
        # The file's text was cleaned when read; only an escape such as "\x07"
        # in the front matter can bring a control character back.
        cleaned, removed = clean_text(value) if self.source.escapes else (value, 0)
        if removed:
            self.warn(key, f"{key} contained {removed} control character(s) that "
                      "XML cannot carry; they were removed")
        return " ".join(cleaned.split())

    def plain(self, key: str, value: str) -> str:
        """`value` without HTML tags or character references, with a warning if it had any."""
        text = plain_text(value)
        if text is value:
            return value
        self.warn(key, f"{key} contains HTML; feeds carry it as plain text, so it becomes "
                  f"{text!r}", hint=f"write the {key} without tags or &...; references")
        return text


def unknown_keys(f: Fields) -> None:
    """A warning for each unknown key that looks like a misspelt known one, or is a
    known one in other letter case."""
    for key in f.meta:
        if key in _KNOWN or not isinstance(key, str) \
                or (key == "tag" and f.kind == "jekyll"):  # Jekyll reads it
            continue
        lower = key.lower()
        guess = _BY_LOWER.get(lower)
        if guess is None:
            if lower in _FOREIGN_KEYS:
                continue
            guess = did_you_mean(key, KNOWN_KEYS)
        if guess:
            f.warn(key, f"unknown key {key!r} is ignored", f"did you mean {guess!r}?")


def title_field(f: Fields) -> str | None:
    title = f.text("title")
    title = f.plain("title", title) if title else title
    if title and is_invisible(title):
        f.bad("title", f"title {title!r} shows nothing: it has only invisible characters "
              "(zero-width or format characters)", "write a title readers can see")
        return None
    if not title and f.meta.get("title") is None and f.kind == "jekyll":
        from feedpub.entries.sites.jekyll import title_from_file_name

        return title_from_file_name(f.source.rel)  # as Jekyll's Document#populate_title
    if not title and f.meta.get("title") is None:
        heading = leading_heading(f.source.body)
        if heading is not None:
            f.heading_title = True
            return heading_text(heading[0]) or None
    if not title and (f.meta.get("title") is None or isinstance(f.meta.get("title"), str)):
        # (a title of the wrong type was reported by f.text already)
        f.bad("title", "title is missing or empty", "add 'title: ...' to the front matter")
    return title


def date_field(f: Fields, name: str) -> datetime | None:
    """The date from the first of `DATE_SOURCES` present: a date key, else a date the
    file's `name`, its folders or a path key start with."""
    for source in f.config.date_sources or DATE_SOURCES:
        if source[0] != ":":
            value = f.meta.get(source)
            if value is not None and not (source == "published" and is_flag(value)):
                return _date(f, source, value, source, f"write it as {ACCEPTED}")
            continue
        found = path_date(source, f.source.rel, f.meta)
        if found is None:
            continue
        if found.value is None:
            f.bad(found.key, f"the date in {found.where}, {found.text}, does not exist: "
                  f"{found.problem}", found.hint)
            return None
        return _date(f, found.key, found.value, f"the date in {found.where}", found.hint)
    f.bad("date", "date is missing",
          "add 'date: YYYY-MM-DD' or start the file name with YYYY-MM-DD-")
    return None


def updated_field(f: Fields, published: datetime | None) -> datetime | None:
    """The updated date, from the first of `UPDATED_KEYS` present; the published date
    if there is none or it is earlier."""
    updated, key = published, "updated"
    for name in UPDATED_KEYS if f.aliased else _OWN_UPDATED:
        if f.meta.get(name) is not None:
            key = name
            updated = _date(f, key, f.meta[key], key, f"write it as {ACCEPTED}")
            break
    if published and updated and updated < published:
        if not _day_of(updated, published):
            f.warn(key, f"{key} is earlier than date; using date")
        updated = published
    return updated


_OWN_UPDATED = UPDATED_KEYS[:1]  # the others are other generators' (Fields.aliased)


def _day_of(updated: datetime, published: datetime) -> bool:
    """Whether `updated` is a day alone (midnight) on which `published` falls, in the
    zone of either: Hugo's `lastmod = 2020-03-01` for a post of 10:00 that day says the
    post changed that day, not that it changed before it was written."""
    if updated.hour or updated.minute or updated.second:
        return False
    return updated.date() in (published.date(), published.astimezone(updated.tzinfo).date())


def _date(f: Fields, key: str, value: Any, label: str, hint: str) -> datetime | None:
    try:
        return parse_date(value, f.config.timezone)
    except DateError as exc:
        f.bad(key, f"{label} {exc}", exc.hint or hint)
        return None


def author_field(f: Fields) -> tuple[Person, ...]:
    """The entry's authors, else feed.author.

    `author` is read first, then `authors` (Hugo's and Zola's key, and Jekyll's
    jekyll-feed reads it too) as the same list, or text naming one author: like
    `author`, it is never split at commas ("Doe, Jane" is one person). An empty
    `authors: []`, as Hugo archetypes write it, names nobody: feed.author is used.
    """
    meta = f.meta
    key = "author"
    value = meta.get(key)
    if value is None and f.aliased:
        key = "authors"
        value = meta.get(key) or None  # (an empty list)
    if value is not None:
        try:
            return remembered_people(numbers_as_text(value, f.source.front_matter), key)
        except PersonError as exc:
            f.bad(key, str(exc), f'write {key}: "Name" or {key}: "Name <email>"')
            return ()
    if f.config.author is not None:
        return (f.config.author,)
    f.bad("author", "no author: the entry has none and feed.author is not set",
          "add 'author: Your Name' here, or author = { name = \"...\" } to feedpub.toml")
    return ()


def summary_field(f: Fields) -> str | None:
    """`summary`, else `description` (Hugo's, Zola's and Eleventy's key; Jekyll's
    jekyll-feed takes it for the summary), else `excerpt` (Jekyll's, which jekyll-feed
    takes next): the first of them present is the one read."""
    meta = f.meta
    key = "summary"
    if f.aliased and meta.get(key) is None:
        # An empty description (a theme's placeholder) does not hide the excerpt.
        key = "description" if _given(meta.get("description")) else "excerpt"
    summary = f.text(key) or None
    summary = f.plain(key, summary) if summary else None
    if summary and is_invisible(summary):
        f.bad(key, f"{key} shows nothing: it has only invisible characters",
              f"write a {key} readers can see, or remove it")
    return summary


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


# Hugo's names for the date after which a page is no longer published.
_EXPIRY_KEYS = ("expiryDate", "expirydate", "unpublishdate")


def expires_field(f: Fields) -> datetime | None:
    """When the entry leaves the feed: Hugo's `expiryDate` (also `expirydate`,
    `unpublishdate`), read as `date` is, in feed.timezone. Hugo builds no expired page;
    `select.Eligible` leaves out an entry whose time has come (empty text: none)."""
    if not f.aliased:
        return None
    meta = f.meta
    for key in _EXPIRY_KEYS:
        value = meta.get(key)
        if value is not None and value != "":
            try:
                return parse_date(value, f.config.timezone)
            except DateError as exc:
                f.bad(key, f"{key} {exc}", exc.hint or f"write it as {ACCEPTED}")
                return None
    return None


def lang_field(f: Fields) -> str | None:
    """A BCP 47 language tag; a locale name such as `pt_BR` or `zh_cn` (as Hugo and
    Pelican sites write them) becomes one (`pt-BR`, `zh-CN`)."""
    lang = f.text("lang")
    if lang is None:
        return None
    tag = normalise_language(lang)
    if tag is None:
        f.bad("lang", f"lang {lang!r} is not a language tag", 'use a BCP 47 tag such as "de"')
    return tag


def slug_field(f: Fields) -> str | None:
    try:
        return parse_slug(f.meta.get("slug"), f.source.rel)
    except SlugError as exc:
        f.bad("slug", str(exc), exc.hint)
        return None


def link_field(f: Fields, name: str, published: datetime | None,
               slug: str | None, title: str | None) -> str | None:
    """The front matter's link, else the URL the site's generator gives the page (with
    its settings found: entries/sites/), else feedpub's permalink of the entry's page.
    A page bundle (post/index.md) is at its folder's URL."""
    link = _given_link(f) if f.meta.get("link") is not None else None
    if link is None and published is not None and slug is not None:
        config = f.config
        link = _site_link(f, published, title) if f.kind != "plain" else None
        if link is None:
            if slug.endswith("/index") and f.meta.get("slug") is None:
                slug = slug[:-len("/index")]
            link = permalink(config, slug, name, f.source.rel, published)
        if not link.startswith(origin(config.url)):  # the pattern must stay on the site
            f.bad("slug", f"the permalink pattern makes this entry's link {link}, which is "
                  "not on the site", "check feed.permalink and this entry's slug")
    return link


def _site_link(f: Fields, published: datetime, title: str | None) -> str | None:
    """The link the site's generator gives the page (entries/sites/, imported only
    for such a site); None where feedpub.toml's permalink replaces it, or on error."""
    from feedpub.entries.sites.links import SiteLinkError, site_link

    try:
        return site_link(f.config, f.meta, f.source.rel, published, title or "")
    except SiteLinkError as exc:
        f.bad("permalink", str(exc), "correct the pattern, or set feed.permalink")
        return None


def _given_link(f: Fields) -> str | None:
    value = f.text("link")
    if not value:
        return None
    try:
        link = iri_to_uri(urljoin(f.config.url, value))
    except ValueError:
        f.bad("link", f"link {value!r} is not a URL")
        return None
    if not is_absolute_http_url(link):  # reported; the entry is left out
        f.bad("link", f"link {value!r} is not an http(s) URL with a valid host "
              "and port", "for example link: https://example.org/some/article")
    return link


def id_field(f: Fields, published: datetime | None, slug: str | None) -> str | None:
    """The front matter's id (a tag:, urn: or http(s) URI), else a tag: URI."""
    value = f.meta.get("id")
    if value is None:
        if published is not None and slug is not None:
            return tag_uri(f.config.host, published, slug)
        return None
    entry_id = value.strip() if isinstance(value, str) else ""
    if not _URI.match(entry_id) or clean_text(value)[1] \
            or entry_id.partition(":")[0].lower() not in _ID_SCHEMES:
        f.bad("id", f"id {value!r} is not a tag:, urn: or http(s) URI",
              "use a URI such as tag:example.org,2021:my-post or urn:uuid:..., "
              "or remove it to let feedpub make one")
        return None
    return entry_id
