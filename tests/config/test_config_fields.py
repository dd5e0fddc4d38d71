"""The feedpub.toml key functions one by one, for what the end-to-end tests do not reach."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from feedpub.base.problems import ConfigError
from feedpub.config.fields import Check, feed_table, max_entry_size_field
from feedpub.config.model import DEFAULT_MAX_ENTRY_SIZE, Config
from feedpub.config.table import FIELDS, KNOWN_KEYS, unknown_keys

TEXT = '[feed]\ntitle = "T"\nmax_entry_size = 0\n'


def check_of(feed: dict, source_text: str | None = TEXT,
             path: Path = Path("/site/feedpub.toml")) -> Check:
    check = Check(path, source_text, {})
    check.feed = feed
    return check


def test_the_table_makes_every_field_of_config_in_its_order() -> None:
    # path comes from the caller, digest from load_config and origins from what the
    # fields found; a field without a row would silently keep its default. The site's
    # settings come first: they fill the keys feedpub.toml lacks.
    names = [f.name for f in dataclasses.fields(Config)]
    attributes = [attribute for _, attribute, _ in FIELDS]
    assert attributes[0] == "site"
    assert sorted(attributes) == sorted(set(names) - {"path", "digest", "origins", "warnings"})
    assert KNOWN_KEYS == ("from", "title", "description", "url", "language", "author",
                          "limit", "timezone", "content", "entries", "output", "permalink",
                          "max_entry_size", "date_sources", "formats", "icon", "logo",
                          "copyright", "tag_feeds", "languages", "full_content")
    assert [key for key, _, _ in FIELDS if key.startswith("[")] == [
        "[websub]", "[archive]", "[podcast]", "[site]"]


@pytest.mark.parametrize("value", [0, -5, True, "big", 1.5])
def test_max_entry_size_must_be_a_positive_number_of_bytes(value) -> None:
    check = check_of({"max_entry_size": value})
    assert max_entry_size_field(check) == DEFAULT_MAX_ENTRY_SIZE
    assert [str(p) for p in check.problems] == [
        f"feedpub.toml:3: error: feed.max_entry_size must be a positive number of bytes, "
        f"not {value!r}\n  hint: for example max_entry_size = 20_000_000"]


@pytest.mark.parametrize(("feed", "size"), [({}, DEFAULT_MAX_ENTRY_SIZE),
                                            ({"max_entry_size": 1}, 1)])
def test_max_entry_size_is_taken_as_given(feed: dict, size: int) -> None:
    check = check_of(feed)
    assert max_entry_size_field(check) == size and check.problems == []


@pytest.mark.parametrize(("data", "messages"), [
    ({}, []),
    ({"feed": 5}, []),
    ({"fed": {"title": "T"}}, ["feedpub.toml: error: unknown table or key [fed]\n"
                               "  hint: did you mean [feed]?"]),
])
def test_a_config_without_a_feed_table_stops_at_once(data: dict, messages: list) -> None:
    check = Check(Path("/site/feedpub.toml"), "", {})
    with pytest.raises(ConfigError) as caught:
        feed_table(check, data)
    problems = [str(p) for p in caught.value.problems]
    assert problems[:-1] == messages
    assert problems[-1].startswith("feedpub.toml: error: missing the [feed] table\n"
                                   "  hint: start the file with:\n\n[feed]\n")


def test_the_command_line_wins_and_its_problems_are_the_option_s() -> None:
    check = Check(Path("/site/feedpub.toml"), TEXT, {"url": "ftp://x"})
    assert feed_table(check, {"feed": {"url": "https://example.org/"}}) == {"url": "ftp://x"}
    check.feed = {"max_entry_size": 0, "url": "ftp://x", "colour": 1}
    unknown_keys(check)
    check.bad("url", "feed.url 'ftp://x' must be an absolute http(s) URL")
    assert [str(p) for p in check.problems] == [
        "feedpub.toml: error: unknown key feed.colour\n  hint: known keys: "
        + ", ".join(KNOWN_KEYS),
        "error: --url 'ftp://x' must be an absolute http(s) URL"]


def test_lines_are_read_from_the_file_when_its_text_is_not_given(tmp_path: Path) -> None:
    path = tmp_path / "feedpub.toml"
    path.write_text("# the site\n" + TEXT, encoding="utf-8")
    check = check_of({"max_entry_size": 0}, source_text=None, path=path)
    max_entry_size_field(check)
    assert str(check.problems[0]).startswith("feedpub.toml:4: error: feed.max_entry_size")
    # No file to read: the message has no line, rather than failing.
    check = check_of({"max_entry_size": 0}, source_text=None, path=tmp_path / "gone.toml")
    max_entry_size_field(check)
    assert str(check.problems[0]).startswith("gone.toml: error: feed.max_entry_size")
