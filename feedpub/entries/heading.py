"""A leading level-1 heading as an entry's title: a Markdown file without `title`
whose first line (after blank ones) is `# Heading` (or `Heading` over `===`) is titled
by it, and rendering leaves the heading out of the body (it would repeat the title).

Only the first block is looked at, before any Markdown parsing: a heading further
down, or inside a code block, is never taken.
"""

from __future__ import annotations

import re

# CommonMark: up to three spaces, "#", then a space (or nothing), the text, and an
# optional closing run of "#" after a space.
_ATX = re.compile(r"[ ]{0,3}#(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"[ ]{0,3}=+[ \t]*$")


def leading_heading(body: str) -> tuple[str, int] | None:
    """The text of the body's leading level-1 heading and where the body after it
    starts; None if the body does not start with one."""
    start = len(body) - len(body.lstrip("\r\n \t"))
    start = body.rfind("\n", 0, start) + 1  # the start of the first non-blank line
    end = body.find("\n", start)
    end = len(body) if end == -1 else end
    first = body[start:end].rstrip("\r")
    atx = _ATX.match(first)
    if atx:
        text = (atx.group(1) or "").strip()
        return (text, end + 1) if text else None
    if first.strip() and not first.startswith(("    ", "\t")):
        after = body.find("\n", end + 1)
        after = len(body) if after == -1 else after
        if _SETEXT.match(body[end + 1:after].rstrip("\r")):
            return first.strip(), after + 1
    return None


def without_leading_heading(body: str) -> str:
    found = leading_heading(body)
    return body[found[1]:] if found else body


def heading_text(markdown: str) -> str:
    """A heading's inline Markdown as the plain text it shows ("Notes on *tea*" ->
    "Notes on tea"): rendered by cmark, then its tags and references taken out."""
    if not any(c in markdown for c in "*_`[<&\\!~"):
        return markdown
    import cmarkgfm

    from feedpub.base.text import plain_text

    return " ".join(plain_text(cmarkgfm.github_flavored_markdown_to_html(markdown)).split())
