"""Finding entry files: plain `os` calls only, so a no-change rebuild stays light."""

from __future__ import annotations

import os
import struct
from dataclasses import dataclass
from pathlib import Path

_NOT_ENTRIES = frozenset({"_index.md", "readme.md"})


@dataclass(frozen=True, slots=True)
class Found:
    """An entry file as discovery saw it (plain strings: this runs for every file)."""

    path: str  # as the operating system names it
    rel: str  # inside the entries folder, POSIX separators
    is_link: bool


def discover(entries_dir: Path) -> list[Found]:
    """Every ``*.md`` under the folder, in a fixed order (not the file system's).

    Hidden files and folders (``.git``, ``.obsidian``) are skipped, and so are
    ``_index.md`` (Hugo's and Zola's section pages) and ``README.md`` files.
    Links to folders are not followed.
    """
    found: list[Found] = []
    pending = [(str(entries_dir), "")]
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                items = list(listing)
        except OSError:
            continue
        for item in items:
            name = item.name
            if name.startswith("."):
                continue
            if item.is_dir(follow_symlinks=False):
                pending.append((item.path, prefix + name + "/"))
            elif name.endswith(".md") and name.lower() not in _NOT_ENTRIES:
                found.append(Found(item.path, prefix + name, item.is_symlink()))
    found.sort(key=lambda f: f.rel)
    return found


Stat = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns
# A stat packed into 32 bytes: a 65-byte object instead of a tuple of four large
# integers (about 200 bytes), for every file of a folder held through the build.
STAT = struct.Struct("<QqQq")


def stat_all(found: list[Found]) -> dict[str, bytes]:
    """rel -> (size, mtime, inode, ctime) of every file, following links to their
    target, packed with `STAT`.

    The inode and the change time catch what size and modification time miss: a
    link pointed at another file, or a file replaced by one with the same times.
    """
    stats = {}
    pack = STAT.pack
    for item in found:
        try:
            info = os.stat(item.path)
        except OSError:
            continue  # reading it will report the problem
        stats[item.rel] = pack(info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)
    return stats
