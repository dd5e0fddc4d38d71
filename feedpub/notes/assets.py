"""What build and check say about the files an entry's page links to ([site] pages:
render/assets.py): one that is not beside the entry leaves a broken link or image."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from feedpub.base.problems import Problem, warning
from feedpub.config.model import Config
from feedpub.render.assets import Asset, source_file


def found_assets(config: Config, where: str, assets: Iterable[Asset],
                 ) -> tuple[list[tuple[Path, Asset]], list[Problem]]:
    """Each asset's file, for those there; a warning for each of the others."""
    found, problems = [], []
    for asset in assets:
        path = source_file(config, asset)
        if path is not None:
            found.append((path, asset))
            continue
        problems.append(warning(
            f"links to {asset.written!r}, but {config.display(config.entries_dir)}/"
            f"{asset.source} is not there: the link on the entry's page is broken", where,
            hint="put the file beside the entry (the link is relative to the entry's "
                 "file), or correct the link"))
    return found, problems
