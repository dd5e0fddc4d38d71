"""Template code from other generators, taken out of a body before it becomes HTML, so
that none of it leaks into a feed (issue 11).

- Hugo shortcodes, `{{< name args >}}` and `{{% name args %}}`, paired or not. The
  embedded ones a feed can show become Markdown or HTML as Hugo's templates would make
  them: `figure` a <figure>, `highlight` a fenced code block, `youtube`, `vimeo`,
  `gist`, `x` and `tweet` a paragraph with a link (feeds strip iframes and scripts).
  `ref` and `relref` need the other entries' links, which rendering does not have: the
  path is written as text (`removed` says so). Any other shortcode is removed, the
  content of a paired one kept as Markdown. `{{</* x */>}}` is Hugo's way to show a
  shortcode as written: it becomes `{{< x >}}`, in code too.
- MDX: top-level `import`/`export` blocks are removed, and JSX components (tags whose
  name starts with an upper-case letter) are replaced by their children.
- Kramdown's attribute lists, `{: .class #id key="v"}`, are removed.

Fenced code blocks and code spans are left as written (but for Hugo's escape). Each
pass runs only when a cheap check finds its syntax (see `has_foreign`):
bench/render_parts.py's "foreign (ordinary bodies)" measures what that costs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape
from urllib.parse import quote

from feedpub.render.sanitise import ALLOWED_TAGS, CLEAN_CONTENT_TAGS

# What `strip_foreign` took out or replaced, as (kind, what) pairs, for notes.py:
# ("shortcode", name), ("ref", path), ("mdx", what), ("ial", text).
Removed = list[tuple[str, str]]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.M)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_ESCAPED = re.compile(r"\{\{([<%])/\*(.*?)\*/([>%])\}\}", re.S)

# A shortcode tag: {{< name args >}} or {{% name args %}}, `/name` closing, `/>}}` too.
_ARG = r"""(?:"(?:[^"\\]|\\.)*"|`[^`]*`|[^\s"`{}]+?)"""
_TAG = re.compile(r"\{\{([<%])\s*(/?)\s*([\w./-]+)((?:\s+(?:[\w-]+\s*=\s*)?" + _ARG
                  + r")*)\s*/?\s*([>%])\}\}")
# Hugo's comment shortcode: what it holds is not rendered.
_COMMENT = re.compile(r"\{\{([<%])\s*comment\s*[>%]\}\}.*?\{\{[<%]\s*/\s*comment\s*[>%]\}\}",
                      re.S)
_PARAM = re.compile(r"""(?:([\w-]+)\s*=\s*)?("(?:[^"\\]|\\.)*"|`[^`]*`|\S+)""")
_HIGHLIGHT = re.compile(
    r"\{\{([<%])\s*highlight((?:\s+" + _ARG + r")*)\s*[>%]\}\}\n?(.*?)\n?"
    r"\{\{[<%]\s*/\s*highlight\s*[>%]\}\}", re.S)

# MDX: an ESM block (up to a blank line) at the start of a line, and JSX components.
_ESM = re.compile(r"^(?:import\s+(?:[\w*{$][^\n]*?\s+from\s*)?['\"]|export\s+"
                  r"(?:const|let|var|function|async|class|default|\{|\*)).*?(?:\n[ \t]*\n|\Z)",
                  re.M | re.S)
_JSX_ATTRS = r"""(?:[^<>{}"']|"[^"]*"|'[^']*'|\{(?:[^{}]|\{[^{}]*\})*\})*"""
_HTML_TAGS = ALLOWED_TAGS | CLEAN_CONTENT_TAGS | {"font", "center", "big", "tt"}
_JSX = re.compile(r"<(/?)([A-Z][\w.]*)(" + _JSX_ATTRS + r")>")

# Kramdown: a block IAL on its own line, or a span IAL after a span or at a line's end.
_IAL_LINE = re.compile(r"^ {0,3}\{:(?!:)[^{}\n]*\}[ \t]*(?:\n|\Z)", re.M)
_IAL = re.compile(r"[ \t]*\{:(?!:)[^{}\n]*\}")


def has_foreign(body: str) -> bool:
    """Whether any pass could change the body, by single-character searches (memchr:
    0.3 µs on bench/corpus.py's 5 KB bodies, where searching for "{{", "{:", "import"
    and "export" took 12 µs). Shortcodes and attribute lists have a "{"; MDX has a
    component (a "<" and a capital), or an ESM block with a "{" or at the very start
    (an import is there to use a component; `export const x = 1` alone, in the middle
    of a body without braces or components, is left as written)."""
    return ("{" in body or _has_upper_tag(body)
            or body.startswith(("import", "export")))


_UPPER_TAG = re.compile("<[A-Z]")


def _has_upper_tag(body: str) -> bool:
    """Whether a "<" is followed by a capital letter."""
    at = body.find("<")
    for _ in range(32):
        if at == -1:
            return False
        if "A" <= body[at + 1:at + 2] <= "Z":
            return True
        at = body.find("<", at + 1)
    return _UPPER_TAG.search(body, at) is not None  # much HTML: one regex search


def strip_foreign(body: str) -> tuple[str, Removed]:
    """The body without other generators' template code, and what was taken out."""
    removed: Removed = []
    if not has_foreign(body):
        return body, removed
    out: list[str] = []
    for code, text in _split_fences(body):
        out.append(_unescape(text) if code else _prose(text, removed))
    return "".join(out), removed


def _split_fences(body: str) -> list[tuple[bool, str]]:
    """(is fenced code, text) pieces; a fence runs to its closing fence or the end."""
    parts: list[tuple[bool, str]] = []
    at = start = 0
    while (opening := _FENCE.search(body, at)) is not None:
        marker = opening.group(1)
        eol = body.find("\n", opening.end())
        eol = len(body) if eol == -1 else eol
        if marker[0] == "`" and "`" in body[opening.end():eol]:
            at = eol  # not a fence: a backtick fence's info string has no backtick
            continue
        closing = re.compile(r"^ {0,3}" + re.escape(marker[0]) + "{" + str(len(marker))
                             + r",}[ \t]*$", re.M).search(body, eol)
        end = len(body) if closing is None else closing.end()
        parts.append((False, body[start:opening.start()]))
        parts.append((True, body[opening.start():end]))
        at = start = end
    parts.append((False, body[start:]))
    return parts


def _unescape(text: str, lt: str = "<") -> str:
    """Hugo's escape: `{{</* x */>}}` shows as `{{< x >}}` (in prose, `lt="&lt;"`)."""
    if "{{" not in text:
        return text
    return _ESCAPED.sub(lambda m: "{{" + m.group(1).replace("<", lt) + m.group(2)
                        + m.group(3) + "}}", text)


def _prose(text: str, removed: Removed) -> str:
    """Text outside fenced code: highlight blocks first (their content is code), then
    the rest outside code spans."""
    if "{{" in text and "highlight" in text:
        pieces = []
        at = 0
        for match in _HIGHLIGHT.finditer(text):
            pieces.append(_outside_spans(text[at:match.start()], removed))
            pieces.append(_highlight(match))
            at = match.end()
        pieces.append(_outside_spans(text[at:], removed))
        return "".join(pieces)
    return _outside_spans(text, removed)


def _outside_spans(text: str, removed: Removed) -> str:
    if "`" not in text:
        return _passes(text, removed)
    pieces = []
    at = 0
    for match in _CODE_SPAN.finditer(text):
        pieces.append(_passes(text[at:match.start()], removed))
        pieces.append(_unescape(match.group(0)))
        at = match.end()
    pieces.append(_passes(text[at:], removed))
    return "".join(pieces)


def _passes(text: str, removed: Removed) -> str:
    if "{{" in text:
        text = _shortcodes(text, removed)
    if "{:" in text:
        text = _kramdown(text, removed)
    if "import" in text or "export" in text:
        text = _ESM.sub(lambda m: _note(removed, "mdx", m.group(0).split(None, 1)[0], "\n"),
                        text)
    if _has_upper_tag(text):
        text = _JSX.sub(lambda m: _jsx(m, removed), text)
    return text


def _jsx(match: re.Match[str], removed: Removed) -> str:
    name = match.group(2)
    if name.isupper() and name.lower() in _HTML_TAGS:
        return match.group(0)  # <B>, <IMG SRC=...>: HTML written in capitals
    if not match.group(1):
        removed.append(("mdx", f"<{name}>"))
    return ""


def _note(removed: Removed, kind: str, what: str, replacement: str = "") -> str:
    removed.append((kind, what))
    return replacement


# Hugo ------------------------------------------------------------------------------


def _params(args: str) -> tuple[list[str], dict[str, str]]:
    positional: list[str] = []
    named: dict[str, str] = {}
    for match in _PARAM.finditer(args):
        value = match.group(2)
        if value[:1] == '"' and value[-1:] == '"' and len(value) > 1:
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        elif value[:1] == "`" and value[-1:] == "`" and len(value) > 1:
            value = value[1:-1]
        if match.group(1):
            named[match.group(1)] = value
        else:
            positional.append(value)
    if positional and positional[-1] == "/":
        positional.pop()  # the self-closing form, {{< name />}}
    return positional, named


def _highlight(match: re.Match[str]) -> str:
    """Hugo's highlight shortcode: `{{< highlight go "linenos=table" >}}code{{< /highlight >}}`
    is the code in that language; as a fenced block, the code stays as written."""
    positional, named = _params(match.group(2))
    language = positional[0] if positional else named.get("lang", "")
    code = _unescape(match.group(3))
    fence = "`" * max(3, _longest_run(code, "`") + 1)
    return f"\n{fence}{language}\n{code}\n{fence}\n"


def _longest_run(text: str, char: str) -> int:
    runs = re.findall(re.escape(char) + "+", text)
    return max(map(len, runs), default=0)


def _link_paragraph(url: str, text: str) -> str:
    """A Markdown link: a paragraph of its own where the shortcode had its own line."""
    text = re.sub(r"([\\\[\]`*_<])", r"\\\1", text)
    return f"[{text}](<{quote(url, safe=':/?=&%@.~-')}>)"


def _figure(positional: list[str], named: dict[str, str]) -> str:
    """Hugo's figure: <figure><a href=link><img src alt></a><figcaption><h4>title</h4>
    <p>caption</p></figcaption></figure>; alt falls back to the caption, as in Hugo."""
    src = named.get("src", "")
    alt = named.get("alt") or named.get("caption") or named.get("title") or ""
    image = f'<img src="{escape(src)}" alt="{escape(alt)}">'
    if named.get("link"):
        image = f'<a href="{escape(named["link"])}">{image}</a>'
    caption = ""
    if named.get("title"):
        caption += f"<h4>{escape(named['title'])}</h4>"
    if named.get("caption") or named.get("attr"):
        text = escape(named.get("caption", ""))
        if named.get("attr"):
            attr = escape(named["attr"])
            if named.get("attrlink"):
                attr = f'<a href="{escape(named["attrlink"])}">{attr}</a>'
            text = f"{text} {attr}".strip()
        caption += f"<p>{text}</p>"
    if caption:
        caption = f"<figcaption>{caption}</figcaption>"
    return f"\n\n<figure>{image}{caption}</figure>\n\n"


def _embed(name: str, positional: list[str], named: dict[str, str]) -> str | None:
    """youtube, vimeo, gist, x and tweet as a paragraph with a link; None if the
    arguments do not say which item."""
    first = positional[0] if positional else ""
    if name == "youtube":
        item = named.get("id") or first
        return item and _link_paragraph(f"https://www.youtube.com/watch?v={item}",
                                        named.get("title") or f"YouTube video {item}")
    if name == "vimeo":
        item = named.get("id") or first
        return item and _link_paragraph(
            f"https://vimeo.com/{item}", named.get("title") or f"Vimeo video {item}")
    if name == "gist":
        user = named.get("user") or first
        item = named.get("id") or (positional[1] if len(positional) > 1 else "")
        return user and item and _link_paragraph(
            f"https://gist.github.com/{user}/{item}", f"Gist {user}/{item}")
    # x and tweet: user= and id=, or (tweet, old Hugo) the id alone.
    user = named.get("user", "")
    item = named.get("id") or first
    if not item:
        return None
    url = f"https://x.com/{user}/status/{item}" if user else f"https://x.com/i/status/{item}"
    return _link_paragraph(url, f"Post by @{user} on X" if user else "Post on X")


_EMBEDS = frozenset({"youtube", "vimeo", "gist", "x", "tweet", "twitter"})


def _shortcodes(text: str, removed: Removed) -> str:
    """Escaped shortcodes as text, comments gone, then each shortcode tag."""
    text = _COMMENT.sub("", text)
    pieces = []
    at = 0
    replace = _shortcode(removed)
    for match in _ESCAPED.finditer(text):
        pieces.append(_TAG.sub(replace, text[at:match.start()]))
        pieces.append(_unescape(match.group(0), "&lt;"))
        at = match.end()
    pieces.append(_TAG.sub(replace, text[at:]))
    return "".join(pieces)


def _shortcode(removed: Removed) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        closing, name = match.group(2), match.group(3)
        if (match.group(1) == "<") != (match.group(5) == ">"):
            return match.group(0)  # {{< ... %}}: not a shortcode
        if closing:
            return ""  # the closing tag of a paired shortcode (content kept)
        positional, named = _params(match.group(4))
        if name == "figure":
            return _figure(positional, named)
        if name in _EMBEDS and (made := _embed(name, positional, named)):
            return made
        if name in ("ref", "relref"):
            path = named.get("path") or (positional[0] if positional else "")
            removed.append(("ref", path))
            return path
        removed.append(("shortcode", name))
        return ""

    return replace


# Kramdown --------------------------------------------------------------------------


def _kramdown(text: str, removed: Removed) -> str:
    text = _IAL_LINE.sub(lambda m: _note(removed, "ial", m.group(0).strip()), text)
    return _IAL.sub(lambda m: _note(removed, "ial", m.group(0).strip()), text)
