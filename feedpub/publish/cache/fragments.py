"""The fragment cache: each published entry's fragment for every output, as bytes.

One file: an index (JSON: per entry file, its stat, where its fragments start, their
sizes, its content notes and their CRC-32s) and then every fragment's bytes. The
header's checksum covers the index; a fragment is checked against its CRC-32 before it
is used (faulty_fragments). Reading it gives views into one read, not a copy per
fragment. The cache does not know what the fragments are: which outputs made them is
part of the index (another set of outputs: not used), and whether one is whole is
asked of the caller.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from feedpub.base.problems import Problem
from feedpub.config import Config
from feedpub.publish.cache.entries import WORTH_SAVING
from feedpub.publish.cache.files import (
    FRAGMENTS,
    HEADER_SIZE,
    ReadAhead,
    cache_note,
    indexed_length,
    load_file,
    path,
    rows,
    write_bytes,
)
from feedpub.publish.cache.state import FORMAT, Snapshot

Parts = Sequence[bytes | memoryview]  # one fragment per output, in the outputs' order
Fragment = tuple[Parts, tuple[Problem, ...]]  # outputs.registry.Fragments
Whole = Callable[[Parts], bool]  # whether these are one whole fragment per output


class CachedFragments(dict[str, Fragment]):
    """Fragments read from the cache, with the CRC-32s of each entry's as saved."""

    def __init__(self) -> None:
        super().__init__()
        self.checks: dict[str, list[int]] = {}
        self.damaged = False  # some did not verify when a feed was assembled
        # The other entries' links they were rendered with (render.context's digest):
        # a fragment may hold them (Zola's @/ links, Hugo's ref, Jekyll's post_url).
        self.links = ""


def read_ahead(config: Config) -> ReadAhead:
    """Start reading the fragment cache (for known_fragments): it is the largest."""
    return ReadAhead(path(config, FRAGMENTS), indexed=True)


def known_fragments(config: Config, parsed_key: str, outputs: Sequence[str],
                    current: Snapshot, notes: list[Problem] | None = None,
                    ahead: ReadAhead | None = None) -> CachedFragments | None:
    """The fragments (one per output named in `outputs`) and content notes of entries
    whose files are unchanged since cached; None if there is no usable fragment cache.
    `ahead`: the file as read_ahead started reading it."""
    data = load_file(config, FRAGMENTS, notes, ahead, indexed=True)
    if data is None:
        return None
    try:
        payload = memoryview(data)[HEADER_SIZE:]
        size = int.from_bytes(payload[:8], "big")
        if indexed_length(data) not in (None, 8 + size):  # the index is what it verified
            return None
        index = json.loads(bytes(payload[8: 8 + size]))
        if index["format"] != FORMAT or index["key"] != parsed_key \
                or index["outputs"] != list(outputs):
            return None
        known = _fragments(index["items"], payload[8 + size:], len(outputs), current)
        if known is not None:
            known.links = str(index.get("links", ""))
        return known
    except (KeyError, TypeError, ValueError, IndexError):
        return None


def _fragments(items: dict[str, Any], blob: memoryview, count: int,
               current: Snapshot) -> CachedFragments | None:
    """The reusable entries' fragments, as views into `blob`; None if the index does
    not fit the blob. (Sizes that do not add up within it, or are negative, are caught
    here; bytes misplaced within it, by their CRC-32s when a feed is assembled.)"""
    known = CachedFragments()
    checks, reusable, length = known.checks, current.reusable, len(blob)
    for rel, (stat, start, sizes, problems, crcs) in items.items():
        end = start + sum(sizes)
        if not 0 <= start <= end <= length or len(sizes) != count or len(crcs) != count:
            return None
        if reusable(rel, stat):
            parts = []
            for size in sizes:
                if size < 0:
                    return None
                parts.append(blob[start:start + size])
                start += size
            known[rel] = (tuple(parts),
                          tuple([Problem(*row) for row in problems]) if problems else ())
            checks[rel] = crcs
    return known


def save_fragments(config: Config, parsed_key: str, outputs: Sequence[str], taken: Snapshot,
                   fragments: Mapping[str, Fragment], new: int, whole: Whole,
                   replace_unusable: bool = False, links: str = "") -> None:
    """Write the fragment cache (as save_parsed decides): only whole fragments."""
    if new < WORTH_SAVING and not replace_unusable:
        return
    items, chunks, offset = {}, [], 0
    for rel, (parts, notes) in fragments.items():
        if not taken.keeps(rel) or not whole(parts):
            continue
        sizes = [len(part) for part in parts]
        items[rel] = [taken.packed(rel), offset, sizes, rows(notes),
                      [zlib.crc32(part) for part in parts]]
        chunks += parts
        offset += sum(sizes)
    index = json.dumps({"format": FORMAT, "key": parsed_key, "outputs": list(outputs),
                        "links": links, "items": items},
                       separators=(",", ":"), ensure_ascii=False).encode()
    # The header's checksum covers the index; each fragment has its CRC-32 there.
    write_bytes(config, FRAGMENTS, [len(index).to_bytes(8, "big"), index, *chunks], indexed=2)


# --- The last line of defence: fragments checked as a feed is assembled from them ---

def faulty_fragments(rels: Iterable[str], made: Mapping[str, Fragment],
                     cached: Mapping[str, Fragment], whole: Whole) -> list[str]:
    """Of the entries `rels`, those whose fragments came from the cache and are not
    the bytes saved (a CRC-32 differs) or, without CRC-32s, not whole.

    Only whole fragments are saved, and each was well-formed when it was made (lxml
    wrote it): a feed of such fragments, the same bytes now, between a fresh head and
    tail is well-formed and has one item per entry, without parsing its megabytes
    again (a parse would cost as much as the rest of a rebuild after an edit).
    """
    checks = cached.checks if isinstance(cached, CachedFragments) else {}
    faulty = [rel for rel in rels
              if rel in cached and not _intact(made[rel][0], checks.get(rel), whole)]
    if faulty and isinstance(cached, CachedFragments):
        cached.damaged = True
    return faulty


def damaged(cached: Mapping[str, Fragment] | None) -> bool:
    """Whether some of these cached fragments did not verify (faulty_fragments)."""
    return isinstance(cached, CachedFragments) and cached.damaged


def _intact(parts: Parts, checks: list[int] | None, whole: Whole) -> bool:
    """With the CRC-32s they were saved with (only whole ones are saved), or else whole."""
    if checks is None:
        return whole(parts)
    return list(map(zlib.crc32, parts)) == checks


def faulty_note(config: Config, count: int, names: Sequence[str]) -> Problem:
    """`names`: how each output's fragment is called, such as "<item>"."""
    return cache_note(config, FRAGMENTS,
                      f"{count} cached feed fragment{'s' if count != 1 else ''} did not "
                      f"verify (not one whole {' and '.join(names)} as saved): made again "
                      "from the entries, and the cache written anew")
