"""MDX, outside code: what a feed cannot run is taken out (micromark's MDX extensions
say what MDX reads).

- ESM: a block that starts with a real `import` or `export` statement at the start of
  a line, after a blank line (or at the body's start), runs to the next blank line
  where its braces, brackets and parentheses are closed (`export const meta = {...}`
  over several lines). Only statements are taken: `import X from '...'`,
  `import {A, B} from "..."`, `import '...'`, `export const|let|var NAME =`,
  `export function`, `export class`, `export default NAME` alone, `export {`,
  `export *`. A paragraph that starts "export the file" or "import goods" stays.
- JSX components, tags whose name starts with a capital (`<Callout type="x">`,
  `<Tabs.Item>`), are taken out and their children kept; a self-closing one goes
  whole. HTML written in capitals (`<B>`, `<IMG SRC=...>`) stays.
- JSX comments, `{/* ... */}`.

Nothing that overlaps code is taken, but an ESM block may hold what reads as a code span
(a JavaScript template literal); it ends before a code block.

A component's attributes may hold strings and braces (one level deep inside another),
with ">" (an arrow function) but no "<": each match then ends before the next "<",
and each statement block ends where the next begins, so the time is linear.
Brackets are counted line by line without reading JavaScript's strings: a string
with an unbalanced brace may end a block early or late (rare in front-matter-like
exports).
"""

from __future__ import annotations

import re

from feedpub.render.foreign.code import Code
from feedpub.render.foreign.gates import has_upper_tag
from feedpub.render.sanitise import ALLOWED_TAGS, CLEAN_CONTENT_TAGS

Edit = tuple[int, int, str]

_STATEMENT_START = re.compile(r"^(?:import|export)[ \t]", re.M)
_ID = r"[\w$]++"
_IMPORT = re.compile(
    rf"""import[ \t]++(?:['"]|(?:type[ \t]++)?(?:{_ID}[ \t]*+,[ \t]*+)?"""
    rf"""(?:\*[ \t]*+as[ \t]++{_ID}|\{{(?:[^}}\n]|\n(?![ \t]*\n))*+\}}|{_ID})"""
    r"""[ \t\n]*+from[ \t]*+['"])""")
_EXPORT = re.compile(
    rf"""export[ \t]++(?:(?:const|let|var)[ \t]++{_ID}[ \t]*+[=:]|(?:async[ \t]++)?"""
    rf"""function\b|(?:class|type|interface)[ \t]++{_ID}|\{{|\*|default[ \t]++"""
    rf"""(?:function\b|class\b|async\b|[{{(\[]|{_ID}[ \t]*+;?[ \t]*+$))""", re.M)
_JSX = re.compile(r"""<(/?)([A-Z][\w.]*+)(?=[\s/>])((?:[^<>{}"']++|"[^"<]*+"|'[^'<]*+'"""
                  r"""|\{(?:[^{}<]++|\{[^{}<]*+\})*+\})*+)>""")
_HTML_TAGS = ALLOWED_TAGS | CLEAN_CONTENT_TAGS | {"font", "center", "big", "tt"}
_DROP_CLOSERS = str.maketrans("", "", "})]")
_DROP_OPENERS = str.maketrans("", "", "{([")


def edits(text: str, code: Code, removed: list[tuple[str, str]]) -> list[Edit]:
    """(start, end, "") for each ESM block, component tag and JSX comment outside code."""
    found = _statements(text, code, removed)
    if has_upper_tag(text):
        for match in _JSX.finditer(text):
            name = match.group(2)
            if code.overlaps(match.start(), match.end()) or (
                    name.isupper() and name.lower() in _HTML_TAGS):
                continue
            found.append((match.start(), match.end(), ""))
            if not match.group(1):
                removed.append(("mdx", f"<{name}>"))
    at = text.find("{/*")
    while at != -1:
        end = text.find("*/}", at + 3)
        if end == -1:
            break
        if not code.overlaps(at, end + 3):
            found.append((at, end + 3, ""))
        at = text.find("{/*", end + 3)
    return found


def _statements(text: str, code: Code, removed: list[tuple[str, str]]) -> list[Edit]:
    found: list[Edit] = []
    done = 0
    for match in _STATEMENT_START.finditer(text):
        at = match.start()
        if at < done or at in code or not _after_blank_line(text, at):
            continue
        word = match.group(0)[:6]
        pattern = _IMPORT if word == "import" else _EXPORT
        if pattern.match(text, at) is None:
            continue
        done = _block_end(text, at)
        block = code.next_block(at)
        done = done if block is None else min(done, block)  # code blocks stay
        found.append((at, done, ""))
        removed.append(("mdx", word))
    return found


def _after_blank_line(text: str, at: int) -> bool:
    """Whether the line starting at `at` is the body's first or follows a blank line."""
    if at == 0:
        return True
    before = at - 1
    while before > 0 and text[before - 1] in " \t":
        before -= 1
    return before == 0 or text[before - 1] == "\n"


def _block_end(text: str, at: int) -> int:
    """Where an ESM block starting at `at` ends: after the first line with its brackets
    closed that is followed by a blank line (or the end)."""
    depth = 0
    while at < len(text):
        eol = text.find("\n", at)
        end = len(text) if eol == -1 else eol + 1
        line = text[at:end]
        depth += len(line.translate(_DROP_CLOSERS)) - len(line.translate(_DROP_OPENERS))
        at = end
        if depth <= 0 and (at >= len(text) or not text[at:text.find("\n", at) + 1 or None]
                           .strip()):
            return at
    return len(text)
