"""Validation gaps closed (issue 9, point 12): nothing blank, malformed or unsafe is
published as if it were fine."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.base.people import is_invisible
from feedpub.base.problems import ConfigError
from feedpub.config.load import load_config
from feedpub.entries.loading import load_entries

from ..conftest import BASE_CONFIG, entry, write_site

INVISIBLE = ["\u200b", "\u2060", "\ufeff", "\u202e", "\u2066\u2069", "\u200b \u200c", "\u0301"]


def problems_of(tmp_path: Path, files: dict[str, str]) -> list[str]:
    config = load_config(write_site(tmp_path, files))
    return [str(p) for p in load_entries(config).problems]


@pytest.mark.parametrize("blank", INVISIBLE)
def test_fields_made_only_of_invisible_characters_are_errors(tmp_path: Path,
                                                             blank: str) -> None:
    quoted = '"' + blank.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00") + '"'
    found = problems_of(tmp_path, {
        "t.md": entry(title=blank, date="2021-05-13"),
        "g.md": entry("G", "2021-05-12", tags=f"[ok, {quoted}]"),
        "a.md": entry("A", "2021-05-11", author=quoted),
        "s.md": entry("S", "2021-05-10", summary=quoted)})
    text = "\n".join(found)
    assert "entries/t.md:2: error: title" in text and "only invisible characters" in text
    assert "entries/g.md:4: error: tags[1]" in text
    assert "entries/a.md:4: error: author has no name (only invisible characters)" in text
    assert "entries/s.md:4: error: summary shows nothing" in text


@settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")) * 10, deadline=None)
@given(st.text(max_size=12))
def test_invisible_means_no_letter_digit_punctuation_or_symbol(text: str) -> None:
    # A spacing mark (Mc, such as U+114B9) takes room on the line: it shows, as letters do
    shows = any((unicodedata.category(c)[0] in "LNPSC" or unicodedata.category(c) == "Mc")
                and unicodedata.category(c) not in {"Cc", "Cf", "Cs"} for c in text)
    assert is_invisible(text) == (not shows)


@pytest.mark.parametrize(("link", "message"), [
    ('"https://a b.example/"', "is not an http(s) URL with a valid host and port"),
    ('"https://example.org:99999/x"', "is not an http(s) URL with a valid host and port"),
    ('"https://[::1/x"', "is not a"),
])
def test_links_with_a_bad_host_or_port_are_errors(tmp_path: Path, link: str,
                                                  message: str) -> None:
    found = problems_of(tmp_path, {"a.md": entry(link=link)})
    assert len(found) == 1 and "entries/a.md:4: error: link" in found[0]
    assert message in found[0]


@pytest.mark.parametrize("url", ["https://ex ample.org/", "https://example.org:99999/"])
def test_site_urls_with_a_bad_host_or_port_are_errors(tmp_path: Path, url: str) -> None:
    path = write_site(tmp_path, {}, config=BASE_CONFIG.replace(
        'url = "https://example.org/blog/"', f'url = "{url}"'))
    with pytest.raises(ConfigError, match="must be an absolute http"):
        load_config(path)


@pytest.mark.parametrize(("value", "ok"), [
    ('"javascript:alert(1)"', False), ('"data:text/html,x"', False), ('"mailto:a@b.c"', False),
    ('"tag:example.org,2021:a"', True), ('"urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"', True),
    ('"https://example.org/?p=1"', True), ('"HTTP://EXAMPLE.ORG/A"', True),
])
def test_an_id_is_a_tag_urn_or_http_uri(tmp_path: Path, value: str, ok: bool) -> None:
    found = problems_of(tmp_path, {"a.md": entry(id=value)})
    assert (found == []) == ok, found
    if not ok:
        assert "is not a tag:, urn: or http(s) URI" in found[0]


def test_the_two_spellings_of_one_name_are_shown_apart(tmp_path: Path) -> None:
    composed, decomposed = "\u00fcber.md", "u\u0308ber.md"
    write_site(tmp_path, {})
    (tmp_path / "entries" / composed).write_text(entry("A"))
    (tmp_path / "entries" / decomposed).write_text(entry("B", "2021-05-12"))
    if len(list((tmp_path / "entries").iterdir())) < 2:
        pytest.skip("this file system keeps one spelling of a name only")
    found = problems_of(tmp_path, {})
    assert len(found) == 1
    assert "'u\\u0308ber.md' and '\\xfcber.md'" in found[0]


def test_utf8_names_are_read_in_a_c_locale_without_utf8_mode(tmp_path: Path) -> None:
    write_site(tmp_path, {"grüße/über uns.md": entry("Über uns")})
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0",
           "PYTHONIOENCODING": "utf-8", "SOURCE_DATE_EPOCH": "1893456000"}
    proc = subprocess.run([sys.executable, "-m", "feedpub", "build"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 0, proc.stderr
    rss = (tmp_path / "public" / "rss.xml").read_text("utf-8")
    assert "https://example.org/blog/gr%C3%BC%C3%9Fe/%C3%BCber%20uns/" in rss


def test_a_feed_that_was_a_link_to_a_private_file_gets_the_usual_mode(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry()})
    private = tmp_path / "private.xml"
    private.write_text("<rss/>")
    private.chmod(0o600)
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "rss.xml").symlink_to(private)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1893456000"}
    subprocess.run([sys.executable, "-m", "feedpub", "build", "-q"], cwd=tmp_path, env=env,
                   check=True)
    rss = tmp_path / "public" / "rss.xml"
    assert not rss.is_symlink() and stat.S_IMODE(rss.stat().st_mode) == 0o644
    assert private.read_text() == "<rss/>"  # the link's target is left alone


@pytest.mark.parametrize(("title", "becomes"), [
    ("Photo <img src=x onerror=alert(1)>", "Photo"),
    ('Hi <svg onload="alert(1)">there', "Hi there"),
    ("Line<br/>break", "Line break"),
])
def test_a_start_tag_in_a_title_is_html_too(tmp_path: Path, title: str, becomes: str) -> None:
    config = load_config(write_site(tmp_path, {"a.md": entry(title.replace('"', '\\"'))}))
    result = load_entries(config)
    (e,) = result.entries
    assert e.title == becomes
    assert [p.message for p in result.problems] == [
        f"title contains HTML; feeds carry it as plain text, so it becomes {becomes!r}"]


@pytest.mark.parametrize("title", ["a <b> c", "1 < 2 and 3 > 2", "vector<int> v",
                                   "C++ <T> templates"])
def test_angle_brackets_that_are_not_tags_stay_text(tmp_path: Path, title: str) -> None:
    config = load_config(write_site(tmp_path, {"a.md": entry(title)}))
    result = load_entries(config)
    assert result.problems == () and result.entries[0].title == title


def test_the_missing_alt_warning_survives_deep_nesting(tmp_path: Path) -> None:
    from feedpub.check import check

    from ..conftest import NOW

    config = load_config(write_site(tmp_path, {"a.md": entry(body="> " * 300 + "![](x.png)")}))
    found = [str(p) for p in check(config, now=NOW).problems]
    assert any("image 'x.png' has no alt text" in m for m in found), found
    assert any("flattened" in m or "nested" in m for m in found), found


def test_tags_and_authors_seen_before_give_the_same_results_and_messages(
        tmp_path: Path) -> None:
    # Tags and authors that need no message are remembered from entry to entry
    # (entries/tags.py, entries/fields.py); the others are read, and told, each time.
    good = {"tags": '[news, " Big  news ", "<b>bold</b>", news]',
            "author": '["Ann <ann@example.org>", "Bob"]'}
    bad = {"tags": '[news, "\\u200b"]', "author": '"Ann <not an address>"'}
    files = {f"{name}.md": entry(name.upper(), f"2021-05-{day:02}",
                                 **(good if name in "ac" else bad))
             for day, name in enumerate("abcd", start=1)}
    config = load_config(write_site(tmp_path, files))
    for _ in range(2):  # (a second reading finds them all remembered)
        result = load_entries(config)
        by_file: dict[str, list[str]] = {}
        for problem in result.problems:
            by_file.setdefault(Path(problem.path or "").name, []).append(problem.message)
        assert sorted(by_file) == ["a.md", "b.md", "c.md", "d.md"]
        assert by_file["a.md"] == by_file["c.md"] == [
            "tags contains HTML; feeds carry it as plain text, so it becomes 'bold'"]
        assert by_file["b.md"] == by_file["d.md"]
        assert [m.partition(" ")[0] for m in by_file["b.md"]] == ["author", "tags[1]"]
        assert [(e.title, e.tags, [p.name for p in e.authors]) for e in result.entries] == [
            (title, ("news", "Big news", "bold"), ["Ann", "Bob"])
            for title in ("A", "C")]
