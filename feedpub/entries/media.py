"""Media of an entry: `enclosure` (a podcast episode, a file: a URL, a table of url,
length and type, or a list of those) and `image` (the entry's picture).

A URL may be relative: it is resolved against the entry's page, as the body's links
are. The type is taken from the file's extension when not given; the length of a
file beside the entry (in the entries folder) is read from disk, else it is 0 (what
RSS asks for when it is unknown).
"""

from __future__ import annotations

import mimetypes
import os
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from feedpub.base.people import is_absolute_http_url, type_name
from feedpub.base.urls import iri_to_uri

if TYPE_CHECKING:
    from feedpub.entries.fields import Fields

Enclosure = tuple[str, int, str]  # url, length in bytes, media type


def enclosures_field(f: Fields, base: str) -> tuple[Enclosure, ...]:
    value = f.meta.get("enclosure")
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        enclosure = _enclosure(f, item, base)
        if enclosure is None:
            return ()
        found.append(enclosure)
    return tuple(found)


def image_field(f: Fields, base: str) -> str | None:
    value = f.meta.get("image")
    if value is None or isinstance(value, dict | list):  # (a theme's own structure)
        return None
    return _url(f, "image", value, base)


def _enclosure(f: Fields, item: Any, base: str) -> Enclosure | None:
    hint = "write enclosure: {url: episode.mp3, length: 12345678, type: audio/mpeg}"
    if isinstance(item, str):
        item = {"url": item}
    if not isinstance(item, dict) or not isinstance(item.get("url"), str):
        f.bad("enclosure", f"enclosure must be a URL or a table with a url, not "
              f"{type_name(item)}", hint)
        return None
    url = _url(f, "enclosure", item["url"], base)
    if url is None:
        return None
    length = item.get("length")
    if length is None:
        length = _local_size(f, item["url"])
    elif isinstance(length, bool) or not isinstance(length, int) or length < 0:
        f.bad("enclosure", f"enclosure length must be a number of bytes, not {length!r}",
              hint)
        return None
    kind = item.get("type") or media_type(urlsplit(url).path)
    if not isinstance(kind, str) or "/" not in kind:
        kind = "application/octet-stream"
    return url, length, kind


# The types of the files feeds carry, first; then Python's own table, never the
# machine's /etc/mime.types (the same input must give the same feed everywhere).
_TYPES = {".mp3": "audio/mpeg", ".m4a": "audio/mp4", ".aac": "audio/aac",
          ".ogg": "audio/ogg", ".oga": "audio/ogg", ".opus": "audio/opus",
          ".flac": "audio/flac", ".wav": "audio/wav", ".mp4": "video/mp4",
          ".m4v": "video/x-m4v", ".mov": "video/quicktime", ".webm": "video/webm",
          ".pdf": "application/pdf", ".epub": "application/epub+zip"}
_PYTHONS_OWN = mimetypes.MimeTypes(filenames=())


def media_type(path: str) -> str | None:
    extension = os.path.splitext(path)[1].lower()
    return _TYPES.get(extension) or _PYTHONS_OWN.guess_type("x" + extension)[0]


def _url(f: Fields, key: str, value: Any, base: str) -> str | None:
    if not isinstance(value, str) or not value.strip():
        f.bad(key, f"{key} must be a URL, not {type_name(value)}")
        return None
    try:
        url = iri_to_uri(urljoin(base, value.strip()))
    except ValueError:
        url = ""
    if not is_absolute_http_url(url):
        f.bad(key, f"{key} {value!r} is not an http(s) URL",
              f"give the file's address, or a path beside the entry ({key}: file.mp3)")
        return None
    return url


def _local_size(f: Fields, written: str) -> int:
    """The size of a file the entry names by a relative path, inside the entries folder
    (0 when it is not there, or the path leaves the folder)."""
    written = written.split("#", 1)[0].split("?", 1)[0]  # ep.mp3?v=2 is ep.mp3
    if "://" in written or written.startswith(("/", "\\")):
        return 0
    name = unquote(written)
    if "\0" in name:  # (no file has one; os refuses it)
        return 0
    folder = os.path.dirname(f.source.path)
    path = os.path.realpath(os.path.join(folder, name))
    root = os.path.realpath(f.config.entries_dir)
    if not path.startswith(root + os.sep) or not os.path.isfile(path):
        return 0
    return os.path.getsize(path)
