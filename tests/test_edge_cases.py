"""Odd inputs found in review and in real archives: each gets a clear answer, never a crash."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import pytest
from lxml import etree

from feedpub.base.problems import ConfigError
from feedpub.build import build
from feedpub.config.load import load_config
from feedpub.entries.loading import load_entries

from .conftest import BASE_CONFIG, NOW, NS, entry, write_site

A = "{http://www.w3.org/2005/Atom}"


def problems_of(site, files: dict[str, str], extra: str = "", config: str = BASE_CONFIG):
    result = load_entries(site(files, extra, config))
    return result.entries, [str(p) for p in result.problems]


def test_year_below_1000_in_a_file_name(site) -> None:
    entries, problems = problems_of(site, {"0999-01-01-old.md": entry(date="")})
    assert entries == () and "the date in the file name" in problems[0]


def test_year_one_east_of_utc(site) -> None:
    config = BASE_CONFIG.replace('timezone = "UTC"', 'timezone = "Asia/Tokyo"')
    _, problems = problems_of(site, {"a.md": entry(date="0001-01-01")}, config=config)
    assert "out of range" in problems[0]


def test_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {}))
    (tmp_path / "entries").mkdir(exist_ok=True)
    raw = os.path.join(os.fsencode(tmp_path / "entries"), b"caf\xe9.md")
    with open(raw, "wb") as handle:
        handle.write(entry().encode())
    result = load_entries(config)
    assert "the file name is not valid UTF-8" in str(result.problems[0])


def test_decomposed_unicode_file_names_give_the_composed_id(site) -> None:
    nfd = unicodedata.normalize("NFD", "über-uns.md")
    entries, _ = problems_of(site, {nfd: entry()})
    assert entries[0].slug == "über-uns"
    assert entries[0].id == "tag:example.org,2021-05-13:%C3%BCber-uns"


def test_two_spellings_of_one_file_name_are_reported_not_merged(site) -> None:
    nfc, nfd = "über.md", unicodedata.normalize("NFD", "über.md")
    entries, problems = problems_of(site, {nfc: entry("One", slug="one"),
                                           nfd: entry("Two", slug="two")})
    if len(entries) + len(problems) < 2:
        pytest.skip("this file system keeps only one spelling of a name")
    assert len(entries) == 1
    (problem,) = problems
    assert "has the same name as entries/über.md, spelled differently" in \
        unicodedata.normalize("NFC", problem)


def test_decomposed_names_read_by_a_child_match_the_parent(site, monkeypatch) -> None:
    from feedpub.entries import loading

    files = {unicodedata.normalize("NFD", f"über-{i}.md"): entry(f"T{i}") for i in range(30)}
    files |= {f"plain-{i}.md": entry(f"P{i}") for i in range(30)}
    config = site(files)
    serial = load_entries(config)
    monkeypatch.setattr(loading, "MIN_FILES_TO_SHARE", 10)
    monkeypatch.setattr(loading, "CHUNK", 2)
    shared = load_entries(config)
    assert shared == serial
    assert all(e.rel == unicodedata.normalize("NFC", e.rel) for e in shared.entries)


def test_control_characters_in_names_ids_and_config(site, tmp_path: Path) -> None:
    entries, problems = problems_of(site, {"a.md": entry(author='"Ann\\a Lee"')})
    assert entries[0].authors[0].name == "Ann Lee" and problems == []
    _, problems = problems_of(site, {"b.md": entry(id='"tag:example.org,2021:a\\x01b"')})
    assert "is not a tag:, urn: or http(s) URI" in problems[0]
    path = write_site(tmp_path / "cfg", {}, BASE_CONFIG.replace('"Test site"', '"T\\u0007"'))
    with pytest.raises(ConfigError, match=r"feed\.title contains control characters"):
        load_config(path)


def test_malformed_link(site) -> None:
    _, problems = problems_of(site, {"a.md": entry(link='"http://[::1"')})
    assert "link 'http://[::1' is not a URL" in problems[0]


def test_html_in_summary_tags_and_author_names_becomes_text(site) -> None:
    entries, problems = problems_of(site, {"a.md": entry(
        "Tom &amp; Jerry", summary='"Why <em>this</em> matters"', tags='["<b>bold</b>", bold]',
        author='"Ann <i>x</i> Lee"')})
    (e,) = entries
    assert (e.title, e.summary, e.tags) == ("Tom & Jerry", "Why this matters", ("bold",))
    assert e.authors[0].name == "Ann x Lee"
    assert sum("contains HTML" in p for p in problems) == 3  # title, summary, tags


def test_international_site_urls_become_ascii(site) -> None:
    config = BASE_CONFIG.replace("https://example.org/blog/", "https://bücher.example/neu/")
    entries, problems = problems_of(site, {
        "über uns.md": entry(), "b.md": entry("B", link='"https://bücher.example/ä ö/"')},
        config=config)
    assert problems == []
    by_title = {e.title: e for e in entries}
    assert by_title["Hello"].link == "https://xn--bcher-kva.example/neu/%C3%BCber%20uns/"
    assert by_title["Hello"].id == "tag:xn--bcher-kva.example,2021-05-13:%C3%BCber%20uns"
    assert by_title["B"].link == "https://xn--bcher-kva.example/%C3%A4%20%C3%B6/"


def test_international_domain_names_follow_idna_2008(site) -> None:
    # IDNA 2008 (UTS #46, non-transitional, as browsers): ß stays a letter of its own.
    # Python's built-in codec (IDNA 2003) would give strasse.example, another host.
    config = BASE_CONFIG.replace("https://example.org/blog/", "https://straße.example/")
    entries, problems = problems_of(site, {"a.md": entry(
        link='"https://faß.de/ä"', author='{name: Ann, uri: "https://Maße.example/"}')},
        config=config)
    assert problems == []
    (e,) = entries
    loaded = load_config(site({}, config=config).path)
    assert loaded.url == "https://xn--strae-oqa.example/"
    assert e.id.startswith("tag:xn--strae-oqa.example,")
    assert e.link == "https://xn--fa-hia.de/%C3%A4"
    assert e.authors[0].uri == "https://xn--mae-6ka.example/"


def test_link_post_without_body_gets_its_title_as_summary(feeds) -> None:
    rss, atom = feeds({"a.md": "---\ntitle: Worth reading\ndate: 2021-05-13\n"
                               "link: https://other.example/article\n---\n"})
    assert rss.findtext("channel/item/description") == "Worth reading"
    assert atom.findtext(f"{A}entry/{A}summary") == "Worth reading"


def test_link_post_resolves_relative_images_against_its_page_here(feeds) -> None:
    _, atom = feeds({"notes/a.md": entry(link="https://other.example/article",
                                         body="![Chart](chart.png)")})
    content = atom.find(f"{A}entry/{A}content")
    assert 'src="https://example.org/blog/notes/a/chart.png"' in content.text
    assert atom.find(f"{A}entry/{A}link").get("href") == "https://other.example/article"


@pytest.mark.parametrize(("pattern", "message"), [
    ('"javascript:alert({slug})"', "must be a path on the site"),
    ('"//evil.example/{slug}"', "must be a path on the site"),
    ('"/{slug!r}/"', "no formats or conversions"),
    ('"/{month:>5}/{name}/"', "no formats or conversions"),
])
def test_permalink_patterns_that_are_refused(tmp_path: Path, pattern: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write_site(tmp_path, {}, extra=f"permalink = {pattern}\n"))


def test_permalink_fields_are_percent_encoded(site) -> None:
    entries, _ = problems_of(site, {"Über uns/2021-05-13-grüße & mehr.md": entry(date="")},
                             extra='permalink = "{folder}/{name}/"\n')
    assert entries[0].link == \
        "https://example.org/blog/%C3%9Cber%20uns/gr%C3%BC%C3%9Fe%20%26%20mehr/"


def test_two_entries_with_one_link_are_an_error_naming_both(site) -> None:
    _, problems = problems_of(site, {"a/2021-05-13-weekly-notes.md": entry(date=""),
                                     "b/2021-05-20-weekly-notes.md": entry(date="")},
                              extra='permalink = "{name}/"\n')
    assert problems == ["entries/b/2021-05-20-weekly-notes.md: error: link "
                        "'https://example.org/blog/weekly-notes/' is used by both "
                        "entries/a/2021-05-13-weekly-notes.md and "
                        "entries/b/2021-05-20-weekly-notes.md\n  hint: give one of them its "
                        "own link or slug, or use {slug} in feed.permalink"]


def test_broken_symlink_says_so(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {"a.md": entry()}))
    (tmp_path / "entries" / "gone.md").symlink_to(tmp_path / "nowhere.md")
    (problem,) = load_entries(config).problems
    assert "is a broken link" in str(problem)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are a POSIX feature")
def test_a_named_pipe_is_refused_without_hanging(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {"a.md": entry()}))
    os.mkfifo(tmp_path / "entries" / "pipe.md")  # opening it for reading would block
    result = load_entries(config)
    assert [e.title for e in result.entries] == ["Hello"]
    (problem,) = result.problems
    assert str(problem).startswith("entries/pipe.md: error: is not a regular file")


def test_an_entry_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    files = {"a.md": entry(), "big.md": entry("Big", body="x" * 600),
             "fits.md": entry("Fits", body="y" * 100)}
    config = load_config(write_site(tmp_path, files, extra="max_entry_size = 500\n"))
    result = load_entries(config)
    assert sorted(e.title for e in result.entries) == ["Fits", "Hello"]
    (problem,) = result.problems
    assert "entries/big.md: error: is 6" in str(problem)
    assert "bytes, over the limit of 500 bytes; it was refused" in str(problem)


def test_readme_in_the_entries_folder_is_not_an_entry(site) -> None:
    entries, problems = problems_of(site, {"README.md": "# About these posts\n",
                                           "a.md": entry()})
    assert [e.title for e in entries] == ["Hello"] and problems == []


def test_excerpt_before_more_can_span_paragraphs(feeds) -> None:
    rss, atom = feeds({"a.md": entry(body="First part.\n\nSecond *part*.\n\n<!--more-->\n\n"
                                          "The rest.")})
    assert rss.findtext("channel/item/description") == "First part. Second part."
    assert atom.findtext(f"{A}entry/{A}summary") == "First part. Second part."
    assert "The rest." in rss.findtext("channel/item/content:encoded", namespaces=NS)


def test_tags_never_become_paths(site) -> None:
    config = site({"a.md": entry(tags='["../../etc", "a/b", "/abs"]')})
    result = build(config, now=NOW)
    assert set(result.outputs) == {config.output_dir / n for n in
                                   ("rss.xml", "atom.xml", "feed.json")}
    assert all(p.parent == config.output_dir for p in result.outputs)
    rss = etree.fromstring(result.outputs[config.output_dir / "rss.xml"])
    assert [c.text for c in rss.iterfind("channel/item/category")] == ["../../etc", "a/b", "/abs"]
