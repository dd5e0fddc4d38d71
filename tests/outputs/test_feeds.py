"""Every rule of the RSS 2.0 and Atom 1.0 output, asserted on the parsed XML."""

from __future__ import annotations

import feedparser
import pytest
from lxml import etree

from feedpub.build import build

from ..conftest import NOW, NS, entry

A = "{http://www.w3.org/2005/Atom}"
XML = "{http://www.w3.org/XML/1998/namespace}"


def items(rss: etree._Element) -> list[etree._Element]:
    return rss.findall("channel/item")


def atom_entries(atom: etree._Element) -> list[etree._Element]:
    return atom.findall(f"{A}entry")


def test_newest_first_ties_broken_by_id_not_file_order(feeds) -> None:
    same = "2021-05-13T10:00:00Z"
    rss, atom = feeds({
        "b.md": entry("B", same, id="tag:example.org,2021:b"),
        "c.md": entry("C", "2021-05-14T10:00:00Z"),
        "a.md": entry("A", same, id="tag:example.org,2021:a"),
        "z/old.md": entry("Old", "2020-01-01"),
    })
    assert [i.findtext("title") for i in items(rss)] == ["C", "A", "B", "Old"]
    assert [e.findtext(f"{A}title") for e in atom_entries(atom)] == ["C", "A", "B", "Old"]


def test_rss_channel_elements(feeds) -> None:
    rss, _ = feeds({"a.md": entry("A", "2021-05-13T10:00:00+02:00",
                                  updated="2021-06-01T00:00:00Z"),
                    "b.md": entry("B", "2021-05-20T00:00:00Z")})
    channel = rss.find("channel")
    assert rss.get("version") == "2.0"
    assert channel.findtext("title") == "Test site"
    assert channel.findtext("link") == "https://example.org/blog/"  # home page, not the feed
    assert channel.findtext("description") == "A site for tests"
    assert channel.findtext("language") == "en"
    assert channel.findtext("generator") == "feedpub"
    # lastBuildDate: the newest *updated* time among entries, not the clock.
    assert channel.findtext("lastBuildDate") == "Tue, 01 Jun 2021 00:00:00 +0000"
    selfs = channel.findall("atom:link", NS)
    assert [(s.get("rel"), s.get("href")) for s in selfs] == [
        ("self", "https://example.org/blog/rss.xml")]


def test_rss_item_elements(feeds) -> None:
    rss, _ = feeds({"post.md": entry("Post", "2021-05-13T10:00:00+02:00",
                                     summary='"Short & sweet"', tags="[one, two]",
                                     body="Full *body*.")})
    item = items(rss)[0]
    assert item.findtext("title") == "Post"
    assert item.findtext("link") == "https://example.org/blog/post/"
    guid = item.find("guid")
    assert guid.text == "tag:example.org,2021-05-13:post"
    assert guid.get("isPermaLink") == "false"
    assert item.findtext("pubDate") == "Thu, 13 May 2021 10:00:00 +0200"
    # description carries the summary, HTML-escaped once more because readers treat it as HTML
    assert item.findtext("description") == "Short &amp; sweet"
    assert item.findtext("content:encoded", namespaces=NS) == "<p>Full <em>body</em>.</p>"
    assert [c.text for c in item.findall("category")] == ["one", "two"]


def test_guid_is_permalink_only_when_it_is_the_link(feeds) -> None:
    rss, _ = feeds({"p.md": entry("P", id="https://example.org/blog/p/"),
                    "q.md": entry("Q", "2021-05-12", id="https://example.org/elsewhere")})
    guids = {i.findtext("title"): i.find("guid") for i in items(rss)}
    assert guids["P"].get("isPermaLink") == "true"
    assert guids["Q"].get("isPermaLink") == "false"
    assert guids["Q"].text == "https://example.org/elsewhere"


def test_rss_authors_author_element_only_with_email(feeds) -> None:
    rss, _ = feeds({
        "one-email.md": entry("E", "2021-05-13", author='"Ann <ann@example.org>"'),
        "no-email.md": entry("N", "2021-05-12", author="Bob"),
        "two.md": entry("T", "2021-05-11", author='["Ann <ann@example.org>", "Bob"]'),
        "default.md": entry("D", "2021-05-10"),
        "comma.md": entry("C", "2021-05-09", author='["Doe, Jane", Bob]'),
    })
    by_title = {i.findtext("title"): i for i in items(rss)}

    def authors(title: str) -> tuple[list[str], list[str]]:
        item = by_title[title]
        return ([a.text for a in item.findall("author")],
                [c.text for c in item.findall("dc:creator", NS)])

    assert authors("E") == (["ann@example.org (Ann)"], [])
    # feedgen would silently drop an author without e-mail: dc:creator keeps it.
    assert authors("N") == ([], ["Bob"])
    # <author> may appear once; several authors share one dc:creator, since readers
    # show only the first of several.
    assert authors("T") == ([], ["Ann, Bob"])
    assert authors("C") == ([], ["Doe, Jane; Bob"])  # a name with a comma: "; " between
    assert authors("D") == (["default@example.org (Default Author)"], [])


def test_atom_feed_elements(feeds) -> None:
    _, atom = feeds({"a.md": entry("A", "2021-05-13T10:00:00Z", updated="2021-07-01T08:00:00Z"),
                     "b.md": entry("B", "2021-05-20T00:00:00Z")})
    assert atom.tag == f"{A}feed"
    assert atom.get(f"{XML}lang") == "en"
    assert atom.findtext(f"{A}id") == "https://example.org/blog/"
    assert atom.findtext(f"{A}title") == "Test site"
    assert atom.findtext(f"{A}subtitle") == "A site for tests"
    assert atom.findtext(f"{A}updated") == "2021-07-01T08:00:00+00:00"
    assert atom.findtext(f"{A}author/{A}name") == "Default Author"
    assert atom.findtext(f"{A}author/{A}email") == "default@example.org"
    links = {link.get("rel"): link.get("href") for link in atom.findall(f"{A}link")}
    assert links == {"alternate": "https://example.org/blog/",
                     "self": "https://example.org/blog/atom.xml"}
    generator = atom.find(f"{A}generator")
    assert generator.text == "feedpub" and generator.get("version")


def test_atom_entry_elements(feeds) -> None:
    _, atom = feeds({"news/post.md": entry(
        "Post", "2021-05-13T10:00:00+02:00", updated="2021-05-14T09:00:00+02:00",
        summary="Short.", tags="[one, two]", lang="de",
        author='{name: Ann, email: ann@example.org, uri: "https://ann.example.org/"}',
        body="Full *body* with [a link](other/) and ![pic](pic.png).")})
    e = atom_entries(atom)[0]
    assert e.findtext(f"{A}id") == "tag:example.org,2021-05-13:news/post"
    assert e.findtext(f"{A}title") == "Post"
    assert e.findtext(f"{A}published") == "2021-05-13T10:00:00+02:00"
    assert e.findtext(f"{A}updated") == "2021-05-14T09:00:00+02:00"
    assert e.get(f"{XML}lang") == "de"
    author = e.find(f"{A}author")
    assert [author.findtext(f"{A}{k}") for k in ("name", "email", "uri")] == [
        "Ann", "ann@example.org", "https://ann.example.org/"]
    link = e.find(f"{A}link")
    assert (link.get("rel"), link.get("href")) == ("alternate",
                                                   "https://example.org/blog/news/post/")
    summary = e.find(f"{A}summary")
    assert (summary.get("type"), summary.text) == ("text", "Short.")
    content = e.find(f"{A}content")
    assert content.get("type") == "html"
    assert content.get(f"{XML}base") == "https://example.org/blog/news/post/"
    html = content.text
    assert 'href="https://example.org/blog/news/post/other/"' in html
    assert 'src="https://example.org/blog/news/post/pic.png"' in html
    assert [c.get("term") for c in e.findall(f"{A}category")] == ["one", "two"]


def test_no_xml_lang_on_entries_without_lang(feeds) -> None:
    _, atom = feeds({"a.md": entry("A")})
    assert atom_entries(atom)[0].get(f"{XML}lang") is None


def test_content_summary_mode_leaves_out_full_html(site) -> None:
    config = site({"a.md": entry("A", summary="Just this.", body="The *whole* story.")},
                  extra='content = "summary"\n')
    result = build(config, now=NOW)
    rss = etree.fromstring(result.outputs[config.output_dir / "rss.xml"])
    atom = etree.fromstring(result.outputs[config.output_dir / "atom.xml"])
    item = items(rss)[0]
    assert item.find("content:encoded", NS) is None
    assert item.findtext("description") == "Just this."
    e = atom_entries(atom)[0]
    assert e.find(f"{A}content") is None
    assert e.findtext(f"{A}summary") == "Just this."


def test_limit_keeps_the_newest(site) -> None:
    entries = {f"p{i}.md": entry(f"P{i}", f"2021-05-{10 + i:02d}") for i in range(5)}
    config = site(entries, extra="limit = 2\n")
    rss = etree.fromstring(build(config, now=NOW).outputs[config.output_dir / "rss.xml"])
    assert [i.findtext("title") for i in items(rss)] == ["P4", "P3"]
    config = site(entries, extra="limit = 0\n")
    rss = etree.fromstring(build(config, now=NOW).outputs[config.output_dir / "rss.xml"])
    assert len(items(rss)) == 5


def test_drafts_and_future_entries_need_their_flags(feeds) -> None:
    files = {"d.md": entry("Draft", "2021-05-13", draft="true"),
             "f.md": entry("Future", "2031-01-01"),
             "p.md": entry("Past", "2021-05-12")}
    rss, _ = feeds(files)
    assert [i.findtext("title") for i in items(rss)] == ["Past"]
    rss, _ = feeds(files, drafts=True, future=True)
    assert [i.findtext("title") for i in items(rss)] == ["Future", "Draft", "Past"]


def test_empty_feed_is_clock_free(feeds) -> None:
    rss, atom = feeds({})
    assert rss.findtext("channel/lastBuildDate") == "Thu, 01 Jan 1970 00:00:00 +0000"
    assert atom.findtext(f"{A}updated") == "1970-01-01T00:00:00+00:00"


# --- feedgen's traps, each pinned -------------------------------------------------


def test_trap_entries_keep_our_order_not_prepended(feeds) -> None:
    rss, atom = feeds({f"{n}.md": entry(n, f"2021-05-{d}") for n, d in
                       [("first", "01"), ("second", "02"), ("third", "03")]})
    assert [i.findtext("title") for i in items(rss)] == ["third", "second", "first"]
    assert [e.findtext(f"{A}title") for e in atom_entries(atom)] == [
        "third", "second", "first"]


def test_trap_summary_does_not_overwrite_atom_content(feeds) -> None:
    _, atom = feeds({"a.md": entry("A", summary="The summary", body="The body")})
    e = atom_entries(atom)[0]
    assert e.findtext(f"{A}content") == "<p>The body</p>"
    assert e.findtext(f"{A}summary") == "The summary"


def test_trap_rss_channel_link_is_home_page_not_self(feeds) -> None:
    rss, _ = feeds({"a.md": entry()})
    assert rss.findtext("channel/link") == "https://example.org/blog/"


def test_trap_nothing_comes_from_the_clock(site, monkeypatch) -> None:
    from datetime import datetime as real

    import feedgen.entry
    import feedgen.feed

    class Meta(type):
        def __instancecheck__(cls, obj: object) -> bool:
            return isinstance(obj, real)

    class Clock(real, metaclass=Meta):
        @classmethod
        def now(cls, tz=None):  # feedgen's default for every "updated"
            return real(2099, 9, 9, tzinfo=tz)

    config = site({"a.md": entry("A", "2021-05-13")})
    first = build(config, now=NOW).outputs
    monkeypatch.setattr(feedgen.feed, "datetime", Clock)
    monkeypatch.setattr(feedgen.entry, "datetime", Clock)
    second = build(config, now=NOW).outputs
    assert first == second
    assert all(b"2099" not in data for data in second.values())


def test_trap_naive_dates_never_reach_feedgen(feeds) -> None:
    rss, atom = feeds({"a.md": entry("A", "2021-05-13 10:00:00")})  # naive in YAML
    assert items(rss)[0].findtext("pubDate") == "Thu, 13 May 2021 10:00:00 +0000"
    assert atom_entries(atom)[0].findtext(f"{A}published") == "2021-05-13T10:00:00+00:00"


def test_trap_control_characters_are_removed_not_raised(feeds) -> None:
    rss, atom = feeds({
        "raw.md": entry("Bell\x07 title", body="Null\x00 body \x1b"),
        # escaped in YAML, so the parser itself produces the control character
        "escaped.md": entry("Escaped\\u0007 bell", "2021-05-12", summary='"a\\x01b"'),
    })
    assert [i.findtext("title") for i in items(rss)] == ["Bell title", "Escaped bell"]
    assert items(rss)[1].findtext("description") == "ab"
    assert atom_entries(atom)[0].findtext(f"{A}content") == "<p>Null body</p>"


def test_trap_atom_content_is_html_never_cdata(feeds) -> None:
    _rss, atom = feeds({"a.md": entry(body="<b>bold</b> & more")})
    content = atom_entries(atom)[0].find(f"{A}content")
    assert content.get("type") == "html"
    raw = etree.tostring(atom).decode()
    assert "CDATA" not in raw and 'type="CDATA"' not in raw


def test_trap_each_feed_has_exactly_its_own_self_link(feeds) -> None:
    rss, atom = feeds({"a.md": entry()})
    assert [s.get("href") for s in rss.findall("channel/atom:link[@rel='self']", NS)] == [
        "https://example.org/blog/rss.xml"]
    assert [s.get("href") for s in atom.findall(f"{A}link[@rel='self']")] == [
        "https://example.org/blog/atom.xml"]


@pytest.mark.parametrize("kind", ["rss", "atom"])
def test_feedparser_reads_authors_dates_and_tags(feeds, kind: str) -> None:
    rss, atom = feeds({"a.md": entry("A", "2021-05-13T10:00:00+02:00", tags="[x, y]",
                                     author='["Ann <ann@example.org>", "Bob"]')})
    parsed = feedparser.parse(etree.tostring(rss if kind == "rss" else atom))
    assert parsed.bozo == 0
    (item,) = parsed.entries
    assert item.id == "tag:example.org,2021-05-13:a"
    if kind == "rss":  # what a reader shows: every author, in one name line
        assert item.author == "Ann, Bob"
    else:  # Atom keeps one <author> each
        assert [a.name for a in item.authors] == ["Ann", "Bob"]
    assert [t.term for t in item.tags] == ["x", "y"]
    assert tuple(item.published_parsed)[:5] == (2021, 5, 13, 8, 0)


def test_rss_plain_text_uses_hex_character_references(site) -> None:
    config = site({"a.md": entry("Tom & Jerry <3", body="x < y & z", tags='["R&D", "a>b"]',
                                 author='"Tom & Co"')})
    raw = build(config, now=NOW).outputs[config.output_dir / "rss.xml"]
    assert b"<title>Tom &#x26; Jerry &#x3C;3</title>" in raw
    # before the content's CDATA section and after it, too
    assert b"<category>R&#x26;D</category>" in raw and b"<category>a&#x3E;b</category>" in raw
    assert b"<dc:creator>Tom &#x26; Co</dc:creator>" in raw
    outside_cdata = b"".join(part.partition(b"]]>")[2] for part in raw.split(b"<![CDATA["))
    assert b"&amp;" not in outside_cdata and b"&lt;" not in outside_cdata
    # content:encoded is CDATA, untouched: its "&lt;" is HTML's own escape
    assert b"<content:encoded><![CDATA[<p>x &lt; y &amp; z</p>]]></content:encoded>" in raw
    rss = etree.fromstring(raw)  # the same document as with named entities
    assert items(rss)[0].findtext("title") == "Tom & Jerry <3"
    assert items(rss)[0].findtext("content:encoded", namespaces=NS) == "<p>x &lt; y &amp; z</p>"


def test_content_with_a_cdata_end_marker_is_escaped_instead(site) -> None:
    # The sanitiser escapes ">" everywhere, so "]]>" cannot come from Markdown; the
    # feed writer still refuses to put it in a CDATA section.
    from feedpub.entries.loading import load_entries
    from feedpub.outputs import rss as rss_output
    from feedpub.outputs.registry import Feed
    from feedpub.render.entry import RenderedEntry

    config = site({"a.md": entry()})
    (loaded,) = load_entries(config).entries
    item = rss_output.fragment(config, RenderedEntry(loaded, "<p>a]]>b</p>", "a b"))
    feed = Feed("", config.title, config.url, (loaded,))
    raw = bytes(rss_output.document(config, feed, config.url + "rss.xml", [item]))
    assert b"<![CDATA[" not in raw
    rss = etree.fromstring(raw)
    assert items(rss)[0].findtext("content:encoded", namespaces=NS) == "<p>a]]>b</p>"


def test_html_in_titles_becomes_plain_text_with_a_warning(site) -> None:
    config = site({"a.md": entry("Using <code>grep</code> &amp; friends")})
    result = build(config, now=NOW)
    rss = etree.fromstring(result.outputs[config.output_dir / "rss.xml"])
    atom = etree.fromstring(result.outputs[config.output_dir / "atom.xml"])
    assert items(rss)[0].findtext("title") == "Using grep & friends"
    assert atom_entries(atom)[0].findtext(f"{A}title") == "Using grep & friends"
    assert any("title contains HTML" in str(w) for w in result.warnings)


def test_entries_sharing_an_updated_time_get_a_warning(site) -> None:
    config = site({"a/x.md": entry("X", "2021-05-13"), "b/x.md": entry("Y", "2021-05-13"),
                   "c.md": entry("Z", "2021-05-14")})
    (problem,) = build(config, now=NOW).warnings
    assert problem.severity == "warning"
    assert "entries/a/x.md, entries/b/x.md" in problem.message


def test_an_entry_of_raw_html_only_still_gets_a_plain_text_description(feeds) -> None:
    long_words = " ".join(f"word{i}" for i in range(200))
    rss, atom = feeds({
        "a.md": entry("A", "2021-05-13", body="<div><strong>Breaking:</strong> the bridge "
                                              "is <em>open</em>.</div>"),
        "b.md": entry("B", "2021-05-12", body=f"<table><tr><td>{long_words}</td></tr></table>"),
        "c.md": entry("C", "2021-05-11", body="- one\n- two\n"),
    })
    by_title = {i.findtext("title"): i for i in items(rss)}
    assert by_title["A"].findtext("description") == "Breaking: the bridge is open."
    assert by_title["C"].findtext("description") == "one two"
    long = by_title["B"].findtext("description")
    assert long.endswith("\u2026") and len(long) <= 301
    assert long_words.startswith(long[:-1]) and long[-2] != " "
    summaries = [e.findtext(f"{A}summary") for e in atom.findall(f"{A}entry")]
    assert summaries[0] == "Breaking: the bridge is open."
