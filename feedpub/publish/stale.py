"""Files the last build wrote that this one no longer makes: removed once the new
files are in place, with the folders that leaves empty, but only inside the output
folder, never through a link, and only if each is as feedpub left it (its size and
modification time as the cache's state recorded them)."""

from __future__ import annotations

import contextlib
import stat
from collections.abc import Iterable, Mapping
from pathlib import Path


def remove_stale(stale: Mapping[Path, tuple[int, int]], outputs: Iterable[Path],
                 root: Path) -> list[tuple[Path, bool]]:
    """Each file of `stale` that `outputs` lacks: (path, True) once removed, (path,
    False) if kept because it changed since (or is not a regular file); files outside
    `root`, or reached through a link, are passed over."""
    results = []
    for path in sorted(set(stale) - set(outputs)):
        if not _inside(path, root):
            continue
        try:
            info = path.lstat()
        except OSError:
            continue  # gone already
        if not stat.S_ISREG(info.st_mode) or (info.st_size, info.st_mtime_ns) != stale[path]:
            results.append((path, False))
            continue
        with contextlib.suppress(OSError):
            path.unlink()
            results.append((path, True))
            remove_empty_folders(path.parent, root)
    return results


def _inside(path: Path, root: Path) -> bool:
    """Whether `path` is below `root` through real folders (no link, no "..")."""
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    if ".." in parts or len(parts) < 1:
        return False
    folder = root
    for part in parts[:-1]:
        folder = folder / part
        if folder.is_symlink() or not folder.is_dir():
            return False
    return True


def remove_empty_folders(folder: Path, root: Path) -> None:
    """`folder` and the folders above it, up to `root` (kept), each while it is empty."""
    while folder != root and _inside(folder, root):
        try:
            folder.rmdir()  # only if empty
        except OSError:
            return
        folder = folder.parent
