"""Pelican's and MultiMarkdown's ``Key: value`` header (content/handlers/pelican.py).

What is copied from Pelican, whose MarkdownReader reads the header with
Python-Markdown's ``meta`` extension: the header is the first lines up to the first
blank line; keys are lower-cased; a value is the rest of its line, stripped, and stays
text (Pelican then splits tags at commas and parses dates: feedpub's entries do the
same). From MultiMarkdown: an indented line goes on with the value above (joined with
a space), and spaces in a key are dropped. Where feedpub is stricter than
Python-Markdown, which would quietly start the body at a line that is not
``Key: value`` and keep the first of two lines with one key (Pelican warns): both are
errors with their line.
"""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from feedpub.build import build
from feedpub.config.load import load_config
from feedpub.content import handlers
from feedpub.content.source import Source, SourceError, read_source
from feedpub.entries.loading import load_entries

from ..conftest import NOW, entry, write_site

# The example of Pelican's documentation ("File metadata"), with a summary that goes on.
PELICAN_DOC = """\
Title: My super title
Date: 2010-12-03 10:20
Modified: 2010-12-05 19:30
Category: Python
Tags: pelican, publishing
Slug: my-super-post
Authors: Alexis Metaireau, Conan Doyle
Summary: Short version for index and feeds
    that goes on on an indented line

This is the content of my super blog post.
"""


def read(tmp_path: Path, text: str) -> Source:
    path = tmp_path / "post.md"
    path.write_text(text, encoding="utf-8")
    return read_source(path, tmp_path, "post.md")


def fails(tmp_path: Path, text: str) -> str:
    with pytest.raises(SourceError) as caught:
        read(tmp_path, text)
    return str(caught.value.problem)


def test_pelicans_documented_header_is_read_as_pelican_reads_it(tmp_path: Path) -> None:
    source = read(tmp_path, PELICAN_DOC)
    assert source.metadata == {
        "title": "My super title", "date": "2010-12-03 10:20", "modified": "2010-12-05 19:30",
        "category": "Python", "tags": ["pelican", "publishing"], "slug": "my-super-post",
        "authors": ["Alexis Metaireau", "Conan Doyle"],
        "summary": "Short version for index and feeds that goes on on an indented line"}
    assert source.body == "This is the content of my super blog post.\n"
    assert (source.body_line, source.front_matter_line, source.reader) == (11, 1, "Pelican")
    # Keys written with capitals are found on their lines, for messages.
    assert source.key_lines == {"title": 1, "date": 2, "modified": 3, "category": 4,
                                "tags": 5, "slug": 6, "authors": 7, "summary": 8}


@pytest.mark.parametrize(("text", "data"), [
    # Keys lower-cased (Python-Markdown's meta), values stripped, ':' in a value kept.
    ("TITLE:  Spaced out  \nlink: https://example.org/a:b\n\nx\n",
     {"title": "Spaced out", "link": "https://example.org/a:b"}),
    # An empty value, then lines that go on with it (spaces or a tab): MultiMarkdown.
    ("Title: One\nSummary:\n  first\n\tsecond\n\nx\n",
     {"title": "One", "summary": "first second"}),
    # A key with spaces, as MultiMarkdown allows: the spaces are dropped.
    ("Title: T\nBase Header Level: 2\n\nx\n", {"title": "T", "baseheaderlevel": "2"}),
    ("title:no space\nsave_as: a.html\nx-key : y\n\nx\n",
     {"title": "no space", "save_as": "a.html", "x-key": "y"}),
])
def test_keys_and_values(tmp_path: Path, text: str, data: dict[str, str]) -> None:
    assert read(tmp_path, text).metadata == data


@pytest.mark.parametrize(("text", "body", "body_line"), [
    ("Title: x\n\nbody\n", "body\n", 3),
    ("Title: x\n \t \n\nbody\n", "\nbody\n", 3),  # a line of spaces is blank
    ("Title: x\nDate: 2021-05-12\n", "", 3),  # a header and no body
])
def test_the_header_ends_at_the_first_blank_line(tmp_path: Path, text: str, body: str,
                                                 body_line: int) -> None:
    source = read(tmp_path, text)
    assert (source.metadata["title"], source.body, source.body_line) == ("x", body,
                                                                          body_line)


@pytest.mark.parametrize("text", [
    "Note: this is an ordinary Markdown file.\n\nIt has no front matter.\n",
    "TODO: write this\n\nbody\n",
    "http://example.org/ is where it lives\n\nbody\n",
    "  Title: indented\n\nbody\n",
    "# Title: a heading\n\nbody\n",
    "Title of the post\n\nbody\n",
])
def test_only_a_first_line_with_a_known_key_starts_a_header(tmp_path: Path,
                                                           text: str) -> None:
    assert handlers.find(text) is None
    assert fails(tmp_path, text).startswith("post.md:1: error: has no front matter\n")


@pytest.mark.parametrize("first", ["Title", "title", "Date", "Tags", "Author", "Authors",
                                   "Summary", "Slug", "Status", "Category", "Lang",
                                   "Modified", "Keywords", "Base Header Level"])
def test_a_first_line_with_a_pelican_or_multimarkdown_key_starts_one(first: str) -> None:
    reader = handlers.find(f"{first}: x\n\nbody\n")
    assert reader is not None and reader.name == "Pelican"


@pytest.mark.parametrize("text", [
    "---\ntitle: x\n---\nTitle: in the body\n",
    "+++\ntitle = 'x'\n+++\nTitle: in the body\n",
    '{\n"title": "x"\n}\nTitle: in the body\n',
])
def test_yaml_toml_and_json_files_are_unaffected(tmp_path: Path, text: str) -> None:
    source = read(tmp_path, text)
    assert (source.metadata, source.body, source.reader) == (
        {"title": "x"}, "Title: in the body\n", handlers.find(text).name)
    assert source.reader != "Pelican"


def test_a_line_that_is_not_key_value_is_an_error_with_its_line(tmp_path: Path) -> None:
    assert fails(tmp_path, "Title: x\nDate: 2021-05-12\n# The text, too early\n\nbody\n") == (
        "post.md:3: error: invalid Pelican front matter: the line '# The text, too early' "
        "is neither 'Key: value' nor indented (the header ends only at a blank line)\n"
        "  hint: put a blank line between the header and the text, or write the line as "
        "'Key: value'")


def test_a_key_given_twice_is_an_error_naming_both_lines(tmp_path: Path) -> None:
    assert fails(tmp_path, "Title: x\nTags: a, b\nDate: 2021-05-12\ntags: c\n\nbody\n") == (
        "post.md:4: error: invalid Pelican front matter: 'tags' is given twice (first on "
        "line 2)\n  hint: keep one 'tags:' line; a long value can go on on indented lines "
        "below it")


def test_a_long_bad_line_is_shortened_in_the_message(tmp_path: Path) -> None:
    message = fails(tmp_path, "Title: x\n" + "word " * 20_000 + "\n\nbody\n")
    assert "the line 'word word word word word word word word…' is neither" in message


def test_pelican_entries_reach_the_feeds(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {
        "pelican.md": PELICAN_DOC.replace("2010-", "2021-"),
        "multimarkdown.mdown": "Title: A MultiMarkdown note\nAuthor: Jane Doe\n"
                               "Date: 2021-12-01 09:00\nTags: mmd,\n      notes\n"
                               "Lang: de\n\nText *here*.\n",
        "yaml.md": entry("A YAML entry", "2021-11-30T09:00:00Z"),
    }))
    outputs = build(config, now=NOW).outputs
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse(outputs[config.output_dir / name])
        assert feed.bozo == 0, name
        pelican, mmd, _ = feed.entries
        assert [e.title for e in feed.entries] == ["My super title", "A MultiMarkdown note",
                                                   "A YAML entry"], name
        when = pelican.get("published_parsed") or pelican.updated_parsed
        assert tuple(when)[:5] == (2021, 12, 3, 10, 20), name
        assert pelican.link == "https://example.org/blog/my-super-post/", name
        # Pelican's one Category is a tag too, after the Tags (entries/fields.py)
        assert [t.term for t in pelican.tags] == ["pelican", "publishing", "Python"], name
        assert [t.term for t in mmd.tags] == ["mmd", "notes"], name
        assert mmd.author_detail.name == "Jane Doe", name
        assert mmd.link == "https://example.org/blog/multimarkdown/", name
        assert "Text here." in mmd.description, name
        assert pelican.description == ("Short version for index and feeds that goes on "
                                       "on an indented line"), name
        assert "This is the content of my super blog post." in pelican.content[0].value, name


def test_a_misspelt_pelican_key_is_named_on_its_line(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {
        "post.md": "Title: T\nDate: 2021-05-12 10:20\nTgas: a, b\n\nbody\n"}))
    result = load_entries(config)
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "unknown key 'tgas' is ignored")]


def test_a_hash_in_a_pelican_value_is_not_taken_for_a_yaml_comment(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {
        "post.md": "title: Fixed issue #42\ndate: 2021-05-12 10:20\n\nbody\n"}))
    result = load_entries(config)
    assert [e.title for e in result.entries] == ["Fixed issue #42"]
    assert result.problems == ()


def test_tags_and_authors_are_split_as_pelican_splits_them(tmp_path: Path) -> None:
    """Pelican's ensure_metadata_list: `Tags` and `Authors` split at ';' if there is
    one, else at ','; `Author` stays one name."""
    config = load_config(write_site(tmp_path, {
        "a.md": "Title: A\nDate: 2021-05-12 10:20\nTags: python, web dev\n"
                "Authors: Doe, Jane; Bob Roe\n\nbody\n",
        "b.md": "Title: B\nDate: 2021-05-13 10:20\nTags: a; b, c\nAuthors: Ann, Bob\n\nbody\n",
        "c.md": "Title: C\nDate: 2021-05-14 10:20\nAuthor: Doe, Jane\n\nbody\n"}))
    result = load_entries(config)
    assert result.problems == ()
    by_title = {e.title: e for e in result.entries}
    assert by_title["A"].tags == ("python", "web dev")
    assert [p.name for p in by_title["A"].authors] == ["Doe, Jane", "Bob Roe"]
    assert by_title["B"].tags == ("a", "b, c")
    assert [p.name for p in by_title["B"].authors] == ["Ann", "Bob"]
    assert [p.name for p in by_title["C"].authors] == ["Doe, Jane"]
