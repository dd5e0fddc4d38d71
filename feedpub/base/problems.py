"""Typed problems (errors and warnings) that name the file, the line and the fix.

Every stage of the pipeline reports what is wrong with the input as `Problem`
values instead of raising bare exceptions, so that one run can report every
problem at once and the CLI never shows a traceback for bad input.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
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


# Shown escaped wherever feedpub prints text that comes from outside (file names, a
# published feed): C0 and C1 controls and DEL (ESC starts terminal sequences, a line
# break could forge a line of output), the Unicode line and paragraph separators, the
# bidirectional controls (which reorder what follows), and lone surrogates (a file
# name that is not UTF-8), which no terminal can be sent.
_CONTROLS = [*range(0x20), *range(0x7F, 0xA0), 0x061C, 0x200E, 0x200F, 0x2028, 0x2029,
             *range(0x202A, 0x202F), *range(0x2066, 0x206A), *range(0xD800, 0xE000)]
_SHORT = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_ESCAPES = {code: _SHORT.get(chr(code)) or (f"\\x{code:02x}" if code < 0x100 else
                                            f"\\u{code:04x}") for code in _CONTROLS}


def shown(text: str) -> str:
    """`text` with its control characters written as escapes: `\\x1b`, `\\n`, `\\u202e`.

    Nothing else changes (not even a backslash), so text without them is shown as
    it is, and showing shown text changes nothing.
    """
    return text.translate(_ESCAPES)


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the input, located as precisely as we know."""

    severity: Severity
    message: str
    path: str | None = None
    line: int | None = None
    hint: str | None = None

    def __str__(self) -> str:
        seen = self.escaped()
        where = ""
        if seen.path:
            where = seen.path + (f":{seen.line}" if seen.line else "") + ": "
        text = f"{where}{seen.severity}: {seen.message}"
        if seen.hint:
            text += f"\n  hint: {seen.hint}"
        return text

    def escaped(self) -> Problem:
        """This problem as it is shown (as text or JSON): control characters escaped.

        A path (a file name) and a message are one line each, so every control
        character in them is escaped, line breaks too. A hint may have lines of its
        own (feedpub writes them), so its line breaks stay; whoever puts text from
        outside (a published feed, a file name) into a hint escapes it with `shown`.
        """
        hint = None if self.hint is None else "\n".join(map(shown, self.hint.split("\n")))
        return replace(self, path=None if self.path is None else shown(self.path),
                       message=shown(self.message), hint=hint)


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


SKIPPED = " (entry skipped: --skip-invalid)"  # ends an invalid entry's error, made a warning
