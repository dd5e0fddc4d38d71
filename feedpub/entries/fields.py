"""Front matter keys, one function each: `make.make_entry` calls them in turn.

Each field function takes the `Fields` being read (the source, the config and the
problems found so far), appends its problems in the order they are found and
returns the field's value, or None when it is invalid.
"""

from __future__ import annotations

import re
import sys
from datetime import datetime
from typing import Any
from urllib.parse import urljoin

from feedpub.base.people import (
    Person,
    PersonError,
    is_absolute_http_url,
    is_invisible,
    parse_people,
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
from feedpub.entries.links import SlugError, origin, parse_slug, permalink, tag_uri

# feedpub's own keys: the ones "did you mean" suggests for a misspelt key.
KNOWN_KEYS = ("title", "date", "updated", "author", "summary", "tags", "id", "slug",
              "link", "draft", "lang")
# Other generators' names for what those keys mean, read as them (see each field's
# function): known, so never "unknown", but not suggested either.
ALIASES = ("authors", "description", "excerpt", "categories", "category", "keywords",
           "taxonomies", "published", "status", "build", "_build")
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
_ALIASED = frozenset((*ALIASES, "expiryDate", "expirydate", "unpublishdate"))
# Keys other tools write that we knowingly ignore (no "did you mean" for them).
_FOREIGN_KEYS = {"layout", "permalink", "weight", "aliases", "image", "images", "type",
                 "extra", "template", "series", "toc", "math", "comments", "cover",
                 "featured"}
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_ID_SCHEMES = frozenset({"tag", "urn", "http", "https"})  # what feed ids are made of


class Fields:
    """One source's front matter while it is read: what the field functions share."""

    __slots__ = ("_lines", "aliased", "config", "meta", "problems", "source")

    def __init__(self, source: Source, config: Config) -> None:
        self.source = source
        self.config = config
        self.meta = source.metadata
        self.aliased = not _ALIASED.isdisjoint(self.meta)  # has another generator's keys
        self.problems: list[Problem] = list(source.warnings)
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
        if key in _KNOWN or not isinstance(key, str):
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
    if not title and (f.meta.get("title") is None or isinstance(f.meta.get("title"), str)):
        # (a title of the wrong type was reported by f.text already)
        f.bad("title", "title is missing or empty", "add 'title: ...' to the front matter")
    return title


def date_field(f: Fields, name: str) -> datetime | None:
    """The date from the first of `DATE_SOURCES` present: a date key, else a date the
    file's `name`, its folders or a path key start with."""
    for source in DATE_SOURCES:
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
    for name in UPDATED_KEYS:
        if f.meta.get(name) is not None:
            key = name
            updated = _date(f, key, f.meta[key], key, f"write it as {ACCEPTED}")
            break
    if published and updated and updated < published:
        if not _day_of(updated, published):
            f.warn(key, f"{key} is earlier than date; using date")
        updated = published
    return updated


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
            return parse_people(numbers_as_text(value, f.source.front_matter), key)
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
        key = "description" if meta.get("description") is not None else "excerpt"
    summary = f.text(key) or None
    summary = f.plain(key, summary) if summary else None
    if summary and is_invisible(summary):
        f.bad(key, f"{key} shows nothing: it has only invisible characters",
              f"write a {key} readers can see, or remove it")
    return summary


# The keys that give tags, in the order their tags come, and how each splits text:
# at commas; Jekyll's way for `categories` (at white space, as Jekyll splits
# "jekyll update"; at commas if it has any); not at all for one `category` (Pelican's
# and Jekyll's single category, which may hold spaces). Hugo's and Jekyll's
# `categories` and Hugo's `keywords` are lists as a rule. Then Zola's [taxonomies].
_TAG_KEYS = (("tags", ","), ("categories", "jekyll"), ("category", None), ("keywords", ","))


def tags_field(f: Fields) -> tuple[str, ...]:
    """Distinct non-empty tags, in their order, as plain text: those of `tags`, then
    `categories`, `category`, `keywords`, then every list in Zola's `taxonomies`
    table (taxonomies = { tags = [...], categories = [...] })."""
    value = f.meta.get("tags")
    tags = _tags_of(f, "tags", "tags", value, ",") if value is not None else []
    if f.aliased:
        meta = f.meta
        for key, split in _TAG_KEYS[1:]:
            value = meta.get(key)
            if value is not None:
                tags += _tags_of(f, key, key, value, split)
        taxonomies = meta.get("taxonomies")
        if taxonomies is not None:
            tags += _taxonomy_tags(f, taxonomies)
    return tuple(dict.fromkeys(t for t in tags if t)) if tags else ()


def _tags_of(f: Fields, key: str, label: str, value: Any, split: str | None) -> list[str]:
    return [f.plain(key, t) for t in _tag_list(
        f, key, label, numbers_as_text(value, f.source.front_matter), split)]


def _taxonomy_tags(f: Fields, taxonomies: Any) -> list[str]:
    """Zola's taxonomies: every term of every one becomes a tag."""
    if not isinstance(taxonomies, dict):
        f.bad("taxonomies", f"taxonomies must be a table of lists, not "
              f"{type_name(taxonomies)}", "write taxonomies = { tags = [\"a\", \"b\"] }")
        return []
    tags: list[str] = []
    for name, value in taxonomies.items():
        if value is not None:
            tags += _tags_of(f, "taxonomies", f"taxonomies.{name}", value, ",")
    return tags


def _tag_list(f: Fields, key: str, label: str, value: Any,
              split: str | None) -> tuple[str, ...]:
    if isinstance(value, str):
        if split == ",":
            items: list[Any] = value.split(",")
        elif split == "jekyll":
            items = value.split("," if "," in value else None)
        else:
            items = [value]
    elif isinstance(value, list):
        items = value
    else:
        f.bad(key, f"{label} must be a list or {'comma-separated ' if split else ''}text, "
              f"not {type_name(value)}",
              f"write {label}: [news, world]" + (f" or {label}: news, world" if split else ""))
        return ()
    tags: dict[str, None] = {}
    for i, item in enumerate(items):
        if not isinstance(item, str):
            f.bad(key, f"{label}[{i}] is {type_name(item)}, not text", "put the tag in quotes")
            continue
        tag = " ".join(clean_text(item)[0].split())
        if tag and is_invisible(tag):
            f.bad(key, f"{label}[{i}] {tag!r} shows nothing: it has only invisible "
                  "characters", "remove it, or write the tag readers should see")
            continue
        if tag:
            # One string per distinct tag, however many entries carry it: at 100,000
            # entries, about 150 bytes saved per entry.
            tags[sys.intern(tag)] = None
    return tuple(tags)


def numbers_as_text(value: Any, front_matter: str) -> Any:
    """Numbers in a tag list or an author's name as the text they were written as:
    `tags: [2024, python]` gives "2024", as Jekyll and Hugo read it.

    Only a number whose text stands in the front matter as it is (2024, 1.5) becomes
    text; one the parser changed (010 read as 8, 3.10 as 3.1, 1:30 as 90) is left a
    number, for the "put it in quotes" error, rather than published changed.
    """
    if isinstance(value, list):
        return [numbers_as_text(item, front_matter) for item in value]
    if isinstance(value, dict) and "name" in value:
        return {**value, "name": numbers_as_text(value["name"], front_matter)}
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)
        if re.search(rf"(?<![\w.:+-]){re.escape(text)}(?![\w.:])", front_matter):
            return text
    return value


# Pelican's statuses, and WordPress's as jekyll-import writes them (next to
# `published`), in lower case: which keep an entry out of the feed, which do not.
_UNPUBLISHED = frozenset({"draft", "hidden", "skip", "private", "pending", "trash",
                          "auto-draft"})
_PUBLISHED = frozenset({"published", "publish", "future"})
_HUGO_BUILD_KEYS = ("build", "_build")  # _build: Hugo's older name
_HUGO_LIST = {"always": False, "local": False, "never": True}  # list: never leaves it out


def draft_field(f: Fields) -> bool:
    """Whether the entry stays out of the feed (build --drafts puts it in), as each
    generator says so; any one of them is enough:

    - `draft: true` (feedpub's, Hugo's, Zola's, Eleventy's);
    - `published: false` (Jekyll's: the post is not built without --unpublished;
      `published: true` changes nothing, and a date there is Hugo's publish date);
    - `status: draft`, `hidden` or `skip` (Pelican's statuses, in any letter case;
      `published` is the default), and WordPress's `private`, `pending`, `trash` or
      `auto-draft` (jekyll-import writes them); another status is an error, as
      Pelican skips such a file with an error;
    - `build: {list: never}` (or `_build`, or `list: false`): Hugo lists the page
      nowhere, its feeds included (`always` and `local` change nothing here).
    """
    meta = f.meta
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        f.bad("draft", f"draft must be true or false, not {type_name(draft)}",
              "write draft: true or draft: false, without quotes")
        draft = False
    if not f.aliased:
        return draft
    if meta.get("published") is False:
        draft = True
    if meta.get("status") is not None and _status_unpublished(f):
        draft = True
    for key in _HUGO_BUILD_KEYS:
        options = meta.get(key)
        # (only a mapping is Hugo's build options; anything else is the site's own)
        if isinstance(options, dict) and _never_listed(f, key, options):
            draft = True
    return draft


def _status_unpublished(f: Fields) -> bool:
    status = f.text("status")
    if status is None:  # not text: reported
        return False
    status = status.lower()
    if status in _UNPUBLISHED:
        return True
    if status not in _PUBLISHED:
        f.bad("status", f"status {status!r} is not published, draft or hidden",
              "write status: published, or status: draft to leave the entry out")
    return False


def _never_listed(f: Fields, key: str, options: dict[Any, Any]) -> bool:
    listed = options.get("list")
    if listed is None:
        return False
    if isinstance(listed, bool):  # Hugo's older form: false is never, true always
        return not listed
    found = _HUGO_LIST.get(listed.lower()) if isinstance(listed, str) else None
    if found is None:
        f.bad(key, f"{key}.list must be always, local or never, not {listed!r}",
              f"write {key}: {{list: never}} to leave the entry out of lists and feeds")
        return False
    return found


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
               slug: str | None) -> str | None:
    """The front matter's link, else the permalink of the entry's page on the site."""
    link = _given_link(f) if f.meta.get("link") is not None else None
    if link is None and published is not None and slug is not None:
        config = f.config
        link = permalink(config, slug, name, f.source.rel, published)
        if not link.startswith(origin(config.url)):  # the pattern must stay on the site
            f.bad("slug", f"the permalink pattern makes this entry's link {link}, which is "
                  "not on the site", "check feed.permalink and this entry's slug")
    return link


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
