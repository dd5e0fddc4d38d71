"""feedpub.toml: find it, read it, validate every key into a frozen `Config`."""

from __future__ import annotations

import contextlib
import hashlib
import re
import string
import tomllib
from dataclasses import dataclass, replace
from datetime import UTC, tzinfo
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit, urlunsplit

from feedpub.base.people import Person, PersonError, is_absolute_http_url, parse_person, type_name
from feedpub.base.problems import ConfigError, Problem, did_you_mean, error
from feedpub.base.regular import RefusedFile, read_regular_file
from feedpub.base.text import clean_text
from feedpub.base.urls import iri_to_uri

CONFIG_NAME = "feedpub.toml"
RSS_NAME = "rss.xml"
ATOM_NAME = "atom.xml"

DEFAULT_MAX_ENTRY_SIZE = 10 * 1024 * 1024
PERMALINK_FIELDS = ("year", "month", "day", "name", "slug", "folder")
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")

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
    digest: str = ""  # SHA-256 of the file's bytes as read (for the build cache)

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def host(self) -> str:
        """The site's host in ASCII (IDNA), as a tag URI needs it."""
        return _host(self.url)

    @property
    def rss_path(self) -> Path:
        return self.output_dir / RSS_NAME

    @property
    def atom_path(self) -> Path:
        return self.output_dir / ATOM_NAME

    @property
    def rss_url(self) -> str:
        # The output folder is served as the site's root: public/rss.xml is url + rss.xml.
        return self.url + RSS_NAME

    @property
    def atom_url(self) -> str:
        return self.url + ATOM_NAME

    def display(self, path: Path) -> str:
        """A path as the user should see it: relative to the config's folder."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return str(path)


def find_config(start: Path) -> Path:
    """feedpub.toml in `start` or the nearest parent folder that has one."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError([error(
        f"no {CONFIG_NAME} in {start} or any folder above it",
        hint=f"create {CONFIG_NAME} in your site's folder, for example:\n\n{EXAMPLE}\n"
             "or name one with --config FILE",
    )])


def load_config(path: Path, *, output: Path | None = None, url: str | None = None) -> Config:
    """Read and validate a config file; every problem is reported at once.

    `output` and `url` (the command line's --output and --url) replace the file's
    feed.output and feed.url: `output` relative to the current folder, as paths on
    a command line are.
    """
    path = Path(path).absolute()
    display = path.name
    try:
        raw = read_regular_file(path, 1024 * 1024)  # no config file comes near a megabyte
    except FileNotFoundError:
        raise ConfigError([error(f"config file {path} does not exist",
                                 hint=f"create it, for example:\n\n{EXAMPLE}")]) from None
    except OSError as exc:
        raise ConfigError([error(f"cannot read {path}: {exc.strerror}")]) from None
    except RefusedFile as exc:  # a FIFO, a device (/dev/zero), a folder; or too large
        raise ConfigError([error(f"cannot read {path}: {exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError([error(f"is not UTF-8 (bad byte at offset {exc.start})", display,
                                 line, hint="save the file as UTF-8")]) from None
    except tomllib.TOMLDecodeError as exc:
        line = _toml_error_line(str(exc))
        raise ConfigError([error(f"invalid TOML: {_strip_position(str(exc))}", display, line,
                                 hint="see https://toml.io for the syntax")]) from None
    overrides = {}
    if output is not None:
        overrides["output"] = str(Path(output).absolute())
    if url is not None:
        overrides["url"] = url
    config = validate_config(data, path, source_text=text, overrides=overrides)
    digest = hashlib.sha256(raw)
    for key, value in sorted(overrides.items()):  # they change the output: the cache's key
        digest.update(f"\0{key}={value}".encode("utf-8", "surrogateescape"))
    return replace(config, digest=digest.hexdigest())


def validate_config(data: dict[str, Any], path: Path,
                    source_text: str | None = None,
                    overrides: dict[str, str] | None = None) -> Config:
    """The validated Config; `source_text` is the file as read (for messages' lines).

    `overrides` are feed keys given on the command line (--output, --url): they win
    over the file's, and their problems are reported as the option's.
    """
    display = path.name
    problems: list[Problem] = []
    lines: dict[str, int] = {}
    overrides = overrides or {}

    def bad(key: str, message: str, hint: str | None = None) -> None:
        if key in overrides:
            problems.append(error(message.replace(f"feed.{key}", f"--{key}"), hint=hint))
            return
        if not lines:  # found only when a message needs them, from the text already read
            lines.update(_key_lines(source_text if source_text is not None
                                    else _read_text(path)))
        problems.append(error(message, display, lines.get(key), hint))

    for key in data:
        if key != "feed":
            guess = did_you_mean(key, ["feed"])
            bad(key, f"unknown table or key [{key}]",
                f"did you mean [{guess}]?" if guess else "settings go under [feed]")
    feed = data.get("feed")
    if not isinstance(feed, dict):
        bad("feed", "missing the [feed] table", f"start the file with:\n\n{EXAMPLE}")
        raise ConfigError(problems)
    feed = {**feed, **overrides}

    known = ("title", "description", "url", "language", "author", "limit", "timezone",
             "content", "entries", "output", "permalink", "max_entry_size")
    for key in feed:
        if key not in known:
            guess = did_you_mean(key, known)
            bad(key, f"unknown key feed.{key}",
                f"did you mean {guess!r}?" if guess else "known keys: " + ", ".join(known))

    def text(key: str, required: bool = False, default: str | None = None) -> str | None:
        value = feed.get(key)
        if value is None:
            if required:
                bad(key, f"feed.{key} is required", f'add {key} = "..." under [feed]')
            return default
        if not isinstance(value, str):
            bad(key, f"feed.{key} must be text, not {type_name(value)}")
            return default
        if not value.strip():
            bad(key, f"feed.{key} is empty", f"give it a value, or remove the {key} line "
                "to use the default" if default is not None or not required else None)
            return default
        if clean_text(value)[1]:
            bad(key, f"feed.{key} contains control characters (such as NUL or ESC)",
                "remove them; they cannot appear in XML")
            return default
        return value.strip()

    title = text("title", required=True) or ""
    description = text("description", required=True) or ""

    url = text("url", required=True) or ""
    with contextlib.suppress(ValueError):  # what cannot be parsed is reported just below
        url = iri_to_uri(url)  # bücher.example -> xn--bcher-kva.example, spaces -> %20
    if url and not is_absolute_http_url(url):
        bad("url", f"feed.url {url!r} must be an absolute http(s) URL",
            'for example url = "https://example.org/"')
        url = ""
    url = _with_trailing_slash(url) if url else "https://invalid.invalid/"

    language = text("language")
    if language is not None and not _LANGUAGE.match(language):
        bad("language", f"feed.language {language!r} is not a language tag",
            'use a BCP 47 tag such as "en", "en-GB" or "pt-BR"')
        language = None

    author = None
    if "author" in feed:
        try:
            author = parse_person(feed["author"], "feed.author")
        except PersonError as exc:
            bad("author", str(exc), 'for example author = { name = "Jane Doe" }')

    limit = feed.get("limit", 20)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        bad("limit", f"feed.limit must be a whole number, 0 or more, not {limit!r}",
            "0 puts every entry in the feed")
        limit = 20

    tz_name = text("timezone", default="UTC") or "UTC"
    timezone: tzinfo = UTC  # the default needs no time zone database
    if tz_name != "UTC":
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            timezone = ZoneInfo(tz_name)
        except (ZoneInfoNotFoundError, ValueError):
            bad("timezone", f"feed.timezone {tz_name!r} is not a known IANA time zone",
                'for example "UTC", "Europe/Berlin" or "America/New_York"')

    content = text("content", default="full")
    if content not in ("full", "summary"):
        bad("content", f'feed.content must be "full" or "summary", not {content!r}')
        content = "full"

    root = path.parent
    entries_dir = _folder(text("entries", default="entries") or "entries", root)
    output_dir = _folder(text("output", default="public") or "public", root)
    if output_dir == entries_dir or entries_dir in output_dir.parents:
        bad("output", "feed.output must not be the entries folder or inside it",
            'for example output = "public"')

    permalink = text("permalink")
    if permalink is not None:
        for message in _permalink_problems(permalink):
            bad("permalink", message,
                "fields: " + ", ".join("{" + f + "}" for f in PERMALINK_FIELDS))

    max_entry_size = feed.get("max_entry_size", DEFAULT_MAX_ENTRY_SIZE)
    if isinstance(max_entry_size, bool) or not isinstance(max_entry_size, int) \
            or max_entry_size <= 0:
        bad("max_entry_size", f"feed.max_entry_size must be a positive number of bytes, "
            f"not {max_entry_size!r}", "for example max_entry_size = 20_000_000")
        max_entry_size = DEFAULT_MAX_ENTRY_SIZE

    if problems:
        raise ConfigError(problems)
    return Config(path=path, title=title, description=description, url=url,
                  language=language, author=author, limit=limit, timezone=timezone,
                  content=content,  # type: ignore[arg-type]
                  entries_dir=entries_dir, output_dir=output_dir, permalink=permalink,
                  max_entry_size=max_entry_size)


def _folder(value: str, root: Path) -> Path:
    return (root / value).resolve()


def _with_trailing_slash(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    return urlunsplit((parts.scheme, parts.netloc.lower(), path, "", ""))


def _permalink_problems(pattern: str) -> list[str]:
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


def _toml_error_line(message: str) -> int | None:
    match = re.search(r"at line (\d+)", message)
    return int(match.group(1)) if match else None


def _strip_position(message: str) -> str:
    return re.sub(r"\s*\(at line \d+, column \d+\)", "", message)


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


@lru_cache(maxsize=8)
def _host(url: str) -> str:
    return urlsplit(url).hostname or ""
