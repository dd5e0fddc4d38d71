"""What a build must not replace: feeds that have entries with an empty one (unless
--allow-empty), and HTML files feedpub did not write with the site's pages."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from feedpub.base.generator_tag import PAGE_HEAD, has_generator_tag
from feedpub.base.problems import SKIPPED, InputError, error
from feedpub.config.model import Config


def refuse_to_empty(config: Config, result: Any, now: datetime) -> None:
    """InputError if this empty build would replace a feed that has entries: an
    empty feed tells every reader the site stopped, and is rarely what was meant."""
    makers = {d.path(config): d.output.maker for d in result.documents}
    published = {path: _published_entries(path, makers[path].count) for path in result.outputs
                 if path in makers}  # (feeds only: not the browser stylesheet)
    replaced = {path: count for path, count in published.items() if count}
    if not replaced:
        return
    path, count = next(iter(replaced.items()))
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    clock = f"now is {now.isoformat()}" + (f" (SOURCE_DATE_EPOCH={epoch})" if epoch else "")
    reasons = [problem for problem in result.warnings if problem.message.endswith(SKIPPED)]
    reasons += result.empty_reasons
    if not reasons:
        reasons.append(error("no entries were found", config.display(config.entries_dir),
                             hint="put Markdown files with front matter in it, or set "
                                  "feed.entries"))
    raise InputError([error(
        f"this build has no entries and would replace {config.display(path)}, which has "
        f"{count}; nothing was written ({clock})", config.display(config.path),
        hint="fix what left the entries out (listed below), or build --allow-empty to "
             "publish an empty feed"), *reasons])


def refuse_foreign_pages(config: Config, paths: Iterable[Path],
                         last: Mapping[Path, Any]) -> None:
    """InputError if a page this build makes would replace an HTML file that feedpub
    did not write (neither recorded by the last build, as it left it, nor marked as
    feedpub's): the page of a site built by something else, in the folder the feeds
    are added to. (A file an entry's page links to is replaced: it is the entry's.)"""
    foreign = [p for p in paths if p.suffix.lower() in (".html", ".htm")
               and not _as_left(p, last) and not _ours(p)]
    if not foreign:
        return
    shown = ", ".join(config.display(p) for p in foreign[:3]) + (
        f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
    raise InputError([error(
        f"the site's pages would replace {shown}, which feedpub did not write (or "
        "wrote from a template without feedpub's generator tag); nothing was written",
        config.display(foreign[0]),
        hint="to add the feeds to a site built by something else, set\n\n[site]\n"
             "pages = false\n\nin the config (or build --feeds-only); if these are "
             "feedpub's pages, made from your own templates, put\n"
             '<meta name="generator" content="feedpub"> in their <head>, or delete '
             "the files")])


def _as_left(path: Path, last: Mapping[Path, Any]) -> bool:
    """Whether the last build wrote `path`, and it is as that build left it."""
    recorded = last.get(path)
    try:
        info = path.stat()
    except OSError:
        return False
    return recorded is not None and tuple(recorded) == (info.st_size, info.st_mtime_ns)


def _ours(path: Path) -> bool:
    """Whether there is no file at `path`, or one feedpub's templates made (its
    generator tag within the first few KB, however it is quoted or spaced)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(PAGE_HEAD)
    except FileNotFoundError:
        return True
    except OSError:  # a folder, unreadable: the publisher says what is wrong with it
        return True
    return has_generator_tag(head)




def _published_entries(path: Path, count: Callable[[bytes], int]) -> int:
    """How many items or entries the feed on disk has (0 if there is none, or it is
    not a regular file: publish replaces that)."""
    from feedpub.base.regular import RefusedFile, read_regular_file

    try:
        data = read_regular_file(path, 1 << 31)
    except (OSError, RefusedFile):
        return 0
    return count(data)
