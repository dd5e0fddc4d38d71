"""JSON Feed 1.1 (feedpub/outputs/jsonfeed.py): on by default, the same entries, order,
ids and limit as the XML feeds, every field read back from the parsed JSON."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from feedpub.base.problems import ConfigError
from feedpub.build import build
from feedpub.outputs import jsonfeed
from tests.conftest import NOW, entry

ATOM = "{http://www.w3.org/2005/Atom}"


def built(site, entries: dict[str, str], extra: str = "") -> tuple[dict, etree._Element]:
    config = site(entries, extra)
    result = build(config, now=NOW)
    feed = json.loads(result.outputs[config.output_dir / "feed.json"])
    atom = etree.fromstring(result.outputs[config.output_dir / "atom.xml"])
    return feed, atom


ENTRIES = {
    "a.md": entry("Alpha", "2021-05-13T10:00:00+02:00", tags="[one, two]",
                  author='["Ann Lee <ann@example.org>", "Bob Roe"]', summary="Short.",
                  lang="de", body="Some *text* with [a link](../b/)."),
    "b.md": entry("Beta", "2021-06-01T09:30:00Z", updated="2021-06-02T08:00:00Z"),
    "c.md": entry("Gamma", "2021-07-01T10:00:00Z", draft="true"),
}


def test_the_feed_has_the_top_level_fields_of_json_feed_1_1(site) -> None:
    feed, _ = built(site, ENTRIES)
    assert {k: v for k, v in feed.items() if k != "items"} == {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Test site",
        "home_page_url": "https://example.org/blog/",
        "feed_url": "https://example.org/blog/feed.json",
        "description": "A site for tests",
        "language": "en",
        "authors": [{"name": "Default Author", "url": "mailto:default@example.org"}],
    }


def test_items_are_the_atom_entries_in_their_order_with_their_ids(site) -> None:
    feed, atom = built(site, ENTRIES)
    assert [i["id"] for i in feed["items"]] == \
        [e.findtext(f"{ATOM}id") for e in atom.iter(f"{ATOM}entry")]
    assert [i["title"] for i in feed["items"]] == ["Beta", "Alpha"]  # newest first, no draft


def test_an_items_fields(site) -> None:
    feed, atom = built(site, ENTRIES)
    alpha = feed["items"][1]
    assert alpha == {
        "id": "tag:example.org,2021-05-13:a",
        "url": "https://example.org/blog/a/",
        "title": "Alpha",
        "content_html": '<p>Some <em>text</em> with <a href="https://example.org/blog/b/">'
                        "a link</a>.</p>",
        "summary": "Short.",
        "date_published": "2021-05-13T10:00:00+02:00",  # RFC 3339, the offset as written
        "date_modified": "2021-05-13T10:00:00+02:00",
        "authors": [{"name": "Ann Lee", "url": "mailto:ann@example.org"}, {"name": "Bob Roe"}],
        "tags": ["one", "two"],
        "language": "de",
    }
    assert feed["items"][0]["date_modified"] == "2021-06-02T08:00:00+00:00"
    # the same HTML as Atom's content
    first = next(atom.iter(f"{ATOM}entry"))
    assert feed["items"][0]["content_html"] == first.findtext(f"{ATOM}content")


def test_a_summary_only_feed_gives_content_text(site) -> None:
    feed, _ = built(site, ENTRIES, 'content = "summary"\n')
    assert [("content_html" in i, i["content_text"]) for i in feed["items"]] == [
        (False, "Body text."), (False, "Short.")]


def test_the_limit_applies_and_an_empty_feed_is_valid_json_feed(site) -> None:
    feed, _ = built(site, ENTRIES, "limit = 1\n")
    assert [i["title"] for i in feed["items"]] == ["Beta"]
    empty = jsonfeed.document(site({}), _no_entries(), "https://example.org/blog/feed.json", [])
    assert json.loads(bytes(empty))["items"] == []


def _no_entries():
    from feedpub.outputs.registry import Feed

    return Feed("", "Empty", "https://example.org/blog/", ())


def test_formats_chooses_the_outputs(site) -> None:
    config = site({"a.md": entry("A")}, 'formats = ["json", "rss"]\n')
    assert sorted(p.name for p in build(config, now=NOW).outputs) == ["feed.json", "rss.xml"]


@pytest.mark.parametrize(("value", "message"), [
    ('["rss", "jsn"]', "feed.formats has unknown format 'jsn'"),
    ("[]", "feed.formats must be a list of format names"),
    ('"rss"', "feed.formats must be a list of format names"),
    ('["rss", "rss"]', "feed.formats names a format twice"),
])
def test_formats_are_checked(site, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as raised:
        site({"a.md": entry("A")}, f"formats = {value}\n")
    assert message in str(raised.value)


def test_whole_and_count_recognise_only_what_they_make(site) -> None:
    config = site(ENTRIES)
    result = build(config, now=NOW)
    data = result.outputs[config.output_dir / "feed.json"]
    assert jsonfeed.count(data) == 2
    assert jsonfeed.count(b"{}") == jsonfeed.count(b"not json") == 0
    for parts, _ in result.fragments.values():
        assert jsonfeed.whole(parts[2])
        assert not jsonfeed.whole(bytes(parts[2])[:-1])
    assert not jsonfeed.whole(b"    {")


def test_the_validator_kit_accepts_it(site, feedcheck, tmp_path) -> None:
    config = site(ENTRIES)
    path = tmp_path / "feed.json"
    path.write_bytes(build(config, now=NOW).outputs[config.output_dir / "feed.json"])
    feedcheck(path)
