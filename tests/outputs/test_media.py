"""Enclosures and images (feedpub/entries/media.py) in every format: RSS <enclosure>,
Atom link rel="enclosure" with type and length (feedgen 1.0.0 loses all three on
entry links: written by our extension), JSON Feed attachments and image."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from feedpub.build import build
from feedpub.entries.loading import load_entries
from tests.conftest import NOW, entry

ATOM = "{http://www.w3.org/2005/Atom}"


def outputs(site, entries: dict[str, str | bytes]):
    config = site(entries)
    out = build(config, now=NOW).outputs
    return (etree.fromstring(out[config.output_dir / "rss.xml"]),
            etree.fromstring(out[config.output_dir / "atom.xml"]),
            json.loads(out[config.output_dir / "feed.json"]))


EPISODE = {
    "ep/index.md": entry("Episode", "2021-05-13T10:00:00Z", image="cover.jpg",
                         enclosure="episode.mp3"),
    "ep/episode.mp3": b"\0" * 12345,  # beside the entry: its length is read from disk
    "old.md": entry("Old", "2021-05-12T10:00:00Z", enclosure="\n  - {url: "
                    '"https://cdn.example/o.m4a", length: 999, type: audio/x-m4a}\n'
                    "  - https://cdn.example/o.pdf"),
}


def test_enclosures_in_every_format(site) -> None:
    rss, atom, feed = outputs(site, EPISODE)
    items = {i.findtext("title"): i for i in rss.iter("item")}
    assert dict(items["Episode"].find("enclosure").attrib) == {
        "url": "https://example.org/blog/ep/episode.mp3", "length": "12345",
        "type": "audio/mpeg"}  # relative: beside the entry's page; type from the extension
    assert len(items["Old"].findall("enclosure")) == 1  # RSS: the first only
    entries = {e.findtext(f"{ATOM}title"): e for e in atom.iter(f"{ATOM}entry")}
    assert [dict(link.attrib) for link in entries["Old"].findall(f"{ATOM}link")] == [
        {"href": "https://example.org/blog/old/", "rel": "alternate"},
        {"href": "https://cdn.example/o.m4a", "rel": "enclosure", "type": "audio/x-m4a",
         "length": "999"},
        {"href": "https://cdn.example/o.pdf", "rel": "enclosure", "type": "application/pdf",
         "length": "0"}]  # an unknown length is 0, as RSS asks
    items_json = {i["title"]: i for i in feed["items"]}
    assert items_json["Episode"]["attachments"] == [
        {"url": "https://example.org/blog/ep/episode.mp3", "mime_type": "audio/mpeg",
         "size_in_bytes": 12345}]
    assert items_json["Episode"]["image"] == "https://example.org/blog/ep/cover.jpg"
    assert items_json["Old"]["attachments"][1] == {"url": "https://cdn.example/o.pdf",
                                                   "mime_type": "application/pdf"}


def test_a_file_outside_the_entries_folder_is_never_measured(site) -> None:
    config = site({"a.md": entry("A", enclosure="../../../../etc/passwd")})
    (entry_,) = load_entries(config).entries
    assert entry_.enclosures[0][1] == 0


@pytest.mark.parametrize(("value", "message"), [
    ("42", "enclosure must be a URL or a table with a url, not a number (42)"),
    ('"javascript:alert(1)"', "enclosure 'javascript:alert(1)' is not an http(s) URL"),
    ("{url: a.mp3, length: -1}", "enclosure length must be a number of bytes, not -1"),
])
def test_a_bad_enclosure_is_an_error_naming_it(site, value: str, message: str) -> None:
    loaded = load_entries(site({"a.md": entry("A", enclosure=value)}))
    assert loaded.entries == ()
    assert [p.message for p in loaded.problems] == [message]


def test_feeds_with_enclosures_pass_the_validator_kit(site, feedcheck, tmp_path) -> None:
    config = site(EPISODE)
    out = tmp_path / "out"
    out.mkdir()
    for path, data in build(config, now=NOW).outputs.items():
        (out / path.name).write_bytes(data)
    feedcheck(*sorted(out.iterdir()))


def test_odd_local_enclosure_paths_are_measured_or_left_at_0(site) -> None:
    config = site({"a.md": entry("A", enclosure='"a%00.mp3"'),
                   "b.md": entry("B", "2021-05-12T10:00:00Z", enclosure='"ep.mp3?v=2"'),
                   "ep.mp3": b"\0" * 77})
    lengths = {e.title: e.enclosures[0][1] for e in load_entries(config).entries}
    assert lengths == {"A": 0, "B": 77}  # a NUL in the name: no file; a query: the file
