"""The Liquid environment of a Jekyll site: python-liquid's `Environment` with Jekyll's
tags and filters, bounds on the work a template may ask for, and problems collected
per body instead of raised.

What one render notices (undefined variables, unknown tags and filters, errors) goes
to a `RenderState`, which `render.py` sets in a context variable for the length of the
render: python-liquid's `Undefined` and `Environment.error` have no other way to it.
"""

from __future__ import annotations

import bisect
import re
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from liquid import BoundTemplate, Environment, RenderContext, Undefined
from liquid.exceptions import (
    LiquidError,
    LiquidSyntaxError,
    LocalNamespaceLimitError,
    LoopIterationLimitError,
    ResourceLimitError,
)
from liquid.token import TOKEN_TAG, Token

from feedpub.render.liquid.lexer import tokenize

MAX_LISTED = 20  # problems listed one by one per body; the others are counted
MAX_ITERATIONS = 100_000  # loop iterations in one render, every loop counted
MAX_ASSIGNED = 16 << 20  # bytes (sys.getsizeof) assigned in one render, summed
# Tags a template may close or continue but not open: "unexpected" there is a syntax
# error, where an unknown name is a tag of some Jekyll plugin.
_INNER = frozenset({"else", "elsif", "when", "raw", "endraw", "enddoc", "endcomment",
                    "break", "continue"})
_UNCLOSED = re.compile(r"expected tag end(\w+), found end of")
_STATE: ContextVar[RenderState | None] = ContextVar("feedpub_liquid_render", default=None)


@dataclass
class RenderState:
    """What one render has noticed; `render.py` turns it into warnings."""

    body: str
    path: str  # the post's site-relative path
    names: Mapping[int, str]  # id(source) of each included file's text -> its name
    parsing: bool = False
    undefined: dict[str, None] = field(default_factory=dict)  # an ordered set
    unknown_tags: dict[str, str] = field(default_factory=dict)  # name -> where first
    unknown_filters: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    unlisted: int = 0
    includes: list[str] = field(default_factory=list)  # the files being included
    iterations: int = 0
    assigned: int = 0
    _lines: dict[int, list[int]] = field(default_factory=dict)

    def where(self, token: Token | None) -> str:
        """'line 3' in the body, or '_includes/note.html, line 2'."""
        if token is None or token.start_index < 0:
            return self.includes[-1] if self.includes else "the body"
        source = token.source
        lines = self._lines.get(id(source))
        if lines is None:
            lines = self._lines[id(source)] = [m.start() for m in re.finditer("\n", source)]
        line = bisect.bisect_left(lines, token.start_index) + 1
        if source is self.body:
            return f"line {line}"
        name = self.names.get(id(source))
        return f"{name}, line {line}" if name else f"line {line} of a tag's argument"

    def syntax_error(self, source: str, err: LiquidError) -> tuple[str, str]:
        """Where a syntax error in `source` is, and what it is. For a block never
        closed python-liquid says only that the text ended: this finds where the last
        such block opens."""
        unclosed = _UNCLOSED.match(str(err.message))
        if not unclosed or (err.token is not None and err.token.start_index >= 0):
            return self.where(err.token), str(err.message)
        name, opened = unclosed.group(1), []
        for token in tokenize(source):
            if token.kind == TOKEN_TAG and token.value == name:
                opened.append(token)
            elif token.kind == TOKEN_TAG and token.value == f"end{name}" and opened:
                opened.pop()
        return self.where(opened[-1] if opened else None), f"{{% {name} %}} is never closed"

    def problem(self, message: str, token: Token | None) -> None:
        """One problem, listed with where it is (the first MAX_LISTED of them)."""
        if len(self.problems) >= MAX_LISTED:
            self.unlisted += 1
            return
        problem = f"{self.where(token)}: {message}"
        if problem not in self.problems:  # the same, in a loop, is said once
            self.problems.append(problem)

    def first(self, seen: dict[str, str], name: str, token: Token | None) -> None:
        """Remember where `name` (an unknown tag or filter) is first used."""
        if name not in seen and len(seen) < MAX_LISTED:
            seen[name] = self.where(token)


def current() -> RenderState | None:
    """The state of the render in progress (None outside `render_liquid`)."""
    return _STATE.get()


@contextmanager
def rendering(state: RenderState) -> Iterator[RenderState]:
    reset = _STATE.set(state)
    try:
        yield state
    finally:
        _STATE.reset(reset)


def note_undefined(value: object) -> None:
    """Count `value`, if undefined, as an undefined variable used (for filters that
    render it without turning it into a string)."""
    if isinstance(value, Undefined):
        str(value)


class JekyllUndefined(Undefined):
    """Renders as nothing, like Jekyll's (Liquid's lax mode); each variable rendered
    so is remembered, by its whole path, for one warning per body."""

    __slots__ = ()

    def __str__(self) -> str:
        state = _STATE.get()
        if state is not None:
            hint = self.hint or ""
            name = hint[:-len(" is undefined")] if hint.endswith(" is undefined") else ""
            if hint == "index out of range":
                name = f"{self.name}[…] (an index out of range)"
            state.undefined[name.strip("'") or self.name] = None
        return ""


class JekyllContext(RenderContext):
    """python-liquid's context, with bounds over the whole render (its own are per loop
    and per namespace) and unknown filters passed over with a warning."""

    def raise_for_loop_limit(self, length: int = 1) -> None:
        super().raise_for_loop_limit(length)
        state = _STATE.get()
        if state is not None:
            state.iterations += length
            if state.iterations > MAX_ITERATIONS:
                raise LoopIterationLimitError(
                    f"more than {MAX_ITERATIONS:,} loop iterations in all", token=None)

    def assign(self, key: str, val: Any) -> None:
        state = _STATE.get()
        if state is not None:
            state.assigned += sys.getsizeof(val, 64)
            if state.assigned > MAX_ASSIGNED:
                raise LocalNamespaceLimitError(
                    f"more than {MAX_ASSIGNED >> 20} MB assigned in all", token=None)
        super().assign(key, val)

    def filter(self, name: str, token: Token | None) -> Callable[..., object]:
        if name in self.env.filters:
            return super().filter(name, token)
        state = _STATE.get()
        if state is not None:
            state.first(state.unknown_filters, name, token)
        return _unchanged


def _unchanged(left: object, *_args: object, **_kwargs: object) -> object:
    return left


class JekyllTemplate(BoundTemplate):
    context_class = JekyllContext


class JekyllEnvironment(Environment):
    """An environment for one site. `caches` holds what is made once per site: the
    site.* values, the parsed included files and the names of their texts (for
    messages), and the expressions of where_exp and the like."""

    context_depth_limit = 64
    loop_iteration_limit = 20_000  # nested loops: the product of their lengths
    output_stream_limit = 4_000_000  # bytes of rendered text (captures included)
    template_class = JekyllTemplate

    def __init__(self, site: Any) -> None:
        super().__init__(undefined=JekyllUndefined)
        self.site = site  # the LiquidSite
        self.caches: dict[str, Any] = {"templates": {}, "names": {}, "expressions": {}}

    def tokenizer(self) -> Callable[[str], Iterator[Token]]:
        return tokenize

    def error(self, exc: type[LiquidError] | LiquidError, msg: str | None = None,
              token: Token | None = None) -> None:
        """Raise what stops a render; remember the rest and let the render go on.

        An unknown tag is left out (a Jekyll plugin's tag: feedpub cannot run it);
        any other syntax error is raised, as is a resource limit. A failing filter
        or tag renders as nothing, like Jekyll's lax Liquid, with a warning.
        """
        if not isinstance(exc, LiquidError):
            exc = exc(msg, token=token)
        elif not exc.token:
            exc.token = token
        state = _STATE.get()
        if state is None or isinstance(exc, ResourceLimitError):
            raise exc
        unknown = _unknown_tag(self, exc)
        if unknown:
            state.first(state.unknown_tags, unknown, exc.token)
        elif state.parsing or isinstance(exc, LiquidSyntaxError):
            raise exc
        else:
            state.problem(f"{exc.message}; left out", exc.token)


def _unknown_tag(env: Environment, exc: LiquidError) -> str:
    """The name of the unknown tag `exc` is about, or ''."""
    token = exc.token
    message = str(exc.message)
    if (token is None or token.kind != "tag" or not message.startswith("unexpected tag")
            or token.value in env.tags or token.value in _INNER):
        return ""
    name = token.value
    return "" if name.startswith("end") and name[3:] in env.tags else name
