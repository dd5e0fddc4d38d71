"""feedpub.toml's keys, one function each, and `FIELDS`: the table `load.validate_config`
goes through, in the order problems are reported.

Each function takes the `Check` under way (the [feed] table, the problems found so
far and the values made so far), reports its key's problems and returns the value
for `Config`: the default when the key is invalid.
"""

from __future__ import annotations

import contextlib
import re
import string
from datetime import UTC, tzinfo
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from feedpub.base.people import Person, PersonError, is_absolute_http_url, parse_person, type_name
from feedpub.base.problems import ConfigError, Problem, did_you_mean, error
from feedpub.base.text import clean_text, normalise_language
from feedpub.base.urls import iri_to_uri
from feedpub.config.model import (
    CONFIG_NAME,
    DEFAULT_MAX_ENTRY_SIZE,
    EXAMPLE,
    FORMATS,
    PELICAN_FIELDS,
    PERMALINK_FIELDS,
)
from feedpub.config.site import PLAIN, Site


class Check:
    """One config file while it is validated: what the key functions share.

    `overrides` are feed keys given on the command line (--output, --url): their
    problems are reported as the option's. `source_text` is the file as read, for
    the lines of messages (read again from `path` if not given).
    """

    def __init__(self, path: Path, source_text: str | None,
                 overrides: dict[str, str]) -> None:
        self.path = path
        self.source_text = source_text
        self.overrides = overrides
        self.feed: dict[str, Any] = {}
        self.problems: list[Problem] = []
        self.values: dict[str, Any] = {}  # Config's fields made so far, by attribute
        self._lines: dict[str, int] = {}
        self.site: Site = PLAIN
        self.tables: dict[str, Any] = {}  # the other tables ([websub], [archive]), by name
        self.from_site: dict[str, str] = {}  # feed key -> the site's settings file it came from
        self.origins: list[str] = []  # where values came from, for `check` to say

    def take_from_site(self, key: str, value: Any, label: str | None = None) -> None:
        """Use the site's `value` for feed.`key` unless feedpub.toml gives one (which
        wins); either way, say so in `origins`."""
        if value is None or self.site.file is None:
            return
        name = self.site.file.name
        label = label or key
        if key in self.feed:
            if self.feed[key] != value:
                self.origins.append(f"feed.{key} from {CONFIG_NAME} wins over {name}'s "
                                    f"{label} ({value!r})")
            return
        self.feed[key] = value
        self.from_site[key] = name
        self.origins.append(f"feed.{key} from {name}'s {label}: {value!r}")

    def bad(self, key: str, message: str, hint: str | None = None) -> None:
        if key in self.from_site:
            self.problems.append(error(f"{message} (the value is the site's, from "
                                       f"{self.from_site[key]})", self.from_site[key],
                                       hint=hint))
            return
        if key in self.overrides:
            self.problems.append(error(message.replace(f"feed.{key}", f"--{key}"), hint=hint))
            return
        if not self._lines:  # found only when a message needs them, from the text already read
            self._lines.update(_key_lines(self.source_text if self.source_text is not None
                                          else _read_text(self.path)))
        self.problems.append(error(message, self.path.name, self._lines.get(key), hint))

    def text(self, key: str, required: bool = False, default: str | None = None) -> str | None:
        """feed.`key` as stripped text; `default` if it is absent or invalid."""
        value = self.feed.get(key)
        if value is None:
            if required:
                self.bad(key, f"feed.{key} is required", f'add {key} = "..." under [feed]')
            return default
        if not isinstance(value, str):
            self.bad(key, f"feed.{key} must be text, not {type_name(value)}")
            return default
        if not value.strip():
            self.bad(key, f"feed.{key} is empty", f"give it a value, or remove the {key} line "
                     "to use the default" if default is not None or not required else None)
            return default
        if clean_text(value)[1]:
            self.bad(key, f"feed.{key} contains control characters (such as NUL or ESC)",
                     "remove them; they cannot appear in XML")
            return default
        return value.strip()


def feed_table(c: Check, data: dict[str, Any]) -> dict[str, Any]:
    """The [feed] table, with the command line's overrides; every other top-level key
    is reported. Raises ConfigError if there is no [feed] table."""
    for key in data:
        if key not in TABLES:
            guess = did_you_mean(key, TABLES)
            c.bad(key, f"unknown table or key [{key}]",
                  f"did you mean [{guess}]?" if guess else "settings go under [feed]")
    c.tables = {name: data[name] for name in TABLES[1:] if name in data}
    feed = data.get("feed")
    if not isinstance(feed, dict):
        c.bad("feed", "missing the [feed] table", f"start the file with:\n\n{EXAMPLE}")
        raise ConfigError(c.problems)
    return {**feed, **c.overrides}


TABLES = ("feed", "websub", "archive", "podcast", "site")  # feedpub.toml's tables


def title_field(c: Check) -> str:
    return c.text("title", required=True) or ""


def description_field(c: Check) -> str:
    return c.text("description", required=True) or ""


def url_field(c: Check) -> str:
    """feed.url, absolute, in ASCII and ending with "/"."""
    url = c.text("url", required=True) or ""
    with contextlib.suppress(ValueError):  # what cannot be parsed is reported just below
        url = iri_to_uri(url)  # bücher.example -> xn--bcher-kva.example, spaces -> %20
    if url and not is_absolute_http_url(url):
        c.bad("url", f"feed.url {url!r} must be an absolute http(s) URL",
              'for example url = "https://example.org/"')
        url = ""
    return _with_trailing_slash(url) if url else "https://invalid.invalid/"


def language_field(c: Check) -> str | None:
    """feed.language as a BCP 47 tag; a locale name such as "pt_BR" gives "pt-BR"."""
    language = c.text("language")
    if language is None:
        return None
    tag = normalise_language(language)
    if tag is None:
        c.bad("language", f"feed.language {language!r} is not a language tag",
              'use a BCP 47 tag such as "en", "en-GB" or "pt-BR"')
    return tag


def author_field(c: Check) -> Person | None:
    if "author" not in c.feed:
        return None
    try:
        return parse_person(c.feed["author"], "feed.author")
    except PersonError as exc:
        c.bad("author", str(exc), 'for example author = { name = "Jane Doe" }')
        return None


def limit_field(c: Check) -> int:
    limit = c.feed.get("limit", 20)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        c.bad("limit", f"feed.limit must be a whole number, 0 or more, not {limit!r}",
              "0 puts every entry in the feed")
        return 20
    return limit


def timezone_field(c: Check) -> tzinfo:
    tz_name = c.text("timezone", default="UTC") or "UTC"
    if tz_name == "UTC":
        return UTC  # the default needs no time zone database
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        c.bad("timezone", f"feed.timezone {tz_name!r} is not a known IANA time zone",
              'for example "UTC", "Europe/Berlin" or "America/New_York"')
        return UTC


def content_field(c: Check) -> str:
    content = c.text("content", default="full")
    if content not in ("full", "summary"):
        c.bad("content", f'feed.content must be "full" or "summary", not {content!r}')
        return "full"
    return content


def entries_field(c: Check) -> Path:
    return _folder(c.text("entries", default="entries") or "entries", c.path.parent)


def output_field(c: Check) -> Path:
    """feed.output, which must not be the entries folder (made before it) or inside it."""
    output_dir = _folder(c.text("output", default="public") or "public", c.path.parent)
    entries_dir = c.values["entries_dir"]
    if c.site.kind == "jekyll" and entries_dir == c.site.root:
        entries_dir = entries_dir / "_posts"  # only its _posts folders are read
    if output_dir == c.values["entries_dir"] or output_dir == entries_dir \
            or entries_dir in output_dir.parents:
        c.bad("output", "feed.output must not be the entries folder or inside it",
              'for example output = "public"')
    return output_dir


def permalink_field(c: Check) -> str | None:
    permalink = c.text("permalink")
    if permalink is not None and c.site.kind == "pelican":  # Pelican's ARTICLE_URL
        for message in pelican_url_problems(permalink):
            c.bad("permalink", message)
        return permalink
    if permalink is not None:
        for message in permalink_problems(permalink):
            c.bad("permalink", message,
                  "fields: " + ", ".join("{" + f + "}" for f in PERMALINK_FIELDS))
    return permalink


def formats_field(c: Check) -> tuple[str, ...] | None:
    """feed.formats: the output formats to write (default: all of them)."""
    value = c.feed.get("formats")
    if value is None:
        return None
    hint = "for example formats = " + repr(list(FORMATS)).replace("'", '"')
    if not isinstance(value, list) or not value or \
            not all(isinstance(v, str) for v in value):
        c.bad("formats", "feed.formats must be a list of format names, such as \"rss\"",
              hint)
        return None
    for name in value:
        if name not in FORMATS:
            guess = did_you_mean(name, FORMATS)
            c.bad("formats", f"feed.formats has unknown format {name!r}",
                  f"did you mean {guess!r}?" if guess else "formats: " + ", ".join(FORMATS))
            return None
    if len(set(value)) < len(value):
        c.bad("formats", "feed.formats names a format twice", hint)
        return None
    return tuple(value)


def max_entry_size_field(c: Check) -> int:
    size = c.feed.get("max_entry_size", DEFAULT_MAX_ENTRY_SIZE)
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        c.bad("max_entry_size", f"feed.max_entry_size must be a positive number of bytes, "
              f"not {size!r}", "for example max_entry_size = 20_000_000")
        return DEFAULT_MAX_ENTRY_SIZE
    return size




def permalink_problems(pattern: str) -> list[str]:
    """What is wrong with a feed.permalink pattern (nothing: an empty list)."""
    try:
        parsed = [(f, spec, conv) for _, f, spec, conv in string.Formatter().parse(pattern)
                  if f is not None]
    except ValueError as exc:
        return [f"feed.permalink {pattern!r} is not a valid pattern: {exc}"]
    fields = [f for f, _, _ in parsed]
    if any(c.isspace() or not c.isprintable() for c in pattern):
        return [f"feed.permalink {pattern!r} contains white space or control characters, "
                "which URLs drop or refuse"]
    unknown = [f for f in fields if f not in PERMALINK_FIELDS]
    problems = [f"feed.permalink has unknown field {{{f}}}" for f in unknown]
    if any(spec or conv for _, spec, conv in parsed):
        problems.append("feed.permalink fields take no formats or conversions "
                        "(write {year}, not {year!r} or {year:>4})")
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", pattern) or pattern.startswith("//"):
        problems.append("feed.permalink must be a path on the site, such as "
                        '"/{year}/{name}/", not a full URL')
    if "name" not in fields and "slug" not in fields:
        problems.append("feed.permalink must contain {name} or {slug}, "
                        "or every entry would get the same link")
    return problems


def pelican_url_problems(pattern: str) -> list[str]:
    """What is wrong with a Pelican ARTICLE_URL pattern ({slug}, {date:%Y}, ...)."""
    try:
        fields = [(f, spec) for _, f, spec, _ in string.Formatter().parse(pattern)
                  if f is not None]
    except ValueError as exc:
        return [f"feed.permalink {pattern!r} is not a valid pattern: {exc}"]
    problems = [f"feed.permalink has unknown field {{{f}}} (Pelican's fields: "
                + ", ".join("{" + n + "}" for n in PELICAN_FIELDS) + ")"
                for f, _ in fields if f not in PELICAN_FIELDS]
    if any(spec and f != "date" for f, spec in fields):
        problems.append("feed.permalink: only {date} takes a format, such as {date:%Y}")
    if not any(f == "slug" for f, _ in fields):
        problems.append("feed.permalink must contain {slug}, or every entry would get the "
                        "same link")
    return problems


def _folder(value: str, root: Path) -> Path:
    return (root / value).resolve()


def _with_trailing_slash(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def _read_text(path: Path) -> str:
    try:
        return path.read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""


def _key_lines(text: str) -> dict[str, int]:
    """Line numbers of `key =` lines, so a bad value's message can point at it."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"\s*\[?\s*([A-Za-z0-9_-]+)\s*[=\]]", line)
        if match:
            lines.setdefault(match.group(1), number)
    return lines
