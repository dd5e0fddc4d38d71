"""Each entry's own page at its link ([site] pages, on by default: outputs/pages/entry.py),
so that every item's link resolves when the output folder is served as it is."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from lxml import etree, html

from feedpub.build import build, build_and_publish
from feedpub.config import load_config
from feedpub.publish.write import Publisher
from tests.conftest import NOW, entry, run_cli, write_site
from tests.html5 import html5_errors

PAGES = "[site]\npages = true\n"
ATOM = {"a": "http://www.w3.org/2005/Atom"}
ENTRIES = {
    "a.md": entry("Oldest", "2021-05-01T10:00:00Z", body="First *post*.\n\n![a map](map.png)"),
    "b.md": entry("1 < 2 & 'quotes'", "2021-05-02T10:00:00Z", tags="[news, tips]",
                  author="Bo"),
    "c.md": entry("Newest", "2021-05-03T10:00:00Z",
                  body="<script>alert(1)</script>Safe <b>bold</b>."),
    "draft.md": entry("A draft", "2021-05-04T10:00:00Z", draft="true"),
    "later.md": entry("In the future", "2031-01-01T10:00:00Z"),
    "away.md": entry("Elsewhere", "2021-04-01T10:00:00Z",
                     link="https://other.example.net/article"),
}


def site_config(root: Path, entries: dict[str, str] = ENTRIES, extra: str = "limit = 1\n",
                config_tail: str = PAGES):
    return load_config(write_site(root, entries, extra=extra + "\n" + config_tail))


def outputs(config) -> dict[str, bytes]:
    result = build(config, now=NOW)
    return {p.relative_to(config.output_dir).as_posix(): data
            for p, data in result.outputs.items()}


def test_every_published_entry_gets_a_page_at_its_link(tmp_path: Path) -> None:
    files = outputs(site_config(tmp_path))
    pages = sorted(name for name in files if name.endswith(".html"))
    # limit = 1 keeps two of them out of the feed, not out of the site; a draft, a
    # future entry and an entry whose link is another site's get none
    assert pages == ["a/index.html", "b/index.html", "c/index.html", "index.html"]
    for name in ("a", "b", "c"):
        page = html.document_fromstring(files[f"{name}/index.html"])
        assert page.find(".//head/link[@rel='canonical']").get("href") == \
            f"https://example.org/blog/{name}/"
        assert html5_errors(files[f"{name}/index.html"]) == []


def test_a_page_holds_the_same_sanitised_html_as_the_feed(tmp_path: Path) -> None:
    files = outputs(site_config(tmp_path, extra=""))  # every entry in the feed
    atom = etree.fromstring(files["atom.xml"])
    for item in atom.iterfind("a:entry", ATOM):
        link = item.find("a:link[@rel='alternate']", ATOM).get("href")
        if not link.startswith("https://example.org/blog/"):
            continue  # (another site's article: no page here)
        content = item.findtext("a:content", namespaces=ATOM)
        page = files[link.removeprefix("https://example.org/blog/") + "index.html"]
        assert content.encode() in page  # the very same HTML, as it is
    newest = files["c/index.html"]
    assert b"<script" not in newest and b"<b>bold</b>" in newest
    # relative URLs are absolute, against the entry's page
    image = html.document_fromstring(files["a/index.html"]).find(".//article//img")
    assert image.get("src") == "https://example.org/blog/a/map.png"


def test_a_page_says_what_the_entry_is_escaped(tmp_path: Path) -> None:
    data = outputs(site_config(tmp_path))["b/index.html"]
    page = html.document_fromstring(data)
    assert page.findtext(".//title") == "1 < 2 & 'quotes' · Test site"
    assert page.findtext(".//h1") == "1 < 2 & 'quotes'"
    assert b"1 &lt; 2 &amp; &#39;quotes&#39;" in data
    meta = page.find(".//main//p[@class='muted']")
    assert meta.find("time").get("datetime") == "2021-05-02T10:00:00+00:00"
    assert meta.text_content() == "2 May 2021 · Bo"
    assert page.find(".//main").text_content().strip().endswith("Tags: news, tips")
    assert page.find(".//body/header//a").get("href") == "https://example.org/blog/"


def test_every_page_has_autodiscovery_links_for_the_feeds(tmp_path: Path) -> None:
    page = html.document_fromstring(outputs(site_config(tmp_path))["a/index.html"])
    assert [(link.get("type"), link.get("href"))
            for link in page.iterfind(".//head/link[@rel='alternate']")] == [
        ("application/rss+xml", "https://example.org/blog/rss.xml"),
        ("application/atom+xml", "https://example.org/blog/atom.xml"),
        ("application/feed+json", "https://example.org/blog/feed.json")]


def test_a_permalink_pattern_puts_the_page_where_the_link_points(tmp_path: Path) -> None:
    entries = {"x.md": entry("X", "2022-03-04T10:00:00Z", slug="hello"),
               "y.md": entry("Y", "2022-03-05T10:00:00Z", slug="日本語")}
    files = outputs(site_config(tmp_path, entries,
                                extra='permalink = "/blog/{year}/{slug}.html"\n'))
    assert {n for n in files if n.endswith(".html")} == {
        "index.html", "2022/hello.html", "2022/日本語.html"}  # the link, decoded
    atom = etree.fromstring(files["atom.xml"])
    assert [e.get("href") for e in atom.iterfind("a:entry/a:link", ATOM)] == [
        "https://example.org/blog/2022/%E6%97%A5%E6%9C%AC%E8%AA%9E.html",
        "https://example.org/blog/2022/hello.html"]


def test_links_that_are_no_page_of_this_site_get_none(tmp_path: Path) -> None:
    entries = {"feed.md": entry("A feed", "2022-03-04T10:00:00Z",
                                link="https://example.org/blog/other.xml"),
               "home.md": entry("Home", "2022-03-05T10:00:00Z",
                                link="https://example.org/blog/"),
               "query.md": entry("Query", "2022-03-06T10:00:00Z",
                                 link="https://example.org/blog/p?id=3"),
               "root.md": entry("Above the site", "2022-03-07T10:00:00Z",
                                link="https://example.org/elsewhere/"),
               "plain.md": entry("No slash", "2022-03-08T10:00:00Z",
                                 link="https://example.org/blog/no-slash")}
    files = outputs(site_config(tmp_path, entries, extra=""))
    # a link with no extension is a folder, which static hosts redirect to
    assert sorted(n for n in files if n.endswith(".html")) == [
        "index.html", "no-slash/index.html"]
    assert b"<h1>Home</h1>" not in files["index.html"]  # the front page stays


def test_a_page_that_would_replace_another_file_is_left_out_with_a_warning(
        tmp_path: Path) -> None:
    entries = {"a.md": entry("One", "2022-03-04T10:00:00Z", slug="twin"),
               "b.md": entry("Two", "2022-03-05T10:00:00Z",
                             link="https://example.org/blog/twin/index.html"),
               "c.md": entry("Over the feed", "2022-03-06T10:00:00Z",
                             link="https://example.org/blog/index.html")}
    config = site_config(tmp_path, entries, extra="")
    result = build(config, now=NOW)
    page = result.outputs[config.output_dir / "twin" / "index.html"]
    assert b"<h1>Two</h1>" in page  # the newer one; the other is said
    warnings = {w.path: w.message for w in result.warnings if "gets no page" in w.message}
    assert warnings == {
        "entries/a.md": "this entry's page would be written to twin/index.html, where the "
                        "page of entries/b.md goes; it gets no page",
        "entries/c.md": "this entry's page would be written to index.html, where a feed "
                        "of the site goes; it gets no page"}
    assert b"Over the feed</h1>" not in result.outputs[config.output_dir / "index.html"]


def test_a_sites_own_entry_template_is_used_and_noncharacters_never_reach_it(
        tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "entry.html").write_text(
        "<!DOCTYPE html><title>{{ entry.title }}</title><main>{{ entry.html }}</main>\n")
    entries = {"a.md": entry("Bad\ufdd0 title", body="Text\U0010ffff here.")}
    data = outputs(site_config(tmp_path, entries, extra=""))["a/index.html"]
    assert data == (b"<!DOCTYPE html><title>Bad title</title><main><p>Text here.</p>"
                    b"</main>\n")


def test_a_broken_entry_template_is_an_error_with_its_line(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "entry.html").write_text("<p>\n{{ entry.nonesuch }}\n")
    write_site(tmp_path, {"a.md": entry()}, extra=PAGES)
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 1, result.output
    assert "templates/entry.html:2: error: template entry.html (making the page of " \
           "entries/a.md):" in result.output
    assert "nonesuch" in result.output
    assert not (tmp_path / "public").exists()  # nothing written


def test_pages_are_on_by_default_but_not_on_another_generators_site(tmp_path: Path) -> None:
    def config(root: Path, text: str):
        root.mkdir()
        (root / "entries").mkdir()
        (root / "feedpub.toml").write_text(text)  # (write_site would turn pages off)
        return load_config(root / "feedpub.toml")

    assert config(tmp_path / "plain", SITE_CONFIG).pages
    (tmp_path / "jekyll").mkdir()
    (tmp_path / "jekyll" / "_config.yml").write_text("title: A Jekyll site\n")
    assert not config(tmp_path / "jekyll" / "a", SITE_CONFIG.replace(
        "[feed]\n", '[feed]\nfrom = "jekyll"\n')).pages
    assert config(tmp_path / "jekyll" / "b", SITE_CONFIG.replace(
        "[feed]\n", '[feed]\nfrom = "jekyll"\n') + PAGES).pages  # unless asked


SITE_CONFIG = """\
[feed]
title = "Test site"
description = "A site for tests"
url = "https://example.org/blog/"
"""


def test_a_rebuild_writes_only_the_pages_that_changed(tmp_path: Path) -> None:
    config = site_config(tmp_path)
    build_and_publish(config, now=NOW)
    out = config.output_dir
    pages = {p: os.stat(p).st_mtime_ns for p in out.rglob("*/index.html")}
    assert len(pages) == 3
    for page in pages:
        os.utime(page, ns=(1_000_000_000, 1_000_000_000))
    kept = {p: os.stat(p).st_mtime_ns for p in pages}
    (tmp_path / "entries" / "a.md").write_text(entry("Oldest, corrected",
                                                     "2021-05-01T10:00:00Z"))
    _, written = build_and_publish(config, now=NOW)
    assert {w.path for w in written if w.changed} >= {out / "a" / "index.html"}
    assert b"Oldest, corrected" in (out / "a" / "index.html").read_bytes()
    assert {p: os.stat(p).st_mtime_ns for p in pages if p.parent.name != "a"} == {
        p: t for p, t in kept.items() if p.parent.name != "a"}  # not even rewritten
    # An entry taken away takes its page (and folder) with it.
    (tmp_path / "entries" / "b.md").unlink()
    build_and_publish(config, now=NOW)
    assert not (out / "b").exists()


def test_a_changed_template_makes_every_page_again(tmp_path: Path) -> None:
    config = site_config(tmp_path)
    build_and_publish(config, now=NOW)
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "entry.html").write_text("<p>{{ entry.title }}</p>\n")
    config = site_config(tmp_path)  # (as the next `feedpub build` reads it)
    build_and_publish(config, now=NOW)
    assert (config.output_dir / "c" / "index.html").read_text() == "<p>Newest</p>\n"
    (tmp_path / "templates" / "entry.html").write_text("<p>{{ entry.title }}!</p>\n")
    build_and_publish(site_config(tmp_path), now=NOW)
    assert (config.output_dir / "c" / "index.html").read_text() == "<p>Newest!</p>\n"


def test_pages_are_made_a_few_at_a_time_with_a_sink(tmp_path: Path) -> None:
    entries = {f"p{n:02}.md": entry(f"Post {n}", f"2021-01-{n:02}T10:00:00Z")
               for n in range(1, 31)}
    config = site_config(tmp_path, entries)
    staged: list[int] = []

    class Recording(Publisher):
        def stage(self, outputs):
            staged.append(sum(p.name == "index.html" for p in outputs))
            return super().stage(outputs)

    with Recording(config.output_dir) as publisher:
        result = build(config, now=NOW, sink=publisher)
        publisher.add(result.outputs)
        publisher.commit()
    in_memory = [p for p in result.outputs if p.parent != config.output_dir]
    assert in_memory == []  # only the feeds and the front page were held
    assert sum(staged) == 30 + 1 and max(staged) < 30
    assert (config.output_dir / "p17" / "index.html").is_file()


def test_pages_never_replace_a_page_feedpub_did_not_write(tmp_path: Path) -> None:
    write_site(tmp_path, ENTRIES, extra=PAGES)
    (tmp_path / "public").mkdir()
    (tmp_path / "public" / "index.html").write_text("<h1>My own site</h1>\n")
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 1, result.output
    assert "public/index.html: error: the site's pages would replace public/index.html, " \
           "which feedpub did not write (or wrote from a template without feedpub's " \
           "generator tag); nothing was written" in result.output
    checked = run_cli(tmp_path, "build", "--check")  # says what build would
    assert checked.exit_code == 1 and "the site's pages would replace" in checked.output
    assert "pages = false" in result.output
    assert sorted(p.name for p in (tmp_path / "public").iterdir()) == ["index.html"]
    # --feeds-only adds the feeds and leaves the site's own page alone
    result = run_cli(tmp_path, "build", "--feeds-only")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "public").iterdir()) == [
        "atom.xml", "feed.json", "index.html", "rss.xml"]
    assert (tmp_path / "public" / "index.html").read_text() == "<h1>My own site</h1>\n"
    assert b'xml-stylesheet' not in (tmp_path / "public" / "rss.xml").read_bytes()


def test_a_page_feedpub_wrote_is_replaced_even_without_the_cache(tmp_path: Path) -> None:
    write_site(tmp_path, ENTRIES, extra=PAGES)
    assert run_cli(tmp_path, "build").exit_code == 0
    (tmp_path / "entries" / "a.md").write_text(entry("Oldest, again", "2021-05-01T10:00:00Z"))
    result = run_cli(tmp_path, "build", "--no-cache")
    assert result.exit_code == 0, result.output
    for cache in (tmp_path / ".feedpub-cache").iterdir():
        cache.unlink()  # (a fresh clone: the output folder alone says what is feedpub's)
    (tmp_path / "entries" / "a.md").write_text(entry("Oldest, once more",
                                                     "2021-05-01T10:00:00Z"))
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert b"Oldest, once more" in (tmp_path / "public" / "a" / "index.html").read_bytes()
    assert "wrote 3 entry pages under public/" in result.output


def test_a_tables_obsolete_attributes_become_css_on_the_page(tmp_path: Path) -> None:
    body = ("| a | b |\n|:-:|--:|\n| 1 | 2 |\n\n"
            '<table summary="s" align="left"><tr align="right"><td char="." '
            'align="middle">x</td></tr></table>\n\n<hr size="2" width="50%">\n')
    files = outputs(site_config(tmp_path, {"t.md": entry("Table", body=body)}, extra=""))
    atom = etree.fromstring(files["atom.xml"])
    feed_html = atom.findtext("a:entry/a:content", namespaces=ATOM)
    assert '<th align="center">a</th>' in feed_html  # the feed keeps them, as readers do
    page = files["t/index.html"].decode()
    assert '<th style="text-align: center">a</th>' in page
    assert '<td style="text-align: right">2</td>' in page
    assert '<table><tbody><tr style="text-align: right"><td>x</td></tr></tbody></table>' in page
    assert "<hr>" in page and "align=" not in page and "summary=" not in page
    assert html5_errors(files["t/index.html"]) == []


def test_a_slug_with_a_dot_still_gets_its_page(tmp_path: Path) -> None:
    entries = {"r.md": entry("Release", "2024-03-04T10:00:00Z", slug="release-1.2")}
    files = outputs(site_config(tmp_path, entries, extra='permalink = "{year}/{slug}"\n'))
    assert "2024/release-1.2/index.html" in files  # served at /2024/release-1.2 (redirect)


def test_an_entry_on_the_site_without_a_page_is_said(tmp_path: Path) -> None:
    entries = {"f.md": entry("A file", "2022-03-04T10:00:00Z",
                             link="https://example.org/blog/report.pdf"),
               "q.md": entry("Query", "2022-03-05T10:00:00Z",
                             link="https://example.org/blog/p?id=3")}
    config = site_config(tmp_path, entries, extra="")
    result = build(config, now=NOW)
    assert {w.path: w.message for w in result.warnings if "no page" in w.message} == {
        "entries/f.md": "its link https://example.org/blog/report.pdf is on the site, but "
                        "its link names a file (report.pdf): it gets no page of its own",
        "entries/q.md": "its link https://example.org/blog/p?id=3 is on the site, but its "
                        "link has a query or a fragment: it gets no page of its own"}


def test_a_page_inside_a_feeds_name_is_left_out_and_the_build_completes(
        tmp_path: Path) -> None:
    entries = {"a.md": entry("Named like a feed", "2022-03-04T10:00:00Z", slug="rss.xml"),
               "b.md": entry("Fine", "2022-03-05T10:00:00Z")}
    write_site(tmp_path, entries, extra=PAGES)
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert "entries/a.md: warning: this entry's page would be written to " \
           "rss.xml/index.html, inside rss.xml, which is a feed of the site; it gets no " \
           "page" in result.output
    assert (tmp_path / "public" / "rss.xml").is_file()
    assert (tmp_path / "public" / "b" / "index.html").is_file()


def test_a_template_that_fails_for_one_entry_names_it(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "entry.html").write_text(
        "<!DOCTYPE html>\n<title>{{ entry.title }}</title>\n{{ entry.tags[0] }}\n"
        "{{ entry.title + 1 }}\n")
    write_site(tmp_path, {"odd.md": entry("Odd", tags="[one]")}, extra=PAGES)
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 1, result.output
    assert "templates/entry.html:4: error: template entry.html (making the page of " \
           "entries/odd.md): TypeError: " in result.output
    assert "Traceback" not in result.output


def test_a_sites_own_stylesheet_restyles_feedpubs_templates(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "style.css").write_text("body { color: teal; }\n")
    files = outputs(site_config(tmp_path, {"a.md": entry("A")}, extra=""))
    for name in ("index.html", "a/index.html"):
        style = html.document_fromstring(files[name]).findtext(".//head/style")
        assert style == "\nbody { color: teal; }\n", name


def test_a_sites_template_without_the_generator_tag_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "entry.html").write_text("<p>{{ entry.title }}</p>\n")
    (tmp_path / "templates" / "index.html").write_text(
        "<meta content='feedpub' name=generator><p>{{ site.title }}</p>\n")
    write_site(tmp_path, {"a.md": entry()}, extra=PAGES)
    expected = ('templates/entry.html: warning: makes pages without <meta '
                'name="generator" content="feedpub"> in their head: without the build cache')
    for command in ("build", "check"):
        result = run_cli(tmp_path, command)
        assert expected in result.output, command
        assert "templates/index.html: warning" not in result.output  # it has one


def test_a_template_syntax_error_names_no_entry(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "entry.html").write_text("<p>\n{% if %}\n")
    write_site(tmp_path, {"a.md": entry()}, extra=PAGES)
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 1
    assert "templates/entry.html:2: error: template entry.html: " in result.output
    assert "making the page of" not in result.output


def test_the_generator_tag_is_judged_on_the_pages_made(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "base.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="generator" content="feedpub"><title>{% block title %}{% endblock %}'
        "</title></head><body>{% block body %}{% endblock %}</body></html>\n")
    (tmp_path / "templates" / "entry.html").write_text(  # the tag comes from base.html
        '{% extends "base.html" %}{% block title %}{{ entry.title }}{% endblock %}'
        "{% block body %}{{ entry.html }}{% endblock %}")
    (tmp_path / "templates" / "index.html").write_text(  # the tag after 10 KB of style
        "<!DOCTYPE html><style>" + "p{}" * 2500 + '</style><meta name="generator" '
        'content="feedpub"><p>{{ site.title }}</p>\n')
    write_site(tmp_path, {"a.md": entry()}, extra=PAGES)
    for command in ("build", "check"):
        result = run_cli(tmp_path, command)
        assert result.exit_code == 0 and "generator" not in result.output, command
    for cache in (tmp_path / ".feedpub-cache").iterdir():
        cache.unlink()  # (a fresh clone): both are still feedpub's pages
    (tmp_path / "entries" / "a.md").write_text(entry("Hello again"))
    assert run_cli(tmp_path, "build").exit_code == 0


def test_a_config_made_in_code_sees_its_templates_change(tmp_path: Path) -> None:
    from feedpub.config.load import validate_config

    write_site(tmp_path, {"a.md": entry()}, extra=PAGES)
    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "index.html"
    data = tomllib.loads((tmp_path / "feedpub.toml").read_text())
    config = validate_config(data, tmp_path / "feedpub.toml")  # (no digest)
    for word in ("ONE", "TWO"):
        page.write_text(f"<p>{word}</p>\n")
        assert build(config, now=NOW).outputs[config.output_dir / "index.html"] == \
            f"<p>{word}</p>\n".encode()
