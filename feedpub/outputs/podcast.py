"""`[podcast]`: the iTunes tags that make the RSS feed a podcast directories list.

feedgen's podcast extension writes most of them. Two it gets wrong are written by
our channel and item extensions instead (tests/outputs/test_podcast.py pins both):
feedgen 1.0.0 takes only "yes", "no" and "clean" for `itunes:explicit`, where Apple
and the W3C validator take "true" and "false"; and it silently drops artwork whose
URL ends in ".jpeg". Atom and JSON Feed have no iTunes tags: JSON Feed gives an
episode's duration on its attachment (`duration_in_seconds`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from feedgen.ext.podcast import PodcastExtension
from feedgen.ext.podcast_entry import PodcastEntryExtension

from feedpub.outputs.channel import ITUNES_NS, Element

if TYPE_CHECKING:
    from feedgen.entry import FeedEntry
    from feedgen.feed import FeedGenerator

    from feedpub.config import Config
    from feedpub.entries.model import Entry


def channel_tags(fg: FeedGenerator, config: Config) -> list[Element]:
    """Sets the channel's iTunes tags on `fg`; returns those feedgen cannot write."""
    podcast = config.podcast
    assert podcast is not None
    fg.register_extension("podcast", PodcastExtension, PodcastEntryExtension,
                          atom=False, rss=True)
    if podcast.categories:
        fg.podcast.itunes_category([{"cat": cat, "sub": sub} if sub else {"cat": cat}
                                    for cat, sub in podcast.categories])
    author = podcast.author or (config.author.name if config.author else None)
    if author:
        fg.podcast.itunes_author(author)
    owner = podcast.owner
    if owner is not None and owner.email:  # (feedgen needs both; check says so)
        fg.podcast.itunes_owner(name=owner.name, email=owner.email)
    fg.podcast.itunes_type(podcast.type)
    if podcast.complete:
        fg.podcast.itunes_complete("yes")
    extra: list[Element] = [(f"{{{ITUNES_NS}}}explicit", {},
                             "true" if podcast.explicit else "false")]
    artwork = artwork_of(config)
    if artwork:
        extra.append((f"{{{ITUNES_NS}}}image", {"href": artwork}, None))
    return extra


def artwork_of(config: Config) -> str | None:
    """The show's artwork: podcast.image, else feed.logo."""
    return config.podcast.image if config.podcast and config.podcast.image else config.logo


def episode_tags(fe: FeedEntry, entry: Entry) -> list[Element]:
    """Sets an item's iTunes tags on `fe`; returns those feedgen cannot write."""
    fe.register_extension("podcast", PodcastEntryExtension, atom=False, rss=True)
    episode = entry.episode
    extra: list[Element] = []
    if episode is not None:
        if episode.duration is not None:
            fe.podcast.itunes_duration(str(episode.duration))
        if episode.season is not None:
            fe.podcast.itunes_season(episode.season)
        if episode.number is not None:
            fe.podcast.itunes_episode(episode.number)
        if episode.type is not None:
            fe.podcast.itunes_episode_type(episode.type)
        if episode.explicit is not None:
            extra.append((f"{{{ITUNES_NS}}}explicit", {},
                          "true" if episode.explicit else "false"))
    if entry.image and is_artwork(entry.image):
        extra.append((f"{{{ITUNES_NS}}}image", {"href": entry.image}, None))
    return extra


def is_artwork(url: str) -> bool:
    """Whether directories take the image as artwork: JPEG or PNG."""
    return url.lower().rpartition("?")[0 if "?" in url else 2].endswith(
        (".jpg", ".jpeg", ".png"))
