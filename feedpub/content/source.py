"""Entry files on disk: read them safely, decode them, and hand the text to the
front-matter readers (`feedpub.content.handlers`), which split it into front
matter and body and keep the lines they start on, for messages.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedpub.base.problems import Problem, error, warning
from feedpub.base.text import clean_text, may_hold_control_characters
from feedpub.content import handlers
from feedpub.content.files import Found, normal_rel, stat_of


@dataclass(frozen=True, slots=True)
class Source:
    """One entry file, split: its front matter as data and its Markdown body."""

    path: str
    rel: str  # path inside the entries folder, POSIX separators
    display: str  # path as shown to the user (relative to the config)
    metadata: dict[str, Any]
    body: str
    body_line: int  # file line on which the body starts
    front_matter: str  # the raw text, kept to find key lines for messages
    front_matter_line: int  # file line of the front matter text's first line
    escapes: bool  # the front matter has backslash escapes (may encode control characters)
    warnings: tuple[Problem, ...] = ()
    stat: bytes = b""  # the file's stat, taken on the open file before reading it (pack_stat)
    # The front matter's format, as its reader names it: "YAML", "TOML", "JSON" or
    # "Pelican" (whose values are all text: no YAML comments, quotes or numbers).
    reader: str = ""
    body_start: int = -1  # where the body starts in the decoded text (-1: not a suffix)

    @property
    def key_lines(self) -> dict[str, int]:
        """Top-level front matter key -> file line (found by text, when a message needs it)."""
        return _key_lines(self.front_matter, self.front_matter_line, self.metadata)


class SourceError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


def read_source(path: Path | Found, entries_dir: Path, display: str,
                max_size: int = 10 * 1024 * 1024) -> Source:
    """One entry file, decoded and split. Raises SourceError with a Problem."""
    if not isinstance(path, Found):
        path = Found(str(path), Path(path).relative_to(entries_dir).as_posix(),
                     Path(path).is_symlink())
    rel = _checked_rel(path, entries_dir, display)
    raw, file_stat = _read_file(path.path, display, max_size)
    text = _decoded(raw, display)
    # (the fast test reads UTF-8 bytes: a UTF-16 file's text is always cleaned)
    cleaned, removed = (clean_text(text) if may_hold_control_characters(raw)
                        or raw[:2] in _UTF16_BOMS else (text, 0))
    if not cleaned or cleaned.isspace():
        raise SourceError(error("the file is empty", display,
                                hint="add front matter with at least a title"))
    try:
        metadata, parts = handlers.read(cleaned)
    except handlers.FrontMatterError as exc:
        raise SourceError(error(exc.message, display, exc.line, hint=exc.hint)) from None
    fm, fm_line, body_line = parts.front_matter, parts.front_matter_line, parts.body_line
    warnings = _control_character_warnings(
        text, display, body_line, _key_lines(fm, fm_line, metadata)) if removed else ()
    start = len(cleaned) - len(parts.body) if cleaned.endswith(parts.body) else -1
    return Source(path.path, rel, display, metadata, parts.body, body_line, fm, fm_line,
                  "\\" in fm, warnings, file_stat, parts.reader, start)


def read_body(path: Found, entries_dir: Path, display: str, max_size: int,
              start: int) -> str:
    """The body of a file read before (`Source.body_start`: where its body starts),
    without reading its front matter again. Raises SourceError with a Problem."""
    _checked_rel(path, entries_dir, display)
    raw, _ = _read_file(path.path, display, max_size)
    text = _decoded(raw, display)
    if may_hold_control_characters(raw) or raw[:2] in _UTF16_BOMS:
        text = clean_text(text)[0]
    return text[start:]


def _checked_rel(found: Found, entries_dir: Path, display: str) -> str:
    """The file's path inside the entries folder; SourceError for a name that is not
    UTF-8, a folder that could not be read, and links that are broken or lead out."""
    try:
        found.rel.encode("utf-8")
    except UnicodeEncodeError:
        raise SourceError(error(
            "the file name is not valid UTF-8", display.encode("utf-8", "replace").decode(),
            hint="rename the file using UTF-8 characters")) from None
    rel = normal_rel(found.rel)
    if found.problem is not None:
        raise SourceError(error(found.problem, display,
                                hint=_FOLDER_HINTS.get(found.problem.partition(":")[0])))
    if found.is_link:
        if not os.path.exists(found.path):
            raise SourceError(error("is a broken link: the file it points to is missing",
                                    display, hint="remove the link or restore its target"))
        if not Path(found.path).resolve().is_relative_to(entries_dir.resolve()):
            raise SourceError(error(
                "is a link to a file outside the entries folder; it was refused", display,
                hint="copy the file into the entries folder instead of linking to it"))
    return rel


def _read_file(path: str, display: str, max_size: int) -> tuple[bytes, bytes]:
    """`_read`, with its failures as SourceError."""
    try:
        return _read(path, max_size)
    except OSError as exc:
        raise SourceError(error(f"cannot read the file: {exc.strerror}", display)) from None
    except _NotAFile:
        raise SourceError(error(
            "is not a regular file (a named pipe, a device or a socket); it was refused",
            display, hint="remove it from the entries folder")) from None
    except _TooLarge as exc:
        raise SourceError(error(
            f"is {exc.size:,} bytes, over the limit of {max_size:,} bytes; it was refused",
            display, hint="split it, or raise feed.max_entry_size in feedpub.toml")) from None


def _decoded(raw: bytes, display: str) -> str:
    """The file's text, with \\n line ends and without a byte order mark: UTF-8, or
    UTF-16 where the file starts with UTF-16's byte order mark (as Windows editors save
    "Unicode" text)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        # Tested only here: 0xFF and 0xFE are never UTF-8, so a UTF-16 file always fails
        # at offset 0, and UTF-8 files pay nothing for the test.
        if exc.start == 0 and raw[:2] in _UTF16_BOMS and raw[:4] != _UTF32_LE_BOM:
            text = _utf16(raw, display)
        else:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise SourceError(error(
                f"is not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} "
                "cannot be decoded", display, line, hint=_SAVE_AS_UTF8)) from None
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


_SAVE_AS_UTF8 = "re-save the file as UTF-8 (most editors have 'Save with encoding')"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # little-endian, big-endian
_UTF32_LE_BOM = b"\xff\xfe\x00\x00"  # starts like UTF-16's: not UTF-16


def _utf16(raw: bytes, display: str) -> str:
    """A file that starts with a UTF-16 byte order mark, decoded (without the mark)."""
    try:
        return raw.decode("utf-16")  # the mark says which byte order
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].decode("utf-16", "replace").count("\n") + 1
        raise SourceError(error(
            f"starts with a UTF-16 byte order mark, but the bytes at offset {exc.start} "
            f"are not UTF-16 ({exc.reason})", display, line, hint=_SAVE_AS_UTF8)) from None


_FOLDER_HINTS = {
    "cannot read the folder": "give the user who builds read and search permission on "
                              "it (chmod u+rx), or move it out of the entries folder",
    "is a link to a folder outside the entries folder; it was refused":
        "copy the folder into the entries folder instead of linking to it",
}


# O_NONBLOCK: opening a named pipe that happens to end in .md must not hang the build.
_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
               | getattr(os, "O_NONBLOCK", 0))


class _NotAFile(Exception):
    pass


class _TooLarge(Exception):
    def __init__(self, size: int) -> None:
        super().__init__(size)
        self.size = size


def _read(path: str, max_size: int) -> tuple[bytes, bytes]:
    """The file's bytes and its stat (taken before reading: see publish.cache.state.Snapshot);
    _TooLarge if there are more than `max_size` bytes.

    Plain descriptor calls, without a buffered file object per entry: 5 µs a file
    here instead of 8.
    """
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise _NotAFile
        size = info.st_size
        if size > max_size:
            raise _TooLarge(size)
        data = os.read(descriptor, size + 1)  # one byte more shows a file that grew
        while len(data) != size:  # a short read, or a file written to meanwhile
            if len(data) > max_size:
                raise _TooLarge(len(data))
            more = os.read(descriptor, max_size + 1 - len(data))
            if not more:
                break
            data += more
        return data, stat_of(info)
    finally:
        os.close(descriptor)


def _control_character_warnings(text: str, display: str, body_line: int,
                                key_lines: dict[str, int]) -> tuple[Problem, ...]:
    """A warning for each line that had characters XML cannot carry, naming the field."""
    problems = []
    for number, line in enumerate(text.split("\n"), 1):
        count = clean_text(line)[1]
        if not count:
            continue
        if number >= body_line:
            field = "the body"
        else:
            keys = [k for k, at in key_lines.items() if at <= number]
            field = f"field {max(keys, key=key_lines.__getitem__)!r}" if keys \
                else "the front matter"
        problems.append(warning(
            f"removed {count} control character(s) that XML cannot carry (such as NUL or "
            f"ESC) from {field}", display, number,
            hint="they are usually left over from copy and paste"))
    return tuple(problems)


def _key_lines(fm: str, first_line: int, data: dict[str, Any]) -> dict[str, int]:
    """Where each top-level key sits, found by text (good enough for messages). A key
    written with capitals is found under its lower-case name too (a reader such as
    Pelican's lower-cases keys)."""
    lines: dict[str, int] = {}
    for offset, line in enumerate(fm.split("\n")):
        match = re.match(r"""\s*["']?([^\s:="']+)["']?\s*[:=]""", line)
        if match:
            key = match.group(1) if match.group(1) in data else match.group(1).lower()
            if key in data:
                lines.setdefault(key, first_line + offset)
    return lines
