"""The `Entry`: one post's front matter, validated and normalised (see `make.make_entry`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from feedpub.base.people import Person
from feedpub.entries.episode import Episode


@dataclass(frozen=True, slots=True)
class Entry:
    """One post, validated and normalised; the body is still Markdown."""

    source: str  # the file, as shown to the user
    title: str
    published: datetime
    updated: datetime
    authors: tuple[Person, ...]
    summary: str | None  # from the front matter; else derived when rendering
    tags: tuple[str, ...]
    id: str
    slug: str
    link: str
    base: str  # what relative URLs in the body resolve against
    draft: bool  # unpublished, however the front matter says it (publishing.draft_field)
    expires: datetime | None  # when it leaves the feed (Hugo's expiryDate)
    lang: str | None
    heading_title: bool  # the title is the body's leading heading, left out when rendered
    body_line: int  # the file line the body starts on (for messages about the body)
    body_start: int  # where the body starts in the file's text (-1: unknown): body_of
    enclosures: tuple[tuple[str, int, str], ...]  # (url, length, type): entries/media.py
    image: str | None  # the entry's picture, absolute
    episode: Episode | None  # with [podcast]: duration, number, season... (episode.py)
    body: str | None  # Markdown (<!--more--> ends the excerpt); None: not kept, see body_of
    path: str  # the file, as the operating system names it
    rel: str  # the file inside the entries folder
