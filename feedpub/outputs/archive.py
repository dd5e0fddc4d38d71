"""RFC 5005 archived feeds (`[archive] enabled = true`): the whole history in fixed
pages that never change, so that a reader can have every entry while the main feed
stays small.

Entries are cut into pages of `page_size` from the oldest: `archive/1/` holds the
oldest `page_size`, `archive/2/` the next, and so on (in every format:
`archive/N/rss.xml`, `atom.xml`, `feed.json`). The main feed is the subscription
document: the newest `limit` entries, and at least every entry not yet on a full
page, with a `prev-archive` link to the newest full page. Each full page is marked
`fh:archive` and links to the page before it (`prev-archive`), the page after it
(`next-archive`) and the main feed (`current`); JSON Feed, which has no archive of its
own, links each document to the next older one (`next_url`).

A reader walking back from the main feed sees only full pages, which never change
(section 4: it may stop at a page it has seen), and the main feed holds everything
newer. The entries after the last full page are also written as the open page,
even when there are none: so a full page has its `next-archive` link from the
start, and its bytes stay the same whatever is added after it (an entry dated within
or before it, edited or removed, changes it, as it must). The open page changes as
entries come; all it holds is in the main feed too. A main feed that holds every
entry is complete (`fh:complete`, section 2) and has no pages.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from feedpub.outputs.registry import Choosing, Feed

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.entries.model import Entry

FOLDER = "archive/"


def page_folder(number: int) -> str:
    return f"{FOLDER}{number}/"


def page_count(total: int, page_size: int) -> int:
    """The pages of `total` entries: the full ones and the open one after them."""
    return total // page_size + 1


def subscription(config: Config, eligible: Choosing, feed: Feed) -> Feed:
    """The main feed: complete, or every entry not yet on a full page (at least the
    newest `limit`) and a link to the newest full page."""
    total, size = len(eligible), config.archive_page_size
    full = total // size
    if config.limit and total - full * size > len(feed.entries):  # the open page's
        feed = replace(feed, entries=tuple(eligible.newest(total - full * size)))
    if len(feed.entries) == total:
        return replace(feed, history="complete")
    return replace(feed, related=(("prev-archive", page_folder(full)),))


def archive_pages(config: Config, eligible: Choosing) -> list[Feed]:
    """Every full page and the open one, oldest first; none when the main feed is
    complete (every entry fits in it, or no page is full yet)."""
    size = config.archive_page_size
    total = len(eligible)
    if not config.limit or total <= config.limit or total < size:
        return []
    oldest_first = eligible.all()[::-1]
    count = page_count(total, size)
    pages = [_page(config, number, count, oldest_first[(number - 1) * size:number * size])
             for number in range(1, count + 1)]
    # The open page, when empty, is dated as the newest entry it follows (not 1970)
    pages[-1] = replace(pages[-1], empty_updated=max(e.updated for e in oldest_first))
    return pages


def _page(config: Config, number: int, count: int, entries: list[Entry]) -> Feed:
    related = [("current", "")]
    if number > 1:
        related.append(("prev-archive", page_folder(number - 1)))
    if number < count:
        related.append(("next-archive", page_folder(number + 1)))
    return Feed(page_folder(number), f"{config.title} (archive, page {number})", config.url,
                tuple(reversed(entries)), history="archive", related=tuple(related))
