"""Hugo shortcodes, read as Hugo's page lexer reads them (parser/pageparser in Hugo's
source), in one scan of the body.

- A tag is `{{<` or `{{%`, a name (`/name` to close), arguments, and the first `>}}`
  (or `%}}`) after it, with no other `{{<` or `{{%` between: nesting one tag inside
  another's arguments is an error in Hugo too.
- `{{</* x */>}}` and `{{%/* x */%}}` show `{{< x >}}` and `{{% x %}}` as written
  (Hugo's lexShortcodeComment): up to the first `*/>}}` (or `*/%}}`).
- Like Hugo, shortcodes are processed everywhere in the body, in code blocks and code
  spans too: Hugo's lexer knows nothing of Markdown (that is why the `/* */` escape
  exists). Text left as text (an unclosed `{{<`, the escape's result) is shown as
  written: in prose, its `<` or `%` is written as a character reference (`literal`),
  so that it cannot pass for a shortcode or an HTML tag; in code it stays.
- Paired tags are matched by name with a stack per name, as Hugo matches a closing tag
  to the open shortcode of that name. `comment` hides what it holds, and so does an
  inline shortcode (`{{< name.inline >}}`: its content is a Go template); `highlight`'s
  content is code. For the others the content is kept, whether `{{%` (Hugo renders it
  as Markdown) or `{{<` (Hugo does not): it is Markdown here in both cases, a simple
  choice that keeps what the author wrote.

Every search for a closing delimiter starts where the last one ended (`_Next`), so a
body of unclosed openers takes time linear in its length (a 1 MB body took 474 s with
the regular expressions this replaces).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from feedpub.render.foreign import hugo_embedded
from feedpub.render.foreign.code import Code

Removed = list[tuple[str, str]]
ResolveRef = Callable[[str], str | None]

_OPENER = re.compile(r"\{\{[<%]")
_CLOSER = {"<": ">}}", "%": "%}}"}
# Optional "/" (a closing tag), then the name: a letter, digit or "_", then those,
# "-", "/" and "." (Hugo's lexIdentifierInShortcode). Possessive: no backtracking.
_NAME = re.compile(r"\s*+(/?)\s*+([^\W][\w./-]*+)")
_SPACE_TO_EOL = re.compile(r"[ \t]*+(?:\n|\Z)")


@dataclass(frozen=True, slots=True)
class Tag:
    """A shortcode tag: body[start:end]."""

    start: int
    end: int
    name: str
    args: str
    closing: bool = False
    self_closing: bool = False


@dataclass(frozen=True, slots=True)
class Escaped:
    """`{{</* x */>}}`: body[start:end] shows as `text`."""

    start: int
    end: int
    text: str


class _Next:
    """The next place of `needle` at or after a position that never decreases: each
    stretch of the text is searched once, whatever the number of questions."""

    __slots__ = ("at", "needle", "text")

    def __init__(self, text: str, needle: str) -> None:
        self.text, self.needle, self.at = text, needle, -2

    def find(self, start: int) -> int:
        if self.at == -1 or self.at >= start:
            return self.at
        self.at = self.text.find(self.needle, start)
        return self.at


def tokens(body: str) -> list[Tag | Escaped]:
    """The body's shortcode tags and escapes, in order, none inside another."""
    openers = [match.start() for match in _OPENER.finditer(body)]
    closers = {delim: _Next(body, end) for delim, end in _CLOSER.items()}
    escapes = {delim: _Next(body, "*/" + end) for delim, end in _CLOSER.items()}
    found: list[Tag | Escaped] = []
    done = 0
    for index, at in enumerate(openers):
        if at < done:
            continue
        delim = body[at + 2]
        if body.startswith("/*", at + 3):
            end = escapes[delim].find(at + 5)
            if end != -1:  # else an unclosed escape, text (an error in Hugo)
                found.append(Escaped(at, end + 5, body[at:at + 3] + body[at + 5:end]
                                     + _CLOSER[delim]))
                done = end + 5
            continue
        end = closers[delim].find(at + 3)
        if end == -1 or (index + 1 < len(openers) and openers[index + 1] < end):
            continue  # unclosed, or another opener before the closer: text
        tag = _tag(body, at, end + 3)
        if tag is not None:
            found.append(tag)
            done = tag.end
    return found


def _tag(body: str, start: int, end: int) -> Tag | None:
    """The tag body[start:end], or None if what is inside is not a name and arguments."""
    inside = body[start + 3:end - 3]
    match = _NAME.match(inside)
    if match is None:
        return None
    rest = inside[match.end():]
    if rest and not rest[0].isspace() and rest[0] not in "\"`":
        return None  # {{< x=1 >}}, {{< a+b >}}: not a name
    name, rest = match.group(2), rest.strip()
    self_closing = name.endswith("/") or rest.endswith("/")
    if rest.endswith("/"):
        rest = rest[:-1]
    return Tag(start, end, name.rstrip("/"), rest, match.group(1) == "/", self_closing)


def _pairs(found: list[Tag | Escaped]) -> dict[int, int]:
    """Index of each opening tag that has a closing tag -> the closing tag's index."""
    open_by_name: dict[str, list[int]] = {}
    pairs = {}
    for index, token in enumerate(found):
        if isinstance(token, Tag) and not token.self_closing:
            if not token.closing:
                open_by_name.setdefault(token.name, []).append(index)
            elif open_by_name.get(token.name):
                pairs[open_by_name[token.name].pop()] = index
    return pairs


def expand(body: str, removed: Removed, resolve_ref: ResolveRef | None) -> str:
    """The body with each shortcode replaced by what a feed can show (hugo_embedded),
    or removed (a warning, through `removed`)."""
    found = tokens(body)
    if not found:
        return body
    pairs = _pairs(found)
    closed = set(pairs.values())
    out: list[str] = []
    at = index = 0
    while index < len(found):
        token = found[index]
        out.append(body[at:token.start])
        end, index = token.end, index + 1
        made = ""
        if isinstance(token, Escaped):
            made = token.text
        elif token.closing:
            if index - 1 not in closed:
                removed.append(("shortcode", token.name))
        elif index - 1 in pairs and (token.name in ("comment", "highlight")
                                     or token.name.endswith(".inline")):
            close = pairs[index - 1]
            if token.name == "highlight":
                inner = _inner(body, found, index - 1, close)
                made = hugo_embedded.highlight(token.args, inner)
            elif token.name != "comment":
                removed.append(("shortcode", token.name))
            end, index = found[close].end, close + 1
        else:
            made = _replacement(body, token, removed, resolve_ref)
        if made:
            out.append(made)
        elif _alone(body, token.start, end):  # nothing left on the line: it goes too
            out[-1] = out[-1][:len(out[-1]) - _spaces_before(body, token.start)]
            end = _SPACE_TO_EOL.match(body, end).end()  # type: ignore[union-attr]
        at = end
    out.append(body[at:])
    return "".join(out)


def _inner(body: str, found: list[Tag | Escaped], open_: int, close: int) -> str:
    """What a paired tag holds, as written but for Hugo's escapes."""
    pieces = []
    at = found[open_].end
    for token in found[open_ + 1:close]:
        if isinstance(token, Escaped):
            pieces += [body[at:token.start], token.text]
            at = token.end
    pieces.append(body[at:found[close].start])
    return "".join(pieces)


def _replacement(body: str, tag: Tag, removed: Removed,
                 resolve_ref: ResolveRef | None) -> str:
    """What the tag becomes ("" for nothing)."""
    positional, named = hugo_embedded.params(tag.args)
    if tag.name == "figure":
        made = hugo_embedded.figure(named)
        alone = _alone(body, tag.start, tag.end)
        return made + "\n" if alone and _next_line_has_text(body, tag.end) else made
    if tag.name in hugo_embedded.EMBEDS:
        made = hugo_embedded.embed(tag.name, positional, named)
        if made:
            return made
    if tag.name in ("ref", "relref"):
        target = named.get("path") or (positional[0] if positional else "")
        url = resolve_ref(target) if resolve_ref is not None and target else None
        if url is None:
            removed.append(("ref", target))
        return url or target
    removed.append(("shortcode", tag.name))
    return ""


def _spaces_before(body: str, at: int) -> int:
    """How many spaces and tabs come just before `at` (each counted once per tag)."""
    count = 0
    while at > count and body[at - count - 1] in " \t":
        count += 1
    return count


def _alone(body: str, start: int, end: int) -> bool:
    """Whether body[start:end] is alone on its line(s), but for spaces."""
    before = start - _spaces_before(body, start)
    return (before == 0 or body[before - 1] == "\n") \
        and _SPACE_TO_EOL.match(body, end) is not None


def _next_line_has_text(body: str, end: int) -> bool:
    eol = _SPACE_TO_EOL.match(body, end)
    return eol is not None and eol.end() < len(body) \
        and _SPACE_TO_EOL.match(body, eol.end()) is None


def literal(text: str, code: Code) -> str:
    """`{{<` and `{{%` left in prose written `{{&lt;` and `{{&#37;`: shown as written,
    and never read as a shortcode (or an HTML tag) again. Code is left as it is."""
    pieces = []
    at = 0
    for start, end in code.prose(len(text)):
        pieces.append(text[at:start])
        pieces.append(text[start:end].replace("{{<", "{{&lt;").replace("{{%", "{{&#37;"))
        at = end
    pieces.append(text[at:])
    return "".join(pieces)
