"""Where a body's code is, which the kramdown and MDX passes, and the Hugo delimiters
shown as text, never change.

Code blocks, fenced or indented, in lists and quotes too, are found by cmark-gfm itself
(`markdown.code_block_lines`), so that they are exactly the blocks the body renders as
code. Code spans are found here, by CommonMark's rule: a run of n backticks opens a
span that the next run of exactly n backticks closes, and a span never crosses a blank
line (the end of a paragraph) or a code block. (Not followed, for simplicity: spans
do not cross a table cell or a heading's end either, and raw HTML takes precedence
over a span.) Each run is looked at once, so the time is linear in the text.

Bodies have "\\n" line ends only (content/source.py normalises them), as cmark counts.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from feedpub.render.markdown import code_block_lines

_TICKS = re.compile(r"`+")
_NEWLINE = re.compile("\n")
# A blank line, in a block quote too (only ">" and spaces): the end of a paragraph.
_BLANK = re.compile(r"\n[ \t>]*\n")


class Code:
    """The code regions of a text: sorted, disjoint [start, end) character ranges;
    `blocks` holds the starts of the code blocks alone."""

    def __init__(self, regions: list[tuple[int, int]], blocks: list[int] | None = None) -> None:
        self.starts = [start for start, _ in regions]
        self.ends = [end for _, end in regions]
        self.blocks = blocks or []

    def __contains__(self, at: object) -> bool:
        if not isinstance(at, int):
            return False
        index = bisect_right(self.starts, at) - 1
        return index >= 0 and at < self.ends[index]

    def overlaps(self, start: int, end: int) -> bool:
        """Whether any of [start, end) is code."""
        index = bisect_left(self.starts, start)
        return start in self or (index < len(self.starts) and self.starts[index] < end)

    def next_block(self, at: int) -> int | None:
        """Where the first code block at or after `at` starts."""
        index = bisect_left(self.blocks, at)
        return self.blocks[index] if index < len(self.blocks) else None

    def prose(self, length: int) -> Iterator[tuple[int, int]]:
        """The [start, end) ranges of a text of this length that are not code."""
        at = 0
        for start, end in zip(self.starts, self.ends, strict=True):
            if start > at:
                yield at, start
            at = end
        if at < length:
            yield at, length


def code_regions(text: str) -> Code:
    """The code blocks and code spans of a Markdown text."""
    blocks = _block_ranges(text, code_block_lines(text)) if _may_have_blocks(text) else []
    spans: list[tuple[int, int]] = []
    if "`" in text:
        at = 0
        for start, end in [*blocks, (len(text), len(text))]:
            spans += _spans_between(text, at, start)
            at = end
    return Code(sorted(blocks + spans), [start for start, _ in blocks])


def _may_have_blocks(text: str) -> bool:
    """Whether the text has a fence or a line indented enough for code (four columns of
    spaces or a tab): if not, cmark need not be asked."""
    return "```" in text or "~~~" in text or "    " in text or "\t" in text


def _block_ranges(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Line numbers (from 1, inclusive) as character ranges, line ends included."""
    if not lines:
        return []
    starts = [0] + [match.end() for match in _NEWLINE.finditer(text)]
    ranges = []
    for first, last in lines:
        last = max(first, min(last, len(starts)))
        end = starts[last] if last < len(starts) else len(text)
        ranges.append((starts[first - 1], end))
    return ranges


def _spans_between(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The code spans of text[start:end], paragraph by paragraph."""
    spans: list[tuple[int, int]] = []
    if text.find("`", start, end) == -1:
        return spans
    at = start
    for blank in _BLANK.finditer(text, start, end):
        if text.find("`", at, blank.start()) != -1:
            spans += _spans(text, at, blank.start())
        at = blank.end() - 1
    spans += _spans(text, at, end)
    return spans


def _spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The code spans of one paragraph's text: each opening run is paired with the
    next run of the same length (looked up, not searched for)."""
    runs = [(match.start(), match.end()) for match in _TICKS.finditer(text, start, end)]
    by_length: dict[int, list[int]] = {}
    for index, (first, last) in enumerate(runs):
        by_length.setdefault(last - first, []).append(index)
    spans = []
    index = 0
    while index < len(runs):
        first, last = runs[index]
        if _escaped(text, first):
            first += 1  # \` is a backtick as text; the rest of the run may open a span
        same = by_length.get(last - first, [])
        after = bisect_left(same, index + 1)
        if first == last or after == len(same):
            index += 1
            continue
        index = same[after]
        spans.append((first, runs[index][1]))
        index += 1
    return spans


def _escaped(text: str, at: int) -> bool:
    """Whether the character at `at` follows an odd number of backslashes."""
    count = 0
    while at > count and text[at - count - 1] == "\\":
        count += 1
    return count % 2 == 1
