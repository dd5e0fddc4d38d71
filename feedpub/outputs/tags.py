"""Tag feeds (`[feed] tag_feeds = true`): one complete feed per tag, in every format,
at `tags/SLUG/` under the output folder and feed.url, titled "Site: Tag", with its
own self link and id (its home is `url + "tags/SLUG/"`, where Hugo and most themes
put a tag's page).

Slugs are ASCII, lower case and safe in a path: letters and digits transliterated
(`Café` -> `cafe`, `漢字` -> `han-zi`), every other run one "-". Tags whose slugs are
alike share one feed, named after the first in sort order, with a warning. A tag
with no letter or digit at all gets `tag-` and a short hash of its text.
"""

from __future__ import annotations

import hashlib
import unicodedata
from typing import TYPE_CHECKING

from feedpub.entries.sites.slugs import ascii_slug
from feedpub.outputs.registry import Choosing, Feed

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.entries.model import Entry

def tag_slug(tag: str) -> str:
    """The tag's folder name: ASCII letters, digits and single hyphens."""
    slug = ascii_slug(unicodedata.normalize("NFKC", tag))[:80].strip("-")
    return slug or "tag-" + hashlib.sha256(tag.encode("utf-8")).hexdigest()[:8]


def tag_feeds(config: Config, eligible: Choosing) -> list[Feed]:
    """A feed per tag of the entries a build may publish, by slug."""
    by_slug: dict[str, dict[str, list[Entry]]] = {}
    for entry in eligible.all():  # newest first: each tag's list is too
        for tag in entry.tags:
            by_slug.setdefault(tag_slug(tag), {}).setdefault(tag, []).append(entry)
    return [_feed(config, slug, tags) for slug, tags in sorted(by_slug.items())]


def _feed(config: Config, slug: str, tags: dict[str, list[Entry]]) -> Feed:
    names = sorted(tags)
    if len(names) == 1:
        entries, notes = tags[names[0]], ()
    else:
        seen = {e.rel for entry_list in tags.values() for e in entry_list}
        entries = [e for e in _merged(tags) if e.rel in seen]
        notes = (f"tags {', '.join(map(repr, names))} have the same feed folder "
                 f"tags/{slug}/: their entries share one feed, titled {names[0]!r}",)
    limited = entries[:config.limit] if config.limit else entries
    return Feed(f"tags/{slug}/", f"{config.title}: {names[0]}", f"{config.url}tags/{slug}/",
                tuple(limited), notes)


def _merged(tags: dict[str, list[Entry]]) -> list[Entry]:
    """The entries of several tags, each once, newest first (ties by id)."""
    unique = {e.rel: e for entry_list in tags.values() for e in entry_list}
    return sorted(unique.values(), key=lambda e: (-e.published.timestamp(), e.id))
