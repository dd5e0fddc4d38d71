"""The [feed] keys about the generator an entries folder comes from: `from` (which
settings to read, see config/site/) and `date_sources`; and the feed values the
site's settings give when feedpub.toml does not (feedpub.toml's win)."""

from __future__ import annotations

from feedpub.config.fields import Check
from feedpub.config.site import FROM_VALUES, Site, find_site

# Where an entry's date may come from besides a front matter key (entries/dates.py).
PATH_SOURCES = (":filename", ":folders", ":path")


def site_field(c: Check) -> Site:
    """feed.from, then the site's settings: found, read, and their feed values taken
    where feedpub.toml has none."""
    kind = c.text("from", default="auto") or "auto"
    if kind not in FROM_VALUES:
        c.bad("from", f"feed.from must be one of {', '.join(map(repr, FROM_VALUES))}, "
              f"not {kind!r}", '"auto" finds the settings of a Jekyll, Hugo, Zola or '
              "Pelican site above the entries folder")
        kind = "auto"
    entries = c.feed.get("entries")
    entries_dir = (c.path.parent / (entries if isinstance(entries, str) else "entries")).resolve()
    site, problems = find_site(kind, c.path.parent.resolve(), entries_dir)
    c.problems.extend(problems)
    c.site = site
    _take_feed_values(c, site)
    return site


def _take_feed_values(c: Check, site: Site) -> None:
    c.take_from_site("title", site.title)
    c.take_from_site("url", site.url, "url" if site.kind != "hugo" else "baseURL")
    c.take_from_site("description", site.description)
    if site.file is not None and "description" not in c.feed and "title" in c.feed:
        c.take_from_site("description", c.feed["title"], "title (it has no description)")
    c.take_from_site("language", site.language)
    c.take_from_site("timezone", site.timezone)
    c.take_from_site("author", site.author)


def date_sources_field(c: Check) -> tuple[str, ...] | None:
    """feed.date_sources: front matter keys and ":filename", ":folders", ":path", the
    first present giving the date (Hugo's [frontmatter] date); None: the default."""
    value = c.feed.get("date_sources")
    if value is None:
        return c.site.date_sources
    hint = 'for example date_sources = ["date", "publishDate", ":filename"]'
    if not isinstance(value, list) or not value or \
            not all(isinstance(v, str) and v.strip() for v in value):
        c.bad("date_sources", "feed.date_sources must be a list of names", hint)
        return None
    bad = [v for v in value if v.startswith(":") and v not in PATH_SOURCES]
    if bad:
        c.bad("date_sources", f"feed.date_sources has unknown source {bad[0]!r}",
              "sources: front matter keys, " + ", ".join(PATH_SOURCES))
        return None
    return tuple(v.strip() for v in value)
