"""Whether a file already holds what a build makes (`same_content`), and copies of
files beside the entries (the files their pages link to), staged like the
other outputs (write.py) and made only when the source changed: a copy keeps its
source's modification time, and one with the source's size and time is left alone."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from pathlib import Path

from feedpub.base.chunks import Chunks


def same_file_stat(source: Path, target: Path) -> bool:
    """Whether `target` is a regular file with the size and modification time of `source`."""
    try:
        a, b = source.stat(), target.lstat()
    except OSError:
        return False
    return stat.S_ISREG(b.st_mode) and (a.st_size, a.st_mtime_ns) == (b.st_size, b.st_mtime_ns)


def stage_copy(source: Path, target: Path) -> Path:
    """A copy of `source` beside `target`, with its modification time (what tells the
    next build it is unchanged) and the usual 0644."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, open(source, "rb") as inp:
            shutil.copyfileobj(inp, out, COPY_CHUNK)
        info = source.stat()
        os.utime(temp, ns=(info.st_atime_ns, info.st_mtime_ns))
        os.chmod(temp, 0o644)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp


COPY_CHUNK = 1 << 20


def same_bytes(source: Path, target: Path) -> bool:
    """Whether `target` is a regular file holding what `source` holds."""
    try:
        if not stat.S_ISREG(target.lstat().st_mode) \
                or source.stat().st_size != target.stat().st_size:
            return False
        with open(source, "rb") as one, open(target, "rb") as other:
            while True:
                a, b = one.read(COPY_CHUNK), other.read(COPY_CHUNK)
                if a != b:
                    return False
                if not a:
                    return True
    except OSError:
        return False


def same_content(path: Path, data: bytes | Chunks) -> bool:
    """Whether the file at `path` holds exactly `data`."""
    try:
        if path.stat().st_size != len(data):
            return False
        held = path.read_bytes()
    except OSError:
        return False
    return data.equals(held) if isinstance(data, Chunks) else held == data
