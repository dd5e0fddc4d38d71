"""JSON front matter: a ``{`` line, the object, and a ``}`` line, read with the
standard library (python-frontmatter's JSONHandler, with our messages)."""

from __future__ import annotations

import json
from typing import ClassVar

from frontmatter.default_handlers import JSONHandler as _JSONHandler

from feedpub.content.handlers.base import Reader


class JSONHandler(Reader, _JSONHandler):
    """The front matter is the whole object, braces included."""

    name = "JSON"
    errors: ClassVar[tuple[type[Exception], ...]] = (json.JSONDecodeError,)

    def bounds(self, text: str) -> tuple[int, int, int] | None:
        found = super().bounds(text)
        return None if found is None else (0, found[2], found[2])

    def closer(self) -> str:
        return "}"

    def explain(self, exc: Exception, fm: str) -> tuple[str, int | None, str | None]:
        assert isinstance(exc, json.JSONDecodeError)
        return f"invalid JSON front matter: {exc.msg}", exc.lineno - 1, None
