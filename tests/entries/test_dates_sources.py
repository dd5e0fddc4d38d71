"""Where an entry's date comes from (issue 11): date keys, the file name, folders and
a path key, in the order of DATE_SOURCES; the updated date from UPDATED_KEYS. The
docstrings say whose behaviour a test copies."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from feedpub.config import load_config
from feedpub.entries import fields
from feedpub.entries.dates import DATE_SOURCES, UPDATED_KEYS, strip_date_prefix
from feedpub.entries.loading import load_entries

from ..conftest import BASE_CONFIG, NS, entry, write_site

BERLIN_CONFIG = BASE_CONFIG.replace('timezone = "UTC"', 'timezone = "Europe/Berlin"')


def load(site, files: dict[str, str], config: str = BASE_CONFIG):
    result = load_entries(site(files, config=config))
    return {e.source.removeprefix("entries/"): e for e in result.entries}, \
        [str(p) for p in result.problems]


def published(site, files: dict[str, str]) -> datetime:
    entries, problems = load(site, files)
    assert problems == [] and len(entries) == 1, problems
    return next(iter(entries.values())).published


def test_the_orders() -> None:
    assert DATE_SOURCES == ("date", "published", "pubDate", "publishDate", "pubDatetime",
                            ":filename", ":folders", ":path")
    assert UPDATED_KEYS == ("updated", "lastmod", "modified", "last_modified_at",
                            "updatedDate", "modDatetime")


def test_date_key_comes_first(site) -> None:
    assert published(site, {"2020/01/01/2020-01-02-a.md": entry(
        date="2021-05-13", published="2021-05-14", pubDate="2021-05-15",
        publishDate="2021-05-16")}) == datetime(2021, 5, 13, tzinfo=UTC)


def test_published_key(site) -> None:
    """Hugo reads `published` as a date (its date sources: date, publishDate, pubDate,
    published); so do JavaScript sites' schemas."""
    assert published(site, {"a.md": entry(date="", published="2021-05-14 10:00",
                                           pubDate="2021-05-15")}) == \
        datetime(2021, 5, 14, 10, tzinfo=UTC)


@pytest.mark.parametrize("flag", ["false", "true", '"false"', "yes", '"No"', "0", "1"])
def test_published_as_a_flag_is_not_a_date(site, flag: str) -> None:
    """Jekyll's `published: false` keeps a post unpublished: a flag, not a date, so the
    next source gives the date."""
    entries, problems = load(site, {"2021-05-13-a.md": entry(date="", published=flag)})
    # (quoted "false" or "No" is published, as in Jekyll, and warned about: see
    # test_site_links.test_published_false_as_text_is_published_as_jekyll_does...)
    assert not any("date" in p or ("published" in p and "published is the text" not in p)
                   for p in problems), problems
    assert entries["2021-05-13-a.md"].published == datetime(2021, 5, 13, tzinfo=UTC)


def test_pub_date_key(site) -> None:
    """Astro's blog starter writes `pubDate: 'Jul 08 2022'` (and RSS's own name)."""
    assert published(site, {"a.md": entry(date="", pubDate="'Jul 08 2022'",
                                           publishDate="2021-05-16")}) == \
        datetime(2022, 7, 8, tzinfo=UTC)


def test_publish_date_key(site) -> None:
    """Hugo's `publishDate`."""
    assert published(site, {"a.md": entry(date="", publishDate="2021-05-16T10:00:00+02:00")}) \
        == datetime(2021, 5, 16, 10, tzinfo=timezone(timedelta(hours=2)))


@pytest.mark.parametrize(("key", "value", "message"), [
    ("pubDate", "xyz", "pubDate 'xyz' is not a date"),
    ("publishDate", "10:00", "publishDate is a number (600), not a date (YAML reads"),
    ("published", "'03/04/2024'", "published '03/04/2024' is ambiguous"),
    ("published", "2024-02-30", "published '2024-02-30' does not exist: February 2024 has 29"),
])
def test_a_bad_date_key_is_named_with_its_line(site, key: str, value: str,
                                               message: str) -> None:
    text = f"---\ntitle: T\nauthor: A\n{key}: {value}\n---\nBody\n"
    entries, problems = load(site, {"2021-05-13-bad.md": text})
    assert entries == {} and len(problems) == 1, problems
    assert problems[0].startswith("entries/2021-05-13-bad.md:4: error: " + message)


def test_a_bad_date_key_is_not_hidden_by_a_later_source(site) -> None:
    _, problems = load(site, {"2021-05-13-a.md": entry(date="soon")})
    assert "date 'soon' is not a date" in problems[0]


def test_file_name_with_one_digit_month_and_day(site) -> None:
    """Jekyll reads `_posts/2021-5-3-title.md` (its pattern is \\d{2,4}-\\d{1,2}-\\d{1,2}-)."""
    assert published(site, {"_posts/2021-5-3-title.md": entry(date="")}) == \
        datetime(2021, 5, 3, tzinfo=UTC)
    assert strip_date_prefix("2021-5-3-title") == "title"


def test_file_name_date_with_an_impossible_day(site) -> None:
    _, problems = load(site, {"2021-2-30-a.md": entry(date="")})
    assert problems == [
        "entries/2021-2-30-a.md: error: the date in the file name, 2021-2-30, does not "
        "exist: February 2021 has 28 days, so there is no day 30\n"
        "  hint: rename the file or add 'date:'"]


@pytest.mark.parametrize("path", ["2021/06/08/post.md", "blog/2021/06/08/slug/index.md",
                                  "blog/2021/6/8/post.md"])
def test_folders(site, path: str) -> None:
    """Sites that keep /YYYY/MM/DD/ URLs as folders (WordPress exports, Hugo page
    bundles such as content/posts/2021/06/08/slug/index.md)."""
    assert published(site, {path: entry(date="")}) == datetime(2021, 6, 8, tzinfo=UTC)


def test_file_name_comes_before_folders(site) -> None:
    assert published(site, {"2020/01/01/2021-05-13-a.md": entry(date="")}) == \
        datetime(2021, 5, 13, tzinfo=UTC)


def test_folders_with_an_impossible_day(site) -> None:
    _, problems = load(site, {"2021/02/30/a.md": entry(date="")})
    assert problems == [
        "entries/2021/02/30/a.md: error: the date in the folders, 2021/02/30, does not "
        "exist: February 2021 has 28 days, so there is no day 30\n"
        "  hint: rename the folders or add 'date:'"]


def test_a_year_and_month_alone_are_not_a_date(site) -> None:
    _, problems = load(site, {"2021/06/post.md": entry(date="")})
    assert "date is missing" in problems[0]


def test_zola_path_key(site) -> None:
    """Zola's `path = "2018/07/27/slug"`: the date at its start."""
    text = '+++\ntitle = "Z"\npath = "2018/07/27/slug"\n+++\nBody\n'
    assert published(site, {"z.md": text}) == datetime(2018, 7, 27, tzinfo=UTC)


@pytest.mark.parametrize("key", ["url", "permalink"])
def test_hugo_url_and_jekyll_permalink_keys(site, key: str) -> None:
    """Hugo's `url: /2018/07/27/slug/` and Jekyll's `permalink:` are such paths too."""
    assert published(site, {"z.md": entry(date="", **{key: "/2018/07/27/slug/"})}) == \
        datetime(2018, 7, 27, tzinfo=UTC)


def test_folders_come_before_the_path_key(site) -> None:
    assert published(site, {"2021/06/08/a.md": entry(date="", path="2018/07/27/x")}) == \
        datetime(2021, 6, 8, tzinfo=UTC)


def test_path_key_with_an_impossible_day(site) -> None:
    text = '+++\ntitle = "Z"\n\npath = "2018/02/30/slug"\n+++\nBody\n'
    _, problems = load(site, {"z.md": text})
    assert problems == [
        "entries/z.md:4: error: the date in path, 2018/02/30, does not exist: February "
        "2018 has 28 days, so there is no day 30\n  hint: correct path or add 'date:'"]


@pytest.mark.parametrize("value", ['"about/me"', '"/blog/2018/07/27/x"', "[2018, 7, 27]"])
def test_a_path_key_without_a_date_at_its_start(site, value: str) -> None:
    _, problems = load(site, {"z.md": f'+++\ntitle = "Z"\npath = {value}\n+++\nBody\n'})
    assert len(problems) == 1 and "date is missing" in problems[0]


def test_missing_date_message_is_unchanged(site) -> None:
    _, problems = load(site, {"undated.md": entry(date="")})
    assert problems == ["entries/undated.md: error: date is missing\n"
                        "  hint: add 'date: YYYY-MM-DD' or start the file name with "
                        "YYYY-MM-DD-"]


def test_the_order_is_data(site, monkeypatch) -> None:
    """A later config key (like Hugo's [frontmatter] date = [...]) can replace it."""
    monkeypatch.setattr(fields, "DATE_SOURCES", (":filename", "date"))
    assert published(site, {"2021-05-13-a.md": entry(date="2020-01-01")}) == \
        datetime(2021, 5, 13, tzinfo=UTC)


# The updated date.

def updated(site, files: dict[str, str], config: str = BASE_CONFIG):
    entries, problems = load(site, files, config)
    return next(iter(entries.values())).updated, problems


@pytest.mark.parametrize(("key", "generator"), [
    ("updated", "feedpub, Zola"), ("lastmod", "Hugo"), ("modified", "Pelican"),
    ("last_modified_at", "Jekyll (jekyll-seo-tag, jekyll-last-modified-at)"),
])
def test_updated_keys(site, key: str, generator: str) -> None:
    value, problems = updated(site, {"a.md": entry(**{key: "2021-06-01 10:00"})})
    assert problems == [], generator
    assert value == datetime(2021, 6, 1, 10, tzinfo=UTC)


def test_first_updated_key_wins(site) -> None:
    value, _ = updated(site, {"a.md": entry(lastmod="2021-06-02", modified="2021-06-03",
                                            updated="2021-06-01")})
    assert value == datetime(2021, 6, 1, tzinfo=UTC)
    value, _ = updated(site, {"a.md": entry(modified="2021-06-03", lastmod="2021-06-02")})
    assert value == datetime(2021, 6, 2, tzinfo=UTC)


def test_a_bad_updated_key_is_named(site) -> None:
    text = "---\ntitle: T\ndate: 2021-05-13\nlastmod: someday\n---\nBody\n"
    entries, problems = load(site, {"a.md": text})
    assert entries == {}
    assert problems[0].startswith("entries/a.md:4: error: lastmod 'someday' is not a date")


def test_an_earlier_updated_key_is_named_in_the_warning(site) -> None:
    text = "---\ntitle: T\ndate: 2021-05-13 10:00\nlast_modified_at: 2021-05-01\n---\nB\n"
    value, problems = updated(site, {"a.md": text})
    assert value == datetime(2021, 5, 13, 10, tzinfo=UTC)
    assert problems == ["entries/a.md:4: warning: last_modified_at is earlier than date; "
                        "using date"]


def test_a_day_alone_on_the_day_of_the_date_is_no_warning(site) -> None:
    """Hugo: `date = 2020-02-29T23:30:00-08:00` with `lastmod = 2020-03-01` (the same day
    in Berlin; the day before in the writer's zone would be too)."""
    for lastmod in ("2020-03-01", "2020-02-29"):
        text = (f'+++\ntitle = "T"\ndate = 2020-02-29T23:30:00-08:00\nlastmod = {lastmod}\n'
                "+++\nB\n")
        value, problems = updated(site, {"a.md": text}, BERLIN_CONFIG)
        assert problems == []
        assert value == datetime(2020, 3, 1, 7, 30, tzinfo=UTC)
    text = '+++\ntitle = "T"\ndate = 2020-03-01T10:00:00Z\nlastmod = 2020-02-28\n+++\nB\n'
    _, problems = updated(site, {"a.md": text}, BERLIN_CONFIG)
    assert problems == ["entries/a.md:4: warning: lastmod is earlier than date; using date"]


# Whole builds: the dates as feeds carry them.

def test_folder_date_in_the_feeds(feeds) -> None:
    rss, atom = feeds({"blog/2021/06/08/slug/index.md": entry("Folder", date="")})
    assert rss.findtext("channel/item/pubDate") == "Tue, 08 Jun 2021 00:00:00 +0000"
    assert atom.findtext("atom:entry/atom:published", namespaces=NS) == \
        "2021-06-08T00:00:00+00:00"


def test_javascript_millisecond_timestamp_in_the_feeds(feeds) -> None:
    """Astro and Eleventy sites that store Date.now() as pubDate: milliseconds."""
    rss, atom = feeds({"post.md": entry("JS", date="", pubDate="1620916200000",
                                        updated="1620923400000")})
    assert rss.findtext("channel/item/pubDate") == "Thu, 13 May 2021 14:30:00 +0000"
    assert atom.findtext("atom:entry/atom:published", namespaces=NS) == \
        "2021-05-13T14:30:00+00:00"
    assert atom.findtext("atom:entry/atom:updated", namespaces=NS) == \
        "2021-05-13T16:30:00+00:00"


def test_astro_and_pelican_spellings(tmp_path: Path) -> None:
    """Astro's blog template (pubDate, updatedDate), the AstroPaper theme (pubDatetime,
    modDatetime) and Pelican's 2010-12-03_10:20 are read, with no "unknown key"."""
    config = load_config(write_site(tmp_path, {
        "astro.md": '---\ntitle: "A"\npubDate: 2024-03-10\nupdatedDate: 2024-03-12\n---\nx\n',
        "paper.md": '---\ntitle: "P"\npubDatetime: 2024-04-01T09:00:00Z\n'
                    'modDatetime: 2024-04-02T09:00:00Z\n---\nx\n',
        "pelican.md": "Title: Pelican\nDate: 2010-12-03_10:20\n\nx\n"}))
    result = load_entries(config)
    assert [p.message for p in result.problems] == []
    by_title = {e.title: e for e in result.entries}
    assert by_title["A"].published == datetime(2024, 3, 10, tzinfo=UTC)
    assert by_title["A"].updated == datetime(2024, 3, 12, tzinfo=UTC)
    assert by_title["P"].published == datetime(2024, 4, 1, 9, tzinfo=UTC)
    assert by_title["P"].updated == datetime(2024, 4, 2, 9, tzinfo=UTC)
    assert by_title["Pelican"].published == datetime(2010, 12, 3, 10, 20, tzinfo=UTC)
