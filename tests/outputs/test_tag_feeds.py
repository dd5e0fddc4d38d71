"""Tag feeds (`tag_feeds = true`, feedpub/outputs/tags.py): a complete feed per tag in
every format, with its own title, self link and id; slugs ASCII and safe; tags that
slugify alike merged with a warning."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from feedpub.build import build
from feedpub.outputs.tags import tag_slug
from tests.conftest import NOW, entry

ATOM = "{http://www.w3.org/2005/Atom}"
ENTRIES = {
    "a.md": entry("Alpha", "2021-05-13T10:00:00Z", tags='["Café & Kuchen", "news"]'),
    "b.md": entry("Beta", "2021-06-01T10:00:00Z", tags="[news]"),
    "c.md": entry("Gamma", "2021-07-01T10:00:00Z", tags="[news]", draft="true"),
}


def outputs(site, entries: dict[str, str], extra: str = "tag_feeds = true\n"):
    config = site(entries, extra)
    result = build(config, now=NOW)
    return config, result, {str(p.relative_to(config.output_dir)): d
                            for p, d in result.outputs.items()}


def test_each_tag_gets_a_feed_in_every_format(site) -> None:
    _, _, files = outputs(site, ENTRIES)
    assert sorted(files) == ["atom.xml", "feed.json", "rss.xml",
                             "tags/cafe-kuchen/atom.xml", "tags/cafe-kuchen/feed.json",
                             "tags/cafe-kuchen/rss.xml", "tags/news/atom.xml",
                             "tags/news/feed.json", "tags/news/rss.xml"]


def test_a_tag_feed_has_its_own_title_links_id_and_entries(site) -> None:
    _, _, files = outputs(site, ENTRIES)
    atom = etree.fromstring(files["tags/news/atom.xml"])
    assert atom.findtext(f"{ATOM}title") == "Test site: news"
    assert atom.findtext(f"{ATOM}id") == "https://example.org/blog/tags/news/"
    links = {link.get("rel"): link.get("href") for link in atom.iter(f"{ATOM}link")
             if link.getparent() is atom}
    assert links == {"self": "https://example.org/blog/tags/news/atom.xml",
                     "alternate": "https://example.org/blog/tags/news/"}
    assert [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")] == \
        ["Beta", "Alpha"]  # newest first; the draft is left out here too
    rss = etree.fromstring(files["tags/cafe-kuchen/rss.xml"]).find("channel")
    assert rss.findtext("title") == "Test site: Café & Kuchen"
    assert [i.findtext("title") for i in rss.iter("item")] == ["Alpha"]
    feed = json.loads(files["tags/news/feed.json"])
    assert feed["feed_url"] == "https://example.org/blog/tags/news/feed.json"
    assert [i["title"] for i in feed["items"]] == ["Beta", "Alpha"]
    # the same item, the same id, in the main feed and the tag's
    main = json.loads(files["feed.json"])
    assert {i["id"] for i in feed["items"]} <= {i["id"] for i in main["items"]}


def test_the_limit_applies_to_each_tag_feed(site) -> None:
    _, _, files = outputs(site, ENTRIES, "tag_feeds = true\nlimit = 1\n")
    assert [i["title"] for i in json.loads(files["tags/news/feed.json"])["items"]] == ["Beta"]


@pytest.mark.parametrize(("tag", "slug"), [
    ("Café & Kuchen", "cafe-kuchen"), ("漢字", "han-zi"), ("../../etc", "etc"),
    ("C++", "c"), ("  Multiple   Spaces ", "multiple-spaces"), ("Ünïcödé", "unicode"),
])
def test_tag_slugs_are_ascii_lower_case_and_safe(tag: str, slug: str) -> None:
    assert tag_slug(tag) == slug


def test_a_tag_without_letters_or_digits_gets_a_hashed_slug() -> None:
    assert tag_slug("!!!").startswith("tag-") and len(tag_slug("!!!")) == 12
    assert tag_slug("!!!") != tag_slug("???")


def test_tags_that_slugify_alike_share_a_feed_with_a_warning(site) -> None:
    entries = {"a.md": entry("A", "2021-05-13T10:00:00Z", tags="[C++]"),
               "b.md": entry("B", "2021-06-01T10:00:00Z", tags="[C]")}
    _, result, files = outputs(site, entries)
    assert [p for p in files if p.startswith("tags/")] == [
        "tags/c/rss.xml", "tags/c/atom.xml", "tags/c/feed.json"]
    items = json.loads(files["tags/c/feed.json"])["items"]
    assert [i["title"] for i in items] == ["B", "A"]
    assert [w.message for w in result.warnings if "same feed folder" in w.message] == [
        "tags 'C', 'C++' have the same feed folder tags/c/: their entries share one feed, "
        "titled 'C'"]


def test_tag_feeds_are_off_by_default(site) -> None:
    _, _, files = outputs(site, ENTRIES, "")
    assert sorted(files) == ["atom.xml", "feed.json", "rss.xml"]


def test_the_validator_kit_accepts_tag_feeds(site, feedcheck, tmp_path) -> None:
    config, result, _ = outputs(site, ENTRIES)
    written = []
    for path, data in result.outputs.items():
        if "tags" in path.parts:
            target = tmp_path / "out" / path.relative_to(config.output_dir)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            written.append(target)
    feedcheck(*sorted(written))
