"""The files an entry's page links to beside it ([site] pages): `map.png` next to a
post, the images of a page bundle (post/index.md with post/photo.jpg). Each relative
link or image source in the body that names a file (it has an extension, and is no
page, Markdown or hidden file) is looked for relative to the entry's file, as the author's
editor shows it, and copied to where the rendered link points, under the output
folder. Neither end may leave its folder.
"""

from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from feedpub.base.urls import path_under, reference_path
from feedpub.config.model import Config
from feedpub.content.files import MARKDOWN_EXTENSIONS
from feedpub.render.entry import RenderedEntry

# A link to one of these is to a page (or an entry's source), never a file to copy.
PAGE_SUFFIXES = (".html", ".htm", *(f".{e}" for e in MARKDOWN_EXTENSIONS))


@dataclass(frozen=True, slots=True)
class Asset:
    """A file the entry's page links to: where it is (under the entries folder), where
    it goes (under the output folder), and the link as written."""

    source: str  # ("" for a page link that would leave the entries folder)
    target: str
    written: str
    # A link written as to a page of the site (`../other-post/`, `../release-1.2`,
    # `LICENSE`): a file only if there is one at `source`, else an entry's page
    page: bool = False

    def row(self) -> list[str | bool]:
        return [self.source, self.target, self.written, self.page]


def asset_of(row: object) -> Asset | None:
    """An Asset from its row (as `row` makes it; None if it is no such row)."""
    if not isinstance(row, list | tuple) or len(row) not in (3, 4):
        return None
    return Asset(str(row[0]), str(row[1]), str(row[2]), len(row) == 4 and bool(row[3]))


def entry_assets(config: Config, item: RenderedEntry) -> list[Asset]:
    """Each file the entry's body links to relatively, once, in the order written;
    and each page of the site it so links to (`page`: whether the build makes it is
    for the caller to say)."""
    folder = posixpath.dirname(item.entry.rel)
    found: dict[str, Asset] = {}
    for written, resolved in item.relative_urls:
        asset = _asset(config, folder, written, resolved)
        if asset is not None:
            found.setdefault(asset.target, asset)
    return list(found.values())


def _asset(config: Config, folder: str, written: str,
           resolved: str) -> Asset | None:
    if written.startswith(("/", "\\")) or not resolved.startswith(config.url):
        return None  # from the host's root, or off the site: not a file beside it
    path = unquote(reference_path(written))
    if not path or ((path.startswith(".") or "/." in path) and any(
            part.startswith(".") and part not in (".", "..") for part in path.split("/"))):
        return None  # (a fragment or query of this page; a hidden file: not to copy)
    under = path_under(resolved, config.url)
    if under is None:  # (a config made in code, without feed.url's trailing "/")
        site, linked = _site_path(config.url), unquote(urlsplit(resolved).path)
        target = _inside(linked[len(site):]) if linked.startswith(site) else None
    else:
        target = _inside(unquote(under))
    if target is None:
        return None  # (the site's front page, or outside the site)
    name = path.rpartition("/")[2]
    source = _inside(posixpath.join(folder, path))
    if not name or "." not in name.strip(".") or name.lower().endswith((".html", ".htm")):
        return Asset(source or "", target, written, page=True)  # `../other/`, `LICENSE`
    if name.lower().endswith(PAGE_SUFFIXES):
        return None  # another entry's Markdown (notes/ says so)
    return Asset(source, target, written) if source is not None else None


@lru_cache(maxsize=4)
def _site_path(url: str) -> str:
    return unquote(urlsplit(url).path)


def _inside(path: str) -> str | None:
    """`path` made plain (no "." or ".." parts), if it stays inside its folder."""
    if "\\" in path or "\0" in path:
        return None
    plain = os.path.normpath(path).replace(os.sep, "/")
    if plain in (".", "") or plain.startswith(("../", "/")) or plain == "..":
        return None
    return plain


def source_file(config: Config, asset: Asset) -> Path | None:
    """The asset's file, if it is a regular file inside the entries folder (a link
    inside the folder that leads out of it is not followed)."""
    path = os.path.join(config.entries_dir, asset.source)
    try:
        if not os.path.isfile(path):  # (most often: not there; no need to resolve it)
            return None
        real = os.path.realpath(path, strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not Path(real).is_relative_to(_real(config.entries_dir)):
        return None
    return Path(path)


@lru_cache(maxsize=4)
def _real(folder: Path) -> Path:
    return folder.resolve()
