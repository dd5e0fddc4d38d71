"""An entry rendered: its Markdown as sanitised HTML with absolute URLs, and its
plain-text summary (see markdown.py, sanitise.py, absolute.py and summary.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from feedpub.entries.model import Entry
from feedpub.render.absolute import Seen
from feedpub.render.foreign import strip_foreign
from feedpub.render.markdown import markdown_to_html
from feedpub.render.sanitise import bounded, fewer_quotes, sanitise_bounded
from feedpub.render.summary import summary_of


@dataclass(frozen=True, slots=True)
class RenderedEntry:
    entry: Entry
    html: str  # sanitised, every URL absolute
    summary: str  # plain text
    # What a reader might notice, for notes.py to judge: each relative link or image
    # source as written and as resolved, and the images that have no alt text.
    relative_urls: tuple[tuple[str, str], ...] = ()
    images_without_alt: tuple[str, ...] = ()
    summary_chosen: bool = True  # written by the author (front matter or <!--more-->)
    flattened: int = 0  # elements unwrapped, being nested too deep (see `bounded`)
    # Other generators' template code taken out or replaced, as (kind, what) pairs:
    # ("shortcode", name), ("ref", path), ("mdx", what), ("ial", text) (see foreign.py).
    removed: tuple[tuple[str, str], ...] = ()


def render_entry(entry: Entry, body: str | None = None) -> RenderedEntry:
    """The entry's HTML and summary; `body` stands in when loading dropped the entry's."""
    body = body if body is not None else entry.body
    assert body is not None, "render_entry needs the body (see entries.loading.body_of)"
    body, removed = strip_foreign(body)
    body, cut = fewer_quotes(body)
    raw, flattened = bounded(markdown_to_html(body))
    seen = Seen()
    html = sanitise_bounded(raw, entry.base, seen)
    summary, chosen = summary_of(entry, raw, html)
    return RenderedEntry(entry, html, summary, tuple(seen.relative_urls),
                         tuple(seen.images_without_alt), chosen, cut + flattened,
                         tuple(removed))
