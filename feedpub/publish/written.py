"""What publishing did to each file (publish/write.py), in a module of its own: a
rebuild with nothing to do reports its files without importing the writer."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Written:
    path: Path
    changed: bool
    removed: bool = False  # a file the last build wrote and this one no longer makes
    kept: bool = False  # one of those, left in place: it was changed since
