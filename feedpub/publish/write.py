"""Atomic, only-if-changed writes of a set of output files.

All files are first written to temporary files beside their targets (flushed and
fsynced); only when every one of them is on disk are they renamed over the old
files. A failure before that point removes the temporary files and leaves every
previous output byte-identical. A file whose bytes did not change is not touched,
so its mtime stays and HTTP caches and rsync see no change.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

from feedpub.base.chunks import Chunks, write_chunks
from feedpub.base.problems import OutputError, error
from feedpub.publish.copies import same_content, same_file_stat, stage_copy
from feedpub.publish.durable import (
    HELD,
    SYNCFS_FROM,
    FileSystem,
    fsync_folder,
    hold_signals_in_this_thread,
    synced,
)
from feedpub.publish.lock import locked
from feedpub.publish.stale import remove_empty_folders, remove_stale
from feedpub.publish.temporaries import (
    STAGING,
    remove_all_temporaries,
    remove_stale_temporaries,
    remove_temporaries_in,
)
from feedpub.publish.written import Written


def publish(outputs: dict[Path, bytes], then: Callable[[], None] | None = None,
            stale: Mapping[Path, tuple[int, int]] | None = None,
            root: Path | None = None,
            copies: Iterable[tuple[Path, Path]] = ()) -> list[Written]:
    """Write every file atomically; raise OutputError on failure.

    `then` runs after the files are in place, still under the folder lock, so
    that what it records (the build cache) describes these very files. `stale`: files
    an earlier build wrote (with their size and mtime_ns then) that are no longer
    made; each is removed once the new files are in place, if it is a regular file
    inside `root` that still has that size and mtime (else it is kept, as someone
    changed it), and so is its folder if that leaves it empty. `copies`: files to
    copy, (from, to), with the outputs.
    """
    with Publisher(root or _common_folder(outputs)) as publisher:
        publisher.add(outputs)
        publisher.copy(copies)
        return publisher.commit(then, stale)


class Publisher:
    """One build's writes: files staged as they are made (`stage`, any number of times,
    so that a build need not hold them all), then renamed into place together
    (`commit`). The output folder is locked from the start: a second build waits, and
    the set of files one build writes is never interleaved with another's. Leaving
    without a commit (an error, Ctrl-C) removes every staged file: the previous
    outputs stay as they were. An OSError becomes an OutputError saying what was kept.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.staged: list[tuple[Path, Path]] = []  # (temporary file, target)
        self.replaced: list[Path] = []
        self.results: list[Written] = []
        self.paths: set[Path] = set()  # every file this build makes (or keeps)
        self.folders: set[Path] = set()  # where it stages files: made, if new, for it
        self._locks = contextlib.ExitStack()
        self._made_root = False
        self._file_system: FileSystem | None = None

    def __enter__(self) -> Publisher:
        self._made_root = not self.root.exists()  # removed again if nothing is written
        try:
            self._locks.enter_context(locked(self.root))
            marker = self.root / STAGING
            if marker.exists():  # a build was killed while staging: its temporaries go
                remove_all_temporaries(self.root)
            marker.touch()
        except OSError as exc:
            self._locks.close()
            raise self._output_error(exc) from exc
        # (opened before anything is staged: its syncfs reports errors from then on)
        self._file_system = self._locks.enter_context(contextlib.closing(
            FileSystem(self.root)))
        return self

    def add(self, outputs: Mapping[Path, bytes | Chunks]) -> None:
        """Stage the files that changed (the others are left alone, with their dates)."""
        try:
            self.adopt(self.stage(outputs))
        except OSError as exc:
            raise self._output_error(exc) from exc

    def stage(self, outputs: Mapping[Path, bytes | Chunks]) -> list[tuple[Path, Path | None]]:
        """Each file and its staged temporary file (None: unchanged), with nothing
        recorded here: it may run in a forked child (pages.py), whose token `adopt`
        takes. A failure removes what this call staged and raises."""
        for path in outputs:
            self.folders.add(path.parent)  # (in a child: discard tells the parent)
        items = list(outputs.items())
        done = _stage_all(items)
        failure = next((d for d in done if isinstance(d, BaseException)), None)
        if failure is not None:
            for temp in done:
                if isinstance(temp, Path):
                    with contextlib.suppress(OSError):
                        temp.unlink()
            raise failure
        return [(path, temp) for (path, _), temp in zip(items, done, strict=True)
                if not isinstance(temp, BaseException)]

    def adopt(self, token: list[tuple[Path, Path | None]]) -> None:
        """Files `stage` staged (here or in a child): renamed on commit."""
        for path, temp in token:
            self.folders.add(path.parent)
            if temp is not None:
                self.staged.append((temp, path))
            self.results.append(Written(path, changed=temp is not None))
            self.paths.add(path)

    def discard(self, paths: Iterable[Path]) -> None:
        """Remove whatever is staged for `paths` that this process does not know of
        (a child's files, when its work is thrown away)."""
        for path in paths:
            remove_stale_temporaries(path)
            self.folders.add(path.parent)

    def copy(self, pairs: Iterable[tuple[Path, Path]]) -> None:
        """Copy each (source, target) file, staged like the others; a target with the
        source's size and modification time (as the last copy left it) is kept."""
        try:
            for source, target in pairs:
                self.folders.add(target.parent)
                temp = None if same_file_stat(source, target) else stage_copy(source, target)
                self.adopt([(target, temp)])
        except OSError as exc:
            raise self._output_error(exc) from exc

    def keep(self, paths: Iterable[Path]) -> None:
        """Files this build makes as they are on disk (not made again): unchanged."""
        for path in paths:
            self.results.append(Written(path, changed=False))
            self.paths.add(path)

    def commit(self, then: Callable[[], None] | None = None,
               stale: Mapping[Path, tuple[int, int]] | None = None) -> list[Written]:
        """Rename every staged file into place, remove the stale ones, then `then`."""
        try:
            _rename_all(self.staged, self.replaced, self._file_system)
            self.staged = []
            if stale:
                self.results += [Written(path, changed=removed, removed=removed,
                                         kept=not removed)
                                 for path, removed in remove_stale(stale, self.paths, self.root)]
            if then is not None:
                then()
        except OSError as exc:
            raise self._output_error(exc) from exc
        return self.results

    def __exit__(self, kind: object, exc: BaseException | None, trace: object) -> None:
        for temp, _ in self.staged:  # whatever stopped the build (even Ctrl-C): no leftovers
            with contextlib.suppress(OSError):
                temp.unlink()
        self.staged = []
        if exc is not None:  # stopped anywhere (between two renames, too): a sweep of
            for folder in self.folders | {self.root}:  # the folders it staged in
                remove_temporaries_in(folder)
        with contextlib.suppress(OSError):
            (self.root / STAGING).unlink()  # (no temporary of this build is left)
        if exc is not None:  # a failed build leaves no empty folder (of a new page) behind
            for folder in sorted(self.folders, key=lambda f: len(f.parts), reverse=True):
                remove_empty_folders(folder, self.root)
        self._locks.close()
        if exc is not None and self._made_root:
            with contextlib.suppress(OSError):
                self.root.rmdir()
        if isinstance(exc, OSError):  # (staged by a sink's caller: pages.py)
            raise self._output_error(exc) from exc

    def _output_error(self, exc: OSError) -> OutputError:
        target = exc.filename or "the output folder"
        kept = "the previous feed files were left as they were" if not self.replaced else (
            "already replaced: " + ", ".join(str(p) for p in self.replaced)
            + "; the others were left as they were")
        return OutputError([error(
            f"cannot write {target}: {exc.strerror or exc}",
            hint="check that the output folder exists, is writable and has free space; "
                 + kept,
        )])


def _common_folder(outputs: Mapping[Path, bytes | Chunks]) -> Path:
    return Path(os.path.commonpath([str(path.parent) for path in outputs])) if outputs \
        else Path.cwd()


def _rename_all(staged: list[tuple[Path, Path]], replaced: list[Path],
                file_system: FileSystem | None = None) -> None:
    folders = {path.parent for _, path in staged}
    if file_system is not None and not (len(staged) >= SYNCFS_FROM
                                        and file_system.holds(folders)):
        file_system = None  # (a few files, or some behind another mount: fsynced)
    synced([temp for temp, _ in staged], file_system)
    kept = [_keep_alive(path) for _, path in staged]
    with _signals_held():
        for temp, path in staged:  # renames only: each takes microseconds
            os.replace(temp, path)
            replaced.append(path)
    for old in kept:
        if old is not None:
            with contextlib.suppress(OSError):
                old.unlink()  # the replaced file's blocks are freed only now
    if file_system is None or not file_system.sync(strict=False):
        for folder in folders:
            fsync_folder(folder)


def _keep_alive(path: Path) -> Path | None:
    """A second name for the file about to be replaced, so that replacing it does not
    free its blocks (tens of milliseconds for a large feed) between two renames."""
    keeper = path.with_name(f".{path.name}.replaced.tmp")
    try:
        os.link(path, keeper)  # (one system call: most files are new, or have no keeper)
    except FileExistsError:  # a keeper left by a build that was stopped
        with contextlib.suppress(OSError):
            keeper.unlink()
        try:
            os.link(path, keeper)
        except OSError:
            return None
    except OSError:  # no file yet, or a file system without hard links
        return None
    return keeper


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Ctrl-C, SIGTERM and SIGHUP wait until every output is renamed: the set is
    replaced whole. (SIGKILL cannot wait; the renames follow each other at once.)"""
    if not hasattr(signal, "pthread_sigmask") or \
            threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _stage_all(items: list[tuple[Path, bytes | Chunks]]) -> list[Path | BaseException | None]:
    """Each file staged (its temporary file), None if unchanged, or what went wrong.

    This thread and up to STAGING_THREADS - 1 others take large files in turn: writing and
    fsyncing release the GIL, and the kernel's work on a new 60 MB file (mostly page
    allocation) then runs on both cores (bench/run.py at 10,000 entries: 130 MB of
    feeds took 0.33 s one after the other). A thread for each file cost more than it
    saved once the archive's pages came: 0.7 ms to start each of 600. Small sets of
    files are written by this thread alone.
    """
    done: list[Path | BaseException | None] = [None] * len(items)
    turns = iter(range(len(items)))  # next() on it is atomic under the GIL
    lock = threading.Lock()

    stop = threading.Event()

    def work(main: bool) -> None:
        if not main:
            hold_signals_in_this_thread()
        while not stop.is_set():
            with lock:
                index = next(turns, None)
            if index is None:
                return
            path, data = items[index]
            try:
                done[index] = None if same_content(path, data) else _stage(path, data)
            except BaseException as exc:  # handed to the caller, which cleans up
                done[index] = exc

    large = sum(len(data) for _, data in items) >= THREADS_FROM_BYTES
    threads = [threading.Thread(target=work, args=(False,))
               for _ in range(min(STAGING_THREADS, len(items)) - 1 if large else 0)]
    for thread in threads:
        thread.start()
    try:
        work(True)
        for thread in threads:
            thread.join()
    except BaseException:  # (Ctrl-C here): the others stop at the file in hand, and
        stop.set()  # what they all staged goes before it is raised
        for thread in threads:
            thread.join()
        for temp in done:
            if isinstance(temp, Path):
                with contextlib.suppress(OSError):
                    temp.unlink()
        raise
    return done


STAGING_THREADS = 4
# Threads pay only for large files: starting one takes about 0.7 ms here, and an
# archive page's three files (100 KB or so) are written in less. Nor do they pay for
# many small files (a turn of entry pages, 16 or more): the pages are made by this
# process and a forked child at once, and their threads only took turns with them for
# the GIL and the two cores. 10,000 entries, every output and pages, cold, output set
# aside (bench/run.py), alternating: 6.15 s with threads from 16 files, 5.6 s without.
THREADS_FROM_BYTES = 8 * 1024 * 1024


def _stage(path: Path, data: bytes | Chunks) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:  # (on disk before the renames: durable.synced)
            if isinstance(data, Chunks):  # (a feed's parts, unjoined: base/chunks.py)
                write_chunks(handle.fileno(), data)
            else:
                handle.write(data)
        # mkstemp makes the file private; a feed is meant to be served. A file we
        # replace keeps its mode; one behind a link (or none) gets the usual 0644.
        try:
            info = path.lstat()
            mode = info.st_mode & 0o777 if stat.S_ISREG(info.st_mode) else 0o644
        except OSError:
            mode = 0o644
        os.chmod(temp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            temp.unlink()
        raise
    return temp
