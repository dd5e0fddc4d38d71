"""Feeds that read well in a browser (`[site] pages = true`, feedpub/outputs/browser/):
`feed.xsl` beside the feeds, named by each RSS and Atom document, turning it into a
page that says what a feed is, how to subscribe, and what is in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from feedpub.build import build_and_publish
from feedpub.config import load_config
from tests.conftest import NOW, config_error, entry, run_cli, write_site

PAGES = "\n[site]\npages = true\n"
ENTRIES = {"a.md": entry("Fish & chips <tonight>", "2021-05-01T10:00:00Z", tags="[food]",
                         body="Cod, chips & peas."),
           "b.md": entry("Second", "2021-05-02T10:00:00Z", tags="[food]")}


def published(tmp_path: Path, extra: str = "tag_feeds = true\n" + PAGES) -> Path:
    config = load_config(write_site(tmp_path, ENTRIES, extra=extra))
    build_and_publish(config, now=NOW)
    return config.output_dir


def stylesheet_of(path: Path) -> tuple[str, etree._Element]:
    """The href of the feed's xml-stylesheet instruction, and the page it makes."""
    tree = etree.parse(str(path))
    instructions = [node for node in tree.getroot().itersiblings(preceding=True)
                    if isinstance(node, etree._ProcessingInstruction)]
    assert [pi.target for pi in instructions] == ["xml-stylesheet"]
    href = instructions[0].get("href")
    assert instructions[0].get("type") == "text/xsl"
    transform = etree.XSLT(etree.parse(str((path.parent / href).resolve())))
    return href, etree.HTML(str(transform(tree)))


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_each_feed_turns_into_a_page_that_explains_and_lists(tmp_path: Path, name: str) -> None:
    public = published(tmp_path)
    head = (public / name).read_bytes().split(b"\n")[:2]
    assert head[1] == b'<?xml-stylesheet type="text/xsl" href="feed.xsl"?>'
    _, page = stylesheet_of(public / name)
    assert page.findtext(".//h1") == "Test site"
    assert "This is a web feed" in "".join(page.find(".//header/p").itertext())
    assert page.findtext(".//header//code") == f"https://example.org/blog/{name}"
    items = [(a.text.strip(), a.get("href")) for a in page.iterfind(".//ol/li/h3/a")]
    assert items == [("Second", "https://example.org/blog/b/"),
                     ("Fish & chips <tonight>", "https://example.org/blog/a/")]
    summaries = [p.text for p in page.iterfind(".//ol/li/p")]
    assert summaries[1] == "Cod, chips & peas."  # (RSS: escaped once more, shown once)


def test_feeds_in_folders_name_it_relatively(tmp_path: Path) -> None:
    extra = "tag_feeds = true\nlimit = 1\n\n[archive]\nenabled = true\npage_size = 1\n" + PAGES
    public = published(tmp_path, extra)
    for path in ("tags/food/rss.xml", "tags/food/atom.xml", "archive/1/atom.xml"):
        href, page = stylesheet_of(public / path)
        assert href == "../../feed.xsl"
        assert page.findtext(".//h1")
    assert b"xml-stylesheet" not in (public / "feed.json").read_bytes()
    assert (public / "feed.xsl").read_bytes().startswith(b'<?xml version="1.0"')


def test_off_unless_asked_and_removed_when_turned_off(tmp_path: Path) -> None:
    public = published(tmp_path)
    assert (public / "feed.xsl").is_file()
    write_site(tmp_path, ENTRIES, extra="tag_feeds = true\n")
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert not (public / "feed.xsl").exists()
    assert b"xml-stylesheet" not in (public / "rss.xml").read_bytes()


@pytest.mark.parametrize(("table", "message"), [
    ("pages = 1", "site.pages must be true or false, not 1"),
    ("page = true", "[site] takes one key, pages"),
])
def test_bad_site_settings_are_errors(tmp_path: Path, table: str, message: str) -> None:
    assert message in config_error(tmp_path, ENTRIES, f"[site]\n{table}")


def test_the_validator_kit_accepts_feeds_with_the_stylesheet(tmp_path: Path, feedcheck) -> None:
    public = published(tmp_path)
    feeds = sorted(p for p in public.rglob("*") if p.suffix in (".xml", ".json"))
    proc = feedcheck(*feeds)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_a_build_with_no_entries_is_refused_not_a_crash(tmp_path: Path) -> None:
    published(tmp_path)
    for name in ENTRIES:
        (tmp_path / "entries" / name).unlink()
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 1, result.output
    assert "this build has no entries and would replace public/" in result.output
