"""Phase timings for `feedpub build --timings` (discover, parse, render, feeds, write)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from feedpub.runtime.progress import Progress


class Timings:
    """Wall-clock seconds per phase (a phase entered twice adds up), and the
    progress display that long phases report to."""

    def __init__(self, progress: Progress | None = None) -> None:
        self.phases: dict[str, float] = {}
        self.progress = progress or Progress()

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.phases[name] = self.phases.get(name, 0.0) + time.perf_counter() - started

    def report(self) -> str:
        total = sum(self.phases.values())
        rows = [f"  {name:9s} {seconds:8.3f} s" for name, seconds in self.phases.items()]
        return "\n".join(["timings:", *rows, f"  {'total':9s} {total:8.3f} s"])
