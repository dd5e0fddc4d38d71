"""`feedpub check`: every problem a build would hit, plus what readers would notice.

Nothing is written. The feeds are built in memory, so what is checked is exactly
what `feedpub build` would publish.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from feedpub.against.compare import compare_with_published
from feedpub.base.problems import Problem
from feedpub.config.model import Config
from feedpub.entries.loading import load_entries
from feedpub.entries.model import Entry
from feedpub.entries.select import Eligible
from feedpub.notes import (
    LARGE_FEED,
    content_notes,
    feed_notes,
    feed_size_errors,
    same_updated,
    site_notes,
    status_notes,
)
from feedpub.notes.podcast import podcast_problems
from feedpub.outputs.registry import (
    assemble,
    feed_warnings,
    make_fragments,
    plan,
    published,
    variants,
)
from feedpub.render.context import render_context
from feedpub.render.entry import RenderedEntry, render_entry
from feedpub.runtime import collector

__all__ = ["LARGE_FEED", "CheckReport", "check"]


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


def _template_notes(config: Config, documents: list[Any], chosen: list[Entry],
                    rendered: dict[str, RenderedEntry], fragments: dict[str, Any],
                    ) -> list[Problem]:
    """[site] pages: the site's own templates whose pages lack the generator tag."""
    if not config.pages:
        return []
    from feedpub.outputs.pages import made_template_warnings
    from feedpub.outputs.registry import site_pages

    front = site_pages(config, documents, [rendered[e.rel] for e in
                                           (documents[0].feed.entries if documents else ())])
    return made_template_warnings(config, next(iter(front.values()), None),
                                  fragments.values())


def _page_files(config: Config, entries: Sequence[Entry]) -> set[str]:
    """Every entry's page's file ([site] pages)."""
    if not config.pages:
        return set()
    from feedpub.outputs.pages.entry import page_file

    return {file for e in entries if (file := page_file(config, e)) is not None}


def _asset_notes(config: Config, item: RenderedEntry, pages: set[str]) -> list[Problem]:
    """[site] pages: a warning for each file the entry's page links to that is not
    beside the entry."""
    if not config.pages:
        return []
    from feedpub.notes.assets import files_and_broken_links, found_assets, page_link_notes
    from feedpub.outputs.pages.entry import page_file
    from feedpub.render.assets import entry_assets

    if page_file(config, item.entry) is None:
        return []
    files, broken = files_and_broken_links(config, entry_assets(config, item), pages)
    return [*page_link_notes(item.entry.source, broken),
            *found_assets(config, item.entry.source, files)[1]]


def check(config: Config, *, now: datetime, against: str | None = None) -> CheckReport:
    with collector.paused():
        return _check(config, now, against)


def _check(config: Config, now: datetime, against: str | None) -> CheckReport:
    loaded = load_entries(config)
    problems = [*site_notes(config), *loaded.problems]
    entries = loaded.entries
    context = render_context(config, entries)
    problems.extend(context.problems)
    rendered = {e.rel: render_entry(e, None, context) for e in entries}  # published or not

    eligible = Eligible(entries, now=now).all()
    pages = _page_files(config, eligible)  # as build makes them
    public = {e.rel for e in eligible}
    for entry in entries:
        problems.extend(status_notes(entry, now))
        problems.extend(content_notes(rendered[entry.rel], config))
        if entry.rel in public:  # (as build: a draft's links are judged once it is)
            problems.extend(_asset_notes(config, rendered[entry.rel], pages))

    documents = plan(config, Eligible(entries, now=now))
    chosen = published(documents)
    problems.extend(same_updated(chosen))
    kinds = variants(config)
    fragments = {e.rel: (make_fragments(kinds, config, rendered[e.rel]), ()) for e in chosen}
    files = assemble(config, documents, fragments)
    problems.extend(_template_notes(config, documents, chosen, rendered, fragments))
    problems.extend(feed_notes(config, chosen, files))
    problems.extend(feed_size_errors(config, files))
    problems.extend(feed_warnings(config, documents))
    problems.extend(podcast_problems(config, documents[0].feed.entries, strict=True))
    if against:
        problems.extend(compare_with_published(config, entries, against))
    return CheckReport(tuple(problems))

