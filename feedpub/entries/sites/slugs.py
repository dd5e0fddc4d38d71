"""The slug functions of each generator, copied from their sources: a link must be
the URL the generator gives the page, character for character."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

# Jekyll's Utils.slugify (lib/jekyll/utils.rb): runs of what is not [:alnum:] (default
# mode) or not [:alnum:] or ._~!$&'()+,;=@ (pretty mode) become one "-".
_JEKYLL_DEFAULT = re.compile(r"[\W_]+")
_JEKYLL_PRETTY = re.compile(r"[^\w._~!$&'()+,;=@]+")


def jekyll_slug(text: str, pretty: bool = False, cased: bool = False) -> str:
    slug = (_JEKYLL_PRETTY if pretty else _JEKYLL_DEFAULT).sub("-", text).strip("-")
    return slug if cased else slug.lower()


# Hugo's urlize / paths.MakePath: letters, digits and marks stay, as do . / \ _ - # + ~;
# white space becomes "-", anything else is dropped.
_HUGO_DROP = re.compile(r"[^\w\s./\\#+~-]|_(?=$)")


def hugo_path(text: str, lower: bool = True) -> str:
    path = _WHITE_SPACE.sub("-", _HUGO_DROP.sub("", text))
    return path.lower() if lower else path


_WHITE_SPACE = re.compile(r"\s")


# Zola's slugify.paths = "on": the slug crate (deunicode to ASCII, lower case, runs of
# anything else one "-"); "safe" only drops what is unsafe in a path.
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")
_UNSAFE = re.compile(r"[<>:\"/\\|?*#\s]+")


def zola_slug(text: str, mode: str = "on") -> str:
    if mode == "off":
        return text
    if mode == "safe":
        return _UNSAFE.sub("-", text).strip("-")
    return ascii_slug(text)


def ascii_slug(text: str) -> str:
    """Zola's "on" slug: ASCII letters and digits, lower case, every other run "-"
    (also what tag feeds' folders are named by, outputs/tags.py)."""
    return _NOT_ALNUM.sub("-", _ascii(text).lower()).strip("-")


# What a value placed in a URL path keeps as it is (RFC 3986's pchar); the rest is
# percent-encoded, as Jekyll's URL.escape_path does ("C#" is "C%23").
_PATH_SAFE = "/!$&'()*+,;=:@-._~"


_PLAIN_PATH = re.compile(r"[A-Za-z0-9/!$&'()*+,;=:@._~-]*")  # _PATH_SAFE and alphanumerics


def in_path(value: str) -> str:
    # (most values, such as "2021" and "hello-world", have nothing to encode: 0.3 µs, not 2)
    return value if _PLAIN_PATH.fullmatch(value) else quote(value, safe=_PATH_SAFE)


# Pelican's utils.slugify with its default SLUG_REGEX_SUBSTITUTIONS.
_PELICAN_SUBS = ((re.compile(r"[^\w\s-]", re.IGNORECASE), ""),
                 (re.compile(r"(?u)\A\s*"), ""), (re.compile(r"(?u)\s*\Z"), ""),
                 (re.compile(r"[-\s]+"), "-"))


def pelican_slug(text: str) -> str:
    value = _ascii(unicodedata.normalize("NFKC", text))
    for pattern, replacement in _PELICAN_SUBS:
        value = pattern.sub(replacement, value)
    return value.lower()


def _ascii(text: str) -> str:
    """Text transliterated to ASCII ("北京" -> "Bei Jing "), as Zola's deunicode and
    Pelican's unidecode do; text-unidecode (5 ms to import) only for text that needs it."""
    if text.isascii():
        return text
    from text_unidecode import unidecode

    return unidecode(text)
