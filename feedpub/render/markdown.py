"""Markdown as HTML: cmarkgfm (GitHub's own cmark-gfm) renders CommonMark with the GFM
extensions (tables, strikethrough, autolinks, task lists and footnotes). Raw HTML is
let through here and cleaned afterwards (see sanitise.py).
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


def markdown_to_html(markdown: str) -> str:
    """GitHub-flavoured Markdown as HTML (not yet sanitised); task-list boxes as ☐/☑."""
    html = cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=_OPTIONS, extensions=_EXTENSIONS)
    if 'type="checkbox"' in html:
        html = _TASK_BOX.sub(lambda m: _TASK_BOXES[m.group(0)], html)
    return html
