"""A file's bytes as the parts it is made of, not joined.

A feed of every entry is its head, one fragment per entry and its tail: at 10,000
entries, 60 MB in 10,000 parts, most of them views into the fragment cache. Joining
them copies those megabytes once more before the write copies them again; a build
that writes the feed (build_and_publish) hands the parts to the kernel instead
(`write_chunks`: writev, IOV_MAX parts a call), which copies them once.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

Part = bytes | memoryview
# writev takes at most IOV_MAX buffers a call (1024 on Linux and macOS).
_MAX_PARTS = min(os.sysconf("SC_IOV_MAX"), 1024) if hasattr(os, "sysconf") else 1024


class Chunks:
    """Bytes in parts: `len` is their total size, `bytes()` joins them."""

    __slots__ = ("parts", "size")

    def __init__(self, parts: Sequence[Part]) -> None:
        self.parts = parts
        self.size = sum(map(len, parts))

    def __len__(self) -> int:
        return self.size

    def __bytes__(self) -> bytes:
        return b"".join(self.parts)

    def __repr__(self) -> str:
        return f"Chunks({len(self.parts)} parts, {self.size} bytes)"

    def equals(self, data: bytes) -> bool:
        """Whether `data` holds exactly these bytes (compared part by part, unjoined)."""
        if len(data) != self.size:
            return False
        view, at = memoryview(data), 0
        for part in self.parts:
            end = at + len(part)
            if view[at:end] != part:
                return False
            at = end
        return True


def joined(data: bytes | Chunks) -> bytes:
    """The bytes themselves."""
    return data if isinstance(data, bytes) else bytes(data)


def write_chunks(fd: int, chunks: Chunks) -> None:
    """Write every part to `fd` (a file: nothing of it buffered elsewhere), in order,
    with as few system calls as writev allows; a short write goes on where it ended."""
    if not hasattr(os, "writev"):  # (Windows)
        for part in chunks.parts:
            write_all(fd, part)
        return
    parts = [memoryview(part) for part in chunks.parts if len(part)]
    start = 0
    while start < len(parts):
        batch = parts[start:start + _MAX_PARTS]
        written = os.writev(fd, batch)
        for part in batch:  # past the parts written whole
            if written < len(part):
                break
            written -= len(part)
            start += 1
        else:
            continue
        if written:  # the rest of a part written in part
            write_all(fd, parts[start][written:])
            start += 1


def write_all(fd: int, data: Part) -> None:
    """All of `data` written to `fd`, however many writes it takes."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]
