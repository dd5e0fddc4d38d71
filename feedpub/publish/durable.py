"""Staged files made durable before they are renamed into place, and the renames
after: fsync per file and per folder, or, for a site's pages, one syncfs(2) of the
output folder's file system (`FileSystem`). Worker threads here hold the signals that
the renames hold (write._signals_held)."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

HELD = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                 if hasattr(signal, name))


def synced(files: list[Path], file_system: FileSystem | None = None) -> None:
    """Every staged file on disk before any is renamed over an old one: by one syncfs
    of `file_system` (which holds them all: `FileSystem.holds`), else by a few threads
    at once (fsync releases the GIL). Done here rather than as each file is staged:
    fsyncs made while a forked child writes pages too took 1.9 ms each (0.3 ms alone),
    0.85 s at 10,000 entries. OSError if one did not reach the disk."""
    if not files or (file_system is not None and file_system.sync(strict=True)):
        return
    failures: list[OSError] = []
    turns = iter(files)
    lock = threading.Lock()

    def work() -> None:
        hold_signals_in_this_thread()  # (renames follow: no signal may land here)
        while True:
            with lock:
                file = next(turns, None)
            if file is None:
                return
            try:
                fd = os.open(file, os.O_RDONLY)
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
            except OSError as exc:
                failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(min(SYNC_THREADS, len(files)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]


SYNC_THREADS = 8
# From this many files on, one syncfs(2) of the output folder's file system, where it
# reports write errors (Linux 5.8 on), instead of an fsync per file and one per
# folder: it commits the journal once, not once for each. 10,000 entry pages: the
# write phase (fsyncs by 8 threads, renames, then the folders' fsyncs) went from
# 2.3 s to 0.9 s. But syncfs also writes out what other programs left unwritten on
# that file system: for the 200 files of 1,000 entries' archive and tag feeds it
# cost 30 ms more than fsyncs (bench/run.py, after Hugo's unsynced output), so it
# waits for a site's pages.
SYNCFS_FROM = 1000
# What syncfs fails with where it cannot be used (a sandbox, an old kernel): the
# files are then fsynced one by one.
_NOT_THERE = frozenset({errno.ENOSYS, errno.EPERM, errno.EINVAL, errno.EBADF})


class FileSystem:
    """The output folder's file system, opened before any file is staged: a syncfs of
    it reports every write error on it since (the kernel keeps one error record per
    file system, and each open descriptor sees the errors that came after it was
    opened). Unusable (`fd` -1) without syncfs or before Linux 5.8, whose syncfs
    reports no errors."""

    def __init__(self, root: Path) -> None:
        self.fd, self.device = -1, -1
        # (libc's syncfs is looked up, with ctypes, only when many files are staged)
        if not sys.platform.startswith("linux") or not _syncfs_reports_errors():
            return
        try:
            fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        except OSError:
            return
        try:
            self.device = os.fstat(fd).st_dev
        except OSError:
            os.close(fd)
            return
        self.fd = fd

    def holds(self, folders: Iterable[Path]) -> bool:
        """Whether every one of `folders` is on this file system (not behind a mount)."""
        if self.fd < 0:
            return False
        try:
            return all(os.stat(folder).st_dev == self.device for folder in folders)
        except OSError:
            return False

    def sync(self, strict: bool) -> bool:
        """syncfs: True if done. `strict`: a write error raises OSError (else it is
        ignored, as fsync_folder ignores it); False where syncfs cannot be used."""
        syncfs = _syncfs()
        if self.fd < 0 or syncfs is None:
            return False
        if syncfs(self.fd) == 0:
            return True
        import ctypes

        code = ctypes.get_errno() or errno.EIO
        if code in _NOT_THERE:
            return False
        if strict:
            raise OSError(code, os.strerror(code), "the output folder's file system")
        return True

    def close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


@functools.cache
def _syncfs() -> Callable[[int], int] | None:
    """libc's syncfs, or None (not Linux, or a libc without it)."""
    if not sys.platform.startswith("linux"):
        return None
    import ctypes

    try:
        syncfs = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    syncfs.argtypes, syncfs.restype = [ctypes.c_int], ctypes.c_int
    return syncfs  # type: ignore[no-any-return]


def _syncfs_reports_errors() -> bool:
    """Linux 5.8 or later: before, syncfs returned 0 whatever happened to the data."""
    numbers = re.match(r"(\d+)\.(\d+)", os.uname().release)
    return numbers is not None and (int(numbers[1]), int(numbers[2])) >= (5, 8)


def fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def hold_signals_in_this_thread() -> None:
    """A worker thread never takes Ctrl-C, SIGTERM or SIGHUP: the kernel hands a
    process's signal to any thread that does not block it, and one that ends just as
    the main thread renames (holding them: _signals_held) would take it there."""
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
