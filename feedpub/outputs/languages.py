"""Language feeds (`[feed] languages = "split"`): one feed set per language, at
`LANG/` (the BCP 47 tag in lower case: `pt-br/`) under the output folder and
feed.url, with that language as the feed's (RSS `language`, Atom `xml:lang`, JSON
Feed `language`). An entry without `lang` is in the feed's language (feed.language);
the main feed keeps every entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedpub.outputs.registry import Choosing, Feed

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.entries.model import Entry


def language_feeds(config: Config, eligible: Choosing) -> list[Feed]:
    """A feed per language of the entries a build may publish."""
    by_language: dict[str, tuple[str, list[Entry]]] = {}
    for entry in eligible.all():  # newest first: each language's list is too
        tag = entry.lang or config.language
        if tag:
            by_language.setdefault(tag.lower(), (tag, []))[1].append(entry)
    feeds = []
    for folder, (tag, entries) in sorted(by_language.items()):
        limited = entries[:config.limit] if config.limit else entries
        feeds.append(Feed(f"{folder}/", f"{config.title} ({tag})", f"{config.url}{folder}/",
                          tuple(limited), language=tag))
    return feeds
