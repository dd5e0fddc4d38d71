"""Whether an entry is published: each generator's way of saying it is not (a draft,
Jekyll's `published: false`, Pelican's statuses, Hugo's build options)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from feedpub.base.people import type_name

if TYPE_CHECKING:
    from feedpub.entries.fields import Fields


# Pelican's statuses, and WordPress's as jekyll-import writes them (next to
# `published`), in lower case: which keep an entry out of the feed, which do not.
_UNPUBLISHED = frozenset({"draft", "hidden", "skip", "private", "pending", "trash",
                          "auto-draft"})
_PUBLISHED = frozenset({"published", "publish", "future"})
_HUGO_BUILD_KEYS = ("build", "_build")  # _build: Hugo's older name
_HUGO_LIST = {"always": False, "local": False, "never": True}  # list: never leaves it out


def draft_field(f: Fields) -> bool:
    """Whether the entry stays out of the feed (build --drafts puts it in), as each
    generator says so; any one of them is enough:

    - `draft: true` (feedpub's, Hugo's, Zola's, Eleventy's);
    - `published: false` (Jekyll's: the post is not built without --unpublished;
      `published: true` changes nothing, and a date there is Hugo's publish date);
    - `status: draft`, `hidden` or `skip` (Pelican's statuses, in any letter case;
      `published` is the default), and WordPress's `private`, `pending`, `trash` or
      `auto-draft` (jekyll-import writes them); another status is an error, as
      Pelican skips such a file with an error;
    - `build: {list: never}` (or `_build`, or `list: false`): Hugo lists the page
      nowhere, its feeds included (`always` and `local` change nothing here);
      `headless: true`: Hugo publishes the bundle nowhere.
    """
    meta = f.meta
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        f.bad("draft", f"draft must be true or false, not {type_name(draft)}",
              "write draft: true or draft: false, without quotes")
        draft = False
    if not f.aliased:
        return draft
    published = meta.get("published")
    if published is False:
        draft = True
    elif isinstance(published, str) and published.strip().lower() in ("false", "no", "off"):
        f.warn("published", f"published is the text {published!r}, which Jekyll takes "
               "as published: the entry is in the feed", "write published: false, without "
               "quotes, to leave it out")
    if meta.get("headless") is True:  # Hugo's headless bundle: never published
        draft = True
    if meta.get("status") is not None and _status_unpublished(f):
        draft = True
    for key in _HUGO_BUILD_KEYS:
        options = meta.get(key)
        # (only a mapping is Hugo's build options; anything else is the site's own)
        if isinstance(options, dict) and _never_listed(f, key, options):
            draft = True
    return draft


def _status_unpublished(f: Fields) -> bool:
    status = f.text("status")
    if status is None:  # not text: reported
        return False
    status = status.lower()
    if status in _UNPUBLISHED:
        return True
    if status not in _PUBLISHED:
        f.bad("status", f"status {status!r} is not published, draft or hidden",
              "write status: published, or status: draft to leave the entry out")
    return False


def _never_listed(f: Fields, key: str, options: dict[Any, Any]) -> bool:
    listed = options.get("list")
    if listed is None:
        return False
    if isinstance(listed, bool):  # Hugo's older form: false is never, true always
        return not listed
    found = _HUGO_LIST.get(listed.lower()) if isinstance(listed, str) else None
    if found is None:
        f.bad(key, f"{key}.list must be always, local or never, not {listed!r}",
              f"write {key}: {{list: never}} to leave the entry out of lists and feeds")
        return False
    return found
