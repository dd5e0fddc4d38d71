"""Two cores, two processes: run one half of a job in a forked child.

A forked child shares the parent's memory as it was at the fork, so nothing but
the result crosses the pipe (pickled). Output is identical either way: callers
merge results in a fixed order, and if the child fails the parent does its part.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable, Iterator
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# Below this many items, starting a process costs more than it saves (measured
# with bench/run.py: about 15 ms to fork and collect on the 2-core machine).
MIN_ITEMS = 3000


def worth_it(items: int) -> bool:
    return items >= MIN_ITEMS and (os.cpu_count() or 1) >= 2 and hasattr(os, "fork") \
        and sys.platform != "darwin"  # forking is unsafe with macOS system libraries


class Child(Generic[T]):
    """A forked child computing one value: call it to collect, or cancel it."""

    def __init__(self, function: Callable[..., T], args: tuple[Any, ...]) -> None:
        self.function, self.args = function, args
        read_end, write_end = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the child: compute, send, leave without the parent's exit code
            status = 0
            try:
                os.close(read_end)
                with os.fdopen(write_end, "wb") as pipe:
                    pickle.dump(function(*args), pipe, protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # the parent redoes the work
                status = 1
            finally:
                os._exit(status)
        os.close(write_end)
        self.pipe = os.fdopen(read_end, "rb")

    def __call__(self) -> T:
        with self.pipe:
            data = self.pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if status != 0 or not data:
            return self.function(*self.args)
        return pickle.loads(data)

    def cancel(self) -> None:
        """Stop the child and reap it (used when this process's part failed)."""
        self.pipe.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def in_child(function: Callable[..., T], *args: Any) -> Child[T]:
    """Start `function(*args)` in a forked child; call the result to collect its value."""
    return Child(function, args)


@contextlib.contextmanager
def cancelled_on_error(child: Child[Any]) -> Iterator[None]:
    """Cancel `child` if this process's share of the work raises."""
    try:
        yield
    except BaseException:
        child.cancel()
        raise
