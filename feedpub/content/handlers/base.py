"""What every front-matter reader shares: finding its front matter and body in the
text (with the lines they start on), loading it, and wording what goes wrong.

A reader is a python-frontmatter handler (``detect``, ``split``, ``load``) with a
`name` for messages and an `explain` method that turns its library's exception
into a message, a line and a hint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from frontmatter.default_handlers import BaseHandler


class FrontMatterError(ValueError):
    """Front matter that cannot be read; `line` is a line of the whole file."""

    def __init__(self, message: str, line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.hint = message, line, hint


@dataclass(slots=True)  # not frozen: made once per file, and freezing costs 0.2 µs
class Parts:
    """A file's text, split: the front matter text and the body, with their first lines."""

    front_matter: str
    front_matter_line: int  # file line of the front matter text's first line
    body: str
    body_line: int  # file line on which the body starts
    reader: str = ""  # the name of the reader that found them: "YAML", "Pelican"...


# Values in front matter, counted as if YAML aliases were copied out. Real front
# matter has dozens; a "billion laughs" alias bomb has billions.
MAX_EXPANDED_VALUES = 100_000


class Reader(BaseHandler):
    """A front-matter format. Subclasses set FM_BOUNDARY (or override `detect` and
    `bounds`), `name`, `load`, and `errors` with `explain` for their library's errors."""

    name: ClassVar[str] = "front matter"  # as in "the YAML front matter"
    errors: ClassVar[tuple[type[Exception], ...]] = ()  # what `load` raises on bad text

    def bounds(self, text: str) -> tuple[int, int, int] | None:
        """Where the front matter starts and ends and where its closing line ends, in
        `text` (which `detect` accepted); None if it is never closed."""
        assert self.FM_BOUNDARY is not None
        boundaries = self.FM_BOUNDARY.finditer(text)
        opening = next(boundaries)
        closing = next(boundaries, None)
        if closing is None:
            return None
        return opening.end(), closing.start(), closing.end()

    def closer(self) -> str:
        """The line that closes the front matter, as a hint names it."""
        return self.END_DELIMITER or ""

    def parts(self, text: str) -> Parts:
        """The front matter and the body; FrontMatterError if it is never closed."""
        found = self.bounds(text)
        if found is None:
            raise FrontMatterError(
                f"the {self.name} front matter opened on line 1 is never closed", 1,
                hint=f"add a line with {self.closer()} where the front matter ends")
        start, end, body_start = found
        body = text[body_start:].removeprefix("\n")
        return Parts(text[start:end], text.count("\n", 0, start) + 1, body,
                     text.count("\n", 0, len(text) - len(body)) + 1, self.name)

    def split(self, text: str) -> tuple[str, str]:
        """python-frontmatter's split: (front matter, body)."""
        parts = self.parts(text)
        return parts.front_matter, parts.body

    def explain(self, exc: Exception, fm: str) -> tuple[str, int | None, str | None]:
        """One of `errors` as (message, line of `fm` counted from 0 or None, hint)."""
        return f"invalid {self.name} front matter: {exc}", None, None

    def read(self, text: str) -> tuple[dict[str, Any], Parts]:
        """The front matter's data (a mapping) and the parts; FrontMatterError if not."""
        parts = self.parts(text)
        data = self._load(parts)
        _check_size(data, parts)
        if not isinstance(data, dict):
            raise FrontMatterError(
                f"the front matter must be a set of 'key: value' lines, not a "
                f"{'list' if isinstance(data, list) else type(data).__name__}",
                parts.front_matter_line, hint="write it as 'title: ...' lines")
        return data, parts

    def _load(self, parts: Parts) -> Any:
        first = parts.front_matter_line
        try:
            data = self.load(parts.front_matter)
        except self.errors as exc:
            message, line, hint = self.explain(exc, parts.front_matter)
            raise FrontMatterError(message, None if line is None else first + line,
                                   hint) from None
        except (ValueError, TypeError, RecursionError) as exc:
            raise FrontMatterError(f"the {self.name} front matter cannot be read: {exc}",
                                   first) from None
        return {} if data is None else data


def _check_size(data: Any, parts: Parts) -> None:
    try:
        # Only aliases (*name) can make the data bigger than its text.
        expanded = _expanded_size(data, {}) if "*" in parts.front_matter else 0
    except RecursionError:  # nested thousands of levels deep: no real front matter is
        expanded = MAX_EXPANDED_VALUES + 1
    if expanded > MAX_EXPANDED_VALUES:
        raise FrontMatterError(
            f"the front matter expands to over {MAX_EXPANDED_VALUES:,} values through "
            "YAML aliases (*name); it was refused, as a 'billion laughs' attack would be",
            parts.front_matter_line,
            hint="write the values out instead of using anchors and aliases")


def _expanded_size(value: Any, seen: dict[int, int]) -> int:
    """How many values `value` holds once every shared (aliased) part is copied out.

    Memoised by identity, so it costs one visit per distinct node, not per copy.
    """
    if not isinstance(value, list | dict):
        return 1
    key = id(value)
    if key in seen:
        return seen[key]
    seen[key] = MAX_EXPANDED_VALUES + 1  # a cycle counts as too big
    children = value.values() if isinstance(value, dict) else value
    total = 1
    for child in children:
        total += _expanded_size(child, seen)
        if total > MAX_EXPANDED_VALUES:
            break
    seen[key] = total
    return total
