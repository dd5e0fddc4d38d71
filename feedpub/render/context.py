"""`RenderContext`: what rendering one entry needs to know about the others and the
site: the generator the entries come from, and each entry's link by its path in
the site's content folder (Zola's `@/blog/post.md` links, Hugo's ref, Jekyll's
post_url and link)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from feedpub.config.model import Config
from feedpub.entries.model import Entry
from feedpub.entries.sites import content_prefix


@dataclass(frozen=True, slots=True)
class RenderContext:
    kind: str = "plain"  # config.site.kind
    links: Mapping[str, str] = field(default_factory=dict)  # content path -> entry link
    digest: str = ""  # of `links`: what fragments made in this context depend on


PLAIN = RenderContext()


def render_context(config: Config, entries: Iterable[Entry]) -> RenderContext:
    """The context of a build over `entries` (every entry loaded, published or not)."""
    site = config.site
    if site.kind == "plain":
        return PLAIN
    prefix = content_prefix(config.entries_dir, site.content)
    links = {prefix + e.rel: e.link for e in entries}
    digest = hashlib.sha256("\0".join(f"{k}\0{v}" for k, v in sorted(links.items()))
                            .encode("utf-8", "surrogateescape")).hexdigest()
    return RenderContext(site.kind, links, digest)
