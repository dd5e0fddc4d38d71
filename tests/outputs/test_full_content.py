"""`[feed] full_content = N`: only the site's newest N entries carry their full
content, the older ones their summary, in every feed but the archive's pages; the
build cache keeps both, so an entry that ages out is right after a cached rebuild."""

from __future__ import annotations

import json
import time
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from feedpub.build import build, build_and_publish
from feedpub.config import load_config
from tests.conftest import NOW, entry, run_cli, write_site
from tests.publish.test_cache import age

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}encoded"


def posts(count: int) -> dict[str, str]:
    return {f"p{n}.md": entry(f"Post {n}", f"2021-05-{n:02d}T10:00:00Z",
                              body=f"Full *text* of post {n}.", tags="[news]")
            for n in range(1, count + 1)}


def outputs(config) -> dict[str, bytes]:
    return {p.relative_to(config.output_dir).as_posix(): d
            for p, d in build(config, now=NOW).outputs.items()}


def full_in(files: dict[str, bytes], folder: str = "") -> dict[str, list[str]]:
    """Per format, the titles of the items that carry full content."""
    rss = etree.fromstring(files[folder + "rss.xml"])
    atom = etree.fromstring(files[folder + "atom.xml"])
    feed = json.loads(files[folder + "feed.json"])
    return {
        "rss": [i.findtext("title") for i in rss.iter("item") if i.find(CONTENT) is not None],
        "atom": [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")
                 if e.find(f"{ATOM}content") is not None],
        "json": [i["title"] for i in feed["items"] if "content_html" in i],
    }


def test_only_the_newest_n_carry_full_content(site) -> None:
    files = outputs(site(posts(5), "full_content = 2\n"))
    assert full_in(files) == {f: ["Post 5", "Post 4"] for f in ("rss", "atom", "json")}
    older = feedparser.parse(files["atom.xml"]).entries[2]
    assert older.title == "Post 3" and older.summary == "Full text of post 3."
    assert "content" not in older
    item = json.loads(files["feed.json"])["items"][2]
    assert item["content_text"] == "Full text of post 3." and "content_html" not in item
    rss = etree.fromstring(files["rss.xml"])
    assert [i.findtext("description") for i in rss.iter("item")][2] == "Full text of post 3."


def test_the_rank_is_the_sites_in_tag_feeds_too(site) -> None:
    entries = posts(4)
    entries["p4.md"] = entry("Post 4", "2021-05-04T10:00:00Z", tags="[other]")
    files = outputs(site(entries, "full_content = 2\ntag_feeds = true\n"))
    # Post 4 (no "news") and Post 3 are the site's newest two: in the news feed, only
    # Post 3 is full, the same item bytes as in the main feed
    assert full_in(files, "tags/news/")["atom"] == ["Post 3"]
    assert full_in(files, "tags/other/")["json"] == ["Post 4"]


def test_archive_pages_keep_full_content(site) -> None:
    extra = "limit = 3\nfull_content = 1\n\n[archive]\nenabled = true\npage_size = 2\n"
    files = outputs(site(posts(5), extra))
    assert full_in(files)["rss"] == ["Post 5"]
    assert full_in(files, "archive/2/") == {f: ["Post 4", "Post 3"] for f in
                                          ("rss", "atom", "json")}


def test_a_cached_rebuild_moves_the_entry_that_aged_out_to_its_summary(tmp_path: Path) -> None:
    entries = posts(3)
    config = load_config(write_site(tmp_path / "site", entries, extra="full_content = 2\n"))
    build_and_publish(config, now=NOW)
    folder = tmp_path / "site" / "entries"
    (folder / "p0.md").write_text(entry("Post 0", "2021-04-30T10:00:00Z"), encoding="utf-8")
    age(tmp_path / "site")
    build_and_publish(config, now=NOW)  # (a rebuild saves the fragments it made)
    (folder / "p9.md").write_text(entry("Post 9", "2021-05-09T10:00:00Z", body="New."),
                                  encoding="utf-8")
    time.sleep(0.1)  # past the cache's racy window
    result, _ = build_and_publish(config, now=NOW)
    assert result.new_fragments == 1  # the others came from the cache
    cached = {p.name: p.read_bytes() for p in config.output_dir.iterdir()}
    assert full_in(cached)["atom"] == ["Post 9", "Post 3"]
    fresh = {p.name: d for p, d in build(config, now=NOW).outputs.items()}  # no cache
    assert cached == fresh


def test_turning_it_off_gives_every_entry_its_content_again(tmp_path: Path) -> None:
    write_site(tmp_path, posts(3), extra="full_content = 1\n")
    assert run_cli(tmp_path, "build").exit_code == 0
    write_site(tmp_path, posts(3))
    assert run_cli(tmp_path, "build").exit_code == 0
    files = {p.name: p.read_bytes() for p in (tmp_path / "public").iterdir()}
    assert full_in(files)["rss"] == ["Post 3", "Post 2", "Post 1"]


@pytest.mark.parametrize(("line", "message"), [
    ("full_content = 0", "feed.full_content must be a whole number of entries, 1 or more, "
                         "not 0"),
    ("full_content = true", "feed.full_content must be a whole number of entries, 1 or "
                            "more, not True"),
    ('full_content = "5"', "feed.full_content must be a whole number of entries, 1 or "
                           "more, not '5'"),
    ('content = "summary"\nfull_content = 5', 'feed.full_content needs content = "full"'),
])
def test_bad_values_are_errors(tmp_path: Path, line: str, message: str) -> None:
    write_site(tmp_path, posts(1), extra=line + "\n")
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 1 and message in result.output, result.output
    assert "feedpub.toml:" in result.output


def test_the_validator_kit_accepts_mixed_items(tmp_path: Path, feedcheck) -> None:
    config = load_config(write_site(tmp_path, posts(4), extra="full_content = 2\n"))
    build_and_publish(config, now=NOW)
    proc = feedcheck(*sorted(config.output_dir.iterdir()))
    assert proc.returncode == 0, proc.stdout + proc.stderr
