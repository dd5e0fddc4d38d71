"""`feedpub check`: every problem a build would hit, plus what readers would notice.

Nothing is written. The feeds are built in memory, so what is checked is exactly
what `feedpub build` would publish.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from . import collector, feeds
from .build import same_updated
from .config import Config
from .entries import Entry
from .loading import load_entries, select
from .problems import Problem, error, warning
from .published import PublishedFeedError, read_published
from .render import markdown_to_html, render_entry

LARGE_FEED = 1024 * 1024  # bytes; some readers and WebSub hubs refuse bigger feeds
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True, slots=True)
class CheckReport:
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> int:
        return sum(p.severity == "error" for p in self.problems)

    @property
    def warnings(self) -> int:
        return sum(p.severity == "warning" for p in self.problems)

    def exit_code(self, strict: bool) -> int:
        return 1 if self.errors or (strict and self.warnings) else 0


def check(config: Config, *, now: datetime, against: str | None = None) -> CheckReport:
    with collector.paused():
        return _check(config, now, against)


def _check(config: Config, now: datetime, against: str | None) -> CheckReport:
    loaded = load_entries(config)
    problems = list(loaded.problems)
    entries = loaded.entries

    for entry in entries:
        problems.extend(_entry_notes(entry, config, now))

    chosen = select(entries, config, now=now)
    items = [render_entry(e) for e in chosen]
    problems.extend(same_updated(chosen))
    if not chosen:
        problems.append(warning("the feed has no entries", config.display(config.path),
                                hint="add entries, or check drafts and future dates"))
    outputs = {config.rss_path: feeds.rss(config, items),
               config.atom_path: feeds.atom(config, items)}
    for path, data in outputs.items():
        if len(data) > LARGE_FEED:
            problems.append(warning(
                f"{config.display(path)} would be {len(data):,} bytes, over "
                f"{LARGE_FEED:,}; some readers and hubs refuse feeds that large",
                config.display(config.path),
                hint='lower feed.limit or use content = "summary"'))
    if against:
        problems.extend(compare_with_published(config, entries, against))
    return CheckReport(tuple(problems))


def _entry_notes(entry: Entry, config: Config, now: datetime) -> list[Problem]:
    notes: list[Problem] = []
    where = entry.source
    if entry.draft:
        notes.append(warning("is a draft: left out of the feed (build --drafts includes it)",
                             where))
    if entry.published > now:
        notes.append(warning(
            f"is dated {entry.published.isoformat()}, in the future: left out until then "
            "(build --future includes it)", where))
    if config.content == "summary" and entry.summary is None \
            and "<!--" not in entry.body:
        notes.append(warning(
            'has no summary, and feed.content is "summary": readers get only its first '
            "paragraph", where, hint="add 'summary: ...' or a <!--more--> line"))
    raw = markdown_to_html(entry.body)
    if not raw.strip():
        return notes
    tree = lxml_html.fragment_fromstring(raw, create_parent="div")
    for img in tree.iter("img"):
        if not (img.get("alt") or "").strip():
            notes.append(warning(f"image {img.get('src', '')!r} has no alt text", where,
                                 hint="write ![what the image shows](file.png)"))
    for element, attr in [(a, "href") for a in tree.iter("a")] + \
                         [(i, "src") for i in tree.iter("img")]:
        value = (element.get(attr) or "").strip()
        if not value or value.startswith(("#", "//")) or _SCHEME.match(value):
            continue
        resolved = urljoin(entry.link, value)
        if not resolved.startswith(config.url):
            notes.append(warning(
                f"relative link {value!r} leads outside the site ({resolved})", where,
                hint="check the number of ../ or write the full URL"))
        elif urlsplit(resolved).path.endswith(".md"):
            notes.append(warning(
                f"link {value!r} points at a Markdown file, which the web site will not "
                "have", where, hint="link to the entry's page instead"))
    return notes


def compare_with_published(config: Config, entries: tuple[Entry, ...],
                           against: str) -> list[Problem]:
    """Ids that changed since the feed as published now, and items that vanished."""
    where = config.display(config.path)
    try:
        published = read_published(against)
    except PublishedFeedError as exc:
        return [error(f"--against {against}: {exc}", where)]
    problems: list[Problem] = []
    ours = config.rss_url if published.kind == "rss" else config.atom_url
    if published.self_link and published.self_link != ours:
        problems.append(warning(
            f"the published {published.kind.upper()} feed's self link is "
            f"{published.self_link}, but feedpub writes {ours}", where,
            hint="make feed.url the address the output folder is served from"))
    if _looks_like_url(against) and against != ours:
        problems.append(warning(f"the feed was read from {against}, but its self link "
                                f"will be {ours}", where))
    by_link = {e.link: e for e in entries}
    by_id = {e.id for e in entries}
    for item in published.items:
        entry = by_link.get(item.link) if item.link else None
        if entry is not None and item.id and entry.id != item.id:
            problems.append(error(
                f"the id changed: published as {item.id!r}, now {entry.id!r}; readers "
                "will show this entry as new again", entry.source,
                hint=f"add 'id: {item.id}' to keep the published id"))
        elif entry is None and item.id not in by_id:
            problems.append(warning(
                f"a published item is gone: {item.title or item.id!r} ({item.link})",
                where, hint="restore it, or accept that readers keep their copy"))
    return problems


def _looks_like_url(value: str) -> bool:
    return urlsplit(value).scheme in ("http", "https")
