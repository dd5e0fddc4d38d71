"""Hugo's embedded shortcodes that a feed can show, made as Hugo's templates make them
(tpl/tplimpl/embedded/templates/_shortcodes/ in Hugo's source), but on one line:

- `figure`: <figure>, the <img> (in <a> if `link`), alt from `alt` or else the
  caption as plain text, and a <figcaption> with the title as <h4> and the caption
  (Markdown, as Hugo's `markdownify`) and `attr` as <p>.
- `highlight`: <pre><code class="language-LANG">, the content as written, newlines at
  its ends trimmed as Hugo's template trims them.
- `youtube`, `vimeo`, `instagram`, `gist`, `x`, `tweet` (`twitter`): Hugo makes an
  iframe or a script, which feeds strip: a link to the item instead.

The HTML is one line that needs no blank line around it, so that a figure in a list
item, a block quote or a table cell leaves the list, quote or table whole. Newlines
in code are written `&#10;`, and the characters Markdown or kramdown would read
(`*`, `_`, a backtick, `[`, `|`, braces...) as character references.
"""

from __future__ import annotations

import re
from html import escape, unescape
from urllib.parse import quote

from feedpub.render.markdown import markdown_to_html

EMBEDS = frozenset({"youtube", "vimeo", "instagram", "gist", "x", "tweet", "twitter"})

# An argument: name=value or a value; a value quoted ("..." with \" inside, or a raw
# `...`, either running to the end if unclosed) or a word. Never backtracks.
_PARAM = re.compile(r"""(?:([\w-]++)\s*+=\s*+)?("(?:\\.|[^"\\])*+"?|`[^`]*+`?|[^\s"`]++)""")
_INERT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                        "\n": "&#10;", "`": "&#96;", "*": "&#42;", "_": "&#95;",
                        "[": "&#91;", "]": "&#93;", "\\": "&#92;", "{": "&#123;",
                        "}": "&#125;", "|": "&#124;", "~": "&#126;"})
_ONE_LINE = str.maketrans({"\n": " ", "|": "&#124;", "{": "&#123;", "}": "&#125;"})
_TAGS = re.compile(r"<[^>]*>")


def params(args: str) -> tuple[list[str], dict[str, str]]:
    """A shortcode's positional and named arguments."""
    positional: list[str] = []
    named: dict[str, str] = {}
    for match in _PARAM.finditer(args):
        value = match.group(2)
        if value[:1] == '"':
            value = value[1:-1 if len(value) > 1 and value.endswith('"') else None]
            value = value.replace('\\"', '"')
        elif value[:1] == "`":
            value = value[1:-1 if len(value) > 1 and value.endswith("`") else None]
        if match.group(1):
            named[match.group(1)] = value
        else:
            positional.append(value)
    return positional, named


def _markdownify(text: str) -> str:
    """Hugo's markdownify: the text's Markdown as HTML, without the paragraph."""
    html = markdown_to_html(text).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return html


def _attr(name: str, value: str | None) -> str:
    return f' {name}="{escape(value)}"' if value else ""


def figure(named: dict[str, str]) -> str:
    """Hugo's figure shortcode (named arguments only, as in Hugo)."""
    caption = _markdownify(named["caption"]) if named.get("caption") else ""
    alt = named.get("alt") or unescape(_TAGS.sub("", caption))
    image = (f"<img{_attr('src', named.get('src', ''))}{_attr('alt', alt)}"
             + "".join(_attr(key, named.get(key)) for key in ("width", "height", "loading"))
             + ">")
    if named.get("link"):
        image = (f"<a{_attr('href', named['link'])}{_attr('target', named.get('target'))}"
                 f"{_attr('rel', named.get('rel'))}>{image}</a>")
    inside = f"<h4>{escape(named['title'])}</h4>" if named.get("title") else ""
    if caption or named.get("attr"):
        attr = _markdownify(named["attr"]) if named.get("attr") else ""
        if attr and named.get("attrlink"):
            attr = f"<a{_attr('href', named['attrlink'])}>{attr}</a>"
        inside += f"<p>{' '.join(part for part in (caption, attr) if part)}</p>"
    if inside:
        inside = f"<figcaption>{inside}</figcaption>"
    return f"<figure>{image}{inside}</figure>".translate(_ONE_LINE)


def highlight(args: str, inner: str) -> str:
    """Hugo's highlight shortcode: `{{< highlight LANG OPTIONS >}}code{{< /highlight >}}`,
    the code as written (Hugo trims newlines at its ends)."""
    positional, _ = params(args)
    language = _attr("class", f"language-{positional[0]}") if positional else ""
    code = inner.strip("\n\r") + "\n"
    return f"<pre><code{language}>{code.translate(_INERT)}</code></pre>"


def _link(url: str, text: str) -> str:
    text = re.sub(r"([\\\[\]`*_<|])", r"\\\1", text)
    return f"[{text}](<{quote(url, safe=':/?=&%@.~-#')}>)"


def embed(name: str, positional: list[str], named: dict[str, str]) -> str | None:
    """A link to the item; None if the arguments do not say which item."""
    first = positional[0] if positional else ""
    item = named.get("id") or first
    if name == "youtube":
        return item and _link(f"https://www.youtube.com/watch?v={item}",
                              named.get("title") or f"YouTube video {item}")
    if name == "vimeo":
        return item and _link(f"https://vimeo.com/{item}",
                              named.get("title") or f"Vimeo video {item}")
    if name == "instagram":
        return item and _link(f"https://www.instagram.com/p/{item}/",
                              f"Instagram post {item}")
    if name == "gist":
        user = named.get("user") or first
        gist = named.get("id") or (positional[1] if len(positional) > 1 else "")
        return user and gist and _link(f"https://gist.github.com/{user}/{gist}",
                                       f"Gist {user}/{gist}")
    user = named.get("user", "")  # x, tweet, twitter: user= and id= (old tweet: the id)
    if not item:
        return None
    url = f"https://x.com/{user}/status/{item}" if user else f"https://x.com/i/status/{item}"
    return _link(url, f"Post by @{user} on X" if user else "Post on X")
