"""Finding entry files: plain `os` calls only, so a no-change rebuild stays light."""

from __future__ import annotations

import os
import struct
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# Every extension a site generator reads as Markdown, matched whatever its case (as
# Jekyll does): Jekyll's markdown_ext (markdown, mkdown, mkdn, mkd, md), Hugo's (md,
# markdown, mdown) and Pelican's (md, markdown, mkd, mdown). Zola reads .md only.
MARKDOWN_EXTENSIONS = frozenset({"md", "markdown", "mkdown", "mkdn", "mkd", "mdown"})
# Names that are not entries, with any of those extensions: Hugo's and Zola's section
# pages, and READMEs.
_NOT_ENTRIES = frozenset({"_index", "readme"})
_NOT_MD_ENTRIES = frozenset({"_index.md", "readme.md"})


@dataclass(frozen=True, slots=True)
class Found:
    """An entry file as discovery saw it (plain strings: this runs for every file)."""

    path: str  # as the operating system names it
    rel: str  # inside the entries folder, POSIX separators
    is_link: bool
    # Set when this stands for something that cannot be an entry: a folder that could
    # not be read, a link to a folder outside. Reading it reports this as an error.
    problem: str | None = None


def discover(entries_dir: Path) -> list[Found]:
    """Every Markdown file (``*.md``, ``*.markdown``, any of `MARKDOWN_EXTENSIONS` in
    any case) under the folder, in a fixed order (not the file system's).

    Hidden files and folders (``.git``, ``.obsidian``) are skipped, and so are
    ``_index.md`` (Hugo's and Zola's section pages) and ``README.md`` files, whatever
    their Markdown extension. A folder
    that cannot be read, and a link to a folder outside the entries folder, are
    found as a `Found` with a `problem` (so that nothing is left out unsaid). A
    link to a folder inside is followed only where it leads somewhere this walk
    does not go anyway (a hidden folder): elsewhere its files are read once, by
    their own path.
    """
    found: list[Found] = []
    root = os.path.realpath(entries_dir)
    pending = [(str(entries_dir), "")]
    followed: set[str] = set()
    while pending:
        folder, prefix = pending.pop()
        try:
            with os.scandir(folder) as listing:
                items = list(listing)
        except OSError as exc:
            found.append(Found(folder, prefix, False, f"cannot read the folder: "
                                                      f"{exc.strerror or exc}"))
            continue
        for item in items:
            name = item.name if item.name.isascii() else _utf8(item.name)
            if name.startswith("."):
                continue
            if item.is_dir(follow_symlinks=False):
                pending.append((item.path, prefix + name + "/"))
            elif ((name.endswith(".md") and name.lower() not in _NOT_MD_ENTRIES)
                  or is_entry_name(name)):  # (.md inline: as fast as before for most)
                found.append(Found(item.path, prefix + name, item.is_symlink()))
            elif item.is_symlink() and _is_folder(item.path):
                link = _linked_folder(item.path, prefix + name + "/", root, followed)
                if isinstance(link, Found):
                    found.append(link)
                elif link is not None:
                    pending.append(link)
    found.sort(key=lambda f: f.rel)
    return found


def is_entry_name(name: str) -> bool:
    """Whether a file of this name is an entry: a Markdown extension, and not a section
    page or a README. (String operations only: this runs for every file.)"""
    if name.endswith(".md"):  # nearly every entry: half the time of the general case
        return name.lower() not in _NOT_MD_ENTRIES and name != ".md"
    stem, dot, extension = name.rpartition(".")
    return (dot == "." and stem != "" and extension.lower() in MARKDOWN_EXTENSIONS
            and stem.lower() not in _NOT_ENTRIES)


def _utf8(name: str) -> str:
    """A file name as UTF-8 text, also where Python decoded it as ASCII (a C locale
    without UTF-8 mode hands over UTF-8 bytes as surrogate escapes)."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        try:
            return os.fsencode(name).decode("utf-8")
        except UnicodeDecodeError:
            return name  # not UTF-8 at all: reading it says so


def _is_folder(path: str) -> bool:
    try:
        return os.path.isdir(path)
    except OSError:
        return False


def _linked_folder(path: str, rel: str, root: str,
                   followed: set[str]) -> tuple[str, str] | Found | None:
    """What a link to a folder adds: a folder to walk (path, rel prefix), a refusal
    (a Found with a problem), or nothing (its files are read by their own path)."""
    target = os.path.realpath(path)
    inside = os.path.relpath(target, root)
    if target != root and (inside == ".." or inside.startswith(".." + os.sep)
                           or os.path.isabs(inside)):
        return Found(path, rel, True, "is a link to a folder outside the entries folder; "
                                      "it was refused")
    if target in followed or target == root:
        return None
    hidden = any(part.startswith(".") for part in inside.split(os.sep))
    if not hidden:
        return None  # a folder the walk reads anyway: its files are read once
    followed.add(target)
    return path, rel


def normal_rel(rel: str) -> str:
    """One spelling for names like "über": macOS writes them decomposed (NFD)."""
    return rel if rel.isascii() else unicodedata.normalize("NFC", rel)


Stat = tuple[int, int, int, int]  # size, mtime_ns, inode, ctime_ns
# A stat packed into 40 bytes: a 73-byte object instead of a tuple of four large
# integers (about 200 bytes), for every file of a folder held through the build.
# Times as whole seconds and nanoseconds: exact for any date a file system keeps
# (nanoseconds alone overflow 64 bits after the year 2262).
_STAT = struct.Struct("<QqIQqI")
_NS = 1_000_000_000


def pack_stat(size: int, mtime_ns: int, inode: int, ctime_ns: int) -> bytes:
    """Raises struct.error (or TypeError) for values no file system gives."""
    return _STAT.pack(size, *divmod(mtime_ns, _NS), inode, *divmod(ctime_ns, _NS))


def unpack_stat(packed: bytes) -> Stat:
    size, mtime_s, mtime_ns, inode, ctime_s, ctime_ns = _STAT.unpack(packed)
    return size, mtime_s * _NS + mtime_ns, inode, ctime_s * _NS + ctime_ns


def stat_of(info: os.stat_result) -> bytes:
    return pack_stat(info.st_size, info.st_mtime_ns, info.st_ino, info.st_ctime_ns)


def stat_all(found: list[Found]) -> dict[str, bytes]:
    """rel -> (size, mtime, inode, ctime) of every file, following links to their
    target, packed with `pack_stat`.

    The inode and the change time catch what size and modification time miss: a
    link pointed at another file, or a file replaced by one with the same times.
    """
    stats = {}
    for item in found:
        try:
            info = os.stat(item.path)
        except OSError:
            continue  # reading it will report the problem
        stats[item.rel] = stat_of(info)
    return stats
