"""Pelican's and MultiMarkdown's ``Key: value`` header: the file's first lines, up to
the first blank line, with no delimiter line.

    Title: My super title
    Date: 2010-12-03 10:20
    Tags: thats, awesome
    Summary: Short version for index and feeds
             that goes on on an indented line

    The body.

Read as Pelican reads it (its MarkdownReader uses Python-Markdown's ``meta``
extension): keys are lower-cased, values are the rest of the line, stripped, and are
kept as text (entries parse the dates and split the tags at commas). Where they
differ:

- A line indented by spaces or a tab goes on with the value above, joined with a
  space, as in MultiMarkdown (Python-Markdown keeps such lines as a list, which
  Pelican turns back into one text only for the summary).
- A key may have spaces, as in MultiMarkdown (``Base Header Level: 2``); they are
  dropped, as MultiMarkdown drops them (``baseheaderlevel``).
- A line before the blank line that is neither ``Key: value`` nor indented is an
  error with its line (Python-Markdown would quietly start the body there), and so
  is a key given twice (Pelican keeps the first and logs a warning).

Only a file whose first line is ``Key: value`` with a key Pelican or MultiMarkdown
defines (`FIRST_KEYS`) has this header, so that a Markdown file without front matter
that starts with "Note: ..." is still one without front matter. The reader is
registered after the YAML, TOML and JSON ones, which claim their files first.
"""

from __future__ import annotations

import re
from typing import ClassVar

from feedpub.content.handlers.base import Reader

# The keys Pelican's documentation lists (title, date, modified, tags, keywords,
# category, slug, author(s), summary, lang, translation, status, template, save_as,
# url) and MultiMarkdown's common ones, as the first line's key must be (any case,
# spaces dropped).
FIRST_KEYS = frozenset({
    "title", "date", "modified", "tags", "keywords", "category", "slug", "author",
    "authors", "summary", "lang", "translation", "status", "template", "save_as", "url",
    "subtitle", "affiliation", "copyright", "css", "baseheaderlevel",
})
# A key: a letter, then letters, digits, "_" and "-", in words separated by spaces.
_KEY_LINE = re.compile(r"([A-Za-z][A-Za-z0-9_-]*(?: +[A-Za-z0-9_-]+)*)[ \t]*:(.*)")


class HeaderError(ValueError):
    """A header line that cannot be read; `index` counts the header's lines from 0 (the
    header is the start of the file: the file's line is `index` + 1)."""

    def __init__(self, message: str, index: int, hint: str) -> None:
        super().__init__(message)
        self.message, self.index, self.hint = message, index, hint


# Pelican's ensure_metadata_list: these are lists, split at ";" where there is one
# (names such as "Doe, Jane; Bob Roe"), else at ","; `author` stays one name.
_LISTS = frozenset({"tags", "authors"})


def _listed(value: str) -> list[str]:
    return [part.strip() for part in value.split(";" if ";" in value else ",")
            if part.strip()]


def _key(written: str) -> str:
    return written.replace(" ", "").lower()


class PelicanHandler(Reader):
    """The ``Key: value`` lines at the start of the file, ended by a blank line."""

    name = "Pelican"
    FM_BOUNDARY = re.compile(r"^[ \t]*$", re.MULTILINE)  # the blank line that ends it
    START_DELIMITER = END_DELIMITER = ""
    errors: ClassVar[tuple[type[Exception], ...]] = (HeaderError,)

    def detect(self, text: str) -> bool:
        """Whether the first line is ``Key: value`` with a key of `FIRST_KEYS`."""
        # No regular expression: this is tried on every file no other reader took.
        written, colon, _ = text[:40].partition(":")
        return (colon == ":" and written[:1] not in (" ", "\t")
                and _key(written.rstrip(" \t")) in FIRST_KEYS)

    def bounds(self, text: str) -> tuple[int, int, int] | None:
        """The header runs to the first blank line (or the end of the file)."""
        blank = self.FM_BOUNDARY.search(text)
        if blank is None:
            return 0, len(text), len(text)
        return 0, blank.start(), blank.end()

    def load(self, fm: str, **kwargs: object) -> dict[str, str | list[str]]:
        """The header's keys (lower-cased, spaces dropped) and values: text, but
        `tags` and `authors` as lists, split as Pelican splits them."""
        data: dict[str, str] = {}
        first_lines: dict[str, int] = {}
        key = ""
        for index, line in enumerate(fm.split("\n")):
            if not line:
                continue  # the end of the last line
            if line[0] in " \t" and key:
                data[key] = f"{data[key]} {line.strip()}" if data[key] else line.strip()
                continue
            match = _KEY_LINE.fullmatch(line)
            if match is None:
                raise HeaderError(
                    f"the line {_shortened(line)!r} is neither 'Key: value' nor indented "
                    "(the header ends only at a blank line)", index,
                    "put a blank line between the header and the text, or write the line "
                    "as 'Key: value'")
            key = _key(match[1])
            if key in data:
                raise HeaderError(
                    f"{match[1]!r} is given twice (first on line {first_lines[key] + 1})",
                    index, f"keep one '{match[1]}:' line; a long value can go on on "
                           "indented lines below it")
            data[key] = match[2].strip()
            first_lines[key] = index
        return {key: _listed(value) if key in _LISTS else value for key, value in data.items()}

    def explain(self, exc: Exception, fm: str) -> tuple[str, int | None, str | None]:
        assert isinstance(exc, HeaderError)
        return f"invalid {self.name} front matter: {exc.message}", exc.index, exc.hint


def _shortened(line: str, length: int = 40) -> str:
    return line if len(line) <= length else line[:length - 1] + "…"
