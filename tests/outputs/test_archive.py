"""RFC 5005 archives (`[archive]`, feedpub/outputs/archive.py): the whole history in
fixed pages, oldest first, each marked fh:archive and linked to its neighbours and to
the main feed; full pages byte-stable as newer entries come; a main feed holding
every entry marked fh:complete."""

from __future__ import annotations

import json
from pathlib import Path

import feedparser
import pytest
from lxml import etree

from feedpub.build import build, build_and_publish
from feedpub.config import load_config
from feedpub.on_disk import ping_hubs
from tests.conftest import NOW, config_error, entry, run_cli, write_site

ATOM = "{http://www.w3.org/2005/Atom}"
FH = "{http://purl.org/syndication/history/1.0}"
URL = "https://example.org/blog/"


def posts(count: int, start: int = 1) -> dict[str, str]:
    """Entries p01.md... dated a day apart, the later numbers newer."""
    return {f"p{n:02d}.md": entry(f"Post {n}", f"2021-01-{n:02d}T10:00:00Z", tags="[news]")
            for n in range(start, start + count)}


ARCHIVE = "limit = 3\n\n[archive]\nenabled = true\npage_size = 3\n"


def files_of(site, entries: dict[str, str], extra: str = ARCHIVE) -> dict[str, bytes]:
    config = site(entries, extra)
    result = build(config, now=NOW)
    return {p.relative_to(config.output_dir).as_posix(): d for p, d in result.outputs.items()}


def links(data: bytes) -> dict[str, str]:
    """The feed-level links of an RSS or Atom document, by relation (self excepted)."""
    root = etree.fromstring(data)
    parent = root.find("channel") if root.tag == "rss" else root
    return {link.get("rel"): link.get("href") for link in parent
            if link.tag == f"{ATOM}link" and link.get("rel") not in ("self", "alternate")}


def titles(data: bytes) -> list[str]:
    return [e.title for e in feedparser.parse(data).entries]


def test_pages_hold_the_whole_history_oldest_first(site) -> None:
    files = files_of(site, posts(7))
    assert sorted(f for f in files if f.startswith("archive/")) == [
        f"archive/{n}/{name}" for n in (1, 2, 3) for name in ("atom.xml", "feed.json", "rss.xml")]
    assert titles(files["rss.xml"]) == ["Post 7", "Post 6", "Post 5"]  # limit = 3
    assert titles(files["archive/1/atom.xml"]) == ["Post 3", "Post 2", "Post 1"]
    assert titles(files["archive/2/rss.xml"]) == ["Post 6", "Post 5", "Post 4"]
    assert titles(files["archive/3/atom.xml"]) == ["Post 7"]
    page = json.loads(files["archive/2/feed.json"])
    assert [i["title"] for i in page["items"]] == ["Post 6", "Post 5", "Post 4"]


@pytest.mark.parametrize(("name", "ext"), [("rss", "rss.xml"), ("atom", "atom.xml")])
def test_each_page_is_marked_and_linked_to_its_neighbours(site, name: str, ext: str) -> None:
    files = files_of(site, posts(7))
    main = links(files[ext])
    assert main == {"prev-archive": f"{URL}archive/2/{ext}"}  # the newest full page
    assert links(files[f"archive/1/{ext}"]) == {"current": f"{URL}{ext}",
                                               "next-archive": f"{URL}archive/2/{ext}"}
    assert links(files[f"archive/2/{ext}"]) == {
        "current": f"{URL}{ext}", "prev-archive": f"{URL}archive/1/{ext}",
        "next-archive": f"{URL}archive/3/{ext}"}
    assert links(files[f"archive/3/{ext}"]) == {"current": f"{URL}{ext}",
                                               "prev-archive": f"{URL}archive/2/{ext}"}
    for number in (1, 2, 3):
        root = etree.fromstring(files[f"archive/{number}/{ext}"])
        parent = root.find("channel") if name == "rss" else root
        assert parent.find(f"{FH}archive") is not None
        assert parent.find(f"{FH}complete") is None
    main_root = etree.fromstring(files[ext])
    assert not list(main_root.iter(f"{FH}archive")) and not list(main_root.iter(f"{FH}complete"))


def test_a_page_keeps_the_feed_id_and_names_its_number(site) -> None:
    files = files_of(site, posts(7))
    page = etree.fromstring(files["archive/2/atom.xml"])
    assert page.findtext(f"{ATOM}id") == URL  # the same logical feed as the main one
    assert page.findtext(f"{ATOM}title") == "Test site (archive, page 2)"
    assert page.find(f"{ATOM}link[@rel='self']").get("href") == f"{URL}archive/2/atom.xml"


def test_json_feed_pages_chain_from_the_newest_by_next_url(site) -> None:
    files = files_of(site, posts(7))
    chain, url = [], json.loads(files["feed.json"]).get("next_url")
    while url:
        chain.append(url)
        url = json.loads(files[url.removeprefix(URL)]).get("next_url")
    assert chain == [f"{URL}archive/2/feed.json", f"{URL}archive/1/feed.json"]


def test_walking_prev_archive_from_the_main_feed_gives_every_entry(site) -> None:
    entries = posts(11)
    files = files_of(site, entries)
    seen: dict[str, str] = {}
    document = files["atom.xml"]
    while True:
        for item in feedparser.parse(document).entries:
            seen.setdefault(item.id, item.title)
        older = links(document).get("prev-archive")
        if older is None:
            break
        document = files[older.removeprefix(URL)]
    assert sorted(seen.values()) == sorted(f"Post {n}" for n in range(1, 12))


def test_full_pages_keep_their_bytes_as_newer_entries_come(tmp_path: Path) -> None:
    """Entries are added one at a time; once a page is full, its bytes, in every
    format, are the same in every later build, and it is not written again: a build
    writes the main feeds and the open page only (and the next when it fills)."""
    entries: dict[str, str] = {}
    full: dict[str, bytes] = {}
    for n in range(1, 14):
        entries.update(posts(1, start=n))
        config = load_config(write_site(tmp_path / "site", entries, extra=ARCHIVE))
        _, written = build_and_publish(config, now=NOW)
        on_disk = {p.relative_to(config.output_dir).as_posix(): p.read_bytes()
                   for p in config.output_dir.rglob("*") if p.is_file()}
        changed = {w.path.relative_to(config.output_dir).as_posix()
                   for w in written if w.changed}
        for name, data in full.items():
            assert on_disk[name] == data, f"{name} changed when post {n} was added"
            assert name not in changed
        if n > 3:  # pages exist: the main feed no longer holds every entry
            for page in range(1, n // 3 + 1):  # every full page
                for ext in ("rss.xml", "atom.xml", "feed.json"):
                    full.setdefault(f"archive/{page}/{ext}", on_disk[f"archive/{page}/{ext}"])
            assert n == 4 or changed <= {"rss.xml", "atom.xml", "feed.json",
                               *(f"archive/{page}/{ext}" for ext in
                                 ("rss.xml", "atom.xml", "feed.json")
                                 for page in {(n - 1) // 3 + 1, n // 3 + 1})}
    assert len(full) == 12  # pages 1 to 4, each in three formats, stayed as they were


def test_the_page_after_the_last_full_one_is_written_empty(site, feedcheck, tmp_path) -> None:
    files = files_of(site, posts(6))
    page = etree.fromstring(files["archive/3/atom.xml"])
    assert page.find(f"{ATOM}entry") is None and page.find(f"{FH}archive") is not None
    # dated as the newest entry before it, not by the clock or 1970
    assert page.findtext(f"{ATOM}updated") == "2021-01-06T10:00:00+00:00"
    assert links(files["archive/2/atom.xml"])["next-archive"] == f"{URL}archive/3/atom.xml"
    # a reader walking back from the main feed meets only full pages
    assert links(files["atom.xml"])["prev-archive"] == f"{URL}archive/2/atom.xml"
    for name in ("rss.xml", "atom.xml", "feed.json"):
        (tmp_path / name).write_bytes(files[f"archive/3/{name}"])
    proc = feedcheck(*(tmp_path / n for n in ("rss.xml", "atom.xml", "feed.json")))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("extra", [ARCHIVE.replace("limit = 3", "limit = 0"),
                                   ARCHIVE.replace("limit = 3", "limit = 5")])
def test_a_main_feed_with_every_entry_is_complete_and_has_no_pages(site, extra: str) -> None:
    files = files_of(site, posts(5), extra)
    assert sorted(files) == ["atom.xml", "feed.json", "rss.xml"]
    for name in ("rss.xml", "atom.xml"):
        root = etree.fromstring(files[name])
        assert len(list(root.iter(f"{FH}complete"))) == 1
        assert links(files[name]) == {}
    assert "next_url" not in json.loads(files["feed.json"])


def test_the_main_feed_holds_every_entry_not_yet_on_a_full_page(site) -> None:
    """RFC 5005 section 4: a reader may stop walking back at a page it has seen, so
    the pages it walks must never change, and what is newer is in the main feed."""
    files = files_of(site, posts(9), "limit = 2\n\n[archive]\nenabled = true\npage_size = 5\n")
    assert titles(files["rss.xml"]) == ["Post 9", "Post 8", "Post 7", "Post 6"]  # not 2
    assert links(files["rss.xml"]) == {"prev-archive": f"{URL}archive/1/rss.xml"}
    assert titles(files["archive/2/rss.xml"]) == ["Post 9", "Post 8", "Post 7", "Post 6"]
    assert links(files["archive/2/rss.xml"]) == {"current": f"{URL}rss.xml",
                                                "prev-archive": f"{URL}archive/1/rss.xml"}


def test_before_a_page_is_full_the_main_feed_is_complete(site) -> None:
    files = files_of(site, posts(7), "limit = 2\n\n[archive]\nenabled = true\npage_size = 10\n")
    assert sorted(files) == ["atom.xml", "feed.json", "rss.xml"]
    assert len(titles(files["atom.xml"])) == 7
    assert len(list(etree.fromstring(files["atom.xml"]).iter(f"{FH}complete"))) == 1


def test_without_archive_nothing_changes(site) -> None:
    files = files_of(site, posts(5), "limit = 3\n")
    assert sorted(files) == ["atom.xml", "feed.json", "rss.xml"]
    assert b"purl.org/syndication/history" not in files["rss.xml"] + files["atom.xml"]
    assert links(files["rss.xml"]) == {} and "next_url" not in json.loads(files["feed.json"])


def test_pages_name_no_hub_and_are_not_pinged(site) -> None:
    config = site(posts(7), ARCHIVE + '\n[websub]\nhubs = ["https://hub.example/"]\n')
    files = {p.relative_to(config.output_dir).as_posix(): d
             for p, d in build(config, now=NOW).outputs.items()}
    assert links(files["rss.xml"])["hub"] == "https://hub.example/"
    assert "hub" not in links(files["archive/1/rss.xml"])
    assert "hubs" not in json.loads(files["archive/1/feed.json"])
    told: list[list[str]] = []
    import feedpub.publish.ping as ping_module

    original = ping_module.ping
    try:
        ping_module.ping = lambda hubs, urls, **_: told.append(list(urls)) or []
        ping_hubs(config, [config.output_dir / name for name in sorted(files)])
    finally:
        ping_module.ping = original
    assert told == [[f"{URL}atom.xml", f"{URL}feed.json", f"{URL}rss.xml"]]


def test_build_reports_pages_and_where_older_entries_went(tmp_path: Path) -> None:
    write_site(tmp_path, posts(7), extra=ARCHIVE)
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert "wrote public/rss.xml (3 of 7 entries; 4 older in the archive pages)" in \
        result.output
    assert "wrote 3 archive pages under public/ (9 of 9 files changed)" in result.output


@pytest.mark.parametrize(("table", "message"), [
    ("enabled = 1", "archive.enabled must be true or false, not 1"),
    ("page_size = 0", "archive.page_size must be a whole number from 1 to 10000, not 0"),
    ("page_size = 2.5", "archive.page_size must be a whole number from 1 to 10000, not 2.5"),
    ("size = 5", "[archive] takes two keys, enabled and page_size"),
])
def test_bad_archive_settings_are_errors(tmp_path: Path, table: str, message: str) -> None:
    assert message in config_error(tmp_path, posts(1), f"[archive]\n{table}")


def test_page_size_defaults_to_50(site) -> None:
    from datetime import datetime, timedelta

    many = {f"q{n:03d}.md": entry(f"Q {n}", (datetime(2021, 1, 1) + timedelta(days=n))
                                  .strftime("%Y-%m-%dT10:00:00Z")) for n in range(52)}
    files = files_of(site, many, "limit = 3\n[archive]\nenabled = true\n")
    assert titles(files["archive/1/rss.xml"]) == [f"Q {n}" for n in range(49, -1, -1)]
    assert titles(files["archive/2/rss.xml"]) == ["Q 51", "Q 50"]  # the open page
    assert "archive/3/rss.xml" not in files


def test_the_validator_kit_accepts_every_page(tmp_path: Path, feedcheck) -> None:
    config = load_config(write_site(tmp_path / "site", posts(8), extra=ARCHIVE))
    build_and_publish(config, now=NOW)
    written = sorted(p for p in config.output_dir.rglob("*") if p.is_file())
    assert len(written) == 12
    proc = feedcheck(*written)
    assert proc.returncode == 0, proc.stdout + proc.stderr
