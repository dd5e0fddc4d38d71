"""Entry cache rows are made from Entry's fields by type: a field added to Entry needs
no edit in the cache, and changes its format (issue 10)."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta, timezone

from feedpub.base.people import Person
from feedpub.config.load import load_config
from feedpub.entries.episode import Episode
from feedpub.entries.model import Entry
from feedpub.publish.cache import entries as entry_cache

from ..conftest import write_site


def rich_entry(config, rel: str = "2021/post.md") -> Entry:
    return Entry(
        source="entries/" + rel, title="Ünïcode & <title>",
        published=datetime(2021, 5, 13, 10, 0, tzinfo=timezone(timedelta(hours=2))),
        updated=datetime(2021, 6, 1, tzinfo=UTC),
        authors=(Person("Ann", "ann@example.org", None), Person("Bob", None, "https://b.example/"),
                 Person("Ann", "ann@example.org", None)),
        summary=None, tags=("a", "b c"), id="tag:example.org,2021-05-13:post", slug="post",
        link="https://elsewhere.example/post", base="https://example.org/blog/post/",
        draft=True, expires=datetime(2022, 1, 1, 9, tzinfo=timezone(timedelta(hours=-5))),
        lang="de-CH", heading_title=True, body_line=5, body_start=40,
        enclosures=(("https://example.org/a.mp3", 12, "audio/mpeg"),), image=None,
        episode=Episode(duration=3723, number=12, season=None, type="full", explicit=False),
        body=None,
        path=str(config.entries_dir / rel), rel=rel)


def test_a_row_gives_back_the_entry_it_was_made_from(tmp_path) -> None:
    config = load_config(write_site(tmp_path, {}))
    entry = rich_entry(config)
    rows = entry_cache._Rows(config, [])
    row = json.loads(json.dumps(rows.row(entry)))  # as the cache file holds it
    again = entry_cache._Rows(config, rows.people).entry(entry.rel, row)
    assert again == entry
    assert again.published.utcoffset() == timedelta(hours=2)
    assert len(rows.people) == 2  # each author once
    # what can be derived from the file is left out of the row
    assert entry.source not in row and entry.path not in row
    assert entry.base in row  # not derivable: the link is elsewhere


def test_a_new_entry_field_changes_the_cache_format() -> None:
    grown = dataclasses.make_dataclass(
        "Entry", [(f.name, f.type) for f in dataclasses.fields(Entry)] + [("season", "int")])
    retyped = dataclasses.make_dataclass(
        "Entry", [(f.name, "int" if f.name == "slug" else f.type)
                  for f in dataclasses.fields(Entry)])
    formats = {entry_cache.row_format(Entry), entry_cache.row_format(grown),
               entry_cache.row_format(retyped)}
    assert len(formats) == 3
    assert entry_cache.row_format(Entry) == entry_cache.ROW_FORMAT
