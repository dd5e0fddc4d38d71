"""The site's front page (`[site] pages = true`, feedpub/outputs/pages/): the newest
entries, the feeds to subscribe to, autodiscovery links; a site's own template."""

from __future__ import annotations

from pathlib import Path

from lxml import html

from feedpub.build import build
from feedpub.config import load_config
from tests.conftest import NOW, entry, run_cli, write_site

PAGES = "limit = 2\n\n[site]\npages = true\n"
ENTRIES = {"a.md": entry("Oldest", "2021-05-01T10:00:00Z"),
           "b.md": entry("1 < 2 & 3 > 2", "2021-05-02T10:00:00Z",
                         summary='"Short & sweet"'),
           "c.md": entry("Newest", "2021-05-03T10:00:00Z", author="Bo")}


def front(tmp_path: Path, entries: dict[str, str] = ENTRIES, extra: str = PAGES):
    config = load_config(write_site(tmp_path, entries, extra=extra))
    data = build(config, now=NOW).outputs.get(config.output_dir / "index.html")
    return data, (html.document_fromstring(data) if data else None)


def test_the_front_page_has_autodiscovery_links_for_every_feed(tmp_path: Path) -> None:
    data, page = front(tmp_path)
    assert data.startswith(b"<!DOCTYPE html>")
    links = {(link.get("type"), link.get("href"))
             for link in page.iterfind(".//head/link[@rel='alternate']")}
    assert links == {("application/rss+xml", "https://example.org/blog/rss.xml"),
                     ("application/atom+xml", "https://example.org/blog/atom.xml"),
                     ("application/feed+json", "https://example.org/blog/feed.json")}
    assert [c.text for c in page.iterfind(".//section//code")] == [
        "https://example.org/blog/rss.xml", "https://example.org/blog/atom.xml",
        "https://example.org/blog/feed.json"]
    assert [b.get("data-copy") for b in page.iterfind(".//button")] == [
        c.text for c in page.iterfind(".//section//code")]


def test_it_lists_the_newest_entries_escaped(tmp_path: Path) -> None:
    data, page = front(tmp_path)
    articles = page.findall(".//main/article")
    assert [a.find(".//h3/a").text for a in articles] == [
        "Newest", "1 < 2 & 3 > 2"]  # limit = 2, newest first
    assert b"1 &lt; 2 &amp; 3 &gt; 2" in data  # the title is text, escaped
    assert articles[0].find(".//h3/a").get("href") == "https://example.org/blog/c/"
    assert "Bo" in articles[0].find(".//p").text_content()
    assert articles[1].findall(".//p")[1].text == "Short & sweet"
    assert articles[0].find(".//time").get("datetime") == "2021-05-03T10:00:00+00:00"


def test_a_sites_own_template_is_used(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir(parents=True)
    (tmp_path / "templates" / "index.html").write_text(
        "<!DOCTYPE html><title>{{ site.title }}</title>"
        "{% for e in entries %}<p>{{ e.title }}</p>{% endfor %}\n")
    _, page = front(tmp_path)
    assert [p.text for p in page.iterfind(".//p")] == ["Newest", "1 < 2 & 3 > 2"]


def test_a_broken_template_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir(parents=True)
    (tmp_path / "templates" / "index.html").write_text("<p>\n{% for e in entries %}\n")
    write_site(tmp_path, ENTRIES, extra=PAGES)
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 1, result.output
    assert "templates/index.html" in result.output and "template index.html:" in result.output


def test_no_front_page_with_pages_off(tmp_path: Path) -> None:
    data, _ = front(tmp_path, extra="limit = 2\n\n[site]\npages = false\n")
    assert data is None
