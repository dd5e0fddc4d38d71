"""Entries: one file's front matter validated and normalised into an immutable `Entry`.

Each key has its function in `fields`; links and ids are made in `links`.
"""

from __future__ import annotations

from feedpub.base.problems import Problem
from feedpub.config.model import Config
from feedpub.content.source import Source
from feedpub.entries.episode import episode_field
from feedpub.entries.fields import (
    Fields,
    author_field,
    date_field,
    expires_field,
    id_field,
    lang_field,
    link_field,
    slug_field,
    summary_field,
    title_field,
    unknown_keys,
    updated_field,
)
from feedpub.entries.links import page_base
from feedpub.entries.media import enclosures_field, image_field
from feedpub.entries.model import Entry
from feedpub.entries.publishing import draft_field
from feedpub.entries.tags import tags_field
from feedpub.entries.yaml_comments import comment_cuts

__all__ = ["make_entry"]


def make_entry(source: Source, config: Config, *, with_body: bool = True,
               ) -> tuple[Entry | None, list[Problem]]:
    """Validate one source's front matter. Returns (entry or None, problems).

    Without `with_body` the entry's body is None (see `loading.body_of`).
    """
    f = Fields(source, config)
    unknown_keys(f)
    if source.reader == "YAML" and "#" in source.front_matter:  # YAML's comments only
        f.problems.extend(comment_cuts(source))
    name = source.rel.rpartition("/")[2]
    title = title_field(f)
    published = date_field(f, name)
    updated = updated_field(f, published)
    authors = author_field(f)
    summary = summary_field(f)
    tags = tags_field(f)
    draft = draft_field(f)
    expires = expires_field(f)
    lang = lang_field(f)
    slug = slug_field(f)
    link = link_field(f, name, published, slug, title)
    entry_id = id_field(f, published, slug)

    base = page_base(config.url, link, slug) if link and slug else config.url
    enclosures = enclosures_field(f, base) if f.aliased else ()
    image = image_field(f, base) if f.aliased else None
    episode = episode_field(f) if f.aliased else None

    problems = f.problems
    if problems and any(p.severity == "error" for p in problems):
        return None, problems
    assert title and published and updated and slug and link and entry_id
    return Entry(source=source.display, title=title, published=published, updated=updated,
                 authors=authors, summary=summary, tags=tags, id=entry_id, slug=slug,
                 link=link, base=base, draft=draft,
                 expires=expires, lang=lang, heading_title=f.heading_title,
                 body_line=source.body_line, body_start=source.body_start,
                 enclosures=enclosures, image=image, episode=episode,
                 body=source.body if with_body else None,
                 path=source.path, rel=source.rel), problems
