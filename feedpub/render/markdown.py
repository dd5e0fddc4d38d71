"""Markdown as HTML: cmarkgfm (GitHub's own cmark-gfm) renders CommonMark with the GFM
extensions (tables, strikethrough, autolinks, task lists and footnotes). Raw HTML is
let through here and cleaned afterwards (see sanitise.py).

`code_block_lines` asks the same parser where the code blocks are (foreign/code.py).

cmarkgfm's own `markdown_to_html_with_extensions` never frees the document it parses
nor the HTML it renders (about 40 KB a post: 2.3 GB over 100,000 posts, measured
with bench/run.py's archive case). `_render` makes the same calls through cmarkgfm
and then frees both, with what its bindings leave out, taken from the same shared
object through ctypes: `cmark_node_free`, and the `free` of cmark-gfm's own default
allocator (the one that allocated the HTML: not necessarily the `free` the process
finds by name, as glibc's malloc debugging shows). Where that cannot be set up,
cmarkgfm's own function renders, as before.
"""

from __future__ import annotations

import ctypes
import re
from collections.abc import Callable

from cmarkgfm import _cmark, cmark
from cmarkgfm.cmark import Options

_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
_EXTENSIONS = ["table", "strikethrough", "autolink", "tasklist"]
# GFM task-list items, exactly as cmark-gfm writes their check boxes. They become the
# characters ☐ and ☑: feed readers' sanitisers (and ours) remove form controls, and
# a plain-text summary would lose which items are done.
_TASK_BOXES = {'<input type="checkbox" disabled="" />': "\u2610",
               '<input type="checkbox" checked="" disabled="" />': "\u2611"}
_TASK_BOX = re.compile("|".join(map(re.escape, _TASK_BOXES)))
# Source positions, and raw HTML omitted: an author's own <pre data-sourcepos="...">
# cannot pass for a code block.
_POSITIONS = Options.CMARK_OPT_SOURCEPOS | Options.CMARK_OPT_FOOTNOTES
_CODE_BLOCK = re.compile(r'<pre data-sourcepos="(\d+):\d+-(\d+):\d+"')


def markdown_to_html(markdown: str) -> str:
    """GitHub-flavoured Markdown as HTML (not yet sanitised); task-list boxes as ☐/☑."""
    html = _render(markdown, _OPTIONS)
    if 'type="checkbox"' in html:
        html = _TASK_BOX.sub(lambda m: _TASK_BOXES[m.group(0)], html)
    return html


def code_block_lines(markdown: str) -> list[tuple[int, int]]:
    """The code blocks (fenced or indented, in lists and quotes too) as cmark-gfm reads
    the Markdown: (first, last) line numbers, counted from 1, fences included."""
    html = _render(markdown, _POSITIONS)
    return [(int(first), int(last)) for first, last in _CODE_BLOCK.findall(html)]


def _render(markdown: str, options: int) -> str:
    """cmarkgfm.markdown_to_html_with_extensions(markdown, options, _EXTENSIONS), with
    the document and the rendered HTML freed."""
    if _FREEING is None:
        return cmark.markdown_to_html_with_extensions(markdown, options=options,
                                                      extensions=_EXTENSIONS)
    node_free, html_free = _FREEING
    lib, ffi = _cmark.lib, _cmark.ffi
    cmark.core_extensions_ensure_registered()
    parser = cmark.parser_new(options=options)
    try:
        for name in _EXTENSIONS:
            cmark.parser_attach_syntax_extension(parser, cmark.find_syntax_extension(name))
        cmark.parser_feed(parser, markdown)
        root = cmark.parser_finish(parser)
        try:
            raw = lib.cmark_render_html(root, options, cmark.parser_get_syntax_extensions(parser))
            try:
                return ffi.string(raw).decode("utf-8")
            finally:
                html_free(_address(raw))
        finally:
            node_free(_address(root))
    finally:
        cmark.parser_free(parser)


def _address(pointer: object) -> ctypes.c_void_p:
    return ctypes.c_void_p(int(_cmark.ffi.cast("uintptr_t", pointer)))


class _Allocator(ctypes.Structure):
    """cmark-gfm's `cmark_mem`: the functions an allocation must be freed with."""

    _fields_ = [("calloc", ctypes.c_void_p), ("realloc", ctypes.c_void_p),
                ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p))]


def _freeing() -> tuple[Callable[[ctypes.c_void_p], None],
                        Callable[[ctypes.c_void_p], None]] | None:
    """cmark-gfm's `cmark_node_free` and its default allocator's `free`, or None."""
    try:
        shared = ctypes.CDLL(_cmark.__file__)
        node_free = shared.cmark_node_free
        node_free.argtypes, node_free.restype = [ctypes.c_void_p], None
        default = shared.cmark_get_default_mem_allocator
        default.argtypes, default.restype = [], ctypes.POINTER(_Allocator)
        return node_free, default().contents.free
    except (OSError, AttributeError, ValueError):  # pragma: no cover - another build
        return None


_FREEING = _freeing()
