"""Markdown as HTML: cmarkgfm (GitHub's own cmark-gfm) renders CommonMark with the GFM
extensions (tables, strikethrough, autolinks, task lists and footnotes). Raw HTML is
let through here and cleaned afterwards (see sanitise.py).

`code_block_lines` asks the same parser where the code blocks are (foreign/code.py).
"""

from __future__ import annotations

import re

import cmarkgfm
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
    html = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=_OPTIONS, extensions=_EXTENSIONS)
    if 'type="checkbox"' in html:
        html = _TASK_BOX.sub(lambda m: _TASK_BOXES[m.group(0)], html)
    return html


def code_block_lines(markdown: str) -> list[tuple[int, int]]:
    """The code blocks (fenced or indented, in lists and quotes too) as cmark-gfm reads
    the Markdown: (first, last) line numbers, counted from 1, fences included."""
    html = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=_POSITIONS, extensions=_EXTENSIONS)
    return [(int(first), int(last)) for first, last in _CODE_BLOCK.findall(html)]
