"""The build: config -> entries -> render -> feeds, as a pure function; then publish."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from . import feeds
from .config import Config
from .entries import Entry, load_entries, select
from .problems import ConfigError, InputError, Problem, error, errors_in, warning
from .publish import Written, publish
from .render import render_entry


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
          skip_invalid: bool = False) -> Build:
    """Build both feeds in memory. Raises InputError listing every input problem.

    With `skip_invalid`, invalid entries are left out and their errors become warnings.
    """
    loaded = load_entries(config)
    problems = loaded.problems
    if errors_in(problems):
        if not skip_invalid:
            raise InputError(problems)
        problems = tuple(_skipped(p) for p in problems)
    chosen = select(loaded.entries, config, now=now, drafts=drafts, future=future)
    items = [render_entry(entry) for entry in chosen]
    outputs = {
        config.rss_path: feeds.rss(config, items),
        config.atom_path: feeds.atom(config, items),
    }
    warnings = (*problems, *same_updated(chosen))
    return Build(outputs, len(items), len(loaded.entries), warnings)


def same_updated(entries: list[Entry]) -> list[Problem]:
    """Entries in the feed that share an updated time (validators warn about it in Atom)."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.updated.isoformat(), []).append(entry)
    return [
        warning(f"{len(group)} entries have the same updated time {stamp}: "
                + ", ".join(e.source for e in group), group[0].source,
                hint="give them a time of day (date: 2021-05-13T09:30) or distinct "
                     "'updated' values; feed validators warn about identical ones")
        for stamp, group in groups.items() if len(group) > 1
    ]


def build_and_publish(config: Config, *, now: datetime, drafts: bool = False,
                      future: bool = False, skip_invalid: bool = False,
                      ) -> tuple[Build, list[Written]]:
    result = build(config, now=now, drafts=drafts, future=future, skip_invalid=skip_invalid)
    return result, publish(result.outputs)


def _skipped(problem: Problem) -> Problem:
    if problem.severity != "error":
        return problem
    return replace(problem, severity="warning",
                   message=problem.message + " (entry skipped: --skip-invalid)")
