"""Tags, from every key a generator writes them under (make.make_entry calls
`tags_field`), and numbers written as text where text is meant."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

from feedpub.base.people import is_invisible, type_name
from feedpub.base.text import clean_text, plain_text

if TYPE_CHECKING:
    from feedpub.entries.fields import Fields


# The keys that give tags, in the order their tags come, and how each splits text:
# at commas; Jekyll's way for `categories` (at white space, as Jekyll splits
# "jekyll update"; at commas if it has any); not at all for one `category` (Pelican's
# and Jekyll's single category, which may hold spaces). Hugo's and Jekyll's
# `categories` and Hugo's `keywords` are lists as a rule. Then Zola's [taxonomies].
_TAG_KEYS = (("tags", ","), ("categories", "jekyll"), ("category", None), ("keywords", ","))


def tags_field(f: Fields) -> tuple[str, ...]:
    """Distinct non-empty tags, in their order, as plain text: those of `tags`, then
    `categories`, `category`, `keywords`, then every list in Zola's `taxonomies`
    table (taxonomies = { tags = [...], categories = [...] })."""
    value = f.meta.get("tags")
    jekyll = f.kind == "jekyll"  # Jekyll splits `tags: a b` at white space
    tags = _tags_of(f, "tags", "tags", value, "jekyll" if jekyll else ",") \
        if value is not None else []
    if jekyll:
        return _jekyll_tags(f, tags)
    if f.aliased:
        meta = f.meta
        for key, split in _TAG_KEYS[1:]:
            value = meta.get(key)
            if value is not None:
                tags += _tags_of(f, key, key, value, split)
        taxonomies = meta.get("taxonomies")
        if taxonomies is not None:
            tags += _taxonomy_tags(f, taxonomies)
    if f.kind == "pelican" and f.meta.get("category") is None:
        tags += _pelican_folder_category(f)
    return tuple(dict.fromkeys(t for t in tags if t)) if tags else ()


def _pelican_folder_category(f: Fields) -> list[str]:
    """A Pelican article without `Category:` is in its folder's category
    (USE_FOLDER_AS_CATEGORY), as its feeds list it."""
    site = f.config.site
    folder = f.source.rel.partition("/")[0] if "/" in f.source.rel else ""
    if folder and site.options.get("folder_category", True):
        return [folder]
    return []


def _jekyll_tags(f: Fields, tags: list[str]) -> tuple[str, ...]:
    """A Jekyll post's tags (`tags`, `tag`) and categories (`categories`, the folders
    above _posts, `category`), as jekyll-feed lists both."""
    from feedpub.entries.sites.jekyll import folder_categories

    meta = f.meta
    for key, split in (("tag", None), ("categories", "jekyll")):
        if meta.get(key) is not None:
            tags += _tags_of(f, key, key, meta[key], split)
    tags += folder_categories(f.source.rel, f.config)
    if meta.get("category") is not None:
        tags += _tags_of(f, "category", "category", meta["category"], None)
    return tuple(dict.fromkeys(t for t in tags if t))


def _tags_of(f: Fields, key: str, label: str, value: Any, split: str | None) -> list[str]:
    if isinstance(value, list):  # the usual list of text: each tag as it was last time
        known = [_PLAIN_TAGS.get(t) if isinstance(t, str) else None for t in value]
        if None not in known:
            return list(dict.fromkeys(known))  # type: ignore[arg-type]  # (no None)
    tags = [f.plain(key, t) for t in _tag_list(
        f, key, label, numbers_as_text(value, f.source.front_matter), split)]
    if isinstance(value, list) and len(_PLAIN_TAGS) < _PLAIN_TAGS_KEPT:
        for item in value:
            if isinstance(item, str) and item not in _PLAIN_TAGS:
                tag = _plain_tag(item)
                if tag is not None:
                    _PLAIN_TAGS[item] = tag
    return tags


# Tags as written in lists -> the tag each gives, for those that need no message (the
# same few hundred tags come back in thousands of entries: a lookup instead of cleaning,
# checking and interning each again). With base/people.remembered_people, reading
# bench/corpus.py's 10,000 entries in one process: 55.3 to 50.6 µs a file.
_PLAIN_TAGS: dict[str, str] = {}
_PLAIN_TAGS_KEPT = 100_000


def _plain_tag(item: str) -> str | None:
    """The tag a list item gives if `_tag_list` and `Fields.plain` would take it as it
    is, with no warning or error and not empty; else None."""
    cleaned, removed = clean_text(item)
    tag = " ".join(cleaned.split())
    if removed or not tag or is_invisible(tag) or plain_text(tag) is not tag:
        return None
    return sys.intern(tag)


def _taxonomy_tags(f: Fields, taxonomies: Any) -> list[str]:
    """Zola's taxonomies: every term of every one becomes a tag."""
    if not isinstance(taxonomies, dict):
        f.bad("taxonomies", f"taxonomies must be a table of lists, not "
              f"{type_name(taxonomies)}", "write taxonomies = { tags = [\"a\", \"b\"] }")
        return []
    tags: list[str] = []
    for name, value in taxonomies.items():
        if value is not None:
            tags += _tags_of(f, "taxonomies", f"taxonomies.{name}", value, ",")
    return tags


def _tag_list(f: Fields, key: str, label: str, value: Any,
              split: str | None) -> tuple[str, ...]:
    if isinstance(value, str):
        if split == ",":
            items: list[Any] = value.split(",")
        elif split == "jekyll":
            items = value.split("," if "," in value else None)
        else:
            items = [value]
    elif isinstance(value, list):
        items = value
    else:
        f.bad(key, f"{label} must be a list or {'comma-separated ' if split else ''}text, "
              f"not {type_name(value)}",
              f"write {label}: [news, world]" + (f" or {label}: news, world" if split else ""))
        return ()
    tags: dict[str, None] = {}
    for i, item in enumerate(items):
        if not isinstance(item, str):
            f.bad(key, f"{label}[{i}] is {type_name(item)}, not text", "put the tag in quotes")
            continue
        tag = " ".join(clean_text(item)[0].split())
        if tag and is_invisible(tag):
            f.bad(key, f"{label}[{i}] {tag!r} shows nothing: it has only invisible "
                  "characters", "remove it, or write the tag readers should see")
            continue
        if tag:
            # One string per distinct tag, however many entries carry it: at 100,000
            # entries, about 150 bytes saved per entry.
            tags[sys.intern(tag)] = None
    return tuple(tags)


def numbers_as_text(value: Any, front_matter: str) -> Any:
    """Numbers in a tag list or an author's name as the text they were written as:
    `tags: [2024, python]` gives "2024", as Jekyll and Hugo read it.

    Only a number whose text stands in the front matter as it is (2024, 1.5) becomes
    text; one the parser changed (010 read as 8, 3.10 as 3.1, 1:30 as 90) is left a
    number, for the "put it in quotes" error, rather than published changed.
    """
    if isinstance(value, list):
        return [numbers_as_text(item, front_matter) for item in value]
    if isinstance(value, dict) and "name" in value:
        return {**value, "name": numbers_as_text(value["name"], front_matter)}
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = str(value)
        if re.search(rf"(?<![\w.:+-]){re.escape(text)}(?![\w.:])", front_matter):
            return text
    return value
