"""Absolute URLs in sanitised HTML: every href, src, poster, cite and srcset value
joined to the entry's own page (many feed readers ignore xml:base), code classes cut
to language-*, and what a reader might notice collected on the way (`Seen`).

Relative URL resolution (RFC 3986, section 5.2) is `Base.join`, fast for the cases
entries are made of: `urllib.parse.urljoin` costs ~20 microseconds a call, and a long
archive has hundreds of thousands of relative links and images. `Base.join` handles
path, query and fragment references itself (the same results: tests compare it with
urljoin) and hands the rare rest (network-path references, other schemes) to urljoin.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import unquote, urljoin, urlsplit

import nh3

from feedpub.base.urls import URL_WHITESPACE, split_reference

_URL_SCHEMES = frozenset(nh3.ALLOWED_URL_SCHEMES)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class Base:
    """A base URL, split once, that joins many references."""

    __slots__ = ("directory", "folders", "origin", "path", "query", "url")

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.url = url
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.path = parts.path or "/"
        self.query = parts.query
        # The segments a relative path is put after, as `_merge` makes them (the last
        # one dropped, empty ones folded, as urljoin does), made once; None if one is
        # a dot segment (the general case then).
        base = self.path.split("/")
        if base[-1] != "":
            del base[-1]
        folders = base[:1] + [s for s in base[1:] if s]
        self.folders = None if "." in folders or ".." in folders or base[0] != "" \
            else folders  # (a path that does not start at "/" is never an entry's)
        self.directory = "/".join(folders) + "/"

    def join(self, ref: str) -> str:
        if ref.startswith(("https://", "http://")):
            return ref
        if ref.startswith("//") or _SCHEME.match(ref) or ";" in ref:
            return urljoin(self.url, ref)  # rare: left to urljoin (";" is its "params")
        path, tail = split_reference(ref)
        if tail:
            query, hashed, fragment = tail.partition("#")
            if query == "?" or (hashed and not fragment):
                return urljoin(self.url, ref)  # empty "?" or "#": urljoin drops them
        if not path:
            if not tail or tail.startswith("#"):
                query = f"?{self.query}" if self.query else ""
                return self.origin + self.path + query + tail
            return self.origin + self.path + tail
        return self.origin + self._merge(path) + tail

    def _merge(self, path: str) -> str:
        """The reference's path resolved against ours, exactly as urljoin does it."""
        if path.startswith("/"):
            if "." not in path:
                return path
            segments = path.split("/")
        elif self.folders is not None and "//" not in path:  # (no empty segment to fold)
            if "." not in path:
                return self.directory + path
            segments = self.folders + path.split("/")
        else:
            base = self.path.split("/")
            if base[-1] != "":
                del base[-1]
            segments = base + path.split("/")
            # urljoin folds empty segments ("a//b" -> "a/b") in relative references
            segments[1:-1] = [s for s in segments[1:-1] if s]
            if "." not in path and self.folders is not None:  # (else: ours has dots)
                joined = "/".join(segments)
                return joined if joined.startswith("/") else "/" + joined
        resolved: list[str] = []
        for segment in segments:
            if segment == "..":
                if resolved:
                    resolved.pop()
            elif segment != ".":
                resolved.append(segment)
        if segments[-1] in (".", ".."):
            resolved.append("")
        joined = "/".join(resolved)
        return joined if joined.startswith("/") else "/" + joined


@dataclass(slots=True)
class Seen:
    """Collected while URLs are made absolute (see render.entry.RenderedEntry)."""

    relative_urls: list[tuple[str, str]] = field(default_factory=list)
    images_without_alt: list[str] = field(default_factory=list)
    # Links to other entries by their path in the site (Zola's @/blog/post.md#part,
    # Pelican's {filename}post.md): `internal` gives the target's URL (None: not
    # found: the link goes to `unresolved` and loses its href); `markers` are what
    # such links start with.
    internal: Callable[[str], str | None] | None = None
    markers: tuple[str, ...] = ()
    unresolved: list[str] = field(default_factory=list)


# Tags as nh3's serialiser writes them: lower-case names, every attribute value in
# double quotes with '"' escaped, so this pattern reads them exactly (text nodes
# cannot hold a raw '<').
# Only the tags that may carry a URL or a class attribute are visited.
_TAG = re.compile(r'<(?:a|img|video|audio|source|blockquote|q|del|ins|code)'
                  r'(?:\s+[^\s"=/>]+(?:="[^"]*")?)+\s*/?>')
# Every attribute of the tag, each consumed whole, so that a value which merely
# contains ' href="' can never be taken for an attribute of its own.
_ATTRIBUTE = re.compile(r'(\s([^\s"=/>]+)=")([^"]*)"')
_HAS_SCHEME = re.compile(r"\s*[A-Za-z][A-Za-z0-9+.-]*:")
_ALT = re.compile(r'\salt="[^"]*\S[^"]*"')  # alt text that is not blank
_SRC = re.compile(r'\ssrc="([^"]*)"')
_REWRITTEN = frozenset({"href", "src", "poster", "cite", "srcset", "class"})
# An absolute URL that stays as it is written: no character reference to undo, no
# space or tab, line break or other whitespace that _absolute_url would take out.
_AS_IT_IS = re.compile(r"[^&\s]*")
# A relative path with no query or fragment, no scheme (no ":"), not starting with
# "/" (no network-path reference), no ";" (urljoin's params), nothing to undo or take out.
_PLAIN_PATH = re.compile(r'[^&\s;:?#/"][^&\s;:?#"]*')


def absolutise(html: str, base: str, seen: Seen | None = None) -> str:
    """Every URL in sanitised HTML made absolute; code classes kept to language-*.

    With `seen`, relative href, src, poster and srcset URLs (as written, as resolved)
    and the sources of images without alt text are collected there.
    """
    if '="' not in html:
        return html
    resolver = Base(base)
    # (a path joined to the base keeps its scheme: allowed or not, once for all)
    plain_paths = resolver.origin.partition(":")[0].lower() in _URL_SCHEMES

    def attribute(match: re.Match[str]) -> str:
        name, value = match.group(2, 3)
        if name not in _REWRITTEN:
            return match.group(0)
        if name == "class":
            kept = " ".join(c for c in value.split() if c.startswith("language-"))
            return f'{match.group(1)}{kept}"' if kept else ""
        if name == "srcset":
            joined = _joined(resolver, seen, name, value)
        elif value.startswith(("https://", "http://")) and _AS_IT_IS.fullmatch(value):
            return match.group(0)  # absolute already, as most links to other sites are
        elif plain_paths and _PLAIN_PATH.fullmatch(value) \
                and not (seen is not None and seen.markers and value.startswith(seen.markers)):
            # A relative path and nothing else, as most links within a site: what
            # _absolute_url and Base.join would make of it, without their checks.
            joined = resolver.origin + resolver._merge(value)
            if seen is not None and name != "cite":
                seen.relative_urls.append((value, joined))
        else:
            joined = _joined(resolver, seen, name, value)
        if not joined:  # no allowed scheme, or no candidate left
            return ""
        if "&" in joined or '"' in joined:
            joined = joined.replace("&", "&amp;").replace('"', "&quot;")
        return f'{match.group(1)}{joined}"'

    def tag(match: re.Match[str]) -> str:
        text = match.group(0)
        if seen is not None and text.startswith("<img") and not _ALT.search(text):
            source = _SRC.search(text)
            seen.images_without_alt.append(unescape(source.group(1)) if source else "")
        return _ATTRIBUTE.sub(attribute, text) if '="' in text else text

    return _TAG.sub(tag, html)


def _joined(resolver: Base, seen: Seen | None, name: str, value: str) -> str | None:
    """An href, src, poster, cite or srcset value (as written in the HTML) made
    absolute, or None; what `seen` collects of it goes there."""
    raw = unescape(value) if "&" in value else value
    if seen is not None and seen.markers and raw.startswith(seen.markers):
        raw = _internal(raw, seen)
        if not raw:
            return None
    # (nh3 does not look inside srcset: each candidate is checked here)
    joined = _srcset(resolver, raw) if name == "srcset" else _absolute_url(resolver, raw)
    if not joined or seen is None:
        return joined
    if name in ("href", "src", "poster") \
            and not raw.startswith(("#", "//")) and not _HAS_SCHEME.match(raw):
        seen.relative_urls.append((raw.strip(), joined))
    elif name == "srcset":  # each candidate image
        seen.relative_urls.extend(
            (url.strip(), resolved) for url, _ in srcset_candidates(raw)
            if not url.startswith(("#", "//")) and not _HAS_SCHEME.match(url)
            and (resolved := _absolute_url(resolver, url)))
    return joined


def _internal(link: str, seen: Seen) -> str:
    """A link to another entry by its path as the target's URL, its fragment kept."""
    path, hashed, fragment = link.partition("#")
    target = seen.internal(unquote(path)) if seen.internal is not None else None
    if target is None:
        seen.unresolved.append(link)
        return ""
    return target + hashed + fragment


def _srcset(resolver: Base, value: str) -> str:
    """The candidates of a srcset with allowed schemes, made absolute ("" if none)."""
    return ", ".join(c for c in (_candidate(resolver, url, descriptor)
                                 for url, descriptor in srcset_candidates(value)) if c)


def _absolute_url(resolver: Base, value: str) -> str | None:
    """The URL made absolute, or None where its scheme is not on the allow-list."""
    value = value.strip()
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.translate(URL_WHITESPACE)  # browsers and urljoin drop these
    if value.startswith(("https://", "http://")):
        return value  # the common case, and already absolute
    joined = resolver.join(value)
    scheme = joined.partition(":")[0].lower()
    return joined if scheme in _URL_SCHEMES else None


def _candidate(resolver: Base, url: str, descriptor: str) -> str | None:
    joined = _absolute_url(resolver, url) if url else None
    if joined is None:
        return None
    return f"{joined} {descriptor}" if descriptor else joined


def srcset_candidates(value: str) -> list[tuple[str, str]]:
    """(url, descriptor) pairs, split as the HTML standard does: a URL is a run of
    non-space characters and may contain commas (w_100,h_50 or data:...;base64,...);
    a descriptor runs to the next comma outside parentheses."""
    candidates = []
    position, end = 0, len(value)
    while position < end:
        while position < end and (value[position].isspace() or value[position] == ","):
            position += 1
        start = position
        while position < end and not value[position].isspace():
            position += 1
        url = value[start:position]
        if not url:
            break
        descriptor = ""
        if url.endswith(","):
            url = url.rstrip(",")
        else:
            depth, start = 0, position
            while position < end and (value[position] != "," or depth):
                depth += {"(": 1, ")": -1 if depth else 0}.get(value[position], 0)
                position += 1
            descriptor = " ".join(value[start:position].split())
        candidates.append((url, descriptor))
    return candidates
