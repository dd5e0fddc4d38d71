"""[podcast] (feedpub/outputs/podcast.py, config/podcast.py, entries/episode.py,
notes/podcast.py): the iTunes tags of the RSS feed, an episode's own keys, the rules
directories publish, and media:thumbnail for an entry's image."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from feedpub.build import build, build_and_publish
from feedpub.check import check
from feedpub.config import load_config
from tests.conftest import NOW, config_error, entry, write_site

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
MEDIA = "{http://search.yahoo.com/mrss/}"
ATOM = "{http://www.w3.org/2005/Atom}"

PODCAST = """
[podcast]
category = ["Society & Culture > Documentary", "Technology"]
explicit = false
owner = { name = "Ann Host", email = "ann@example.org" }
image = "/artwork.jpg"
type = "episodic"
"""


def episode(title: str, date: str, **keys: str) -> str:
    keys.setdefault("enclosure", "{url: ep.mp3, length: 1234, type: audio/mpeg}")
    return entry(title, date, **keys)


EPISODES = {
    "e1.md": episode("One", "2021-05-01T10:00:00Z", duration="1:02:03", episode="1",
                     season="2", episode_type="full", explicit="true"),
    "e2.md": episode("Two", "2021-05-02T10:00:00Z", duration='"45:07"', episode="2",
                     image="cover.png"),
    "e3.md": episode("Trailer", "2021-05-03T10:00:00Z", duration="95",
                     episodeType="trailer"),
}


def outputs(site, entries=EPISODES, table: str = PODCAST) -> dict[str, bytes]:
    config = site(entries, table)
    return {p.name: d for p, d in build(config, now=NOW).outputs.items()}


def items(rss: bytes) -> dict[str, etree._Element]:
    root = etree.fromstring(rss)
    return {i.findtext("title"): i for i in root.iter("item")}


def test_the_channel_carries_the_itunes_tags(site) -> None:
    files = outputs(site)
    root = etree.fromstring(files["rss.xml"])
    channel = root.find("channel")
    assert root.nsmap["itunes"] == ITUNES[1:-1]
    categories = [(c.get("text"), [s.get("text") for s in c]) for c in
                  channel.iterfind(f"{ITUNES}category")]
    assert categories == [("Society & Culture", ["Documentary"]), ("Technology", [])]
    assert channel.findtext(f"{ITUNES}explicit") == "false"
    assert channel.find(f"{ITUNES}image").get("href") == "https://example.org/artwork.jpg"
    assert channel.findtext(f"{ITUNES}owner/{ITUNES}name") == "Ann Host"
    assert channel.findtext(f"{ITUNES}owner/{ITUNES}email") == "ann@example.org"
    assert channel.findtext(f"{ITUNES}type") == "episodic"
    assert channel.findtext(f"{ITUNES}author") == "Default Author"  # feed.author's name
    assert b"itunes" not in files["atom.xml"] and b"itunes" not in files["feed.json"]


def test_each_episode_carries_its_own_keys(site) -> None:
    found = items(outputs(site)["rss.xml"])
    one = found["One"]
    assert one.findtext(f"{ITUNES}duration") == "3723"  # 1:02:03, as YAML reads it
    assert (one.findtext(f"{ITUNES}episode"), one.findtext(f"{ITUNES}season")) == ("1", "2")
    assert one.findtext(f"{ITUNES}episodeType") == "full"
    assert one.findtext(f"{ITUNES}explicit") == "true"
    assert found["Two"].findtext(f"{ITUNES}duration") == "2707"  # "45:07"
    assert found["Two"].find(f"{ITUNES}image").get("href") == \
        "https://example.org/blog/e2/cover.png"
    assert found["Two"].find(f"{ITUNES}explicit") is None  # the show's flag holds
    trailer = found["Trailer"]
    assert trailer.findtext(f"{ITUNES}duration") == "95"
    assert trailer.findtext(f"{ITUNES}episodeType") == "trailer"


def test_feedparser_reads_the_podcast(site) -> None:
    parsed = feedparser.parse(outputs(site)["rss.xml"])
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    # (feedparser 6 maps only "yes" and "clean" for itunes:explicit; Apple's spec and the
    # W3C validator take "true" and "false", which is what we write: see above)
    assert parsed.feed.itunes_type == "episodic"
    assert parsed.feed.image.href == "https://example.org/artwork.jpg"
    one = next(e for e in parsed.entries if e.title == "One")
    assert one.itunes_duration == "3723" and one.itunes_episode == "1"
    assert one.enclosures[0].href == "https://example.org/blog/e1/ep.mp3"


def test_json_feed_gives_the_duration_on_the_attachment(site) -> None:
    feed = json.loads(outputs(site)["feed.json"])
    one = next(i for i in feed["items"] if i["title"] == "One")
    assert one["attachments"] == [{"url": "https://example.org/blog/e1/ep.mp3",
                                   "mime_type": "audio/mpeg", "size_in_bytes": 1234,
                                   "duration_in_seconds": 3723}]


def test_an_image_is_a_media_thumbnail_on_any_site(site) -> None:
    files = outputs(site, {"a.md": entry("A", image="pic.webp"), "b.md": entry("B")}, "")
    rss = items(files["rss.xml"])
    assert rss["A"].find(f"{MEDIA}thumbnail").get("url") == \
        "https://example.org/blog/a/pic.webp"
    assert rss["A"].find(f"{ITUNES}image") is None  # no [podcast]
    assert etree.fromstring(files["rss.xml"]).nsmap["media"] == MEDIA[1:-1]
    atom = etree.fromstring(files["atom.xml"])
    thumbs = {e.findtext(f"{ATOM}title"): e.find(f"{MEDIA}thumbnail")
              for e in atom.iter(f"{ATOM}entry")}
    assert thumbs["A"].get("url") == "https://example.org/blog/a/pic.webp"
    assert thumbs["B"] is None
    config = site({"a.md": entry("A", image="pic.webp", tags="[x]"),
                   "b.md": entry("B", tags="[y]")}, "tag_feeds = true\n")
    files = {p.relative_to(config.output_dir).as_posix(): d
             for p, d in build(config, now=NOW).outputs.items()}
    assert b"mrss" in files["tags/x/rss.xml"]
    assert b"mrss" not in files["tags/y/rss.xml"]  # declared only where an item needs it



def test_episode_keys_are_ignored_without_a_podcast(site) -> None:
    files = outputs(site, {"a.md": entry("Stew", duration='"30 minutes"', episode="x")}, "")
    assert b"itunes" not in files["rss.xml"]


@pytest.mark.parametrize(("key", "message"), [
    ('duration: "an hour"', "duration must be seconds or H:MM:SS, not 'an hour'"),
    ('duration: "1:75"', "duration must be seconds or H:MM:SS, not '1:75'"),
    ("episode: 0", "episode must be a whole number from 1, not 0"),
    ('season: "two"', "season must be a whole number from 1, not text 'two'"),
    ("episode_type: teaser", "episode_type must be one of full, trailer, bonus, not 'teaser'"),
    ("explicit: maybe", "explicit must be true or false, not 'maybe'"),
])
def test_bad_episode_keys_are_errors_with_their_line(site, key: str, message: str) -> None:
    name, _, value = key.partition(": ")
    config = site({"e.md": episode("E", "2021-05-01T10:00:00Z", **{name: value})}, PODCAST)
    report = check(config, now=NOW)
    found = [str(p) for p in report.problems if p.severity == "error"]
    assert any(message in p and p.startswith("entries/e.md:") for p in found), found


@pytest.mark.parametrize(("table", "message"), [
    ('category = "Technolgy"', "podcast.category 'Technolgy': 'Technolgy' is not one of "
                               "Apple Podcasts' categories; did you mean 'Technology'?"),
    ('category = "Arts > Poetry"', "'Poetry' is not one of Apple Podcasts' categories"),
    ('explicit = "yes"', "podcast.explicit must be true or false, not 'yes'"),
    ('type = "weekly"', 'podcast.type must be "episodic" or "serial", not \'weekly\''),
    ("owner = 5", "podcast.owner"),
    ('catgory = "Arts"', "unknown key podcast.catgory"),
    ("image = 3", "podcast.image must be the URL of the artwork, not 3"),
])
def test_bad_podcast_settings_are_errors(tmp_path: Path, table: str, message: str) -> None:
    assert message in config_error(tmp_path, EPISODES, f"[podcast]\n{table}")


def test_categories_are_matched_as_apple_spells_them(site) -> None:
    table = PODCAST.replace('["Society & Culture > Documentary", "Technology"]',
                            '"society and culture > documentary"')
    channel = etree.fromstring(outputs(site, table=table)["rss.xml"]).find("channel")
    category = channel.find(f"{ITUNES}category")
    assert (category.get("text"), category[0].get("text")) == ("Society & Culture",
                                                               "Documentary")


def problems(site, entries, table: str, *, strict: bool) -> list[str]:
    config = site(entries, table)
    found = check(config, now=NOW).problems if strict else build(config, now=NOW).warnings
    return [f"{p.severity}: {p.message}" for p in found]


def test_what_directories_refuse_is_a_check_error_and_a_build_warning(site) -> None:
    bare = "\n[podcast]\nexplicit = false\n"  # no artwork, no category
    entries = {**EPISODES, "text.md": entry("Show notes only", "2021-05-04T10:00:00Z")}
    strict = problems(site, entries, bare, strict=True)
    loose = problems(site, entries, bare, strict=False)  # build still writes the feed
    for words in ("[podcast] has no artwork", "[podcast] has no category",
                  "this episode has no audio or video file"):
        assert any(p.startswith("error: " + words) for p in strict), (words, strict)
        assert any(p.startswith("warning: " + words) for p in loose), (words, loose)
    assert not any(p.startswith("error:") for p in loose)


def test_a_podcast_needs_a_language(tmp_path: Path) -> None:
    config_text = "[feed]\ntitle = \"T\"\ndescription = \"D\"\nurl = \"https://ex.org/\"\n"
    write_site(tmp_path, EPISODES, config=config_text, extra=PODCAST)
    report = check(load_config(tmp_path / "feedpub.toml"), now=NOW)
    assert any(p.severity == "error" and p.message.startswith("a podcast needs feed.language")
               for p in report.problems)


def test_what_directories_ask_for_is_a_warning(site) -> None:
    table = PODCAST.replace('owner = { name = "Ann Host", email = "ann@example.org" }\n', "")
    table = table.replace("explicit = false\n", "").replace("episodic", "serial")
    entries = {**EPISODES, "e4.md": episode("Four", "2021-05-04T10:00:00Z",
                                            enclosure="https://cdn.example/four.pdf")}
    found = problems(site, entries, table, strict=True)
    for words in ("podcast.explicit is not set: written as false",
                  "podcast.owner has no e-mail address",
                  "the episode's file https://cdn.example/four.pdf is application/pdf",
                  "the episode's file https://cdn.example/four.pdf has no length",
                  "a serial show's episode without a number"):
        assert any(p == f"warning: {words}" or p.startswith(f"warning: {words}")
                   for p in found), (words, found)
    assert not any(p.startswith("error:") for p in found), found


def test_feedgens_itunes_traps_are_worked_around() -> None:
    """feedgen 1.0.0 refuses "true" for itunes:explicit and drops ".jpeg" artwork:
    outputs/podcast.py writes both itself. If feedgen changes, look again."""
    import lxml.etree  # noqa: F401  (feedgen.util needs it loaded)
    from feedgen.ext.podcast import PodcastExtension

    ext = PodcastExtension()
    with pytest.raises(ValueError):
        ext.itunes_explicit("true")
    ext.itunes_image("https://example.org/art.jpeg")
    assert ext.itunes_image() is None


def test_jpeg_artwork_is_kept(site) -> None:
    table = PODCAST.replace("/artwork.jpg", "/artwork.jpeg")
    channel = etree.fromstring(outputs(site, table=table)["rss.xml"]).find("channel")
    assert channel.find(f"{ITUNES}image").get("href") == "https://example.org/artwork.jpeg"


def test_the_validator_kit_accepts_a_podcast(tmp_path: Path, feedcheck) -> None:
    config = load_config(write_site(tmp_path, EPISODES, extra=PODCAST))
    build_and_publish(config, now=NOW)
    proc = feedcheck(*sorted(config.output_dir.iterdir()))
    assert proc.returncode == 0, proc.stdout + proc.stderr
