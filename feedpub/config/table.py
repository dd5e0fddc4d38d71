"""`FIELDS`: feedpub.toml's [feed] keys in the order `load.validate_config` checks them
(and problems are reported), each with Config's attribute and the function that
checks and makes it (config/fields.py, config/site_fields.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from feedpub.base.problems import did_you_mean
from feedpub.config.channel_fields import (
    archive_field,
    copyright_field,
    full_content_field,
    hubs_field,
    icon_field,
    languages_field,
    logo_field,
    pages_field,
    tag_feeds_field,
)
from feedpub.config.fields import (
    Check,
    author_field,
    content_field,
    description_field,
    entries_field,
    formats_field,
    language_field,
    limit_field,
    max_entry_size_field,
    output_field,
    permalink_field,
    timezone_field,
    title_field,
    url_field,
)
from feedpub.config.podcast import podcast_field
from feedpub.config.site_fields import date_sources_field, site_field

# (key under [feed], Config's attribute, the function that checks and makes it), in
# the order of Config's fields and of the problems reported.
FIELDS: tuple[tuple[str, str, Callable[[Check], Any]], ...] = (
    ("from", "site", site_field),  # first: the site's settings fill keys the file lacks
    ("title", "title", title_field),
    ("description", "description", description_field),
    ("url", "url", url_field),
    ("language", "language", language_field),
    ("author", "author", author_field),
    ("limit", "limit", limit_field),
    ("timezone", "timezone", timezone_field),
    ("content", "content", content_field),
    ("entries", "entries_dir", entries_field),
    ("output", "output_dir", output_field),  # after entries: it is checked against it
    ("permalink", "permalink", permalink_field),
    ("max_entry_size", "max_entry_size", max_entry_size_field),
    ("date_sources", "date_sources", date_sources_field),
    ("formats", "formats", formats_field),
    ("icon", "icon", icon_field),  # after url: a path is taken relative to it
    ("logo", "logo", logo_field),
    ("copyright", "copyright", copyright_field),
    ("tag_feeds", "tag_feeds", tag_feeds_field),
    ("languages", "languages", languages_field),
    ("full_content", "full_content", full_content_field),  # after content
    ("[websub]", "hubs", hubs_field),  # a table of its own, not a [feed] key
    ("[archive]", "archive_page_size", archive_field),
    ("[podcast]", "podcast", podcast_field),
    ("[site]", "pages", pages_field),
)
KNOWN_KEYS = tuple(key for key, _, _ in FIELDS if not key.startswith("["))


def unknown_keys(c: Check) -> None:
    for key in c.feed:
        if key not in KNOWN_KEYS:
            guess = did_you_mean(key, KNOWN_KEYS)
            c.bad(key, f"unknown key feed.{key}", f"did you mean {guess!r}?" if guess
                  else "known keys: " + ", ".join(KNOWN_KEYS))
