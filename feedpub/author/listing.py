"""`feedpub list`: one row per entry, newest first: its date, title, tags, status
(published, draft, future, expired) and file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from feedpub.base.problems import Problem
from feedpub.config.model import Config
from feedpub.entries.model import Entry

STATUSES = ("published", "draft", "future", "expired")


@dataclass(frozen=True, slots=True)
class Row:
    date: datetime  # in the config's time zone
    title: str
    tags: tuple[str, ...]
    status: str
    file: str  # as the user sees it

    def as_json(self) -> dict[str, object]:
        return {"date": self.date.isoformat(), "title": self.title, "tags": list(self.tags),
                "status": self.status, "file": self.file}


def entry_rows(config: Config, now: datetime, *, drafts: bool = False,
               future: bool = False) -> tuple[list[Row], tuple[Problem, ...]]:
    """The rows of the published entries (and drafts, future ones: if asked), newest
    first, and the problems of entries that could not be read."""
    from feedpub.entries.loading import load_entries

    loaded = load_entries(config)
    shown = {"published", "expired"} | ({"draft"} if drafts else set()) | (
        {"future"} if future else set())
    rows = [Row(e.published.astimezone(config.timezone), e.title, e.tags, status_of(e, now),
                e.source) for e in loaded.entries]
    rows = [r for r in rows if r.status in shown]
    rows.sort(key=lambda r: (-r.date.timestamp(), r.file))
    return rows, loaded.problems


def status_of(entry: Entry, now: datetime) -> str:
    from feedpub.entries.select import expired

    if entry.draft:
        return "draft"
    if entry.published > now:
        return "future"
    return "expired" if expired(entry, now) else "published"


def table(rows: list[Row]) -> str:
    """Aligned columns: DATE, STATUS, TITLE, TAGS, FILE (wide characters, as in CJK
    titles, take two columns on a terminal)."""
    cells = [("DATE", "STATUS", "TITLE", "TAGS", "FILE")] + [
        (f"{r.date:%Y-%m-%d %H:%M}", r.status, r.title, ", ".join(r.tags), r.file)
        for r in rows]
    widths = [max(_width(row[i]) for row in cells) for i in range(4)]
    return "\n".join("  ".join([*(cell + " " * (w - _width(cell))
                                  for cell, w in zip(row[:4], widths, strict=True)),
                                row[4]]).rstrip() for row in cells)


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else
               0 if unicodedata.combining(ch) else 1 for ch in text)
