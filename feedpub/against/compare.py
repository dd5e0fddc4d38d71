"""`feedpub check --against`: what readers would notice, compared with the feed as published.

Each published item is matched to the current entry it is, and then its id and
link are compared: a changed id makes every reader show the post as new again
(an error); a changed link breaks bookmarks (a warning); an item that matches no
entry is gone (a warning).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import unquote

import yaml

from feedpub.against.published import (
    PublishedFeed,
    PublishedFeedError,
    PublishedItem,
    is_url,
    read_published,
)
from feedpub.base.problems import Problem, error, shown, warning
from feedpub.config.model import Config
from feedpub.content.handlers.yaml import SafeYAMLHandler
from feedpub.entries.model import Entry
from feedpub.outputs.registry import by_name

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")  # what an entry's `id:` must be
_CLOSING = {"YAML": re.compile(r"^(?:-{3,}|\.{3})\s*$"), "TOML": re.compile(r"^\+{3,}\s*$"),
            "JSON": re.compile(r"^}$")}
_YAML = SafeYAMLHandler()


def compare_with_published(config: Config, entries: Sequence[Entry],
                           against: str) -> list[Problem]:
    """Ids and links that changed since the feed as published now, and items that vanished."""
    where = config.display(config.path)
    try:
        published = read_published(against)
    except PublishedFeedError as exc:
        return [error(f"--against {against}: {exc}", where)]
    problems = _self_link_notes(config, published, against)
    for found in match_items(published.items, entries):
        if found.entry is None:
            problems.append(_gone(found, where))
        else:
            problems.extend(_changes(found, config))
    return problems


def _self_link_notes(config: Config, published: PublishedFeed, against: str) -> list[Problem]:
    where = config.display(config.path)
    problems: list[Problem] = []
    ours = by_name(config, published.kind).url(config)
    if published.self_link and published.self_link != ours:
        problems.append(warning(
            f"the published {published.kind.upper()} feed's self link is "
            f"{published.self_link}, but feedpub writes {ours}", where,
            hint="make feed.url the address the output folder is served from"))
    if is_url(against) and against != ours:
        problems.append(warning(f"the feed was read from {against}, but its self link "
                                f"will be {ours}", where))
    return problems


# -- matching ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Match:
    """A published item and the current entry it is (None: none is), and how it was found."""

    item: PublishedItem
    entry: Entry | None
    by: str | None = None  # "id", "link" or "title and date"
    rivals: tuple[Entry, ...] = ()  # unmatched: the entries that fitted it equally well


def match_items(items: Sequence[PublishedItem], entries: Sequence[Entry]) -> list[Match]:
    """Each published item's entry: by id, then by link, then by title and date.

    Each rule is tried on every item before the next rule, so an entry found by its
    id is not taken by another item's link. A rule matches an item only when
    exactly one entry not yet taken fits it, and no other item of that round wants
    that entry: an ambiguous match is no match. Each entry matches at most one item.

    Title and date: the same title once runs of white space are made one space,
    and the same date: the item's published date (RSS pubDate, else dc:date; Atom
    published) is the same instant as the entry's `date`; without one, the Atom
    updated date may be the same instant as the entry's `date` or its `updated`.
    A feed date without a time of day (a bare Atom day) need only fall on the
    entry's calendar day, in the entry's own time zone.
    """
    by_id = _index(entries, lambda e: e.id)
    by_link = _index(entries, lambda e: e.link)
    by_title = _index(entries, lambda e: _words(e.title))

    def same_title_and_date(item: PublishedItem) -> list[int]:
        fitting = by_title.get(_words(item.title), []) if item.title else []
        return [i for i in fitting if _dated_alike(item, entries[i])]

    rules: list[tuple[str, Callable[[PublishedItem], list[int]]]] = [
        ("id", lambda item: by_id.get(item.id, []) if item.id else []),
        ("link", lambda item: by_link.get(item.link, []) if item.link else []),
        ("title and date", same_title_and_date),
    ]
    found: dict[int, tuple[int, str]] = {}
    rivals: dict[int, list[int]] = {}
    for name, fitting in rules:
        _match_round(items, found, rivals, name, fitting)
    return [Match(item, entries[found[n][0]], found[n][1]) if n in found
            else Match(item, None, rivals=tuple(entries[i] for i in rivals.get(n, [])))
            for n, item in enumerate(items)]


def _match_round(items: Sequence[PublishedItem], found: dict[int, tuple[int, str]],
                 rivals: dict[int, list[int]], rule: str,
                 fitting: Callable[[PublishedItem], list[int]]) -> None:
    """One rule over the items not matched yet; `found` gets item -> (entry, rule)."""
    taken = {entry for entry, _ in found.values()}
    wanted = {n: [i for i in fitting(item) if i not in taken]
              for n, item in enumerate(items) if n not in found}
    claims = Counter(fits[0] for fits in wanted.values() if len(fits) == 1)
    for n, fits in wanted.items():
        if len(fits) == 1 and claims[fits[0]] == 1:
            found[n] = (fits[0], rule)
        elif len(fits) > 1:
            rivals.setdefault(n, fits)


def _index(entries: Sequence[Entry], key: Callable[[Entry], str]) -> dict[str, list[int]]:
    index: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        index.setdefault(key(entry), []).append(i)
    return index


def _words(text: str) -> str:
    return " ".join(text.split())


def _dated_alike(item: PublishedItem, entry: Entry) -> bool:
    if item.published is not None:
        return _same_date(item.published, entry.published)
    if item.updated is not None:
        return _same_date(item.updated, entry.published) or \
            _same_date(item.updated, entry.updated)
    return False


def _same_date(theirs: date, ours: datetime) -> bool:
    if isinstance(theirs, datetime):
        return theirs == ours  # aware datetimes: the same instant
    return theirs == ours.date()


# -- what changed -----------------------------------------------------------------------


def _changes(found: Match, config: Config) -> list[Problem]:
    item, entry = found.item, found.entry
    assert entry is not None
    problems = []
    if item.id and item.id != entry.id:
        problems.append(_id_changed(item.id, entry, found.by or ""))
    if item.link and item.link != entry.link:
        problems.append(_link_changed(item.link, entry, config))
    return problems


def _id_changed(old: str, entry: Entry, by: str) -> Problem:
    hint, line = _keep_id(old, entry)
    # An old id that cannot be put back leaves nothing to fix: a warning.
    report = error if _URI.match(old) and _plain(old) else warning
    return report(f"the id changed: published as {old!r}, now {entry.id!r}; readers will "
                 f"show it as new again (the published item was matched by its {by})",
                 entry.source, line, hint)


def _keep_id(old: str, entry: Entry) -> tuple[str, int | None]:
    """The hint that puts the published id back, and the line it is about."""
    if not _URI.match(old):
        return (f"feedpub ids are URIs, so {old!r} cannot be kept: readers will show "
                "the entry as new once"), None
    if not _plain(old):
        return (f"{old!r} has white space or invisible characters, which a feedpub id "
                "cannot have, so it cannot be kept: readers will show the entry as new "
                "once"), None
    text = _read_text(entry.path)
    fmt = _format_of(text)
    existing = _key_line(text, fmt, "id")
    if existing is not None:
        number, current = existing
        line = front_matter_line(fmt, "id", old, comma=current.rstrip().endswith(","))
        return f"keep the published id: replace line {number} with {line}", number
    line = front_matter_line(fmt, "id", old)
    if not text:
        return f"keep the published id with this front-matter line: {line}", None
    number = _opening_line(text) + 1
    return f"keep the published id: add this line after line {number - 1}: {line}", \
        number


def _plain(value: str) -> bool:
    """Without white space or invisible characters, which a front-matter line suggested
    to keep `value` (an id, a link, a slug) must not have: they could make it two lines,
    or a line that does not do what it shows."""
    return value.isprintable() and not any(c.isspace() for c in value)


def _link_changed(old: str, entry: Entry, config: Config) -> Problem:
    return warning(f"the link changed from {old} to {entry.link}: bookmarks and shared "
                   "links to the old address break", entry.source,
                   hint=_keep_link(old, entry, config))


def _keep_link(old: str, entry: Entry, config: Config) -> str:
    """The hint that keeps the published link: a slug line if one does, else a link line
    (none for a link that is not plain), or a redirect."""
    redirect = f"redirect {shown(old)} to {entry.link}"
    if not _plain(old):
        return redirect
    fmt = _format_of(_read_text(entry.path))
    slug = _slug_of(old, config)
    keep = front_matter_line(fmt, "slug", slug) if slug and slug != entry.slug \
        and _plain(slug) else front_matter_line(fmt, "link", old)
    return f"keep the old address with the front-matter line {keep}, or {redirect}"


def _slug_of(link: str, config: Config) -> str | None:
    """The slug that gives `link` with the default permalinks (url + slug + "/")."""
    if config.permalink or not link.startswith(config.url) or not link.endswith("/"):
        return None
    slug = unquote(link[len(config.url):-1])
    parts = slug.split("/")
    return None if any(p in ("", ".", "..") for p in parts) or "\\" in slug else slug


def _gone(found: Match, where: str) -> Problem:
    item = found.item
    place = f" ({item.link})" if item.link else ""
    return warning(f"a published item is gone: {item.title or item.id or item.link!r}{place}",
                   where, hint=_gone_hint(found))


def _gone_hint(found: Match) -> str:
    item = found.item
    keep = f"id {item.id}" if item.id else f"link {item.link}" if item.link else None
    if not found.rivals or keep is None:
        return "restore it, or accept that readers keep their copy"
    names = ", ".join(e.source for e in found.rivals)
    return shown(f"it fits {names} equally well, so none was taken for it; if one of "
                 f"them is this item, give that one the published {keep}")


# -- front matter lines -----------------------------------------------------------------


def front_matter_line(fmt: str, key: str, value: str, *, comma: bool = True) -> str:
    """`key` set to the text `value`, written as a line of `fmt` ("YAML", "TOML" or "JSON")
    front matter; a JSON line ends with a comma unless `comma` is false."""
    quoted = json.dumps(value, ensure_ascii=False)  # also a TOML and a YAML quoted string
    if fmt == "TOML":
        return f"{key} = {quoted}"
    if fmt == "JSON":
        return f"{json.dumps(key)}: {quoted}" + ("," if comma else "")
    plain = f"{key}: {value}"
    return plain if _reads_back(plain, key, value) else f"{key}: {quoted}"


def _reads_back(line: str, key: str, value: str) -> bool:
    """Does this YAML line give `key` the text `value`, as feedpub reads front matter?"""
    try:
        return _YAML.load(line) == {key: value}
    except (yaml.YAMLError, ValueError, TypeError):
        return False


def _read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as file:
            return file.read().removeprefix("\ufeff").replace("\r\n", "\n")
    except OSError:
        return ""


def _format_of(text: str) -> str:
    """The front matter's format, from the file's first characters."""
    start = text.lstrip()
    return "TOML" if start.startswith("+++") else "JSON" if start.startswith("{") else "YAML"


def _opening_line(text: str) -> int:
    """The line that opens the front matter: the first one that is not blank."""
    lines = text.split("\n")
    return next((n for n, line in enumerate(lines, 1) if line.strip()), 1)


def _key_line(text: str, fmt: str, key: str) -> tuple[int, str] | None:
    """The line (number, text) that sets a top-level `key` in the front matter, if any."""
    indent = r"\s*" if fmt == "JSON" else ""
    setting = re.compile(rf"""^{indent}["']?{re.escape(key)}["']?\s*[:=]""")
    lines = text.split("\n")
    first = _opening_line(text)
    for number, line in enumerate(lines[first:], first + 1):
        if _CLOSING[fmt].match(line) or (fmt == "TOML" and line.startswith("[")):
            return None
        if setting.match(line):
            return number, line
    return None
