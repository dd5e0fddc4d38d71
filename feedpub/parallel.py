"""Two cores, two processes: run one half of a job in a forked child.

A forked child shares the parent's memory as it was at the fork, so nothing but
the result crosses the pipe (pickled). Output is identical either way: callers
merge results in a fixed order, and if the child fails the parent does its part.
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

# Below this many items, starting a process costs more than it saves (measured
# with bench/run.py: about 15 ms to fork and collect on the 2-core machine).
MIN_ITEMS = 3000


def worth_it(items: int) -> bool:
    return items >= MIN_ITEMS and (os.cpu_count() or 1) >= 2 and hasattr(os, "fork") \
        and sys.platform != "darwin"  # forking is unsafe with macOS system libraries


def in_child(function: Callable[..., T], *args: Any) -> Callable[[], T]:
    """Start `function(*args)` in a forked child; call the result to collect its value."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, leave without running the parent's exit code
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

    def collect() -> T:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        if status != 0 or not data:
            return function(*args)
        return pickle.loads(data)

    return collect
