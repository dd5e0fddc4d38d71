"""Typed problems (errors and warnings) that name the file, the line and the fix.

Every stage of the pipeline reports what is wrong with the input as `Problem`
values instead of raising bare exceptions, so that one run can report every
problem at once and the CLI never shows a traceback for bad input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum
from typing import Literal

# error: nothing is written (check exits 1); warning: readers would notice (check
# --strict exits 1); note: information, such as a draft left out (never a failure).
Severity = Literal["error", "warning", "note"]


class ExitCode(IntEnum):
    """Exit codes of the `feedpub` command (documented in README and --help)."""

    OK = 0
    INPUT = 1  # config or entry problems
    USAGE = 2  # click's convention for bad command-line usage
    IO = 3  # the output could not be written (read-only folder, full disk, ...)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know."""

    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        where = ""
        if self.path:
            where = self.path + (f":{self.line}" if self.line else "") + ": "
        text = f"{where}{self.severity}: {self.message}"
        if self.hint:
            text += f"\n  hint: {self.hint}"
        return text


def error(message: str, path: str | None = None, line: int | None = None,
          hint: str | None = None) -> Problem:
    return Problem("error", message, path, line, hint)


def warning(message: str, path: str | None = None, line: int | None = None,
            hint: str | None = None) -> Problem:
    return Problem("warning", message, path, line, hint)


def note(message: str, path: str | None = None, line: int | None = None,
         hint: str | None = None) -> Problem:
    return Problem("note", message, path, line, hint)


class FeedpubError(Exception):
    """A failure that carries every problem found; the CLI prints them all."""

    exit_code: ExitCode = ExitCode.INPUT

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class ConfigError(FeedpubError):
    """feedpub.toml is missing or invalid."""


class InputError(FeedpubError):
    """One or more entries are invalid."""


class OutputError(FeedpubError):
    """The feeds could not be written; the previous files are untouched."""

    exit_code = ExitCode.IO


def errors_in(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


def did_you_mean(word: str, known: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The known word closest to a misspelt one (``tittle`` -> ``title``), if any."""
    import difflib

    matches = difflib.get_close_matches(word.lower(), list(known), n=1, cutoff=cutoff)
    return matches[0] if matches else None
