"""Jekyll's filters over text and URLs (lib/jekyll/filters.rb, url_filters.rb; the list
is Jekyll's docs page "Liquid Filters"), and the bounds on every filter's result.

Ruby's conversions are copied where the output shows them: `to_s` of nil is "", of
true "true"; `inspect` writes ["a", 1] and {"k"=>"v"}.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any
from urllib.parse import quote, quote_plus, unquote

from liquid import Undefined
from liquid.exceptions import FilterError

from feedpub.render.liquid.environment import note_undefined
from feedpub.render.markdown import markdown_to_html

MAX_TEXT = 2_000_000  # characters of one filter's result
MAX_INT_BITS = 10_000  # of an integer result (3,000 digits; squaring one is fast)
_ABSOLUTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~"  # Addressable keeps these (and %-escapes) as they are
_RESERVED_UNRESERVED = ":/?#[]@!$&'()*+,;=-._~"
_RUBY_SPACE = " \t\n\v\f\r"
_CJK = ("\u1100-\u11ff\u2e80-\u2fdf\u3040-\u30ff\u3130-\u318f\u31f0-\u31ff"
        "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9d"
        "\U00020000-\U0002fa1f")
_RUBY_WORD = re.compile(f"[^{_RUBY_SPACE}]+")
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_WORD = re.compile(f"[^{_CJK}{_RUBY_SPACE}]+")
_SLUG_MODES = {"raw": re.compile(r"\s+"), "default": re.compile(r"[\W_]+"),
               "pretty": re.compile(r"[^\w.~!$&'()+,;=@]+"),
               "ascii": re.compile(r"[^A-Za-z0-9]+")}


def ruby_str(value: Any) -> str:
    """Ruby's `to_s`, as Liquid outputs a value."""
    if value is None or isinstance(value, Undefined):
        note_undefined(value)
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return "".join(ruby_str(item) for item in value)
    if isinstance(value, Mapping):
        return ruby_inspect(value)
    return str(value)


def ruby_inspect(value: Any) -> str:
    """Ruby's `inspect`."""
    if value is None or isinstance(value, Undefined):
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(ruby_inspect(item) for item in value) + "]"
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{ruby_inspect(k)}=>{ruby_inspect(v)}"
                               for k, v in value.items()) + "}"
    return str(value)


def _leading_slash(part: str) -> str:
    return part if not part or part.startswith("/") else "/" + part


def relative_url(value: Any, baseurl: Any) -> str | None:
    """The site's baseurl before a path (Jekyll 4: also what `link` and `post_url` give)."""
    if value is None or isinstance(value, Undefined):
        note_undefined(value)
        return None
    text = ruby_str(value)
    if _ABSOLUTE.match(text):
        return text
    joined = _leading_slash(ruby_str(baseurl).rstrip("/")) + _leading_slash(text)
    return quote(joined, safe=_URL_SAFE)


def absolute_url(value: Any, url: Any, baseurl: Any) -> str | None:
    """site.url, the baseurl and the path."""
    path = relative_url(value, baseurl)
    if path is None or _ABSOLUTE.match(path) or not ruby_str(url):
        return path
    return quote(ruby_str(url), safe=_URL_SAFE) + path


def xml_escape(value: Any) -> str:
    text = ruby_str(value)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def slugify(value: Any, mode: Any = None) -> str:
    """Jekyll's Utils.slugify: modes none, raw, default, pretty, ascii and latin; lower case."""
    text, mode = ruby_str(value), ruby_str(mode) or "default"
    if mode == "latin":
        text = "".join(c for c in unicodedata.normalize("NFKD", text)
                       if not unicodedata.combining(c))
        mode = "ascii"
    rule = _SLUG_MODES.get(mode)
    if rule is None:
        return text.lower()
    slug = rule.sub("-", unicodedata.normalize("NFC", text))
    return slug.removeprefix("-").removesuffix("-").lower()


def number_of_words(value: Any, mode: Any = None) -> int:
    text = ruby_str(value)
    if mode == "cjk" or (mode == "auto" and _CJK_CHAR.search(text)):
        return len(_CJK_CHAR.findall(text)) + len(_CJK_WORD.findall(text))
    return len(_RUBY_WORD.findall(text))


def array_to_sentence_string(value: Any, connector: Any = "and") -> str:
    items = [ruby_str(item) for item in (value if isinstance(value, list | tuple)
                                         else [] if value is None else [value])]
    if len(items) < 3:
        return f" {ruby_str(connector)} ".join(items)
    return f"{', '.join(items[:-1])}, {ruby_str(connector)} {items[-1]}"


def jsonify(value: Any) -> str:
    note_undefined(value)
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_jsonable)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Undefined):
        return None
    if isinstance(value, date):
        return str(value)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, tuple | range):
        return list(value)
    return ruby_str(value)


def to_integer(value: Any) -> int:
    if isinstance(value, bool):
        return int(value)
    match = re.match(r"\s*[-+]?\d+", ruby_str(value).replace("_", ""))
    return int(match.group()) if match else 0


def text_filters(site: Mapping[str, Any]) -> dict[str, Callable[..., object]]:
    """The filters over text and URLs, those over URLs bound to the site's url and baseurl."""
    url, baseurl = site.get("url"), site.get("baseurl")
    return {
        "relative_url": lambda value: relative_url(value, baseurl),
        "absolute_url": lambda value: absolute_url(value, url, baseurl),
        "strip_index": lambda value: re.sub(r"/index\.html?$", "/", ruby_str(value)),
        "xml_escape": xml_escape,
        "cgi_escape": lambda value: quote_plus(ruby_str(value), safe=""),
        "uri_escape": lambda value: quote(unquote(ruby_str(value)), safe=_RESERVED_UNRESERVED),
        "normalize_whitespace":
            lambda value: re.sub(f"[{_RUBY_SPACE}]+", " ", ruby_str(value)).strip(_RUBY_SPACE),
        "number_of_words": number_of_words,
        "array_to_sentence_string": array_to_sentence_string,
        "slugify": slugify,
        # Jekyll's converter: the same Markdown renderer as the body's (cmark-gfm).
        "markdownify": lambda value: markdown_to_html(ruby_str(value)),
        "smartify": ruby_str,  # typographic quotes are left to the reader's fonts
        "jsonify": jsonify,
        "inspect": lambda value: xml_escape(ruby_inspect(value)),
        "to_integer": to_integer,
    }


# --- Bounds --------------------------------------------------------------------------


def bounded(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    """`func`, refusing a result longer than MAX_TEXT characters or an integer of over
    MAX_INT_BITS bits (`times` squares); `replace` and `join` are refused before they
    make one (their results multiply lengths)."""

    @functools.wraps(func)
    def filter_(*args: Any, **kwargs: Any) -> Any:
        _check_before(name, args)
        result = func(*args, **kwargs)
        if isinstance(result, str) and len(result) > MAX_TEXT:
            raise FilterError(f"{name}: the result is longer than {MAX_TEXT:,} "
                              "characters", token=None)
        if isinstance(result, int) and result.bit_length() > MAX_INT_BITS:
            raise FilterError(f"{name}: the result has over {MAX_INT_BITS:,} bits", token=None)
        return result

    return filter_


def _check_before(name: str, args: tuple[Any, ...]) -> None:
    size = 0
    if name == "replace" and len(args) >= 3:
        text, old, new = (ruby_str(arg) for arg in args[:3])
        count = text.count(old) if old else len(text) + 1
        size = len(text) + count * max(len(new) - len(old), 0)
    elif name in ("join", "array_to_sentence_string") and isinstance(args[0], list | tuple):
        glue = len(ruby_str(args[1])) if len(args) > 1 else 1
        size = sum(len(item) if isinstance(item, str) else 8 for item in args[0])
        size += glue * len(args[0])
    if size > MAX_TEXT:
        raise FilterError(f"{name}: the result would be longer than {MAX_TEXT:,} "
                          "characters", token=None)
