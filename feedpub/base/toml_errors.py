"""tomllib's error messages, for ours: the line they name, and the text without it."""

from __future__ import annotations

import re

_LINE = re.compile(r"at line (\d+)")
_POSITION = re.compile(r"\s*\(at line \d+, column \d+\)")


def error_line(message: str) -> int | None:
    """The line a TOMLDecodeError's message names (from 1), if it names one."""
    match = _LINE.search(message)
    return int(match.group(1)) if match else None


def without_position(message: str) -> str:
    """The message without its "(at line L, column C)": feedpub gives the line itself."""
    return _POSITION.sub("", message)
