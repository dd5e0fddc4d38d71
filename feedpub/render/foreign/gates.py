"""Whether a body may hold each kind of foreign syntax, by substring searches: what an
ordinary body pays (about 2 µs for 5 KB), before any pass module is even imported.
A single character is found by memchr (0.1 µs for 5 KB); a longer needle by CPython's
general search (about 3 µs), so "{" and "<" are looked for first.
"""

from __future__ import annotations

import re

# "import " or "export " after a blank line: 2 µs, where `"\nimport " in text` takes 3.
_LATER_STATEMENT = re.compile(r"\n[ \t]*\n(?:import|export)[ \t]")
STATEMENT_WORDS = ("import ", "import\t", "export ", "export\t")
_UPPER_TAG = re.compile("<[A-Z]")


def has_shortcode(text: str) -> bool:
    """A Hugo shortcode's opening delimiter."""
    return "{" in text and ("{{<" in text or "{{%" in text)


def has_attribute_list(text: str) -> bool:
    """A kramdown attribute list's opening."""
    return "{" in text and "{:" in text


def has_mdx(text: str) -> bool:
    """"import " or "export " at the text's start or after a blank line, a "<" and a
    capital, or "{/*"."""
    return (text.startswith(STATEMENT_WORDS) or _LATER_STATEMENT.search(text) is not None
            or has_upper_tag(text) or ("{" in text and "{/*" in text))


def has_upper_tag(text: str) -> bool:
    """Whether a "<" is followed by a capital letter."""
    at = text.find("<")
    for _ in range(32):
        if at == -1:
            return False
        if "A" <= text[at + 1:at + 2] <= "Z":
            return True
        at = text.find("<", at + 1)
    return _UPPER_TAG.search(text, at) is not None  # much HTML: one regex search
