"""Python's cyclic garbage collector, paused while a build runs.

A build allocates millions of small objects that live until it ends (entries,
their strings and dates) and makes no cyclic garbage: reference counting frees
everything it drops (a test checks that a build leaves nothing for the collector).
Left running, the collector would still walk all of those objects again and
again as they pile up: about a second at 100,000 entries.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside; the collector's previous state afterwards."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
