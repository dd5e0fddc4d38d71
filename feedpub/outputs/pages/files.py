"""The files beside an entry that its page links to (render/assets.py), as one more
fragment of the entry ([site] pages): kept in the build cache with its page, so that a
rebuild knows them without rendering the entry again. JSON: each Asset's `row`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from feedpub.outputs.pages.entry import page_file
from feedpub.render.assets import Asset, asset_of, entry_assets

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.render.entry import RenderedEntry


def fragment(config: Config, item: RenderedEntry) -> bytes:
    if page_file(config, item.entry) is None:
        return b"[]"
    return json.dumps([a.row() for a in entry_assets(config, item)],
                      ensure_ascii=False).encode("utf-8")


def assets(fragment: bytes | memoryview) -> list[Asset]:
    """The assets a fragment holds (none, if it is not one: the cache checks its own)."""
    try:
        rows = json.loads(bytes(fragment))
        return [a for a in map(asset_of, rows) if a is not None]
    except (ValueError, TypeError):
        return []


def whole(data: bytes | memoryview) -> bool:
    return bytes(data[:1]) == b"[" and bytes(data[-1:]) == b"]"


def document(config: Config, feed: object, self_url: str,
             fragments: Sequence[bytes | memoryview]) -> bytes:
    raise TypeError("an entry's files are copied, not assembled")


def count(document: bytes) -> int:
    return 0
