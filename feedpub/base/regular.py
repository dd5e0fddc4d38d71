"""Reading a file given on the command line: a regular file of bounded size, nothing else.

A FIFO waits for a writer forever and `/dev/zero` never ends, so anything that is
not a regular file is refused from its `os.stat`, before it is opened; and it is
opened with O_NONBLOCK in case it was swapped for one in between.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable

_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # not on Windows, which has no FIFOs to open
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)
_KINDS: tuple[tuple[Callable[[int], bool], str], ...] = (
    (stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"))


class RefusedFile(Exception):
    """Not a regular file, or too large; the message says which ("it is ...")."""


def read_regular_file(path: str | os.PathLike[str], limit: int) -> bytes:
    """The bytes of the regular file at `path` (a link is followed).

    Raises RefusedFile for anything else (a FIFO, a device, a folder, a socket)
    or a file larger than `limit` bytes; OSError when it cannot be read.
    """
    looked_at = os.stat(path)
    _check(looked_at, limit)
    with open(os.open(path, os.O_RDONLY | _NONBLOCK | _CLOEXEC), "rb") as file:
        opened = os.fstat(file.fileno())
        if (opened.st_dev, opened.st_ino) != (looked_at.st_dev, looked_at.st_ino):
            raise RefusedFile("it was replaced while it was read")
        _check(opened, limit)
        data = file.read(limit + 1)  # a file may grow, or be larger than it says
    if len(data) > limit:
        raise RefusedFile(_too_large(limit))
    return data


def _check(info: os.stat_result, limit: int) -> None:
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "something else")
        raise RefusedFile(f"it is {kind}, not a regular file")
    if info.st_size > limit:
        raise RefusedFile(_too_large(limit))


def _too_large(limit: int) -> str:
    return f"it is larger than {limit:,} bytes"
