"""Liquid source as python-liquid's tokens, in time proportional to its length.

python-liquid's own lexer is one regular expression whose alternatives scan to the end
of the text when a delimiter is never closed, once for each place they are tried. Its
time grows with the square of the length (or worse) for text such as ``{{{{{{...``
or many unclosed ``{% raw %}``: 16 KB of ``{{`` took 7 s, 64 KB of ``{% raw %}``
2 s. This lexer gives the same tokens (tests/render/test_liquid_lexer.py compares the
two on generated text) but finds each closing delimiter with `str.find` from a position
that only moves forward, remembering what it found, so every part of the text is
searched a bounded number of times. `Environment.tokenizer` returns it (see
environment.py); python-liquid's parser reads the tokens as it would its own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from liquid.exceptions import LiquidSyntaxError
from liquid.token import (
    TOKEN_COMMENT,
    TOKEN_CONTENT,
    TOKEN_DOC,
    TOKEN_EOF,
    TOKEN_EXPRESSION,
    TOKEN_OUTPUT,
    TOKEN_TAG,
    Token,
)

# The parts of python-liquid's rules (liquid/lex.py) that are matched where they start;
# `\s*` runs are the only repetition in them, and a run is read once per start.
_BLOCK = re.compile(r"\{%-?\s*(raw|doc)\s*(-?)%\}")
_END = {"raw": re.compile(r"\{%-?\s*endraw\s*-?%\}"),
        "doc": re.compile(r"\{%-?\s*enddoc\s*(-?)%\}")}
_TAG = re.compile(r"\{%-?\s*(#|\w+)()\s*")
_OUTPUT = re.compile(r"\{\{-?()\s*")
_DELIMITER = re.compile(r"\{[{%]")
# python-liquid reads an expression with a pattern that scans ahead from every '(' (for
# a range) and every '[' with a quote: its time grows with the square of the length.
# Real expressions are short; longer ones, in outputs and in the tags whose expression
# it reads that way, are a syntax error (at 10,000 characters it needs at most 0.3 s).
MAX_EXPRESSION = 10_000
_READ_BY_PYTHON_LIQUID = frozenset({"assign", "capture", "case", "when", "cycle",
                                    "increment", "decrement", "for", "if", "elsif",
                                    "unless", "tablerow"})


class _Match(NamedTuple):
    kind: str  # RAW, DOC, OUTPUT, TAG or CONTENT, as python-liquid names its rules
    start: int
    end: int
    value: str  # raw or doc text, output statement, tag expression, or content
    value_start: int
    name: str = ""  # a tag's name
    name_start: int = -1
    strip: bool = False  # the '-' that strips whitespace from what follows (or precedes)


class _Next:
    """The first match at or after a position. Positions asked for only grow, so an
    answer is kept until a position beyond it is asked for: each stretch of text is
    searched once."""

    def __init__(self, search: Callable[[int], re.Match[str] | int | None]) -> None:
        self._search = search
        self._asked = -1
        self._found: re.Match[str] | int | None = None

    def __call__(self, pos: int) -> re.Match[str] | int | None:
        found = self._found
        at = found if isinstance(found, int) else found.start() if found else -1
        if not (0 <= self._asked <= pos and (found is None or pos <= at)):
            self._asked, self._found = pos, self._search(pos)
        return self._found


class _Scanner:
    def __init__(self, source: str) -> None:
        self.source = source
        self.ends = {name: _Next(lambda pos, r=rule: r.search(source, pos))
                     for name, rule in _END.items()}
        self.closes = {close: _Next(lambda pos, c=close: _found(source.find(c, pos)))
                       for close in ("}}", "%}")}
        self.delimiter = _Next(lambda pos: _DELIMITER.search(source, pos))

    def match(self, i: int) -> _Match:
        """What python-liquid's rules match at `i` (tried in its order)."""
        opening = self.source[i:i + 2]
        found = None
        if opening == "{%":
            found = self._block(i) or self._closed(i, _TAG, "%}", "TAG")
        elif opening == "{{":
            found = self._closed(i, _OUTPUT, "}}", "OUTPUT")
        return found or self._content(i)

    def _block(self, i: int) -> _Match | None:
        head = _BLOCK.match(self.source, i)
        if head is None:
            return None
        name = head.group(1)
        end = self.ends[name](head.end())
        if not isinstance(end, re.Match):
            return None
        strip = head.group(2) if name == "raw" else end.group(1)
        return _Match(name.upper(), i, end.end(), self.source[head.end():end.start()],
                      head.end(), strip=bool(strip))

    def _closed(self, i: int, rule: re.Pattern[str], close: str, kind: str) -> _Match | None:
        head = rule.match(self.source, i)
        if head is None:
            return None
        start = head.end()
        at = self.closes[close](start)
        if not isinstance(at, int):
            return None
        stop = at - 1 if at > start and self.source[at - 1] == "-" else at
        value = self.source[start:stop].rstrip()
        name = head.group(1) if kind == "TAG" else ""
        # An empty value starts where python-liquid's backtracking leaves it: before
        # the whitespace (its pattern refuses a value preceded by whitespace).
        value_start = start if value else head.start(head.lastindex or 1)
        return _Match(kind, i, at + 2, value, value_start, name,
                      head.start(1) if name else -1, stop < at)

    def _content(self, i: int) -> _Match:
        source, size = self.source, len(self.source)
        found = self.delimiter(i + 1)
        if isinstance(found, re.Match):
            end = found.start()
            strip = source[end + 2:end + 3] == "-"
        else:  # `$` matches at the end, and before a newline that ends the text
            end = size - 1 if source.endswith("\n") and size - 1 > i else size
            strip = False
        return _Match("CONTENT", i, end, source[i:end], i, strip=strip)


def _found(index: int) -> int | None:
    return None if index < 0 else index


def tokenize(source: str) -> Iterator[Token]:
    """python-liquid's tokens for `source` (as `liquid.lex.get_lexer()` would give them)."""
    scanner, i, state = _Scanner(source), 0, _State(source)
    while i < len(source):
        found = scanner.match(i)
        yield from state.tokens(found)
        i = found.end


class _State:
    """python-liquid's token rules over the matches: comments, whitespace control."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.lstrip = False
        self.comment_depth = 0
        self.comment_index = 0
        self.comment_text: list[str] = []

    def tokens(self, m: _Match) -> Iterator[Token]:
        if self.comment_depth:
            yield from self._in_comment(m)
        elif m.kind == "OUTPUT":
            self._bounded(m)
            yield Token(TOKEN_OUTPUT, self.source[m.start:m.end], m.start, self.source)
            yield Token(TOKEN_EXPRESSION, m.value, m.value_start, self.source)
            self.lstrip = m.strip
        elif m.kind == "TAG":
            yield from self._tag(m)
        elif m.kind in ("RAW", "DOC"):
            self.lstrip = m.strip
            kind = TOKEN_CONTENT if m.kind == "RAW" else TOKEN_DOC
            yield Token(kind, m.value, m.start, self.source)
        else:
            yield from self._content(m)

    def _in_comment(self, m: _Match) -> Iterator[Token]:
        if m.kind == "TAG" and m.name == "endcomment":
            self.comment_depth -= 1
            if not self.comment_depth:
                yield Token(TOKEN_COMMENT, "".join(self.comment_text), self.comment_index,
                            self.source)
                self.comment_index = 0
                self.comment_text.clear()
                yield Token(TOKEN_TAG, m.name, m.name_start, self.source)
                self.lstrip = m.strip
                return
        elif m.kind == "TAG" and m.name == "comment":
            self.comment_depth += 1
        self.comment_text.append(self.source[m.start:m.end])

    def _bounded(self, m: _Match) -> None:
        if len(m.value) > MAX_EXPRESSION:
            raise LiquidSyntaxError(
                f"an expression of {len(m.value):,} characters (feedpub reads at most "
                f"{MAX_EXPRESSION:,})", token=Token(TOKEN_EXPRESSION, m.value, m.value_start,
                                                    self.source))

    def _tag(self, m: _Match) -> Iterator[Token]:
        if m.name in _READ_BY_PYTHON_LIQUID:
            self._bounded(m)
        yield Token(TOKEN_TAG, m.name, m.name_start, self.source)
        self.lstrip = m.strip
        if m.value:
            yield Token(TOKEN_EXPRESSION, m.value, m.value_start, self.source)
        if m.name == "comment":
            self.comment_index = m.end
            self.comment_depth += 1

    def _content(self, m: _Match) -> Iterator[Token]:
        value = m.value.lstrip() if self.lstrip else m.value
        if m.strip:
            value = value.rstrip()
        if not value:
            return
        if value.startswith(("{{", "{%")):
            message = ("expected '}}', found end of file" if value.startswith("{{")
                       else "missing tag name or closing delimiter")
            raise LiquidSyntaxError(message, token=Token(
                TOKEN_EOF, self.source[m.start:m.end], m.start, self.source))
        yield Token(TOKEN_CONTENT, value, m.start, self.source)
