"""Other generators' front matter, read as they mean it (issue 11, "bring your existing
posts"): Jekyll's, Hugo's, Zola's and Pelican's ways of saying "unpublished", their
names for the author, summary and tags, and locale names for the language.

Each test says which generator's behaviour it copies.
"""

from __future__ import annotations

import os
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from feedpub.build import build
from feedpub.check import check
from feedpub.cli import cli
from feedpub.config.load import load_config
from feedpub.entries.loading import load_entries
from feedpub.publish import cache

from ..conftest import BASE_CONFIG, NOW, NS, entry, write_site


def load(site, files: dict[str, str], extra: str = ""):
    """{name: Entry} and the problems (as text) of a site's entries."""
    result = load_entries(site(files, extra))
    return {e.source.removeprefix("entries/"): e for e in result.entries}, \
        [str(p) for p in result.problems]


def one(site, **keys: str):
    """The one entry made from `keys` (YAML, written as they are), and the problems."""
    entries, problems = load(site, {"a.md": entry(**keys)})
    return entries.get("a.md"), problems


def rss_items(feeds, files: dict[str, str], extra: str = "") -> dict[str, etree._Element]:
    """The RSS items built from `files`, by title."""
    rss, _ = feeds(files, extra)
    return {item.findtext("title"): item for item in rss.iter("item")}


def notes_of(site, files: dict[str, str]) -> list[str]:
    return [str(p) for p in check(site(files), now=NOW).problems]


# -- 1. Unpublished ------------------------------------------------------------------


def test_jekyll_published_false_leaves_the_post_out(site, feeds) -> None:
    """Jekyll builds no post with `published: false` (unless --unpublished); feedpub
    leaked it into the feed before. `published: true` changes nothing."""
    files = {"hidden.md": entry("Hidden", published="false"),
             "shown.md": entry("Shown", published="true")}
    entries, problems = load(site, files)
    assert problems == []
    assert (entries["hidden.md"].draft, entries["shown.md"].draft) == (True, False)
    assert list(rss_items(feeds, files)) == ["Shown"]
    assert "entries/hidden.md: note: is a draft: left out of the feed (build --drafts " \
           "includes it)" in notes_of(site, files)
    rss, _ = feeds(files, drafts=True)  # as Jekyll's --unpublished
    assert len(rss.findall(".//item")) == 2


def test_draft_true_and_any_other_flag_is_enough(site) -> None:
    """feedpub's, Hugo's and Zola's `draft: true`; one flag saying "unpublished" is
    enough, whatever the others say."""
    assert one(site, draft="true")[0].draft
    assert one(site, draft="false", published="false")[0].draft
    assert one(site, draft="true", published="true")[0].draft
    assert one(site, draft="true", status="published")[0].draft


@pytest.mark.parametrize(("status", "draft"), [
    ("draft", True), ("Draft", True), ("DRAFT", True), ("hidden", True), ("skip", True),
    ("published", False), ("Published", False),
    # WordPress's, as jekyll-import writes them next to `published`
    ("private", True), ("pending", True), ("publish", False),
])
def test_pelican_status(site, status: str, draft: bool) -> None:
    """Pelican's `status` (in any letter case): a draft and a hidden article are in no
    feed; `published` is the default."""
    e, problems = one(site, status=status)
    assert problems == []
    assert e.draft is draft


@pytest.mark.parametrize(("value", "message"), [
    ("drafty", "status 'drafty' is not published, draft or hidden"),
    ("3", "status must be text, not a number (3)"),
])
def test_pelican_status_unknown_is_an_error(site, value: str, message: str) -> None:
    """Pelican skips a file with an unknown status, with an error: so does feedpub
    (rather than publish what may have been meant as hidden)."""
    e, problems = one(site, status=value)
    assert e is None
    assert problems[0].startswith(f"entries/a.md:4: error: {message}")


def test_pelican_status_left_out_of_the_feed(site, feeds) -> None:
    files = {"d.md": entry("D", status="draft"), "h.md": entry("H", status="hidden"),
             "p.md": entry("P", status="published")}
    assert list(rss_items(feeds, files)) == ["P"]


@pytest.mark.parametrize(("options", "draft"), [
    ("build: {list: never}", True),
    ("build: {list: Never, render: always}", True),
    ("_build: {list: never}", True),  # Hugo's older name
    ("build: {list: false}", True),  # Hugo's older form
    ("build: {list: always}", False),
    ("build: {list: local}", False),
    ("build: {list: true}", False),
    ("build: {render: never}", False),
    ("build: 1234", False),  # not Hugo's build options: the site's own key
])
def test_hugo_build_list_never(site, options: str, draft: bool) -> None:
    """Hugo lists a page with `build: {list: never}` nowhere, its feeds included."""
    key, _, value = options.partition(": ")
    e, problems = one(site, **{key: value})
    assert problems == []
    assert e.draft is draft


def test_hugo_build_list_never_left_out_of_the_feed(site, feeds) -> None:
    files = {"n.md": entry("Never", build="{list: never}"), "a.md": entry("Always")}
    assert list(rss_items(feeds, files)) == ["Always"]
    assert any(n.startswith("entries/n.md: note: is a draft") for n in notes_of(site, files))


def test_hugo_build_list_unknown_is_an_error(site) -> None:
    e, problems = one(site, build="{list: sometimes}")
    assert e is None
    assert problems == ["entries/a.md:4: error: build.list must be always, local or never, "
                        "not 'sometimes'\n  hint: write build: {list: never} to leave the "
                        "entry out of lists and feeds"]


def test_hugo_expiry_date(site) -> None:
    """Hugo's `expiryDate`, read as `date` is (here a date alone, in feed.timezone)."""
    e, problems = one(site, expiryDate="2022-01-01")
    assert problems == []
    assert e.expires == datetime(2022, 1, 1, tzinfo=UTC)
    assert e.draft is False
    assert one(site, expirydate="2022-01-01T10:00:00+02:00")[0].expires == \
        datetime(2022, 1, 1, 8, tzinfo=UTC)
    assert one(site, unpublishdate="2022-01-01")[0].expires is not None
    assert one(site)[0].expires is None
    assert one(site, expiryDate='""')[0].expires is None  # as Hugo archetypes leave it


def test_hugo_expiry_date_invalid_names_the_key(site) -> None:
    e, problems = one(site, expiryDate="2022-02-30")
    assert e is None
    assert problems[0].startswith("entries/a.md:4: error: expiryDate '2022-02-30' does "
                                  "not exist")


def test_hugo_expired_entry_is_left_out(site, feeds) -> None:
    """Hugo builds no expired page; feedpub leaves it out of the feed from its expiry
    on (now is 2030-01-01 here), with a note, and counts it as left out."""
    files = {"old.md": entry("Expired", expiryDate="2029-12-31"),
             "later.md": entry("Expires later", expiryDate="2031-01-01"),
             "plain.md": entry("Plain", date="2021-05-12")}
    assert sorted(rss_items(feeds, files)) == ["Expires later", "Plain"]
    _, atom = feeds(files)
    assert [t.text for t in atom.findall("atom:entry/atom:title", NS)] == \
        ["Expires later", "Plain"]
    assert "entries/old.md: note: expired on 2029-12-31T00:00:00+00:00 (expiryDate): left " \
           "out of the feed" in notes_of(site, files)
    result = build(site(files), now=NOW)
    assert result.left_out.expired == 1 and result.left_out.beyond_limit == 0
    assert result.left_out.describe(20) == "left out: 1 expired \u2014 see feedpub check"
    # the build cache rebuilds when the next expiry comes
    assert result.next_change == datetime(2031, 1, 1, tzinfo=UTC)


def test_an_expired_entry_is_left_out_once_its_time_comes_despite_the_cache(
        tmp_path: Path) -> None:
    """An unchanged site is rebuilt when an entry expires (`build.next_change`), and the
    count of expired entries is kept for a no-change rebuild's summary."""
    write_site(tmp_path, {"a.md": entry("A"), "x.md": entry("X", expiryDate="2031-01-01")})
    for path in [*tmp_path.rglob("*.md"), tmp_path / "feedpub.toml"]:
        os.utime(path, (1_600_000_000, 1_600_000_000))
    time.sleep(2 * cache.RACY_FINE_NS / 1e9)

    def run(epoch: str) -> str:
        old = Path.cwd()
        os.chdir(tmp_path)
        try:
            result = CliRunner().invoke(cli, ["build"], env={"SOURCE_DATE_EPOCH": epoch})
        finally:
            os.chdir(old)
        assert result.exit_code == 0, result.output
        return result.stdout.splitlines()[0]

    assert run("1893456000") == "wrote public/rss.xml (2 of 2 entries)"  # 2030-01-01
    assert run("1893456000").startswith("unchanged")
    counts = "(1 of 2 entries; left out: 1 expired \u2014 see feedpub check)"
    assert run("1924992000") == f"wrote public/rss.xml {counts}"  # 2031-01-01: expired
    assert run("1924992001") == f"unchanged public/rss.xml {counts}"
    assert b"<title>X</title>" not in (tmp_path / "public" / "rss.xml").read_bytes()


# -- 2. Other generators' names ---------------------------------------------------------


def test_authors_list_and_text(site) -> None:
    """`authors` (Hugo's, Zola's): a list as `author`'s, or text naming ONE author,
    never split at commas; `author` is read first. Hugo archetypes' `authors: []`
    names nobody: feed.author is used."""
    e, problems = one(site, authors='["Ann <ann@example.org>", Bob]')
    assert problems == []
    assert [(p.name, p.email) for p in e.authors] == [("Ann", "ann@example.org"), ("Bob", None)]
    assert [p.name for p in one(site, authors='"Doe, Jane"')[0].authors] == ["Doe, Jane"]
    assert [p.name for p in one(site, author="Ann", authors="[Bob]")[0].authors] == ["Ann"]
    assert [p.name for p in one(site, authors="[]")[0].authors] == ["Default Author"]


def test_authors_errors_name_the_key(site) -> None:
    e, problems = one(site, authors="[Ann, 1.50]")
    assert e is None
    assert problems[0].startswith("entries/a.md:4: error: authors[1] must be a name")


def test_authors_in_the_feed(feeds) -> None:
    """A Jekyll-style `authors: "Doe, Jane"` gives one dc:creator, as written."""
    items = rss_items(feeds, {"a.md": entry(authors='"Doe, Jane"')})
    assert [c.text for c in items["Hello"].findall("dc:creator", NS)] == ["Doe, Jane"]


@pytest.mark.parametrize(("keys", "summary"), [
    ({"description": "From description."}, "From description."),  # Hugo, Zola
    ({"excerpt": "From excerpt."}, "From excerpt."),  # Jekyll
    ({"summary": "S.", "description": "D.", "excerpt": "E."}, "S."),
    ({"description": "D.", "excerpt": "E."}, "D."),  # as jekyll-feed chooses
    ({"description": '""', "excerpt": "E."}, "E."),  # a theme's empty placeholder
    ({}, None),
])
def test_summary_from_description_or_excerpt(site, keys: dict[str, str],
                                             summary: str | None) -> None:
    """`summary` wins, then `description` (Hugo's, Zola's; jekyll-feed's first choice),
    then `excerpt` (Jekyll's, jekyll-feed's next)."""
    e, problems = one(site, **keys)
    assert problems == []
    assert e.summary == summary


def test_summary_alias_errors_name_the_key(site) -> None:
    e, problems = one(site, description="[a]")
    assert e is None
    assert problems == ["entries/a.md:4: error: description must be text, not a list\n"
                        "  hint: put the description in quotes"]
    _, problems = one(site, excerpt="<b>Bold</b> move")
    assert problems[0].startswith("entries/a.md:4: warning: excerpt contains HTML")


def test_description_in_the_feed(feeds) -> None:
    items = rss_items(feeds, {"a.md": entry(description="Told in a line.")})
    assert items["Hello"].findtext("description") == "Told in a line."


@pytest.mark.parametrize(("keys", "tags"), [
    ({"categories": "[a, b]"}, ("a", "b")),  # Jekyll, Hugo
    ({"categories": "jekyll update"}, ("jekyll", "update")),  # Jekyll splits at spaces
    ({"categories": "a, b c"}, ("a", "b c")),  # ... or at commas, if there are any
    ({"category": "Web Development"}, ("Web Development",)),  # Pelican: one category
    ({"category": "[a, b]"}, ("a", "b")),
    ({"keywords": "x, y"}, ("x", "y")),  # Hugo's keywords
    # merged in order tags, categories, category, keywords; each tag once
    ({"tags": "[x, a]", "categories": "[a, b]", "category": "c", "keywords": "[d, x]"},
     ("x", "a", "b", "c", "d")),
    ({"categories": "[]"}, ()),
])
def test_categories_category_and_keywords_are_tags(site, keys: dict[str, str],
                                                  tags: tuple[str, ...]) -> None:
    e, problems = one(site, **keys)
    assert problems == []
    assert e.tags == tags


def test_zola_taxonomies_are_tags(site) -> None:
    """Zola's [taxonomies] table: every term of every taxonomy becomes a tag; [extra]
    is kept without a warning."""
    entries, problems = load(site, {"z.md": textwrap.dedent("""\
        +++
        title = "Zola post"
        date = 2021-05-13
        tags = ["x"]

        [taxonomies]
        tags = ["rust", "x"]
        categories = ["programming"]

        [extra]
        toc = true
        +++
        Body.
        """)})
    assert problems == []
    assert entries["z.md"].tags == ("x", "rust", "programming")


@pytest.mark.parametrize(("keys", "problem"), [
    ({"categories": "[a, 1.50]"},
     "entries/a.md:4: error: categories[1] is a number (1.5), not text"),
    ({"keywords": "{a: b}"},
     "entries/a.md:4: error: keywords must be a list or comma-separated text, not a mapping"),
    ({"taxonomies": "[a]"}, "entries/a.md:4: error: taxonomies must be a table of lists, "
                            "not a list"),
    ({"taxonomies": "{tags: [a, 1.50]}"},
     "entries/a.md:4: error: taxonomies.tags[1] is a number (1.5), not text"),
])
def test_tag_alias_errors_name_the_key(site, keys: dict[str, str], problem: str) -> None:
    e, problems = one(site, **keys)
    assert e is None
    assert problems[0].startswith(problem)


def test_categories_in_the_feed(feeds) -> None:
    rss, atom = feeds({"a.md": entry(categories="[a, b]", keywords="c")})
    assert [c.text for c in rss.findall(".//item/category")] == ["a", "b", "c"]
    assert [c.get("term") for c in atom.findall(".//atom:entry/atom:category", NS)] == \
        ["a", "b", "c"]


# -- 3. Language codes ------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "tag"), [
    ("zh_cn", "zh-CN"), ("pt_BR", "pt-BR"), ("en_us", "en-US"),  # locale names
    ("EN-gb", "en-GB"), ("zh-hant-tw", "zh-Hant-TW"), ("de", "de"), ("es-419", "es-419"),
    ("en-x-Twain", "en-x-twain"),
])
def test_locale_names_become_language_tags(site, lang: str, tag: str) -> None:
    """Hugo and Pelican sites write locales (`pt_BR`); feeds want BCP 47 (`pt-BR`)."""
    e, problems = one(site, lang=lang)
    assert problems == []
    assert e.lang == tag


def test_language_tags_in_the_feed_and_config(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {"a.md": entry(lang="zh_cn")},
                                    BASE_CONFIG.replace('"en"', '"pt_br"')))
    assert config.language == "pt-BR"
    result = build(config, now=NOW)
    rss = etree.fromstring(result.outputs[config.output_dir / "rss.xml"])
    atom = etree.fromstring(result.outputs[config.output_dir / "atom.xml"])
    assert rss.findtext("channel/language") == "pt-BR"
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert atom.find("atom:entry", NS).get(xml_lang) == "zh-CN"


def test_a_language_that_is_not_a_tag_is_still_refused(site) -> None:
    e, problems = one(site, lang="english")
    assert e is None
    assert problems == ["entries/a.md:4: error: lang 'english' is not a language tag\n"
                        '  hint: use a BCP 47 tag such as "de"']


# -- 4. Unknown keys --------------------------------------------------------------------


def test_other_generators_keys_give_no_unknown_key_warning(site) -> None:
    """The keys feedpub now reads, the dates other generators write, and the keys it
    knowingly ignores ([extra], layout) are all quiet."""
    _, problems = one(site, published="true", pubDate="2021-05-13", publishDate="2021-05-13",
                      lastmod="2021-05-14", modified="2021-05-14",
                      last_modified_at="2021-05-14", expiryDate="2031-01-01",
                      status="published", build="{list: always}", _build="{list: always}",
                      authors="[Ann]", description="D.", excerpt="E.", categories="[a]",
                      category="b", keywords="[c]", taxonomies="{tags: [d]}",
                      extra="{toc: true}", layout="post")
    assert not [p for p in problems if "unknown key" in p]


def test_a_known_key_in_other_letter_case_is_reported(site) -> None:
    """Hugo reads keys in any case; feedpub does not, and says which spelling works."""
    _, problems = one(site, ExpiryDate="2031-01-01", Categories="[a]")
    assert problems == [
        "entries/a.md:4: warning: unknown key 'ExpiryDate' is ignored\n"
        "  hint: did you mean 'expiryDate'?",
        "entries/a.md:5: warning: unknown key 'Categories' is ignored\n"
        "  hint: did you mean 'categories'?"]
