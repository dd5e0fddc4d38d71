"""`[podcast]`: what makes the RSS feed a podcast that directories (Apple Podcasts,
Spotify, the Podcast Index) list: categories from Apple's list, the explicit flag,
the owner, the artwork, the show's type and author. Each key is checked here; the
rules about the episodes themselves are `notes.podcast_problems`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from feedpub.base.people import Person, PersonError, parse_person, type_name
from feedpub.base.problems import did_you_mean
from feedpub.config.channel_fields import resolved_image
from feedpub.config.fields import Check

KEYS = ("category", "explicit", "owner", "image", "type", "author", "complete")
HINT = ('for example:\n\n[podcast]\ncategory = "Society & Culture > Documentary"\n'
        'explicit = false\nowner = { name = "Jane Doe", email = "jane@example.org" }\n'
        'image = "/artwork.jpg"')


@dataclass(frozen=True, slots=True)
class Podcast:
    """The [podcast] table, checked."""

    categories: tuple[tuple[str, str | None], ...]  # (category, subcategory)
    explicit: bool | None  # None: not said (written as false; check warns)
    owner: Person | None
    image: str | None  # absolute URL of the artwork
    type: str = "episodic"  # or "serial"
    author: str | None = None  # the show's author (else feed.author's name)
    complete: bool = False  # no more episodes will come


def podcast_field(c: Check) -> Podcast | None:
    table = c.tables.get("podcast")
    if table is None:
        return None
    if not isinstance(table, dict):
        c.bad("podcast", "[podcast] must be a table", HINT)
        return None
    for key in table:
        if key not in KEYS:
            guess = did_you_mean(str(key), KEYS)
            c.bad(str(key), f"unknown key podcast.{key}",
                  f"did you mean {guess!r}?" if guess else "known keys: " + ", ".join(KEYS))
    return Podcast(_categories(c, table.get("category")),
                   _flag(c, table, "explicit", None), _owner(c, table.get("owner")),
                   _image(c, table.get("image")), _type(c, table.get("type", "episodic")),
                   _text(c, table, "author"), bool(_flag(c, table, "complete", False)))


def _categories(c: Check, value: Any) -> tuple[tuple[str, str | None], ...]:
    if value is None:
        return ()
    names = value if isinstance(value, list) else [value]
    found = []
    for name in names:
        if not isinstance(name, str):
            c.bad("category", f"podcast.category must be text or a list of text, not "
                  f"{type_name(name)}", HINT)
            return ()
        top, _, sub = (part.strip() for part in name.partition(">"))
        category = _known(top, CATEGORIES)
        if category is None or (sub and _known(sub, CATEGORIES[category]) is None):
            wrong = top if category is None else sub
            guess = did_you_mean(wrong, CATEGORIES if category is None
                                 else CATEGORIES[category])
            c.bad("category", f"podcast.category {name!r}: {wrong!r} is not one of Apple "
                  "Podcasts' categories" + (f"; did you mean {guess!r}?" if guess else ""),
                  'write "Category" or "Category > Subcategory" from Apple\'s list: '
                  + ", ".join(CATEGORIES))
            return ()
        found.append((category, _known(sub, CATEGORIES[category]) if sub else None))
    return tuple(dict.fromkeys(found))


def _known(name: str, names: Any) -> str | None:
    """`name` as Apple spells it, whatever its case and its "and" or "&"."""
    wanted = name.casefold().replace(" and ", " & ")
    return next((n for n in names if n.casefold() == wanted), None)


def _flag(c: Check, table: dict[str, Any], key: str, default: bool | None) -> bool | None:
    value = table.get(key, default)
    if value is not None and not isinstance(value, bool):
        c.bad(key, f"podcast.{key} must be true or false, not {value!r}",
              "directories take only true or false" if key == "explicit" else None)
        return default
    return value


def _owner(c: Check, value: Any) -> Person | None:
    if value is None:
        return None
    try:
        return parse_person(value, "podcast.owner")
    except PersonError as exc:
        c.bad("owner", str(exc), 'for example owner = { name = "Jane Doe", email = '
              '"jane@example.org" }')
        return None


def _image(c: Check, value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        c.bad("image", f"podcast.image must be the URL of the artwork, not {value!r}", HINT)
        return None
    return resolved_image(c, "image", value.strip(), "podcast.image")


def _type(c: Check, value: Any) -> str:
    if value not in ("episodic", "serial"):
        c.bad("type", f'podcast.type must be "episodic" or "serial", not {value!r}',
              '"serial": episodes meant to be heard in order, oldest first')
        return "episodic"
    return value


def _text(c: Check, table: dict[str, Any], key: str) -> str | None:
    value = table.get(key)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        c.bad(key, f"podcast.{key} must be text, not {value!r}")
        return None
    return value.strip() if value else None


# Apple Podcasts' categories and subcategories (the list directories take).
CATEGORIES: dict[str, tuple[str, ...]] = {
    "Arts": ("Books", "Design", "Fashion & Beauty", "Food", "Performing Arts",
             "Visual Arts"),
    "Business": ("Careers", "Entrepreneurship", "Investing", "Management", "Marketing",
                 "Non-Profit"),
    "Comedy": ("Comedy Interviews", "Improv", "Stand-Up"),
    "Education": ("Courses", "How To", "Language Learning", "Self-Improvement"),
    "Fiction": ("Comedy Fiction", "Drama", "Science Fiction"),
    "Government": (),
    "History": (),
    "Health & Fitness": ("Alternative Health", "Fitness", "Medicine", "Mental Health",
                         "Nutrition", "Sexuality"),
    "Kids & Family": ("Education for Kids", "Parenting", "Pets & Animals",
                      "Stories for Kids"),
    "Leisure": ("Animation & Manga", "Automotive", "Aviation", "Crafts", "Games", "Hobbies",
                "Home & Garden", "Video Games"),
    "Music": ("Music Commentary", "Music History", "Music Interviews"),
    "News": ("Business News", "Daily News", "Entertainment News", "News Commentary",
             "Politics", "Sports News", "Tech News"),
    "Religion & Spirituality": ("Buddhism", "Christianity", "Hinduism", "Islam", "Judaism",
                                "Spirituality"),
    "Science": ("Astronomy", "Chemistry", "Earth Sciences", "Life Sciences", "Mathematics",
                "Natural Sciences", "Nature", "Physics", "Social Sciences"),
    "Society & Culture": ("Documentary", "Personal Journals", "Philosophy",
                          "Places & Travel", "Relationships"),
    "Sports": ("Baseball", "Basketball", "Cricket", "Fantasy Sports", "Football", "Golf",
               "Hockey", "Rugby", "Running", "Soccer", "Swimming", "Tennis", "Volleyball",
               "Wilderness", "Wrestling"),
    "Technology": (),
    "True Crime": (),
    "TV & Film": ("After Shows", "Film History", "Film Interviews", "Film Reviews",
                  "TV Reviews"),
}
