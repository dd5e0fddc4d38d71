"""`Page`: what a generator's link rules need to know about one entry; and where the
entries folder is inside the site's content folder (`content_prefix`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True, slots=True)
class Page:
    meta: Mapping[str, Any]  # the front matter (with Jekyll's defaults applied)
    path: str  # the file inside the site's content folder, with "/" separators
    published: datetime  # in the site's time zone
    title: str

    @property
    def folders(self) -> list[str]:
        return self.path.split("/")[:-1]

    @property
    def stem(self) -> str:
        """The file name without its extension."""
        name = self.path.rpartition("/")[2]
        return name.rpartition(".")[0] or name

    def text(self, key: str) -> str | None:
        value = self.meta.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        return value.strip() if isinstance(value, str) and value.strip() else None


@lru_cache(maxsize=8)
def content_prefix(entries_dir: Path, content: Path | None) -> str:
    """The entries folder's path inside the site's content folder, ending with "/"
    ("_posts/", "posts/"); "" when it is not inside it."""
    if content is None:
        return ""
    try:
        inside = entries_dir.relative_to(content).as_posix()
    except ValueError:
        return ""
    return "" if inside == "." else inside + "/"
