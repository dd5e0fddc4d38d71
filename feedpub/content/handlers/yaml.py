"""YAML front matter between ``---`` lines (or closed by ``...``): PyYAML's safe
loader, after a fast path (`simple_yaml`) that reads the flat ``key: value`` front
matter nearly every file has."""

from __future__ import annotations

import re
from typing import Any, ClassVar

import yaml
from frontmatter.default_handlers import YAMLHandler

from feedpub.content.handlers import simple_yaml
from feedpub.content.handlers.base import Reader


class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's when available), lenient about impossible dates.

    PyYAML raises a bare ValueError for ``date: 2021-13-45``; we keep the text so
    that the date check can report it like any other bad date.
    """


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
SCALARS = simple_yaml.Scalars(Loader)


# What closes the front matter: a line of dashes, or YAML's document end marker "...",
# which Jekyll accepts too (its YAML_FRONT_MATTER_REGEXP ends at ``(---|\.\.\.)\s*$``).
_CLOSING = re.compile(r"^(?:-{3,}|\.\.\.)\s*$", re.MULTILINE)


class SafeYAMLHandler(Reader, YAMLHandler):
    """YAML front matter, always with a safe loader: no Python objects, no tags.

    It opens with ``---`` and closes with ``---`` or ``...``, whichever comes first.
    """

    name = "YAML"
    errors: ClassVar[tuple[type[Exception], ...]] = (yaml.YAMLError,)

    def bounds(self, text: str) -> tuple[int, int, int] | None:
        assert self.FM_BOUNDARY is not None
        opening = self.FM_BOUNDARY.match(text)
        assert opening is not None  # `detect` accepted the text
        closing = _CLOSING.search(text, opening.end())
        return None if closing is None else (opening.end(), closing.start(), closing.end())

    def load(self, fm: str, **kwargs: object) -> Any:
        data = simple_yaml.load(fm, SCALARS)  # the common flat front matter, fast
        return yaml.load(fm, Loader=Loader) if data is None else data  # a SafeLoader

    def explain(self, exc: Exception, fm: str) -> tuple[str, int | None, str | None]:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context_mark is not None and mark is not None and mark.index >= len(fm.rstrip()):
            mark = context_mark  # ran off the end (an unclosed [ or "): point at its start
        if context:
            problem = f"{context}, {problem}"
        line = None if mark is None else mark.line
        if line is not None and _indented_with_tab(fm, line):
            return ("invalid YAML front matter: the line is indented with a tab, and YAML "
                    "allows only spaces for indentation", line,
                    "replace the tab at the start of the line with spaces")
        return (f"invalid YAML front matter: {problem}", line,
                "check the quoting and indentation on that line; text containing ': ' or "
                "'#' needs quotes")


def _indented_with_tab(text: str, index: int) -> bool:
    """Whether line `index` (from 0) of `text` has a tab in its leading white space."""
    lines = text.split("\n")
    if not 0 <= index < len(lines):
        return False
    line = lines[index]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]
