"""What the preview shows: the folder built into, the number of the last build, and
the problems of the last one that failed (cleared by the next good one)."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from feedpub.base.problems import Problem


@dataclass
class Preview:
    root: Path  # the temporary output folder
    url: str  # the server's own address, as the feeds name it
    generation: int = 0  # builds that succeeded
    problems: tuple[Problem, ...] = ()  # of the last build, if it failed
    lock: threading.Lock = field(default_factory=threading.Lock)

    def built(self) -> None:
        with self.lock:
            self.generation += 1
            self.problems = ()

    def failed(self, problems: tuple[Problem, ...]) -> None:
        with self.lock:
            self.generation += 1  # (so that an open page shows the errors at once)
            self.problems = problems
