"""The entry field functions one by one, for what the end-to-end tests do not reach."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from feedpub.config.load import load_config
from feedpub.content.source import read_source
from feedpub.entries.fields import Fields, link_field, slug_field
from feedpub.entries.links import SlugError, parse_slug
from feedpub.entries.make import make_entry
from feedpub.entries.yaml_comments import comment_cuts

from ..conftest import write_site


def fields_of(tmp_path: Path, front_matter: str, name: str = "a.md") -> Fields:
    config = load_config(write_site(tmp_path, {name: f"---\n{front_matter}\n---\nBody\n"}))
    source = read_source(config.entries_dir / name, config.entries_dir, f"entries/{name}")
    return Fields(source, config)


@pytest.mark.parametrize(("value", "rel", "slug"), [
    (None, "news/2021-05-13-truce.md", "news/2021-05-13-truce"),
    (None, "README", "README"),  # no extension to drop
    (2024, "a.md", "2024"),  # a number as it was written
    (" /custom/path/ ", "a.md", "custom/path"),  # outer white space and slashes go
    ("über uns", "a.md", "über uns"),  # quoted in links, not here
])
def test_parse_slug(value, rel: str, slug: str) -> None:
    assert parse_slug(value, rel) == slug


@pytest.mark.parametrize(("value", "message", "hint"), [
    ("", "slug must be non-empty text, not text", None),
    (" / ", "slug ' / ' may not contain empty, '.' or '..' parts or backslashes",
     "use letters, digits, '-' and '/' only"),
    (True, "slug must be non-empty text, not a yes/no value (true)", None),
    (["a"], "slug must be non-empty text, not a list", None),
    ("a//b", "slug 'a//b' may not contain empty, '.' or '..' parts or backslashes",
     "use letters, digits, '-' and '/' only"),
    ("a/./b", "slug 'a/./b' may not contain empty, '.' or '..' parts or backslashes",
     "use letters, digits, '-' and '/' only"),
    ("a\\b", "slug 'a\\\\b' may not contain empty, '.' or '..' parts or backslashes",
     "use letters, digits, '-' and '/' only"),
])
def test_parse_slug_refuses(value, message: str, hint: str | None) -> None:
    with pytest.raises(SlugError) as caught:
        parse_slug(value, "a.md")
    assert (str(caught.value), caught.value.hint) == (message, hint)


def test_slug_field_reports_at_the_slug_line_and_gives_none(tmp_path: Path) -> None:
    f = fields_of(tmp_path, 'title: T\ndate: 2021-05-13\nslug: ""')
    assert slug_field(f) is None
    assert [str(p) for p in f.problems] == [
        "entries/a.md:4: error: slug must be non-empty text, not text"]


def test_an_empty_link_gives_the_permalink(tmp_path: Path) -> None:
    f = fields_of(tmp_path, 'title: T\nlink: ""')
    published = datetime(2021, 5, 13, tzinfo=UTC)
    assert link_field(f, "a.md", published, "a", "A") == "https://example.org/blog/a/"
    assert f.problems == []


def test_a_link_that_is_not_http_is_kept_but_reported(tmp_path: Path) -> None:
    # The entry is refused; no permalink is made in its place (no second message).
    f = fields_of(tmp_path, 'title: T\nlink: "ftp://example.org/x"')
    published = datetime(2021, 5, 13, tzinfo=UTC)
    assert link_field(f, "a.md", published, "a", "A") == "ftp://example.org/x"
    assert [str(p) for p in f.problems] == [
        "entries/a.md:3: error: link 'ftp://example.org/x' is not an http(s) URL with a "
        "valid host and port\n  hint: for example link: https://example.org/some/article"]


@pytest.mark.parametrize(("front_matter", "title"), [
    ("title: 'Fixed\n  issue #42'", "Fixed issue #42"),  # goes on: '#' is text there
    ("title: 'It''s #1'", "It's #1"),  # closed, with an escaped quote inside
    ("title: 'It''s' # a comment after quotes is meant", "It's"),
])
def test_single_quoted_values_are_never_cut_short(tmp_path: Path, front_matter: str,
                                                  title: str) -> None:
    f = fields_of(tmp_path, front_matter + "\ndate: 2021-05-13")
    assert comment_cuts(f.source) == []
    entry, problems = make_entry(f.source, f.config)
    assert problems == []
    assert entry is not None and entry.title == title
