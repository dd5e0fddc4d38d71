"""TOML front matter between ``+++`` lines, read with the standard library's tomllib."""

from __future__ import annotations

import re
import tomllib
from typing import Any, ClassVar

from feedpub.base.toml_errors import error_line, without_position
from feedpub.content.handlers import simple_toml
from feedpub.content.handlers.base import Reader


class TOMLHandler(Reader):
    """python-frontmatter's TOML handler needs the `toml` package; this one, tomllib."""

    name = "TOML"
    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"
    errors: ClassVar[tuple[type[Exception], ...]] = (tomllib.TOMLDecodeError,)

    def load(self, fm: str, **kwargs: object) -> Any:
        data = simple_toml.load(fm)  # the common flat front matter, fast
        return tomllib.loads(fm) if data is None else data

    def explain(self, exc: Exception, fm: str) -> tuple[str, int | None, str | None]:
        line = error_line(str(exc))
        return (f"invalid TOML front matter: {without_position(str(exc))}",
                line - 1 if line else None, "text values need double quotes")
