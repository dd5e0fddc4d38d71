"""Staged files made durable before they are renamed into place, and the renames
after: fsync per file and per folder, or, for many, one syncfs(2) per file system.
Worker threads here hold the signals that the renames hold (write._signals_held)."""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

HELD = frozenset(getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP")
                 if hasattr(signal, name))


def synced(files: list[Path]) -> None:
    """Every staged file on disk before any is renamed over an old one, by a few
    threads at once (fsync releases the GIL). Done here rather than as each file is
    staged: fsyncs made while a forked child writes pages too took 1.9 ms each
    (0.3 ms alone), 0.85 s at 10,000 entries."""
    if not files or (len(files) >= SYNCFS_FROM and synced_file_systems(
            {file.parent for file in files}, strict=True)):
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
# From this many files (or folders) on, one syncfs(2) per file system, where there is
# one (Linux), instead of an fsync per file and one per folder: it writes the same
# data, and commits the journal once, not once for each. 10,000 entry pages: fsyncing
# them took 0.78 s with 8 threads and their folders 1.2 s more; syncfs, 0.1 s.
SYNCFS_FROM = 64


def synced_file_systems(folders: Iterable[Path], strict: bool) -> bool:
    """syncfs(2) on each file system that holds one of `folders`; False where there is
    no syncfs (then the caller fsyncs). `strict`: a failure raises OSError (a write
    that did not reach the disk), else it is ignored, as fsync_folder ignores it."""
    syncfs = _syncfs()
    if syncfs is None:
        return False
    devices: dict[int, Path] = {}
    for folder in folders:
        with contextlib.suppress(OSError):
            devices.setdefault(os.stat(folder).st_dev, folder)
    for folder in devices.values():
        fd = os.open(folder, os.O_RDONLY)
        try:
            if syncfs(fd) != 0 and strict:
                import ctypes

                code = ctypes.get_errno()
                raise OSError(code, os.strerror(code), str(folder))
        finally:
            os.close(fd)
    return True


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
