"""Two cores, two processes: run one half of a job in a forked child.

A forked child shares the parent's memory as it was at the fork, so nothing but
the result comes back (pickled, through a temporary file: in parts as they are
made, `PartsChild`, or as one value, `Child`). Output is identical either way: callers merge
results in a fixed order, and if the child fails the parent does its part.

Why not concurrent.futures.ProcessPoolExecutor (issue 10): a version of both call
sites (entries/loading.py `_parse_missing`, fragments.py `fragments_for`) with
ProcessPoolExecutor(2, mp_context=fork), the work list left in a module global for
the forked workers and chunks of 32 indices submitted and merged in order, gave the
same feeds, byte for byte, but was slower on this 2-core machine. Cold builds of
bench/corpus.py's 10,000 entries (`python -m feedpub build --no-cache -q`; seconds,
the best of 5 interleaved runs and their median in brackets; CPU is user + system):

                               this module            ProcessPoolExecutor
    newest 20 (limit = 20)     0.51 s wall (0.52)     0.74 s wall (0.76)
                               0.83 s CPU             1.11 s CPU
    every entry (limit = 0)    2.85 s wall (2.90)     3.12 s wall (3.24)
                               5.26 s CPU             5.64 s CPU

`--timings` on such builds: parsing 0.38 s against 0.59 s (newest 20), rendering
2.29 s against 2.44 s (every entry).

The pool's parent only waits while two workers read, and every result comes back as
a whole Entry; here the parent takes chunks too and the child sends an entry's fields
without the path and name the parent already has. So this module stays.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

from feedpub.base.chunks import Chunks, write_chunks

T = TypeVar("T")

def worth_it(items: int, minimum: int) -> bool:
    """Whether to share `items` with a forked child: at least `minimum` of them (the
    callers' thresholds are measured with bench/run.py) and a machine that can."""
    return items >= minimum and (os.cpu_count() or 1) >= 2 and hasattr(os, "fork") \
        and sys.platform != "darwin"  # forking is unsafe with macOS system libraries


class PartsChild(Generic[T]):
    """A forked child whose function yields its results in parts, each pickled as soon
    as it is made into an unlinked temporary file that the parent reads once the
    child is done.

    A child that pickles its whole result at the end leaves this process waiting for
    that tail: at 10,000 entries (every entry in the feed), 55 ms for the entries it
    read and 118 ms for the 100 MB of fragments it made. Parts pickled as they come
    are work done while this process is busy with its own share (the shared queue
    then gives the child less), and the file is read at memory speed, without a
    pipe's round trips: the waits became 33 ms and 75 ms, most of it unpickling.
    The file is a plain one (the system's temporary folder), not memfd: its pages are
    the kernel's cache, which it may write out and drop under memory pressure; the
    pickles (half of what the child made) stay there until this process has read them.
    """

    def __init__(self, function: Callable[..., Iterator[T]], args: tuple[Any, ...]) -> None:
        import tempfile

        self.function, self.args = function, args
        with tempfile.TemporaryFile(prefix="feedpub-") as handle:  # (unlinked at once)
            self.fd = os.dup(handle.fileno())
        parent = os.getpid()
        try:
            self.pid = os.fork()
        except BaseException:
            self._close()
            raise
        if self.pid == 0:
            status = 0
            try:
                _die_with(parent)
                for part in function(*args):
                    data = pickle.dumps(part, protocol=pickle.HIGHEST_PROTOCOL)
                    # (its length, then the pickle: writev, not a joined copy of it)
                    write_chunks(self.fd, Chunks([len(data).to_bytes(8, "little"), data]))
            except BaseException:  # the parent redoes the work
                status = 1
            finally:
                os._exit(status)

    def __call__(self) -> list[T]:
        """The parts, in the order the child made them (or, if it failed, the
        function's parts made here)."""
        try:
            _, status = os.waitpid(self.pid, 0)
            parts = _read_parts(self.fd) if status == 0 else None
        except BaseException:  # (Ctrl-C while waiting): the child goes too
            self.cancel()
            raise
        self._close()
        return parts if parts is not None else list(self.function(*self.args))

    def cancel(self) -> None:
        """Stop the child and reap it; close the file (used when this process's part
        failed)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        self._close()

    def _close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1


class Child(Generic[T]):
    """A forked child computing one value (a PartsChild of one part): call it to
    collect, or cancel it."""

    def __init__(self, function: Callable[..., T], args: tuple[Any, ...]) -> None:
        self._parts = PartsChild(_one_part, (function, args))
        self.pid = self._parts.pid

    def __call__(self) -> T:
        value: T = self._parts()[0]
        return value

    def cancel(self) -> None:
        self._parts.cancel()


def _one_part(function: Callable[..., T], args: tuple[Any, ...]) -> Iterator[T]:
    yield function(*args)


def _read_parts(fd: int) -> list[Any] | None:
    """The parts a child wrote (None if the file is not whole: the child failed)."""
    parts, offset, size = [], 0, os.fstat(fd).st_size
    while offset < size:
        head = os.pread(fd, 8, offset)
        length = int.from_bytes(head, "little") if len(head) == 8 else -1
        if length < 0 or offset + 8 + length > size:
            return None
        data = os.pread(fd, length, offset + 8)
        if len(data) != length:
            return None
        try:
            parts.append(pickle.loads(data))
        except Exception:  # (written whole by a child that then failed: redone here)
            return None
        offset += 8 + length
    return parts


def in_child_parts(function: Callable[..., Iterator[T]], *args: Any) -> PartsChild[T]:
    """Start the generator `function(*args)` in a forked child; call the result to
    collect the parts it yielded."""
    return PartsChild(function, args)


def _die_with(parent: int) -> None:
    """Have the kernel kill this (forked) process when its parent dies, so that a
    killed build leaves no reader running (Linux; elsewhere the child finishes its
    share and exits when it finds no one reading)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before that took effect
        os._exit(1)


_PR_SET_PDEATHSIG = 1


def in_child(function: Callable[..., T], *args: Any) -> Child[T]:
    """Start `function(*args)` in a forked child; call the result to collect its value."""
    return Child(function, args)


@contextlib.contextmanager
def cancelled_on_error(child: Child[Any] | PartsChild[Any]) -> Iterator[None]:
    """Cancel `child` if this process's share of the work raises."""
    try:
        yield
    except BaseException:
        child.cancel()
        raise


class SharedQueue:
    """The indices of a list in chunks, shared by a process and the children it
    forks afterwards.

    Each process iterating over the queue takes the next chunk when it is ready for
    more, so work is balanced however unevenly the processes are otherwise busy.
    The chunk numbers wait in a pipe written in full before any fork: a read of two
    bytes from a pipe is atomic, and an empty pipe whose writer is closed reads as
    its end. Every index is taken by exactly one process (unless one dies: callers
    redo what is missing from the results).
    """

    # At most a page of chunk numbers: a pipe holds at least that much unread.
    MAX_CHUNKS = 2048

    def __init__(self, length: int, chunk: int, largest: int | None = None) -> None:
        self.length = length
        self.chunk = max(chunk, -(-length // self.MAX_CHUNKS))
        # With `largest`, chunks start large and shrink to `chunk` as the work runs out
        # (an eighth of what is left, within the two): fewer, larger turns, and short
        # last ones, so that neither process waits long for the other at the end.
        self.starts = [0]
        while self.starts[-1] < length:
            left = length - self.starts[-1]
            size = self.chunk if largest is None else \
                max(self.chunk, min(largest, left // 8))
            self.starts.append(min(length, self.starts[-1] + size))
        count = len(self.starts) - 1
        read_end, write_end = os.pipe()
        try:
            os.write(write_end, b"".join(i.to_bytes(2, "little") for i in range(count)))
        finally:
            os.close(write_end)
        self.fd = read_end

    def __iter__(self) -> Iterator[int]:
        for chunk in self.chunks():
            yield from chunk

    def chunks(self) -> Iterator[range]:
        """The chunks this process takes, each as the range of its indices."""
        while True:
            data = os.read(self.fd, 2)
            if not data:
                return
            number = int.from_bytes(data, "little")
            yield range(self.starts[number], self.starts[number + 1])

    def close(self) -> None:
        os.close(self.fd)
