"""The rules podcast directories (Apple Podcasts, Spotify, the Podcast Index) publish
for a feed they list, applied to the [podcast] config and the main feed's episodes.

What a directory refuses (no artwork, no category, no language, an episode without
its audio) is an error in `check` and a warning in `build`, which still writes the
feed; what it only asks for is a warning in both. Ids (GUIDs) that change are the
worst a podcast feed can do: `check --against` compares them with the published feed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from feedpub.base.problems import Problem, error, warning
from feedpub.config.model import Config
from feedpub.entries.model import Entry

PLAYABLE = ("audio/", "video/")  # what directories take as an episode's file


def podcast_problems(config: Config, episodes: Sequence[Entry], *,
                     strict: bool) -> list[Problem]:
    """`strict` (check): what directories refuse is an error, else a warning."""
    podcast = config.podcast
    if podcast is None:
        return []
    refused = error if strict else warning
    where = config.display(config.path)
    found: list[Problem] = []
    artwork = podcast.image or config.logo
    if artwork is None:
        found.append(refused("[podcast] has no artwork: directories list no show without "
                             "it", where, hint='add image = "/artwork.jpg" under [podcast] '
                             "(square, 1400 to 3000 pixels, JPEG or PNG)"))
    elif not artwork.lower().split("?")[0].endswith((".jpg", ".jpeg", ".png")):
        found.append(refused(f"podcast artwork {artwork} is not a JPEG or PNG file, the "
                             "only kinds directories take", where))
    if not podcast.categories:
        found.append(refused("[podcast] has no category: directories file every show "
                             "under one", where, hint='for example category = "Technology"'))
    if not config.language:
        found.append(refused("a podcast needs feed.language: directories list shows by "
                             "language", where, hint='for example language = "en"'))
    if podcast.explicit is None:
        found.append(warning("podcast.explicit is not set: written as false", where,
                             hint="say explicit = true or false under [podcast]"))
    if podcast.owner is None or not podcast.owner.email:
        found.append(warning("podcast.owner has no e-mail address: directories write to it "
                             "to confirm you own the show", where,
                             hint='owner = { name = "...", email = "..." } under [podcast]'))
    for entry in episodes:
        found.extend(_episode_problems(entry, podcast.type, refused))
    return found


def _episode_problems(entry: Entry, show_type: str,
                      refused: Callable[..., Problem]) -> list[Problem]:
    if not entry.enclosures:
        return [refused("this episode has no audio or video file: directories skip it",
                        entry.source, hint="add enclosure: episode.mp3 (or a URL)")]
    url, length, kind = entry.enclosures[0]
    found = []
    if not kind.startswith(PLAYABLE):
        found.append(warning(f"the episode's file {url} is {kind}, not audio or video: "
                             "directories may not play it", entry.source))
    if not length:
        found.append(warning(f"the episode's file {url} has no length: directories need "
                             "its size in bytes", entry.source,
                             hint="put the file beside the entry, or write enclosure: "
                                  "{url: ..., length: BYTES}"))
    if show_type == "serial" and (entry.episode is None or entry.episode.number is None):
        found.append(warning("a serial show's episode without a number: listeners are "
                             "meant to hear them in order", entry.source,
                             hint="add episode: N"))
    return found
