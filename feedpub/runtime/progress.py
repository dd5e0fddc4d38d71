"""A progress bar on stderr for long builds on a terminal; silence everywhere else.

Nothing is drawn until a build has run for two seconds, nothing at all when
stderr is not a terminal (CI logs stay clean), and the line is cleared at the end.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

SHOW_AFTER = 2.0  # seconds: quick builds never show a bar
REDRAW_EVERY = 0.1
WIDTH = 30


class Progress:
    """The silent default: every call does nothing."""

    def start(self, label: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


class TerminalProgress(Progress):
    """`label [#####.....] 1,234/10,000` on one line, redrawn at most ten times a second."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.clock = stream, clock
        self.began = clock()
        self.label, self.total, self.done = "", 0, 0
        self.drawn_at = 0.0
        self.visible = False

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.done = label, total, 0
        self._draw()

    def advance(self, count: int = 1) -> None:
        self.done += count
        now = self.clock()
        if now - self.drawn_at >= REDRAW_EVERY or self.done >= self.total:
            self._draw()

    def finish(self) -> None:
        if self.visible:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.visible = False

    def _draw(self) -> None:
        now = self.clock()
        if now - self.began < SHOW_AFTER or not self.total:
            return
        filled = WIDTH * min(self.done, self.total) // self.total
        bar = "#" * filled + "." * (WIDTH - filled)
        self.stream.write(f"\r\033[K{self.label} [{bar}] {self.done:,}/{self.total:,}")
        self.stream.flush()
        self.drawn_at, self.visible = now, True
