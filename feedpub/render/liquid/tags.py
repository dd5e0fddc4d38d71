"""Jekyll's tags `highlight`, `link` and `post_url` (lib/jekyll/tags/*.rb) as
python-liquid tags.

- `highlight` is a block whose content is rendered as Liquid first (it is a
  Liquid::Block: Jekyll's docs say to wrap code that has braces in `raw`), then has
  its leading and trailing newlines removed and is HTML-escaped. It becomes
  `<pre><code class="language-ruby" data-lang="ruby">...</code></pre>`, as Jekyll
  writes it but without Rouge's colours nor the `<figure>` around it: a line that
  starts with `<pre` opens an HTML block that cmark ends only at `</pre>`, so the
  code's blank lines survive the Markdown that follows. `linenos` is accepted and
  left out (line numbers would be copied with the code).
- `link` gives the URL of a file of the site by its path; `post_url` that of a post
  by its file name without the extension. Since Jekyll 4 both put the site's baseurl
  first (they call relative_url). A target that is not there is left out with a
  warning, where Jekyll stops the build.
"""

from __future__ import annotations

import re
from io import StringIO
from typing import Any, TextIO

from liquid import BoundTemplate, RenderContext
from liquid.ast import BlockNode, Node
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.parser import get_parser
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EOF, TOKEN_EXPRESSION, TOKEN_TAG, Token

from feedpub.render.liquid.filters import relative_url

_HIGHLIGHT = re.compile(
    r'^([a-zA-Z0-9.+#_-]+)((\s+\w+(=(\w+|"([0-9]+\s)*[0-9]+"))?)*)$')
_EDGE_NEWLINES = re.compile(r"\A[\n\r]+|[\n\r]+\Z")
_POST_NAME = re.compile(r"\A(.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)\Z")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                          "'": "&#39;"})


def markup_of(stream: TokenStream) -> str:
    """The text after a tag's name, the stream left on it (or on the tag, if none)."""
    if stream.peek.kind != TOKEN_EXPRESSION:
        return ""
    next(stream)
    return stream.current.value


def argument(tag: Tag, markup: str) -> BoundTemplate | str:
    """A tag's argument, as Liquid if it holds some (Jekyll renders it), else as text."""
    return tag.env.from_string(markup) if "{{" in markup or "{%" in markup else markup


def rendered(value: BoundTemplate | str, context: RenderContext) -> str:
    if isinstance(value, str):
        return value.strip()
    buffer = StringIO()
    value.render_with_context(context, buffer, partial=True)
    return buffer.getvalue().strip()


class HighlightNode(Node):
    __slots__ = ("block", "language")

    def __init__(self, token: Token, language: str, block: BlockNode) -> None:
        super().__init__(token)
        self.language = language
        self.block = block
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        code = context.get_buffer(buffer)
        self.block.render(context, code)
        text = _EDGE_NEWLINES.sub("", code.getvalue()).translate(_ESCAPES)
        css = self.language.replace("+", "-")
        return buffer.write(f'<pre><code class="language-{css}" data-lang="{self.language}">'
                            f"{text}</code></pre>")


class HighlightTag(Tag):
    name = "highlight"
    end = "endhighlight"
    block = True

    def parse(self, stream: TokenStream) -> Node:
        token = stream.current
        markup = markup_of(stream).strip()
        found = _HIGHLIGHT.match(markup)
        if found is None:
            raise LiquidSyntaxError(
                f"highlight: '{markup}' is not a language and options "
                "(write {% highlight ruby %} or {% highlight ruby linenos %})", token=token)
        next(stream)
        block = get_parser(self.env).parse_block(stream, (self.end, TOKEN_EOF))
        stream.expect(TOKEN_TAG, value=self.end)
        return HighlightNode(token, found.group(1).lower(), block)


class LinkNode(Node):
    __slots__ = ("post", "target")

    def __init__(self, token: Token, target: BoundTemplate | str, post: bool) -> None:
        super().__init__(token)
        self.target = target
        self.post = post
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        site = context.env.site  # type: ignore[attr-defined]
        target = rendered(self.target, context)
        url = post_url(site, target, self.token) if self.post else (
            site.links.get(target) or site.links.get(target.lstrip("/")))
        if url is None:
            raise LiquidError(f"{{% {self.token.value} {target} %}}: there is no such "
                              f"{'post' if self.post else 'file'} in the site", token=self.token)
        return buffer.write(relative_url(url, site.variables.get("baseurl")) or "")


def post_url(site: Any, name: str, token: Token) -> str | None:
    """The URL of the post `name` names, as Jekyll's PostComparer matches it: a path
    in _posts (or in a folder's _posts), its date and its slug. Failing that, Jekyll 4
    still takes the post of that date and slug anywhere (its deprecated match, which
    sites with posts in _posts/2020/ rely on), and so does this."""
    found = _POST_NAME.match(name.removeprefix("/"))
    if found is None:
        raise LiquidError(f"{{% post_url {name} %}}: '{name}' does not start with a date "
                          "(write {% post_url 2010-07-21-name %})", token=token)
    path, day, slug = re.escape(found.group(1) or ""), found.group(2), re.escape(found.group(3))
    candidates = _posts_by_name(site).get(f"{found.group(2)}-{found.group(3)}", [])
    post = re.compile(rf"_posts/{path}{day}-{slug}\.[^.]+|{path}_posts/?{day}-{slug}\.[^.]+")
    exact = next((key for key in candidates if post.match(key)), None)
    key = exact or (candidates[0] if candidates else None)
    return site.links[key] if key is not None else None


def _posts_by_name(site: Any) -> dict[str, list[str]]:
    """The posts' paths by file name without extension, sorted; made once per site
    (a post_url in each of 10,000 posts must not scan 10,000 paths)."""
    index = site._memo.get("posts by name")
    if index is None:
        index = {}
        for key in sorted(site.links):
            if "_posts/" in key:
                stem = key.rpartition("/")[2].rpartition(".")[0]
                index.setdefault(stem, []).append(key)
        site._memo["posts by name"] = index
    return index


class LinkTag(Tag):
    name = "link"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token = stream.current
        markup = markup_of(stream).strip()
        if not markup:
            example = "2010-07-21-name" if self.name == "post_url" else "about.md"
            raise LiquidSyntaxError(f"{self.name} needs a file: {{% {self.name} {example} %}}",
                                    token=token)
        return LinkNode(token, argument(self, markup), self.name == "post_url")


class PostUrlTag(LinkTag):
    name = "post_url"
