"""An entry rendered: its Markdown as sanitised HTML with absolute URLs, and its
plain-text summary (see markdown.py, sanitise.py, absolute.py and summary.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from feedpub.entries.heading import without_leading_heading
from feedpub.entries.model import Entry
from feedpub.render.absolute import Seen
from feedpub.render.context import (
    PLAIN,
    RenderContext,
    internal_links,
    page_variables,
    ref_resolver,
)
from feedpub.render.foreign import strip_foreign
from feedpub.render.liquid import has_liquid, render_liquid
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
    # What rendering the site's template code (Jekyll's Liquid) reported, as (file
    # line or None, message).
    template_notes: tuple[tuple[int | None, str], ...] = ()
    # Other generators' template code taken out or replaced, as (kind, what) pairs:
    # ("shortcode", name), ("ref", path), ("mdx", what), ("ial", text) (see foreign/).
    removed: tuple[tuple[str, str], ...] = ()


def render_entry(entry: Entry, body: str | None = None,
                 context: RenderContext = PLAIN) -> RenderedEntry:
    """The entry's HTML and summary; `body` stands in when loading dropped the entry's.
    `context` tells the site's generator and the other entries' links."""
    body = body if body is not None else entry.body
    assert body is not None, "render_entry needs the body (see entries.loading.body_of)"
    line = entry.body_line
    if entry.heading_title:
        rest = without_leading_heading(body)
        line += body.count("\n", 0, len(body) - len(rest))
        body = rest
    template_notes: list[tuple[int | None, str]] = []
    if context.liquid is not None and has_liquid(body):
        body, messages = render_liquid(body, page_variables(entry, context),
                                       context.liquid, path=context.path_of(entry))
        template_notes += [_located(message, line) for message in messages]
    # Hugo's shortcodes on a Hugo site, and where no site was found (a content folder
    # copied on its own); kramdown's attribute lists on a Jekyll site; MDX anywhere.
    kind = context.kind
    body, removed = strip_foreign(
        body, shortcodes=kind in ("hugo", "plain"), kramdown=kind == "jekyll",
        resolve_ref=ref_resolver(context, entry) if kind == "hugo" else None)
    body, cut = fewer_quotes(body)
    raw, flattened = bounded(markdown_to_html(body))
    internal, markers = internal_links(context, entry)
    seen = Seen(internal=internal, markers=markers)
    html = sanitise_bounded(raw, entry.base, seen)
    summary, chosen = summary_of(entry, raw, html)
    return RenderedEntry(entry, html, summary, tuple(seen.relative_urls),
                         tuple(seen.images_without_alt), chosen, cut + flattened,
                         tuple(seen.unresolved), tuple(template_notes), tuple(removed))


def _located(message: str, body_line: int) -> tuple[int | None, str]:
    """A message of the template pass ("line 3: ...") with its line in the file."""
    found = _LINE.match(message)
    if found is None:
        return None, message
    return body_line + int(found[1]) - 1, message[found.end():]


_LINE = re.compile(r"line (\d+): ")
