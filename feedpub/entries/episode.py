"""A podcast episode's own keys, read when the config has a [podcast] table:
`duration` (seconds, or H:MM:SS / M:SS), `episode` and `season` (numbers from 1),
`episode_type` (full, trailer or bonus; also `episodeType`) and `explicit` (true or
false). Elsewhere these keys are ignored: a recipe may well have a `duration`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from feedpub.base.people import type_name

if TYPE_CHECKING:
    from feedpub.entries.fields import Fields

KEYS = ("duration", "episode", "season", "episode_type", "episodeType", "explicit")
EPISODE_TYPES = ("full", "trailer", "bonus")
_CLOCK = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{2})$")


@dataclass(frozen=True, slots=True)
class Episode:
    """What an entry says about itself as an episode (each None when not said)."""

    duration: int | None = None  # seconds
    number: int | None = None
    season: int | None = None
    type: str | None = None  # full, trailer or bonus
    explicit: bool | None = None


def episode_field(f: Fields) -> Episode | None:
    if f.config.podcast is None or not any(key in f.meta for key in KEYS):
        return None
    kind = f.meta.get("episode_type", f.meta.get("episodeType"))
    if kind is not None and kind not in EPISODE_TYPES:
        f.bad("episode_type" if "episode_type" in f.meta else "episodeType",
              f"episode_type must be one of {', '.join(EPISODE_TYPES)}, not {kind!r}")
        kind = None
    explicit = f.meta.get("explicit")
    if explicit is not None and not isinstance(explicit, bool):
        f.bad("explicit", f"explicit must be true or false, not {explicit!r}")
        explicit = None
    return Episode(_duration(f), _number(f, "episode"), _number(f, "season"), kind, explicit)


def _duration(f: Fields) -> int | None:
    value: Any = f.meta.get("duration")
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value  # seconds (YAML reads 1:02:03 as 3723 already)
    match = _CLOCK.match(value.strip()) if isinstance(value, str) else None
    if match and int(match[3]) < 60 and (match[1] is None or int(match[2]) < 60):
        hours, minutes, seconds = (int(part or 0) for part in match.groups())
        return hours * 3600 + minutes * 60 + seconds
    f.bad("duration", f"duration must be seconds or H:MM:SS, not {value!r}",
          'for example duration: "1:02:03" (an hour, two minutes, three seconds) or 3723')
    return None


def _number(f: Fields, key: str) -> int | None:
    value = f.meta.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        f.bad(key, f"{key} must be a whole number from 1, not {type_name(value)} "
              f"{value!r}" if not isinstance(value, int) else
              f"{key} must be a whole number from 1, not {value!r}")
        return None
    return value
