"""kramdown's attribute lists (Jekyll's Markdown), as kramdown's parser reads them
(lib/kramdown/parser/kramdown/extensions.rb; kramdown.gettalong.org/syntax.html):

- a block IAL, `{: .class #id key="value" ref}`, on a line of its own;
- an attribute list definition, `{:name: .class ...}`, on a line of its own;
- a span IAL directly after a span: `*word*{:.x}`, `` `code`{:.x} ``,
  `[link](url){:target="_blank"}`, `![image](src){: width="50%"}` (after text,
  kramdown shows it as written, and so does this pass);
- an extension written `{::name key="value" /}`, such as `{::options ... /}`.

Inside the braces there may only be what kramdown reads: `.class`, `#id`,
`key="value"` or `key='value'`, and reference names, separated by spaces. Anything
else (`{:ok, value}` in an Elixir sentence) is prose and stays. A removed block list
leaves its line empty, which ends a paragraph where kramdown would end the block.
Values may not hold braces or newlines here (kramdown allows `\\}`): a candidate runs
from `{:` to the first `}`, `{` or line end, so each character is read once.
"""

from __future__ import annotations

import re

from feedpub.render.foreign.code import Code

Edit = tuple[int, int, str]

_CANDIDATE = re.compile(r"\{:([^{}\n]*+)\}")
_NAME = r"[^\W][\w-]*+"
_VALUE = r"""(?:"[^"\n]*+"|'[^'\n]*+')"""
_ITEM = rf"(?:{_NAME}={_VALUE}|(?:#[A-Za-z][\w:-]*+|\.{_NAME})++|{_NAME})"
_ITEMS = rf"{_ITEM}(?:[ \t]++{_ITEM})*+"
_IAL = re.compile(rf"[ \t]*+{_ITEMS}[ \t]*+")
_ALD = re.compile(rf"{_NAME}:[ \t]*+(?:{_ITEMS})?[ \t]*+")
_EXTENSION = re.compile(rf":\w++(?:[ \t]++{_ITEMS})?[ \t]*+/")
_SPACE_TO_EOL = re.compile(r"[ \t]*+(?=\n|\Z)")
_SPAN_ENDS = "*_`]"
_LINK_REACH = 1000  # how far back a link's "](" is looked for, before a ")"


def edits(text: str, code: Code, removed: list[tuple[str, str]]) -> list[Edit]:
    """(start, end, "") for each attribute list outside code."""
    found: list[Edit] = []
    for match in _CANDIDATE.finditer(text):
        if code.overlaps(match.start(), match.end()):
            continue
        inside = match.group(1)
        own_line = _own_line(text, match.start(), match.end())
        if inside.startswith(":"):
            keep = _EXTENSION.fullmatch(inside) is None
        elif own_line:
            keep = _IAL.fullmatch(inside) is None and _ALD.fullmatch(inside) is None
        else:
            keep = _IAL.fullmatch(inside) is None or not _after_span(text, match.start())
        if not keep:
            end = own_line.end() if own_line else match.end()
            found.append((match.start(), end, ""))
            removed.append(("ial", match.group(0)))
    return found


def _own_line(text: str, start: int, end: int) -> re.Match[str] | None:
    """The spaces after the list to its line's end, if the list is alone on its line
    (quote markers and spaces before it)."""
    before = start
    while before > 0 and text[before - 1] in " \t>":
        before -= 1
    if before > 0 and text[before - 1] != "\n":
        return None
    return _SPACE_TO_EOL.match(text, end)


def _after_span(text: str, at: int) -> bool:
    """Whether a span (emphasis, code, a link or an image) ends just before `at`."""
    last = text[at - 1:at]
    if last and last in _SPAN_ENDS:
        return True
    if last != ")":
        return False
    reach = max(0, at - _LINK_REACH)
    line = text.rfind("\n", reach, at) + 1 or reach
    link = text.rfind("](", line, at)
    if link == -1:
        return False
    destination = text[link + 1:at]  # "(url)", "(url (with) parentheses)"
    return destination.count("(") == destination.count(")")
