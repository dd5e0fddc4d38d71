"""Archive pages the last build made, so that the next one need not make them again.

An entry page's record also lists the files beside the entry that it links to
(render/assets.py), which a build copies whether or not it makes the page again.

A page's record is a digest of what its bytes depend on: the build's key (config,
feedpub, library versions), the page's shape (title, neighbours, the links digest:
`pages.page_shape`) and each of its entry files with its stat. A page whose digest
is the same now, none of whose files is racy, and whose output files still have the
size and modification time the last build left them with, is unchanged: the build
keeps its files as they are.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from feedpub.publish.cache.state import Snapshot


def page_digest(parsed_key: str, shape: str, rels: Sequence[str],
                snapshot: Snapshot) -> str | None:
    """The page's digest, or None if one of its files was not seen or is racy."""
    digest = hashlib.sha256(f"{parsed_key}\0{shape}".encode("utf-8", "surrogateescape"))
    for rel in rels:
        if not snapshot.keeps(rel):
            return None
        digest.update(b"\0" + rel.encode("utf-8", "surrogateescape") + b"\0"
                      + snapshot.files[rel])
    return digest.hexdigest()


def page_digests(parsed_key: str, pages: Mapping[str, tuple[Sequence[str], str]],
                 snapshot: Snapshot) -> dict[str, str]:
    """The record of every page that can be trusted next time, by folder."""
    found = {}
    for folder, (rels, shape) in pages.items():
        digest = page_digest(parsed_key, shape, rels, snapshot)
        if digest is not None:
            found[folder] = digest
    return found


class KnownPages:
    """The pages the last build recorded, checked against the files now."""

    def __init__(self, parsed_key: str, recorded: Mapping[str, str],
                 outputs: Mapping[str, Sequence[int]], snapshot: Snapshot,
                 assets: Mapping[str, Any] | None = None) -> None:
        self.parsed_key, self.recorded = parsed_key, recorded
        self.outputs, self.snapshot = outputs, snapshot
        self.recorded_assets = assets if isinstance(assets, Mapping) else {}

    def assets(self, key: str) -> list[list[Any]]:
        """The files beside the entry that its page (kept unchanged) links to, as the
        last build recorded them (render/assets.py: rows of Asset.row)."""
        rows = self.recorded_assets.get(key, [])
        return [r for r in rows if isinstance(r, list)] if isinstance(rows, list) else []

    def unchanged(self, folder: str, rels: Sequence[str], shape: str,
                  paths: Sequence[Path]) -> bool:
        recorded = self.recorded.get(folder)
        if recorded is None or recorded != page_digest(self.parsed_key, shape, rels,
                                                       self.snapshot):
            return False
        for path in paths:
            try:
                info = os.stat(path)
            except OSError:
                return False
            if [info.st_size, info.st_mtime_ns] != list(self.outputs.get(str(path), ())):
                return False
        return True
