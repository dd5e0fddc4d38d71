"""An entry rendered: its Markdown as sanitised HTML with absolute URLs, and its
plain-text summary (see markdown.py, sanitise.py, absolute.py and summary.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from feedpub.entries.heading import without_leading_heading
from feedpub.entries.model import Entry
from feedpub.render.absolute import Seen
from feedpub.render.context import PLAIN, RenderContext
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
    unresolved: tuple[str, ...] = ()  # links to other entries not found (Zola's @/)


def render_entry(entry: Entry, body: str | None = None,
                 context: RenderContext = PLAIN) -> RenderedEntry:
    """The entry's HTML and summary; `body` stands in when loading dropped the entry's.
    `context` tells the site's generator and the other entries' links."""
    body = body if body is not None else entry.body
    assert body is not None, "render_entry needs the body (see entries.loading.body_of)"
    if entry.heading_title:
        body = without_leading_heading(body)
    body, cut = fewer_quotes(body)
    raw, flattened = bounded(markdown_to_html(body))
    seen = Seen(internal=context.links if context.kind == "zola" else None)
    html = sanitise_bounded(raw, entry.base, seen)
    summary, chosen = summary_of(entry, raw, html)
    return RenderedEntry(entry, html, summary, tuple(seen.relative_urls),
                         tuple(seen.images_without_alt), chosen, cut + flattened,
                         tuple(seen.unresolved))
