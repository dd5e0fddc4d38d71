"""Entry files on disk: find them, decode them, split front matter from the body.

python-frontmatter supplies the format handlers (YAML ``---``, JSON ``{``); TOML
``+++`` uses a handler of ours on the standard library's tomllib. We split with
the handlers' own boundary patterns but keep positions, so that a parser's error
can be mapped to a line of the file.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from feedpub.base.problems import Problem, error, warning
from feedpub.base.text import clean_text, may_hold_control_characters
from feedpub.content import simple_toml, simple_yaml
from feedpub.content.files import Found, normal_rel, stat_of


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The safe loader (libyaml's when available), lenient about impossible dates.

    PyYAML raises a bare ValueError for ``date: 2021-13-45``; we keep the text so
    that the date check can report it like any other bad date.
    """


def _timestamp(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp)
_SCALARS = simple_yaml.Scalars(_Loader)


class SafeYAMLHandler(YAMLHandler):
    """YAML front matter, always with a safe loader: no Python objects, no tags."""

    def load(self, fm: str, **kwargs: object) -> Any:
        data = simple_yaml.load(fm, _SCALARS)  # the common flat front matter, fast
        return yaml.load(fm, Loader=_Loader) if data is None else data  # a SafeLoader


class TOMLHandler(BaseHandler):
    """TOML front matter between ``+++`` lines, read with the standard library."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        data = simple_toml.load(fm)  # the common flat front matter, fast
        return tomllib.loads(fm) if data is None else data


HANDLERS: tuple[BaseHandler, ...] = (SafeYAMLHandler(), TOMLHandler(), JSONHandler())
_FORMAT_NAMES = {SafeYAMLHandler: "YAML", TOMLHandler: "TOML", JSONHandler: "JSON"}


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

    @property
    def key_lines(self) -> dict[str, int]:
        """Top-level front matter key -> file line (found by text, when a message needs it)."""
        return _key_lines(self.front_matter, self.front_matter_line, self.metadata)


class SourceError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


# Values in front matter, counted as if YAML aliases were copied out. Real front
# matter has dozens; a "billion laughs" alias bomb has billions.
MAX_EXPANDED_VALUES = 100_000


def read_source(path: Path | Found, entries_dir: Path, display: str,
                max_size: int = 10 * 1024 * 1024) -> Source:
    """One entry file, decoded and split. Raises SourceError with a Problem."""
    if not isinstance(path, Found):
        path = Found(str(path), Path(path).relative_to(entries_dir).as_posix(),
                     Path(path).is_symlink())
    found = path
    rel = found.rel
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        raise SourceError(error(
            "the file name is not valid UTF-8", display.encode("utf-8", "replace").decode(),
            hint="rename the file using UTF-8 characters")) from None
    rel = normal_rel(rel)
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
    try:
        raw, file_stat = _read(found.path, max_size)
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
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise SourceError(error(
            f"is not UTF-8: byte 0x{raw[exc.start]:02x} at offset {exc.start} "
            "cannot be decoded", display, line,
            hint="re-save the file as UTF-8 (most editors have 'Save with encoding')",
        )) from None
    text = text.removeprefix("\ufeff")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned, removed = clean_text(text) if may_hold_control_characters(raw) else (text, 0)
    if not cleaned or cleaned.isspace():
        raise SourceError(error("the file is empty", display,
                                hint="add front matter with at least a title"))
    metadata, body, body_line, fm, fm_line = _split(cleaned, display)
    warnings = _control_character_warnings(
        text, display, body_line, _key_lines(fm, fm_line, metadata)) if removed else ()
    return Source(found.path, rel, display, metadata, body, body_line, fm, fm_line, "\\" in fm,
                  warnings, file_stat)


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
    """The file's bytes and its stat (taken before reading: see cache.Snapshot);
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


def _split(text: str, display: str) -> tuple[dict[str, Any], str, int, str, int]:
    handler = next((h for h in HANDLERS if h.detect(text)), None)
    if handler is None:
        raise SourceError(error(
            "has no front matter", display, 1,
            hint="start the file with a '---' line, then 'title: ...', then '---'",
        ))
    fmt = _FORMAT_NAMES[type(handler)]
    assert handler.FM_BOUNDARY is not None
    boundaries = handler.FM_BOUNDARY.finditer(text)
    opening = next(boundaries)
    closing = next(boundaries, None)
    if closing is None:
        delim = handler.START_DELIMITER or "}"
        raise SourceError(error(
            f"the {fmt} front matter opened on line 1 is never closed", display, 1,
            hint=f"add a line with {delim} where the front matter ends",
        ))
    if isinstance(handler, JSONHandler):
        fm_start, fm = 0, text[: closing.end()]
    else:
        fm_start, fm = opening.end(), text[opening.end(): closing.start()]
    first_line = text.count("\n", 0, fm_start) + 1
    body = text[closing.end():]
    body = body.removeprefix("\n")
    body_line = text.count("\n", 0, len(text) - len(body)) + 1
    try:
        data = handler.load(fm)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        context, context_mark = getattr(exc, "context", None), getattr(exc, "context_mark", None)
        if context_mark is not None and mark is not None and mark.index >= len(fm.rstrip()):
            mark = context_mark  # ran off the end (an unclosed [ or "): point at its start
        if context:
            problem = f"{context}, {problem}"
        line = first_line + mark.line if mark is not None else None
        if mark is not None and _indented_with_tab(fm, mark.line):
            raise SourceError(error(
                "invalid YAML front matter: the line is indented with a tab, and YAML "
                "allows only spaces for indentation", display, line,
                hint="replace the tab at the start of the line with spaces")) from None
        raise SourceError(error(f"invalid YAML front matter: {problem}", display, line,
                                hint="check the quoting and indentation on that line; "
                                "text containing ': ' or '#' needs quotes")) from None
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"at line (\d+)", str(exc))
        line = first_line + int(match.group(1)) - 1 if match else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise SourceError(error(f"invalid TOML front matter: {message}", display, line,
                                hint="text values need double quotes")) from None
    except json.JSONDecodeError as exc:
        raise SourceError(error(f"invalid JSON front matter: {exc.msg}", display,
                                first_line + exc.lineno - 1)) from None
    except (ValueError, TypeError, RecursionError) as exc:
        raise SourceError(error(f"the {fmt} front matter cannot be read: {exc}", display,
                                first_line)) from None
    if data is None:
        data = {}
    try:
        # Only aliases (*name) can make the data bigger than its text.
        expanded = _expanded_size(data, {}) if "*" in fm else 0
    except RecursionError:  # nested thousands of levels deep: no real front matter is
        expanded = MAX_EXPANDED_VALUES + 1
    if expanded > MAX_EXPANDED_VALUES:
        raise SourceError(error(
            f"the front matter expands to over {MAX_EXPANDED_VALUES:,} values through "
            "YAML aliases (*name); it was refused, as a 'billion laughs' attack would be",
            display, first_line,
            hint="write the values out instead of using anchors and aliases"))
    if not isinstance(data, dict):
        raise SourceError(error(
            f"the front matter must be a set of 'key: value' lines, not a "
            f"{'list' if isinstance(data, list) else type(data).__name__}",
            display, first_line, hint="write it as 'title: ...' lines",
        ))
    return data, body, body_line, fm, first_line


def _indented_with_tab(text: str, index: int) -> bool:
    """Whether line `index` (from 0) of `text` has a tab in its leading white space."""
    lines = text.split("\n")
    if not 0 <= index < len(lines):
        return False
    line = lines[index]
    return "\t" in line[: len(line) - len(line.lstrip(" \t"))]


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


def _key_lines(fm: str, first_line: int, data: dict[str, Any]) -> dict[str, int]:
    """Where each top-level key sits, found by text (good enough for messages)."""
    lines: dict[str, int] = {}
    for offset, line in enumerate(fm.split("\n")):
        match = re.match(r"""\s*["']?([^\s:="']+)["']?\s*[:=]""", line)
        if match and match.group(1) in data:
            lines.setdefault(match.group(1), first_line + offset)
    return lines
