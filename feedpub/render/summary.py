"""An entry's plain-text summary: the author's (front matter, or the text before a
<!--more--> line), else the first paragraph's text, else the start of the body's
text, else the title. Text is read by libxml2 (base/html_text.py).
"""

from __future__ import annotations

import re

from feedpub.base.html_text import first_paragraph_text, html_to_text
from feedpub.entries.model import Entry

MORE = re.compile(r"<!--\s*more\s*-->", re.IGNORECASE)
SUMMARY_LENGTH = 300  # characters of a summary made from a whole body without paragraphs


def summary_of(entry: Entry, raw: str, html: str) -> tuple[str, bool]:
    """The summary of an entry whose body is `raw` HTML (bounded, not yet sanitised)
    and `html` (sanitised), and whether its author chose it."""
    summary, chosen = entry.summary, entry.summary is not None
    if summary is None:
        parts = MORE.split(raw, maxsplit=1)
        chosen = len(parts) == 2  # the writer's excerpt, up to <!--more-->
        summary = html_to_text(parts[0]) if chosen else first_paragraph_text(raw)
        if not summary and html:  # raw HTML with no <p>, a list, a table...
            summary = shortened(html_to_text(html, limit=SUMMARY_LENGTH))
    if not summary:
        summary = entry.title  # an entry needs some text (a link post may have no body)
    return summary, chosen


def shortened(text: str, length: int = SUMMARY_LENGTH) -> str:
    """The text, cut at a word boundary with an ellipsis when longer than `length`."""
    if len(text) <= length:
        return text
    cut = text[:length].rsplit(" ", 1)[0] if " " in text[:length] else text[:length]
    return cut.rstrip(" ,;:.-") + "\u2026"
