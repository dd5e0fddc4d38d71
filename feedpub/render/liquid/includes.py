"""Jekyll's `include` and `include_relative` (lib/jekyll/tags/include.rb).

`{% include note.html param="value" other=page.title %}` renders
`<root>/_includes/note.html` with `include.param` and `include.other` set;
`include_relative` takes the file from the folder of the post. The file name may
be Liquid (`{% include {{ page.box }} %}`). As in Jekyll, a name holds only letters,
digits and `_ / . -`, never `./` nor `/.`; feedpub also refuses an absolute name, and
any file whose real path (links followed) is outside its folder or the site. Files are
read once per site, at most 1 MiB, and parsed once; includes nest at most
MAX_DEPTH deep. A file that cannot be included is left out with a warning (Jekyll
stops the build).
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from typing import Any, TextIO

from liquid import BoundTemplate, RenderContext
from liquid.ast import Node
from liquid.builtin.expressions import parse_primitive, tokenize
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.expression import Expression
from liquid.stream import TokenStream
from liquid.tag import Tag
from liquid.token import TOKEN_EXPRESSION, Token

from feedpub.base.regular import RefusedFile, read_regular_file
from feedpub.render.liquid.environment import current
from feedpub.render.liquid.tags import argument, markup_of, rendered

MAX_DEPTH = 8
MAX_FILE = 1 << 20  # bytes
_PARAM = (r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'"""
          r"|([\w.-]+))")
_PARAMS = re.compile(rf"\A\s*(?:{_PARAM}(?=\s|\Z)\s*)*\Z")
_ONE_PARAM = re.compile(_PARAM)
_FILE_NAME = re.compile(r"\A[a-zA-Z0-9_/.-]+\Z")


def _split(markup: str) -> tuple[str, str]:
    """The file (up to the first space outside `{{ }}`) and the parameters."""
    depth, i = 0, 0
    while i < len(markup):
        if markup.startswith("{{", i):
            depth, i = depth + 1, i + 2
        elif markup.startswith("}}", i) and depth:
            depth, i = depth - 1, i + 2
        elif markup[i].isspace() and not depth:
            break
        else:
            i += 1
    return markup[:i], markup[i:].strip()


class IncludeNode(Node):
    __slots__ = ("file", "params", "relative")

    def __init__(self, token: Token, file: BoundTemplate | str,
                 params: list[tuple[str, Expression | str]] | None, relative: bool) -> None:
        super().__init__(token)
        self.file = file
        self.params = params
        self.relative = relative
        self.blank = False

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        state = current()
        assert state is not None, "includes are rendered by render_liquid"
        if len(state.includes) >= MAX_DEPTH:
            raise LiquidError(f"includes are nested more than {MAX_DEPTH} deep (does a "
                              "file include itself?)", token=self.token)
        template, name = _load(context.env, rendered(self.file, context), self.relative,
                               state.path, self.token)
        namespace = {} if self.params is None else {"include": {
            key: value if isinstance(value, str) else value.evaluate(context)
            for key, value in self.params}}
        state.includes.append(name)
        try:
            with context.extend(namespace):
                template.render_with_context(context, buffer, partial=True)
        finally:
            state.includes.pop()
        return 1


class IncludeTag(Tag):
    name = "include"
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token = stream.current
        file, params = _split(markup_of(stream).strip())
        example = f"{{% {self.name} note.html param=\"value\" other=page.title %}}"
        if not file:
            raise LiquidSyntaxError(f"{self.name} needs a file name: {example}", token=token)
        if params and not _PARAMS.match(params):
            raise LiquidSyntaxError(f"{self.name}: '{params}' are not parameters: {example}",
                                    token=token)
        parsed = [(m.group(1), _value(self, m, stream.current)) for m in
                  _ONE_PARAM.finditer(params)] if params else None
        return IncludeNode(token, argument(self, file), parsed, self.name != "include")


class IncludeRelativeTag(IncludeTag):
    name = "include_relative"


def _value(tag: Tag, m: re.Match[str], token: Token) -> Expression | str:
    """A parameter's value: a quoted text, or a variable or literal (Liquid's)."""
    if m.group(2) is not None:
        return m.group(2).replace('\\"', '"')
    if m.group(3) is not None:
        return m.group(3).replace("\\'", "'")
    text = m.group(4)
    inner = Token(TOKEN_EXPRESSION, text, token.start_index + m.start(4), token.source)
    return parse_primitive(tag.env, TokenStream(tokenize(text, inner)))


def _load(env: Any, name: str, relative: bool, page: str,
          token: Token) -> tuple[BoundTemplate, str]:
    """The parsed file an include names, and its name as messages show it."""
    site = env.site
    folder = posixpath.dirname(page) if relative else site.includes_dir
    shown = posixpath.normpath(posixpath.join(folder, name)) if name else folder
    tag = "include_relative" if relative else "include"
    if not _FILE_NAME.match(name) or "./" in name or "/." in name or name.startswith("/"):
        raise LiquidError(f"{tag} {name!r}: a file name has only letters, digits and "
                          "_ / . - and stays in its folder (no '..', no leading '/')",
                          token=token)
    cache = env.caches["templates"]
    key = (folder, name)
    if key not in cache:
        cache[key] = _read(env, Path(site.root), folder, name, shown)
    found = cache[key]
    if isinstance(found, str):
        raise LiquidError(f"{tag} {shown}: {found}", token=token)
    return found, shown


def _read(env: Any, root: Path, folder: str, name: str, shown: str) -> BoundTemplate | str:
    """The file parsed, or why it cannot be included."""
    try:
        top = root.resolve()
        base = (root / folder).resolve()
        path = (base / name).resolve()
    except (OSError, RuntimeError) as err:
        return f"cannot be read ({err})"
    if not (path.is_relative_to(base) and base.is_relative_to(top)):
        return "is outside its folder or the site (a link to elsewhere?)"
    try:
        text = read_regular_file(path, MAX_FILE).decode("utf-8-sig")
    except FileNotFoundError:
        return "there is no such file"
    except (OSError, RefusedFile, UnicodeDecodeError) as err:
        return f"cannot be read: {err}"
    return _parse(env, text, shown)


def _parse(env: Any, text: str, shown: str) -> BoundTemplate | str:
    state = current()
    assert state is not None
    names = env.caches["names"]
    names[id(text)] = shown  # the parsed file's tokens keep `text`, and so its id
    was, state.parsing = state.parsing, True
    try:
        return env.from_string(text)  # type: ignore[no-any-return]
    except LiquidError as err:
        where, message = state.syntax_error(text, err)
        del names[id(text)]
        return f"Liquid syntax error ({where}): {message}"
    finally:
        state.parsing = was
