"""Existing sites' folders, laid out as each generator's default site (tests/sites/,
written for these tests), build the feed that generator's own feed would list: the
same entries, links, dates and tags, with a feedpub.toml of one or two lines."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from feedpub.build import build
from feedpub.check import check
from feedpub.config.load import load_config

SITES = Path(__file__).parent / "sites"
NOW = datetime(2026, 11, 30, tzinfo=UTC)
ATOM = "{http://www.w3.org/2005/Atom}"


# The warnings each site's build gives (every other file builds without one).
WARNINGS = {"hugo": [("content/posts/shortcodes.md", "Hugo shortcode(s) removed, as a feed "
                      "cannot run them: newsletter-signup")],
            "astro": [("src/content/blog/markdown-style-guide.md", "MDX removed, as a feed "
                       "cannot run it: import, <Callout>, <Chart> (components keep their "
                       "children's text)")]}


def built(name: str, tmp_path: Path) -> tuple[etree._Element, etree._Element]:
    """The site's RSS channel and Atom feed, built from a copy of it."""
    site = tmp_path / name
    shutil.copytree(SITES / name, site)
    config = load_config(site / "feedpub.toml")
    result = build(config, now=NOW)
    assert [(w.path, w.message) for w in result.warnings if w.severity != "note"] == \
        WARNINGS.get(name, [])
    rss = etree.fromstring(result.outputs[config.output_dir / "rss.xml"]).find("channel")
    atom = etree.fromstring(result.outputs[config.output_dir / "atom.xml"])
    return rss, atom


def items(rss: etree._Element) -> dict[str, dict[str, object]]:
    """Each item by title: its link, date and categories."""
    return {i.findtext("title"): {"link": i.findtext("link"), "date": i.findtext("pubDate"),
                                  "tags": [c.text for c in i.findall("category")]}
            for i in rss.findall("item")}


def content_of(atom: etree._Element, title: str) -> etree._Element:
    entry = next(e for e in atom.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}title") == title)
    return etree.HTML(entry.findtext(f"{ATOM}content"))


def test_jekyll_site_gives_the_links_dates_and_categories_jekyll_does(tmp_path) -> None:
    rss, atom = built("jekyll", tmp_path)
    # From _config.yml: title, description, url + baseurl.
    assert rss.findtext("title") == "Field Notes"
    assert rss.findtext("description") == "Notes from the field, kept with Jekyll."
    assert rss.findtext("link") == "https://blog.example.com/notes/"
    found = items(rss)
    base = "https://blog.example.com/notes"
    assert found == {
        # permalink "date" style: /:categories/:year/:month/:day/:title:output_ext;
        # `categories: jekyll update` is two categories (split at white space).
        "Welcome to Jekyll!": {
            "link": f"{base}/jekyll/update/2013/11/22/welcome-to-jekyll.html",
            "date": "Fri, 22 Nov 2013 05:00:00 +0000", "tags": ["jekyll", "update"]},
        # 02:00 UTC is 21:00 on Dec 31 in the site's timezone: Jekyll dates the link so.
        "A new year, seen from New York": {
            "link": f"{base}/2013/12/31/new-year.html",
            "date": "Wed, 01 Jan 2014 02:00:00 +0000", "tags": []},
        # No title and no date: both from the file name (Document#populate_title).
        "Untitled Notes": {"link": f"{base}/2020/05/03/untitled-notes.html",
                           "date": "Sun, 03 May 2020 00:00:00 -0400", "tags": ["notes"]},
        # news/_posts: the folder is a category after the front matter's; the link's
        # categories are lower case (UrlDrop#categories).
        "Launch day": {"link": f"{base}/release/news/2021/06/08/launch.html",
                       "date": "Tue, 08 Jun 2021 00:00:00 -0400",
                       "tags": ["Release", "news"]},
        # Front matter permalink with placeholders wins over the site's.
        "A custom link": {"link": f"{base}/custom/custom-link/",
                          "date": "Mon, 10 Jan 2022 00:00:00 -0500", "tags": []},
        # slug replaces the file name's; :title keeps its case ("pretty" slugify).
        "Hello again": {"link": f"{base}/2023/03/04/Hi-There.html",
                        "date": "Sat, 04 Mar 2023 10:30:00 -0500", "tags": []},
        "A tour of Liquid": {"link": f"{base}/guides/2024/02/10/liquid-tour.html",
                             "date": "Sat, 10 Feb 2024 00:00:00 -0500", "tags": ["Guides"]},
    }  # not: the page about.markdown, the draft in _drafts, `published: false`
    authors = [a.findtext(f"{ATOM}name") for a in atom.iter(f"{ATOM}author")]
    # `defaults:` by path: the news/ scope is more specific than the site-wide one.
    entry_authors = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}author/{ATOM}name")
                     for e in atom.iter(f"{ATOM}entry")}
    assert entry_authors["Launch day"] == "Newsroom"
    assert entry_authors["Welcome to Jekyll!"] == "Jane Roe"
    assert "Newsroom" in authors


def test_jekyll_liquid_is_rendered_before_markdown(tmp_path) -> None:
    _, atom = built("jekyll", tmp_path)
    html = content_of(atom, "A tour of Liquid")
    text = "".join(html.itertext())
    assert "{{" not in text.replace("{{ this }}", "") and "{%" not in text
    # site.*, page.* with a filter, an include with its parameter, site.data, for.
    assert 'This post is on Field Notes, and it is called "A TOUR OF LIQUID".' in text
    assert html.find(".//aside").xpath("string()") == "Note: Includes come from _includes/."
    assert [li.xpath("string()").strip() for li in html.iter("li")] == ["Jane Roe", "Sam Poe"]
    # post_url and link give the target's URL (with baseurl, as Jekyll 4 does).
    assert [a.get("href") for a in html.iter("a")][:2] == [
        "https://blog.example.com/notes/release/news/2021/06/08/launch.html",
        "https://blog.example.com/notes/jekyll/update/2013/11/22/welcome-to-jekyll.html"]
    assert "Liquid looks like {{ this }}." in text  # {% raw %}
    assert "There are 5 things." in text  # assign, whitespace control, a filter
    # kramdown's attribute list styles a paragraph: feeds carry no classes; it goes.
    styled = content_of(atom, "Hello again").xpath("string()")
    assert "A styled paragraph" in styled and "{:" not in styled
    # {% highlight ruby %}: a code block with its language, not Liquid text.
    code = content_of(atom, "Welcome to Jekyll!").find(".//pre/code")
    assert code.get("class") == "language-ruby"
    assert code.text.startswith("def print_hi(name)\n  puts \"Hi, #{name}\"")


def test_hugo_site_gives_the_links_hugo_does(tmp_path) -> None:
    rss, atom = built("hugo", tmp_path)
    assert rss.findtext("title") == "Hugo Logbook"
    assert rss.findtext("description") == "A logbook kept with Hugo."  # params.description
    assert rss.findtext("language") == "en-US"  # languageCode en-us
    found = items(rss)
    links = {title: item["link"] for title, item in found.items()}
    assert links == {
        # [permalinks] posts = '/:year/:month/:slug/' (:slug: the urlized title)
        "My First Post": "https://hugo.example.org/2024/01/my-first-post/",
        "Bundled Post": "https://hugo.example.org/2024/02/bundled-post/",
        "Shortcodes": "https://hugo.example.org/2024/03/shortcodes/",
        "Moved": "https://hugo.example.org/special/place/",  # front matter url
        # No pattern for notes: the path, lower case, spaces as hyphens; slug replaces
        # the file name.
        "Quick note": "https://hugo.example.org/notes/quick-note/",
        "Slugged": "https://hugo.example.org/notes/custom-slug/",
        "About": "https://hugo.example.org/about/",
    }  # not: _index.md, the draft, build.list = never, the expired page
    # [frontmatter] date = ['date', 'publishDate', 'lastmod']: publishDate here.
    assert found["Quick note"]["date"] == "Fri, 05 Apr 2024 08:00:00 +0000"
    # timeZone Europe/Oslo for dates without an offset.
    assert found["Slugged"]["date"] == "Wed, 10 Apr 2024 00:00:00 +0200"
    # The bundle's image resolves against the page's URL, where Hugo publishes it.
    bundle = next(e for e in atom.iter(f"{ATOM}entry")
                  if e.findtext(f"{ATOM}title") == "Bundled Post")
    html = etree.HTML(bundle.findtext(f"{ATOM}content"))
    assert html.find(".//img").get("src") == \
        "https://hugo.example.org/2024/02/bundled-post/lighthouse.png"


def test_hugo_shortcodes_become_what_hugo_shows_or_go_with_a_warning(tmp_path) -> None:
    _, atom = built("hugo", tmp_path)
    html = content_of(atom, "Shortcodes")
    text = html.xpath("string()")
    # figure: Hugo's template (img with alt, the caption as Markdown in figcaption).
    figure = html.find(".//figure")
    assert figure.find("img").get("src") == "https://hugo.example.org/2024/03/shortcodes/harbour.jpg"
    assert figure.find("img").get("alt") == "The harbour at dawn"
    assert etree.tostring(figure.find("figcaption/p"), encoding=str) == \
        "<p>Dawn, <em>early</em></p>"
    # ref and relref: the target page's link.
    assert [a.get("href") for a in html.iter("a")][:2] == [
        "https://hugo.example.org/2024/01/my-first-post/",
        "https://hugo.example.org/notes/custom-slug/"]
    # highlight: a code block with its language; youtube: a link (feeds drop iframes).
    assert html.find(".//pre/code").get("class") == "language-go"
    assert "https://www.youtube.com/watch?v=dQw4w9WgXcQ" in [a.get("href") for a in html.iter("a")]
    # {{</* */>}} shows the shortcode as text; an unknown one is removed (warned above).
    assert 'To show a shortcode, write {{< figure src="x.png" >}}.' in text
    assert "newsletter" not in text and "{{<" not in text.replace('{{< figure src="x.png" >}}', "")


def test_zola_site_gives_the_links_zola_does(tmp_path) -> None:
    rss, atom = built("zola", tmp_path)
    assert rss.findtext("title") == "Zola Garden"
    found = items(rss)
    assert {t: i["link"] for t, i in found.items()} == {
        "The first post": "https://zola.example.net/blog/first/",  # date prefix cut
        "The second post": "https://zola.example.net/blog/second-post/",  # bundle
        "A third, at its own path": "https://zola.example.net/2019/01/02/third-post/",
        "Café notes": "https://zola.example.net/blog/uber-cafe/",  # slugify.paths "on"
    }  # not: _index.md, the draft
    assert found["The first post"]["date"] == "Fri, 27 Jul 2018 00:00:00 +0000"
    assert found["A third, at its own path"]["date"] == "Wed, 02 Jan 2019 00:00:00 +0000"
    assert found["The first post"]["tags"] == ["garden", "zola"]  # [taxonomies]
    first = next(e for e in atom.iter(f"{ATOM}entry")
                 if e.findtext(f"{ATOM}title") == "The first post")
    html = etree.HTML(first.findtext(f"{ATOM}content"))
    # @/blog/second-post/index.md: Zola's internal link, to the target's page.
    assert html.find(".//a").get("href") == "https://zola.example.net/blog/second-post/"


def test_pelican_site_gives_the_links_pelican_does(tmp_path) -> None:
    rss, atom = built("pelican", tmp_path)
    assert rss.findtext("title") == "Pelican Journal"  # SITENAME
    found = items(rss)
    assert {t: i["link"] for t, i in found.items()} == {
        # ARTICLE_URL = 'posts/{date:%Y}/{slug}.html'; the slug is the title slugified
        # (SLUGIFY_SOURCE = 'title'), transliterated to ASCII.
        "My super title": "https://pelican.example.com/posts/2010/my-super-title.html",
        "Un été à Paris — premier billet":
            "https://pelican.example.com/posts/2011/un-ete-a-paris-premier-billet.html",
    }  # not: Status: draft, pages/about.md
    assert found["My super title"]["date"] == "Fri, 03 Dec 2010 10:20:00 +0100"  # TIMEZONE
    # No Category: the folder is the category (USE_FOLDER_AS_CATEGORY).
    assert found["My super title"]["tags"] == ["thats", "awesome", "python"]
    # {filename} links to another article, {static} to a file in the content folder.
    html = content_of(atom, "Un été à Paris — premier billet")
    assert html.find(".//a").get("href") == \
        "https://pelican.example.com/posts/2010/my-super-title.html#details"
    assert html.find(".//img").get("src") == "https://pelican.example.com/images/tour.jpg"


def test_an_astro_blog_builds_with_its_dates_and_without_its_mdx(tmp_path) -> None:
    """A site built with JavaScript (Astro's blog starter): no settings feedpub reads,
    so feedpub.toml says where posts live and links go; pubDate in Astro's form or as
    milliseconds, description as the summary, and MDX taken out."""
    rss, atom = built("astro", tmp_path)
    found = items(rss)
    assert {t: (i["link"], i["date"]) for t, i in found.items()} == {
        "First post": ("https://astro.example.com/blog/first-post/",
                       "Fri, 08 Jul 2022 00:00:00 +0000"),
        "Markdown Style Guide": ("https://astro.example.com/blog/markdown-style-guide/",
                                 "Wed, 19 Jun 2024 00:00:00 +0000"),
        "Dated in milliseconds": ("https://astro.example.com/blog/dated-in-milliseconds/",
                                  "Fri, 21 Jun 2024 12:00:00 +0000"),
    }
    assert rss.find("item").findtext("description").startswith("Some JavaScript sites")
    guide = content_of(atom, "Markdown Style Guide")
    assert [p.xpath("string()") for p in guide.iter("p")] == [
        "Here is a sample of some basic Markdown syntax.",
        "Headings go from one to six levels.",  # <Callout>: its children's text
        "To export the file, use the menu."]  # prose "export" stays


@pytest.mark.parametrize(("name", "kind", "file"), [
    ("jekyll", "Jekyll", "_config.yml"), ("hugo", "Hugo", "hugo.toml"),
    ("zola", "Zola", "config.toml"), ("pelican", "Pelican", "pelicanconf.py")])
def test_check_says_which_site_it_found_and_what_it_took(tmp_path, name, kind,
                                                          file) -> None:
    site = tmp_path / name
    shutil.copytree(SITES / name, site)
    report = check(load_config(site / "feedpub.toml"), now=NOW)
    notes = [p.message for p in report.problems if p.severity == "note"]
    assert f"site: {kind} (detected); settings read from {file}; links are the URLs " \
           f"{kind} gives its pages" in notes
    assert any(n.startswith(f"feed.title from {file}'s title") for n in notes)
    assert report.errors == 0


def age(root: Path) -> None:
    """Files older than the cache's racy window (see tests/publish/test_cache.py)."""
    import os
    import time

    from feedpub.publish.cache.state import RACY_FINE_NS

    for path in root.rglob("*"):
        if path.is_file() and ".feedpub-cache" not in path.parts:
            os.utime(path, (1_600_000_000, 1_600_000_000))
    time.sleep(2 * RACY_FINE_NS / 1e9)


def test_a_cached_rebuild_follows_a_renamed_target_of_an_internal_link(
        tmp_path, monkeypatch) -> None:
    """A fragment holds other entries' links (Zola's @/): when a link changes, the
    cached fragments are made again, not reused with the old link."""
    from feedpub.build import build_and_publish
    from feedpub.publish.cache import entries, fragments

    for module in (entries, fragments):  # cache even this small a site
        monkeypatch.setattr(module, "WORTH_SAVING", 1)

    site = tmp_path / "zola"
    shutil.copytree(SITES / "zola", site)
    first = site / "content" / "blog" / "2018-07-27-first.md"
    age(site)

    def link_in_first() -> str:
        config = load_config(site / "feedpub.toml")
        build_and_publish(config, now=NOW)
        atom = etree.parse(str(config.output_dir / "atom.xml")).getroot()
        entry = next(e for e in atom.iter(f"{ATOM}entry")
                     if e.findtext(f"{ATOM}title") == "The first post")
        return etree.HTML(entry.findtext(f"{ATOM}content")).find(".//a").get("href")

    # A first build leaves a state; the next that has work to do, the entry and
    # fragment caches.
    assert link_in_first() == "https://zola.example.net/blog/second-post/"
    other = site / "content" / "blog" / "third.md"
    other.write_text(other.read_text() + "\nMore.\n")
    assert link_in_first() == "https://zola.example.net/blog/second-post/"
    assert (site / ".feedpub-cache" / "feedpub.fragments").is_file()
    second = site / "content" / "blog" / "second-post" / "index.md"
    second.write_text(second.read_text().replace('+++\n', '+++\nslug = "renamed"\n', 1))
    assert first.read_bytes()  # (the linking entry itself is unchanged)
    assert link_in_first() == "https://zola.example.net/blog/renamed/"


@pytest.mark.parametrize("name", ["jekyll", "hugo", "zola", "pelican", "astro"])
def test_each_sites_feeds_are_valid(tmp_path, feedcheck, name) -> None:
    from feedpub.build import build_and_publish

    site = tmp_path / name
    shutil.copytree(SITES / name, site)
    config = load_config(site / "feedpub.toml")
    build_and_publish(config, now=NOW)
    feedcheck(config.output_dir / "rss.xml", config.output_dir / "atom.xml",
              base=config.url)
