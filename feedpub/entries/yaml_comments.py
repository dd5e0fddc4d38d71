"""Unquoted YAML values that a " #" cut short: ``title: Fixed issue #42`` is "Fixed issue"."""

from __future__ import annotations

import re

from feedpub.base.problems import Problem, warning
from feedpub.content.source import Source

# Plain-text fields whose unquoted YAML values are cut short by a " #" comment.
_CUT_WATCHED = frozenset({"title", "summary", "author", "tags"})
_YAML_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_-]*)\s*:(?:\s+(.*))?$")
_NESTED_VALUE = re.compile(r"(?:-\s+)?(?:[A-Za-z_][A-Za-z0-9_-]*\s*:\s+)?(.*)$")
_NOT_PLAIN = frozenset("\"'[{|>&*!%@`#")


def comment_cuts(source: Source) -> list[Problem]:
    """A warning for each unquoted title, summary, author or tag that YAML cut short:
    ``title: Fixed issue #42`` is "Fixed issue", the rest read as a comment."""
    problems = []
    key = None
    for offset, line in enumerate(source.front_matter.split("\n")):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0] not in " \t-":
            match = _YAML_KEY.match(line)
            key, value = (match[1], match[2] or "") if match else (None, "")
        else:
            value = _NESTED_VALUE.match(line.strip())[1]  # type: ignore[index]
        if key not in _CUT_WATCHED or not value:
            continue
        if value[0] in "|>" or (value[0] in "\"'" and not _closed_quote(value)):
            key = None  # a block scalar or a quoted value that goes on: '#' is text there
            continue
        if value[0] in _NOT_PLAIN:
            continue
        at = value.find(" #")
        if at == -1:
            at = value.find("\t#")
        if at == -1:
            continue
        kept, rest = value[:at].rstrip(), value[at:].strip()
        problems.append(warning(
            f"{key} was cut short: YAML reads {rest!r} as a comment, leaving {kept!r}",
            source.display, source.front_matter_line + offset,
            hint=f"put the whole value in quotes: {_double_quoted(kept + ' ' + rest)} "
                 "(or move a comment "
                 "that is meant to its own line)"))
    return problems


def _closed_quote(value: str) -> bool:
    """Whether a value that starts with a quote closes it on the same line."""
    quote_mark = value[0]
    if quote_mark == "'":
        return "'" in value.replace("''", "")[1:]
    return re.search(r'(?<!\\)(?:\\\\)*"', value[1:]) is not None


def _double_quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
