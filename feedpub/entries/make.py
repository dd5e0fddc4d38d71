"""Entries: one file's front matter validated and normalised into an immutable `Entry`."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

from feedpub.base.people import (
    Person,
    PersonError,
    is_absolute_http_url,
    is_invisible,
    parse_people,
    type_name,
)
from feedpub.base.problems import Problem, did_you_mean, error, warning
from feedpub.base.text import clean_text, plain_text
from feedpub.base.urls import iri_to_uri
from feedpub.config.load import Config
from feedpub.content.source import Source
from feedpub.entries.dates import (
    ACCEPTED,
    DateError,
    date_from_filename,
    impossible_part,
    parse_date,
    strip_date_prefix,
)

KNOWN_KEYS = ("title", "date", "updated", "author", "summary", "tags", "id", "slug",
              "link", "draft", "lang")
_KNOWN = frozenset(KNOWN_KEYS)
# Keys other tools write that we knowingly ignore (no "did you mean" for them).
_FOREIGN_KEYS = {"layout", "categories", "category", "permalink", "description", "excerpt",
                 "lastmod", "weight", "aliases", "image", "images", "authors", "type",
                 "taxonomies", "extra", "template", "series", "keywords", "toc", "math",
                 "comments", "published", "status", "modified", "cover", "featured"}
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")
_ID_SCHEMES = frozenset({"tag", "urn", "http", "https"})  # what feed ids are made of
_FILE_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}-")
_LANG = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


@dataclass(frozen=True, slots=True)
class Entry:
    """One post, validated and normalised; the body is still Markdown."""

    source: str  # the file, as shown to the user
    title: str
    published: datetime
    updated: datetime
    authors: tuple[Person, ...]
    summary: str | None  # from the front matter; else derived when rendering
    tags: tuple[str, ...]
    id: str
    slug: str
    link: str
    base: str  # what relative URLs in the body resolve against
    draft: bool
    lang: str | None
    body: str | None  # Markdown (<!--more--> ends the excerpt); None: not kept, see body_of
    path: str  # the file, as the operating system names it
    rel: str  # the file inside the entries folder


def make_entry(source: Source, config: Config, *, with_body: bool = True,
               ) -> tuple[Entry | None, list[Problem]]:
    """Validate one source's front matter. Returns (entry or None, problems).

    Without `with_body` the entry's body is None (see `loading.body_of`).
    """
    meta = source.metadata
    display = source.display
    problems: list[Problem] = list(source.warnings)

    lines: dict[str, int] = {}

    def at(key: str) -> int | None:
        if not lines:  # found only when a message needs them
            lines.update(source.key_lines)
        return lines.get(key)

    def bad(key: str, message: str, hint: str | None = None) -> None:
        problems.append(error(message, display, at(key), hint))

    def text_field(key: str) -> str | None:
        value = meta.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            bad(key, f"{key} must be text, not {type_name(value)}",
                f"put the {key} in quotes")
            return None
        # The file's text was cleaned when read; only an escape such as "\x07"
        # in the front matter can bring a control character back.
        cleaned, removed = clean_text(value) if source.escapes else (value, 0)
        if removed:
            problems.append(warning(f"{key} contained {removed} control character(s) that "
                                    "XML cannot carry; they were removed", display, at(key)))
        return " ".join(cleaned.split())

    for key in meta:
        if key in _KNOWN or not isinstance(key, str) or key.lower() in _FOREIGN_KEYS:
            continue
        guess = did_you_mean(key, KNOWN_KEYS)
        if guess:
            problems.append(warning(f"unknown key {key!r} is ignored", display, at(key),
                                    f"did you mean {guess!r}?"))

    def plain(key: str, value: str) -> str:
        text = plain_text(value)
        if text is value:
            return value
        problems.append(warning(
            f"{key} contains HTML; feeds carry it as plain text, so it becomes {text!r}",
            display, at(key), hint=f"write the {key} without tags or &...; references"))
        return text

    if "#" in source.front_matter:
        problems.extend(comment_cuts(source))

    title = text_field("title")
    title = plain("title", title) if title else title
    if title and is_invisible(title):
        bad("title", f"title {title!r} shows nothing: it has only invisible characters "
            "(zero-width or format characters)", "write a title readers can see")
        title = None
    elif not title and (meta.get("title") is None or isinstance(meta.get("title"), str)):
        # (a title of the wrong type was reported by text_field already)
        bad("title", "title is missing or empty", "add 'title: ...' to the front matter")

    def date_field(key: str, value: Any, label: str, hint: str) -> datetime | None:
        try:
            return parse_date(value, config.timezone)
        except DateError as exc:
            bad(key, f"{label} {exc}", exc.hint or hint)
            return None

    name = source.rel.rpartition("/")[2]
    file_date = date_from_filename(name)
    published = None
    if meta.get("date") is not None:
        published = date_field("date", meta["date"], "date", f"write it as {ACCEPTED}")
    elif file_date is not None:
        published = date_field("date", file_date, "the date in the file name",
                               "rename the file or add 'date:'")
    elif (impossible := impossible_part(name)) and _FILE_DATE_SHAPE.match(name):
        bad("date", f"the date in the file name, {name[:10]}, does not exist: {impossible}",
            "rename the file or add 'date:'")
    else:
        bad("date", "date is missing",
            "add 'date: YYYY-MM-DD' or start the file name with YYYY-MM-DD-")

    updated = published
    if meta.get("updated") is not None:
        updated = date_field("updated", meta["updated"], "updated",
                             f"write it as {ACCEPTED}")
    if published and updated and updated < published:
        problems.append(warning("updated is earlier than date; using date", display,
                                at("updated")))
        updated = published

    authors: tuple[Person, ...] = ()
    if meta.get("author") is not None:
        try:
            authors = parse_people(numbers_as_text(meta["author"], source.front_matter))
        except PersonError as exc:
            bad("author", str(exc), 'write author: "Name" or author: "Name <email>"')
    elif config.author is not None:
        authors = (config.author,)
    else:
        bad("author", "no author: the entry has none and feed.author is not set",
            "add 'author: Your Name' here, or author = { name = \"...\" } to feedpub.toml")

    summary = text_field("summary") or None
    summary = plain("summary", summary) if summary else None
    if summary and is_invisible(summary):
        bad("summary", "summary shows nothing: it has only invisible characters",
            "write a summary readers can see, or remove it")
    tag_values = numbers_as_text(meta.get("tags"), source.front_matter)
    tags = tuple(plain("tags", t) for t in _tags(tag_values, lambda m, h=None: bad("tags", m, h)))
    tags = tuple(dict.fromkeys(t for t in tags if t))

    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        bad("draft", f"draft must be true or false, not {type_name(draft)}",
            "write draft: true or draft: false, without quotes")
        draft = False

    lang = text_field("lang")
    if lang is not None and not _LANG.match(lang):
        bad("lang", f"lang {lang!r} is not a language tag", 'use a BCP 47 tag such as "de"')
        lang = None

    slug = _slug(meta.get("slug"), source.rel, lambda m, h=None: bad("slug", m, h))

    link = None
    if meta.get("link") is not None:
        value = text_field("link")
        if value:
            try:
                link = iri_to_uri(urljoin(config.url, value))
            except ValueError:
                bad("link", f"link {value!r} is not a URL")
            else:
                if not is_absolute_http_url(link):
                    bad("link", f"link {value!r} is not an http(s) URL with a valid host "
                        "and port", "for example link: https://example.org/some/article")
    if link is None and published is not None and slug is not None:
        link = permalink(config, slug, name, source.rel, published)
        if not link.startswith(_origin(config.url)):  # the pattern must stay on the site
            bad("slug", f"the permalink pattern makes this entry's link {link}, which is "
                "not on the site", "check feed.permalink and this entry's slug")

    entry_id = None
    if meta.get("id") is not None:
        value = meta["id"]
        entry_id = value if isinstance(value, str) else None
        if entry_id is None or not _URI.match(entry_id.strip()) or clean_text(entry_id)[1] \
                or entry_id.strip().partition(":")[0].lower() not in _ID_SCHEMES:
            bad("id", f"id {value!r} is not a tag:, urn: or http(s) URI",
                "use a URI such as tag:example.org,2021:my-post or urn:uuid:..., "
                "or remove it to let feedpub make one")
            entry_id = None
        else:
            entry_id = entry_id.strip()
    elif published is not None and slug is not None:
        entry_id = tag_uri(config.host, published, slug)

    if any(p.severity == "error" for p in problems):
        return None, problems
    assert title and published and updated and slug and link and entry_id
    # Relative URLs in the body resolve against the entry's page on this site; a
    # link post whose link is another site's article still has its page here.
    base = link if link.startswith(_origin(config.url)) \
        else config.url + _quoted_path(slug) + "/"
    return Entry(source=display, title=title, published=published, updated=updated,
                 authors=authors, summary=summary, tags=tags, id=entry_id, slug=slug,
                 link=link, base=base, draft=draft, lang=lang,
                 body=source.body if with_body else None,
                 path=source.path, rel=source.rel), problems


# Plain-text fields whose unquoted YAML values are cut short by a " #" comment.
_CUT_WATCHED = frozenset({"title", "summary", "author", "tags"})
_YAML_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s+(.*))?$")
_NESTED_VALUE = re.compile(r"(?:-\s+)?(?:[A-Za-z_][A-Za-z0-9_-]*\s*:\s+)?(.*)$")
_NOT_PLAIN = frozenset("\"'[{|>&*!%@`#")


def comment_cuts(source: Source) -> list[Problem]:
    """A warning for each unquoted title, summary, author or tag that YAML cut short:
    ``title: Fixed issue #42`` is "Fixed issue", the rest read as a comment."""
    problems = []
    key = None
    for offset, line in enumerate(source.front_matter.split("\n")):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] not in " \t-":
            match = _YAML_KEY.match(line)
            key, value = (match[1], match[2] or "") if match else (None, "")
        else:
            value = _NESTED_VALUE.match(line.strip())[1]  # type: ignore[index]
        if key not in _CUT_WATCHED or not value:
            continue
        if value[0] in "|>" or (value[0] in "\"'" and not _closed_quote(value)):
            key = None  # a block scalar or a quoted value that goes on: '#' is text there
            continue
        if value[0] in _NOT_PLAIN:
            continue
        at = value.find(" #")
        if at == -1:
            at = value.find("\t#")
        if at == -1:
            continue
        kept, rest = value[:at].rstrip(), value[at:].strip()
        problems.append(warning(
            f"{key} was cut short: YAML reads {rest!r} as a comment, leaving {kept!r}",
            source.display, source.front_matter_line + offset,
            hint=f"put the whole value in quotes: {_double_quoted(kept + ' ' + rest)} "
                 "(or move a comment "
                 "that is meant to its own line)"))
    return problems


def _closed_quote(value: str) -> bool:
    """Whether a value that starts with a quote closes it on the same line."""
    quote_mark = value[0]
    if quote_mark == "'":
        return "'" in value.replace("''", "")[1:]
    return re.search(r'(?<!\\)(?:\\\\)*"', value[1:]) is not None


def _double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def permalink(config: Config, slug: str, name: str, rel: str, published: datetime) -> str:
    """The entry's web page: url + slug + '/', or the config's permalink pattern
    resolved against url like a link ("/" at its start means the host's root)."""
    if not config.permalink:
        return config.url + _quoted_path(slug) + "/"
    folder = rel.rpartition("/")[0]
    fields = {
        "year": f"{published.year:04d}", "month": f"{published.month:02d}",
        "day": f"{published.day:02d}",
        "name": quote(strip_date_prefix(name.rpartition(".")[0] or name), safe=""),
        "slug": _quoted_path(slug),
        "folder": quote(folder, safe="/"),
    }
    path = config.permalink.format_map(fields)
    # Resolved against feed.url as a link is: "/..." from the root of the site's host,
    # anything else under feed.url. An empty field leaves no "//" (nor a leading "/").
    rooted = config.permalink.startswith("/")
    path = ("/" if rooted else "") + re.sub(r"/{2,}", "/", path).lstrip("/")
    return iri_to_uri(urljoin(config.url, path))


@lru_cache(maxsize=8)
def _origin(url: str) -> str:
    """https://example.org/blog/ -> "https://example.org/" (scheme, host and a slash)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def tag_uri(host: str, published: datetime, slug: str) -> str:
    """An RFC 4151 tag URI: stable when the site moves path or the link pattern changes."""
    return f"tag:{host},{published.date().isoformat()}:{_quoted_path(slug)}"


_UNRESERVED_PATH = re.compile(r"[A-Za-z0-9_.~/-]*")


def _quoted_path(path: str) -> str:
    """quote(path, safe="/"), without its cost for the common all-unreserved path."""
    return path if _UNRESERVED_PATH.fullmatch(path) else quote(path, safe="/")


def _slug(value: Any, rel: str, bad: Any) -> str | None:
    if value is None:
        return rel.rpartition(".")[0] or rel  # the path without ".md"
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        bad(f"slug must be non-empty text, not {type_name(value)}")
        return None
    slug = value.strip().strip("/")
    parts = slug.split("/")
    if any(p in ("", ".", "..") for p in parts) or "\\" in slug:
        bad(f"slug {value!r} may not contain empty, '.' or '..' parts or backslashes",
            "use letters, digits, '-' and '/' only")
        return None
    return slug


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


def _tags(value: Any, bad: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        items: list[Any] = value.split(",")
    elif isinstance(value, list):
        items = value
    else:
        bad(f"tags must be a list or comma-separated text, not {type_name(value)}",
            "write tags: [news, world] or tags: news, world")
        return ()
    tags: dict[str, None] = {}
    for i, item in enumerate(items):
        if not isinstance(item, str):
            bad(f"tags[{i}] is {type_name(item)}, not text", "put the tag in quotes")
            continue
        tag = " ".join(clean_text(item)[0].split())
        if tag and is_invisible(tag):
            bad(f"tags[{i}] {tag!r} shows nothing: it has only invisible characters",
                "remove it, or write the tag readers should see")
            continue
        if tag:
            # One string per distinct tag, however many entries carry it: at 100,000
            # entries, about 150 bytes saved per entry.
            tags[sys.intern(tag)] = None
    return tuple(tags)
