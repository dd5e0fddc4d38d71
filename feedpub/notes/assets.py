"""The files beside entries that their pages link to ([site] pages: render/assets.py):
which to copy where, and what build and check say about the others (a file that is
not there leaves a broken link; two files for one place, or a file over one the
build makes, are not copied)."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from feedpub.base.problems import Problem, warning
from feedpub.config.model import Config
from feedpub.render.assets import Asset, source_file

Stat = tuple[int, int] | None  # (size, mtime_ns) of a file beside an entry; None: not there


@dataclass(slots=True)
class Copies:
    """The files to copy, (from, to), sorted by target; each source looked at, with its
    stat (what a rebuild compares to know that nothing changed); the warnings."""

    copies: list[tuple[Path, Path]] = field(default_factory=list)
    watched: dict[str, Stat] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


def plan_copies(config: Config, pages: Iterable[tuple[str, Sequence[Asset]]],
                made: Collection[Path], page_files: Collection[str]) -> Copies:
    """`pages`: each entry page's entry (as shown) and assets; `made`: every file the
    build writes; `page_files`: every entry page's file (a link to one is no file)."""
    plan = Copies()
    taken: dict[str, tuple[Path, str]] = {}  # target, case folded -> source, whose
    for where, assets in pages:
        files, broken = files_and_broken_links(config, assets, page_files, plan.watched)
        plan.problems += page_link_notes(where, broken)
        found, missing = found_assets(config, where, files, plan.watched)
        plan.problems += missing
        for path, asset in found:
            target = config.output_dir / asset.target
            owner = taken.setdefault(asset.target.casefold(), (path, where))
            if target in made:
                plan.problems.append(warning(
                    f"links to {asset.written!r}, which would be copied to "
                    f"{config.display(target)}, a file the build makes: it is not copied",
                    where, hint="give the file another name"))
            elif owner[0] != path:
                plan.problems.append(warning(
                    f"links to {asset.written!r}, which would be copied to "
                    f"{config.display(target)}, where {owner[1]}'s "
                    f"{config.display(owner[0])} goes: it is not copied", where,
                    hint="give one of the files another name, or change the permalink "
                         "pattern so that the entries' pages have folders of their own"))
            elif owner[1] == where:
                plan.copies.append((path, target))
    plan.copies.sort(key=lambda pair: pair[1])
    return plan


def files_and_broken_links(config: Config, assets: Iterable[Asset],
                           page_files: Collection[str],
                           watched: dict[str, Stat] | None = None,
                           ) -> tuple[list[Asset], list[Asset]]:
    """The links to files (to copy, or to say are missing), and the links written as
    to pages that lead nowhere: no page of this build, and no file beside the entry
    either (`LICENSE` is a file). Links to the pages the build makes are neither."""
    files, broken = [], []
    for asset in assets:
        if not asset.page:
            files.append(asset)
        elif not links_a_page(asset, page_files):
            found = bool(asset.source) and source_file(config, asset) is not None
            if watched is not None and asset.source and not found:  # (if it comes, seen
                watched[str(config.entries_dir / asset.source)] = None  # next time; one
            (files if found else broken).append(asset)  # there: found_assets records it)
    return files, broken


def page_link_notes(where: str, assets: Sequence[Asset]) -> list[Problem]:
    """A warning about the entry's links to pages of the site that this build does not
    make (a draft's, a future entry's, a mistyped slug's): broken links on the site."""
    broken = [a.written for a in assets]
    if not broken:
        return []
    shown = ", ".join(map(repr, broken[:SHOWN])) + (
        f" and {len(broken) - SHOWN} more" if len(broken) > SHOWN else "")
    message = (f"links to {shown}, a page this build does not make: broken on the site"
               if len(broken) == 1 else f"has {len(broken)} links to pages this build does "
               f"not make ({shown}): broken on the site")
    return [warning(message, where,
                    hint="a draft's or a future entry's page is made once it is "
                         "published; else correct the link (it is relative to the "
                         "entry's page, such as ../other-post/)")]


SHOWN = 3  # broken links named in an entry's one warning about them


def links_a_page(asset: Asset, page_files: Collection[str]) -> bool:
    """Whether the asset's link is an entry's page (`../release-1.2`), not a file."""
    return asset.target in page_files or f"{asset.target}/index.html" in page_files \
        or f"{asset.target}.html" in page_files or asset.target == "index.html"


def found_assets(config: Config, where: str, assets: Iterable[Asset],
                 watched: dict[str, Stat] | None = None,
                 ) -> tuple[list[tuple[Path, Asset]], list[Problem]]:
    """Each asset's file, for those there; a warning for each of the others. Each
    source's stat goes in `watched`."""
    found, missing = [], []
    for asset in assets:
        path = source_file(config, asset)
        stat = _stat(path) if path is not None else None
        if watched is not None:
            watched[str(config.entries_dir / asset.source)] = stat
        if path is not None and stat is not None:
            found.append((path, asset))
        else:
            missing.append(asset)
    if not missing:
        return found, []
    folder = config.display(config.entries_dir)
    if len(missing) == 1:
        message = (f"links to {missing[0].written!r}, but {folder}/{missing[0].source} is "
                   "not there: the link on the entry's page is broken")
    else:
        shown = ", ".join(f"{folder}/{a.source}" for a in missing[:SHOWN]) + (
            f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else "")
        message = (f"links to {len(missing)} files that are not there ({shown}): the "
                   "links on the entry's page are broken")
    return found, [warning(message, where, hint="put the file beside the entry (the link "
                           "is relative to the entry's file), or correct the link")]


def _stat(path: Path) -> Stat:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns
