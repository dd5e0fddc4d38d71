"""Which entries a build may publish, newest first, for the feeds to choose from."""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import datetime
from operator import itemgetter

from feedpub.config import Config
from feedpub.entries.model import Entry

_newest_first = itemgetter(0, 1)  # (-published, id)


def expired(entry: Entry, now: datetime) -> bool:
    """Whether the entry's expiry (Hugo's expiryDate) has come: it is left out from
    that moment on (`next_change` is then, for the build cache)."""
    return entry.expires is not None and entry.expires <= now


def next_change(entries: tuple[Entry, ...], now: datetime, drafts: bool,
                future: bool) -> datetime | None:
    """When the feeds change with nothing edited: a future entry falls due, or an
    entry expires (Hugo's expiryDate): the build cache's `next_change`."""
    due = [e.published for e in entries
           if e.published > now and (drafts or not e.draft)] if not future else []
    due += [e.expires for e in entries
            if e.expires is not None and e.expires > now and (drafts or not e.draft)]
    return min(due, default=None)


class Eligible:
    """The entries that are neither drafts nor dated in the future (unless `drafts` or
    `future` say otherwise) nor expired, ranked newest first, ties by id."""

    def __init__(self, entries: Sequence[Entry], *, now: datetime, drafts: bool = False,
                 future: bool = False) -> None:
        # Timestamps compare faster than aware datetimes and give the same order: every
        # time is a whole second between the years 1000 and 9999, exact in a float.
        cutoff = float("inf") if future else now.timestamp()
        self._ranked = [(-stamp, e.id, e) for e in entries
                        if (drafts or not e.draft) and (stamp := e.published.timestamp())
                        <= cutoff and (e.expires is None or not expired(e, now))]
        self._sorted = False

    def __len__(self) -> int:
        return len(self._ranked)

    def newest(self, limit: int) -> list[Entry]:
        """The newest `limit` of them (every one if `limit` is 0)."""
        if limit and not self._sorted and limit < len(self._ranked):
            return [e for _, _, e in heapq.nsmallest(limit, self._ranked, key=_newest_first)]
        return self.all()[:limit or None]

    def all(self) -> list[Entry]:
        """Every one of them, newest first."""
        if not self._sorted:
            self._ranked.sort(key=_newest_first)
            self._sorted = True
        return [e for _, _, e in self._ranked]


def select(entries: Sequence[Entry], config: Config, *, now: datetime, drafts: bool = False,
           future: bool = False) -> list[Entry]:
    """The entries the main feed publishes: newest first, ties by id, at most `limit`."""
    return Eligible(entries, now=now, drafts=drafts, future=future).newest(config.limit)
