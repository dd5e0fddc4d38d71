"""The build: config -> entries -> render -> feeds, as a pure function; then publish."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from . import feeds, parallel
from .config import Config
from .entries import Entry, Selection, body_of, load_entries, select
from .problems import ConfigError, InputError, Problem, error, errors_in, warning
from .publish import Written, publish
from .render import RenderedEntry, render_entry
from .timings import Timings


@dataclass(frozen=True, slots=True)
class Build:
    """What a build produced, in memory: file contents and what went into them."""

    outputs: dict[Path, bytes]
    entry_count: int  # entries in the feeds
    found_count: int  # entries read (drafts and future ones included)
    warnings: tuple[Problem, ...]


def now_for_build() -> datetime:
    """The moment that decides which entries are "in the future".

    SOURCE_DATE_EPOCH (the reproducible-builds convention) pins it, so that even
    the choice of entries can be made independent of the clock.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.now(UTC)
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except (ValueError, OverflowError, OSError):
        raise ConfigError([error(
            f"SOURCE_DATE_EPOCH={epoch!r} is not a usable time",
            hint="set it to whole seconds since 1970 (such as `git log -1 --format=%ct`) "
                 "or unset it")]) from None


def build(config: Config, *, now: datetime, drafts: bool = False, future: bool = False,
          skip_invalid: bool = False, timings: Timings | None = None) -> Build:
    """Build both feeds in memory. Raises InputError listing every input problem.

    With `skip_invalid`, invalid entries are left out and their errors become warnings.
    """
    timings = timings or Timings()
    selection = Selection(now, drafts, future, config.limit)
    loaded = load_entries(config, timings, selection)
    problems = loaded.problems
    if errors_in(problems):
        if not skip_invalid:
            raise InputError(problems)
        problems = tuple(_skipped(p) for p in problems)
    chosen = select(loaded.entries, config, now=now, drafts=drafts, future=future)
    with timings.phase("render"):
        items = render_all(chosen, config)
    with timings.phase("feeds"):
        if parallel.worth_it(len(items)):  # RSS in a child while Atom is built here
            rss = parallel.in_child(feeds.rss, config, items)
            atom = feeds.atom(config, items)
            outputs = {config.rss_path: rss(), config.atom_path: atom}
        else:
            outputs = {config.rss_path: feeds.rss(config, items),
                       config.atom_path: feeds.atom(config, items)}
    warnings = (*problems, *same_updated(chosen))
    return Build(outputs, len(items), len(loaded.entries), warnings)


def render_all(entries: list[Entry], config: Config) -> list[RenderedEntry]:
    """Render in order; a long list is split with a forked child."""
    if not parallel.worth_it(len(entries)):
        return [render_entry(e, body_of(e, config)) for e in entries]
    half = len(entries) // 2
    later = parallel.in_child(_html_and_summaries, entries[half:], config)
    items = [render_entry(e, body_of(e, config)) for e in entries[:half]]
    items += [RenderedEntry(e, html, summary)
              for e, (html, summary) in zip(entries[half:], later(), strict=True)]
    return items


def _html_and_summaries(entries: list[Entry], config: Config) -> list[tuple[str, str]]:
    """Only the strings travel back from the child, not the entries."""
    rendered = (render_entry(e, body_of(e, config)) for e in entries)
    return [(r.html, r.summary) for r in rendered]


def same_updated(entries: list[Entry]) -> list[Problem]:
    """One warning when entries in the feed share an updated time (validators flag it)."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.updated.isoformat(), []).append(entry)
    shared = [group for group in groups.values() if len(group) > 1]
    if not shared:
        return []
    first = shared[0]
    others = sum(len(g) for g in shared) - len(first)
    message = (f"{len(first)} entries have the same updated time "
               f"{first[0].updated.isoformat()}: " + ", ".join(e.source for e in first))
    if others:
        message += f" (and {others} more entries share a time with another)"
    return [warning(message, first[0].source,
                    hint="give them a time of day (date: 2021-05-13T09:30) or distinct "
                         "'updated' values; feed validators warn about identical ones")]


def build_and_publish(config: Config, *, now: datetime, drafts: bool = False,
                      future: bool = False, skip_invalid: bool = False,
                      timings: Timings | None = None) -> tuple[Build, list[Written]]:
    timings = timings or Timings()
    result = build(config, now=now, drafts=drafts, future=future, skip_invalid=skip_invalid,
                   timings=timings)
    with timings.phase("write"):
        written = publish(result.outputs)
    return result, written


def _skipped(problem: Problem) -> Problem:
    if problem.severity != "error":
        return problem
    return replace(problem, severity="warning",
                   message=problem.message + " (entry skipped: --skip-invalid)")
