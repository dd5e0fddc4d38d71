"""Each generator's link rules (entries/sites/), copied from its source or docs: the
link is the URL that generator gives the page. Ids stay the core's tag: URIs."""

from __future__ import annotations

import string
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.config.load import load_config
from feedpub.entries.loading import load_entries
from feedpub.entries.sites.slugs import in_path


def links(tmp_path: Path, settings: dict[str, str], entries: dict[str, str],
          toml: str = "", folder: str = "") -> dict[str, str]:
    """Each entry's link by its file inside `folder` (the entries folder)."""
    files = {"feedpub.toml": f'[feed]\nentries = "{folder or "."}"\n'
                             'author = { name = "A" }\ndescription = "D"\n' + toml,
             **settings, **{f"{folder}/{k}" if folder else k: v for k, v in entries.items()}}
    loaded = loaded_site(tmp_path, files)
    assert not [p for p in loaded.problems if p.severity == "error"], loaded.problems
    return {e.rel: e.link for e in loaded.entries}


def loaded_site(tmp_path: Path, files: dict[str, str]):
    """The files written under tmp_path (feedpub.toml among them), and their entries
    loaded."""
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return load_entries(load_config(tmp_path / "feedpub.toml"))


def post(title: str = "T", extra: str = "") -> str:
    return f"---\ntitle: {title}\n{extra}---\nBody.\n"


JEKYLL = "url: https://j.example\ntitle: J\n"


@pytest.mark.parametrize(("permalink", "expected"), [
    # Jekyll's built-in styles (docs: Permalinks, "Built-in formats").
    ("date", "/cat/2024/03/05/hello-world.html"),
    ("pretty", "/cat/2024/03/05/hello-world/"),
    ("ordinal", "/cat/2024/065/hello-world.html"),
    ("weekdate", "/cat/2024/W10/TUE/hello-world.html"),
    ("none", "/cat/hello-world.html"),
    # Placeholders (UrlDrop): i_month, short_month (upper case), long_month, y_day...
    ("/:year/:i_month/:i_day/:title/", "/2024/3/5/hello-world/"),
    ("/:short_year/:short_month/:long_month/:title", "/24/MAR/March/hello-world"),
    ("/:categories/:name:output_ext", "/cat/2024-03-05-hello-world.html"),
    ("/:hour-:minute-:second/:slug/", "/14-30-00/hello-world/"),
])
def test_jekyll_permalink_styles_and_placeholders(tmp_path, permalink, expected) -> None:
    found = links(tmp_path, {"_config.yml": JEKYLL + f"permalink: {permalink}\n"},
                  {"2024-03-05-hello-world.md": post(extra="categories: Cat\n"
                                                         "date: 2024-03-05 14:30:00\n")},
                  folder="_posts")
    assert found == {"2024-03-05-hello-world.md": "https://j.example" + expected}


def test_jekyll_posts_collection_permalink_wins_over_the_sites(tmp_path) -> None:
    settings = JEKYLL + "permalink: pretty\ncollections:\n  posts:\n    permalink: " \
                        "/blog/:year/:title/\n"
    found = links(tmp_path, {"_config.yml": settings},
                  {"2024-03-05-a.md": post()}, folder="_posts")
    assert found == {"2024-03-05-a.md": "https://j.example/blog/2024/a/"}


def test_jekyll_title_keeps_case_and_slug_is_lower_case(tmp_path) -> None:
    # UrlDrop: title is slugify(slug, "pretty", cased); slug is slugify(slug).
    found = links(tmp_path, {"_config.yml": JEKYLL + "permalink: /:title/:slug/\n"},
                  {"2024-03-05-My_Post.v2 (draft).md": post()}, folder="_posts")
    assert found == {"2024-03-05-My_Post.v2 (draft).md":
                     "https://j.example/My_Post.v2-(draft)/my-post-v2-draft/"}


def test_jekyll_categories_are_lower_case_and_each_once_in_links(tmp_path) -> None:
    found = links(tmp_path, {"_config.yml": JEKYLL},
                  {"news/_posts/2024-03-05-a.md": post(extra="categories: [News, Tech]\n")})
    assert found == {"news/_posts/2024-03-05-a.md":
                     "https://j.example/news/tech/2024/03/05/a.html"}


def test_jekyll_site_folder_as_entries_reads_only_posts(tmp_path) -> None:
    found = links(tmp_path, {"_config.yml": JEKYLL},
                  {"about.md": post(), "_drafts/d.md": post(), "_posts/2024-01-02-p.md": post(),
                   "vendor/bundle/gems/x/_posts/2024-01-01-gem.md": post(),
                   "_site/_posts/2024-01-01-copy.md": post()})
    assert list(found) == ["_posts/2024-01-02-p.md"]


def test_jekyll_defaults_apply_by_path_under_the_front_matter(tmp_path) -> None:
    settings = JEKYLL + ("defaults:\n  - scope: {path: ''}\n    values: {permalink: /a/:title/}\n"
                         "  - scope: {path: 'special', type: posts}\n"
                         "    values: {permalink: /b/:title/}\n"
                         "  - scope: {path: '', type: pages}\n    values: {permalink: /no/}\n")
    found = links(tmp_path, {"_config.yml": settings},
                  {"_posts/2024-01-02-x.md": post(),
                   "special/_posts/2024-01-02-y.md": post(),
                   "_posts/2024-01-02-z.md": post(extra="permalink: /own/\n")})
    assert found == {"_posts/2024-01-02-x.md": "https://j.example/a/x/",
                     "special/_posts/2024-01-02-y.md": "https://j.example/b/y/",
                     "_posts/2024-01-02-z.md": "https://j.example/own/"}


HUGO = "baseURL = 'https://h.example/'\ntitle = 'H'\n"


def test_hugo_permalink_tokens(tmp_path) -> None:
    settings = HUGO + ("[permalinks]\nposts = '/:section/:year/:monthname/:filename/'\n"
                       "notes = '/:sections/:slugorfilename/:yearday/'\n")
    found = links(tmp_path, {"hugo.toml": settings},
                  {"posts/First Post.md": post(extra="date: 2024-02-03\n"),
                   "notes/deep/n.md": post(extra="date: 2024-02-03\nslug: the-slug\n")},
                  folder="content")
    assert found == {"posts/First Post.md": "https://h.example/posts/2024/february/first-post/",
                     "notes/deep/n.md": "https://h.example/notes/deep/the-slug/34/"}


def test_hugo_ugly_urls_and_disable_path_to_lower(tmp_path) -> None:
    settings = HUGO + "uglyURLs = true\ndisablePathToLower = true\n"
    found = links(tmp_path, {"hugo.toml": settings},
                  {"Posts/My Post.md": post(extra="date: 2024-02-03\n")}, folder="content")
    assert found == {"Posts/My Post.md": "https://h.example/Posts/My-Post.html"}


def test_hugo_filename_dates_leave_the_slug_only_with_filename_as_a_date_source(
        tmp_path) -> None:
    name = "posts/2024-02-03-dated.md"
    plain = links(tmp_path / "a", {"hugo.toml": HUGO}, {name: post(extra="date: 2024-02-03\n")},
                  folder="content")
    dated = links(tmp_path / "b", {"hugo.toml": HUGO + "[frontmatter]\ndate = [':filename']\n"},
                  {name: post()}, folder="content")
    assert plain == {name: "https://h.example/posts/2024-02-03-dated/"}
    assert dated == {name: "https://h.example/posts/dated/"}


ZOLA = "base_url = 'https://z.example'\ntitle = 'Z'\n"


@pytest.mark.parametrize(("mode", "name", "expected"), [
    ("on", "2024-01-02_Ça va.md", "/blog/ca-va/"),
    ("on", "2024-01-02T10:00:00-timed.md", "/blog/timed/"),
    ("safe", "Ça va.md", "/blog/Ça-va/"),
    ("off", "Ça va.md", "/blog/Ça va/"),
])
def test_zola_slugify_paths(tmp_path, mode, name, expected) -> None:
    from urllib.parse import unquote

    found = links(tmp_path, {"config.toml": ZOLA + f"[slugify]\npaths = '{mode}'\n"},
                  {name: "+++\ntitle = 'T'\ndate = 2024-01-02\n+++\nBody.\n"},
                  folder="content/blog")
    assert unquote(found[name]) == "https://z.example" + expected


def test_zola_slug_in_front_matter_is_slugified(tmp_path) -> None:
    found = links(tmp_path, {"config.toml": ZOLA},
                  {"x.md": "+++\ntitle = 'T'\ndate = 2024-01-02\nslug = 'Hello World'\n+++\n"},
                  folder="content/blog")
    assert found == {"x.md": "https://z.example/blog/hello-world/"}


PELICAN = "SITENAME = 'P'\nSITEURL = 'https://p.example'\n"


def test_pelican_article_url_from_feedpub_toml_with_pelicans_fields(tmp_path) -> None:
    text = "Title: Hello, World!\nDate: 2024-05-06 07:08\nAuthor: Émile Zola\n\nBody.\n"
    found = links(tmp_path, {"pelicanconf.py": PELICAN},
                  {"essays/a.md": text, "b.md": text.replace("Hello", "Bye") + ""},
                  toml='permalink = "{category}/{date:%Y/%m}/{author}/{slug}/"\n',
                  folder="content")
    assert found == {
        "essays/a.md": "https://p.example/essays/2024/05/emile-zola/hello-world/",
        "b.md": "https://p.example/misc/2024/05/emile-zola/bye-world/",  # DEFAULT_CATEGORY
    }


def test_pelican_slug_metadata_and_default_article_url(tmp_path) -> None:
    found = links(tmp_path, {"pelicanconf.py": PELICAN},
                  {"a.md": "Title: Anything\nDate: 2024-05-06\nSlug: my-own\n\nBody.\n"},
                  folder="content")
    assert found == {"a.md": "https://p.example/my-own.html"}  # '{slug}.html'


def test_feedpub_permalink_wins_over_a_jekyll_sites(tmp_path) -> None:
    found = links(tmp_path, {"_config.yml": JEKYLL}, {"2024-03-05-a.md": post()},
                  toml='permalink = "/p/{name}/"\n', folder="_posts")
    assert found == {"2024-03-05-a.md": "https://j.example/p/a/"}


def test_a_page_bundle_is_at_its_folders_url_on_a_plain_site_and_keeps_its_id(
        tmp_path) -> None:
    toml = 'title = "T"\nurl = "https://x.example/"\n'
    files = {"feedpub.toml": '[feed]\nauthor = { name = "A" }\ndescription = "D"\n' + toml,
             "entries/trip/index.md": post(extra="date: 2024-01-02\n")}
    entry = loaded_site(tmp_path, files).entries[0]
    assert entry.link == "https://x.example/trip/"
    assert entry.base == "https://x.example/trip/"  # images beside it resolve there
    assert entry.id == "tag:x.example,2024-01-02:trip/index"  # as before: ids never move


def test_hugo_keys_are_read_in_any_letter_case(tmp_path) -> None:
    text = "---\nTitle: Cased\nPublishDate: 2024-02-03\nDraft: false\nSlug: s\n---\nB.\n"
    files = {"feedpub.toml": '[feed]\nentries = "content"\nauthor = { name = "A" }\n',
             "hugo.toml": HUGO, "content/posts/a.md": text}
    loaded = loaded_site(tmp_path, files)
    assert not loaded.problems  # no "did you mean title?" warnings on a Hugo site
    (entry,) = loaded.entries
    assert (entry.title, entry.published.date().isoformat(), entry.link) == (
        "Cased", "2024-02-03", "https://h.example/posts/s/")


def test_hugo_headless_bundles_are_left_out(tmp_path) -> None:
    files = {"feedpub.toml": '[feed]\nentries = "content"\nauthor = { name = "A" }\n',
             "hugo.toml": HUGO,
             "content/h/index.md": "---\ntitle: H\ndate: 2024-01-01\nheadless: true\n---\n"}
    assert [e.draft for e in loaded_site(tmp_path, files).entries] == [True]


def test_published_false_as_text_is_published_as_jekyll_does_with_a_warning(
        tmp_path) -> None:
    files = {"feedpub.toml": '[feed]\nentries = "_posts"\nauthor = { name = "A" }\n'
                             'description = "D"\n',
             "_config.yml": JEKYLL,
             "_posts/2024-01-01-a.md": '---\ntitle: A\npublished: "false"\n---\n'}
    loaded = loaded_site(tmp_path, files)
    assert [e.draft for e in loaded.entries] == [False]  # Jekyll: only false is false
    assert [p.message.split(",")[0] for p in loaded.problems] == [
        "published is the text 'false'"]


def test_jekyll_markdown_ext_says_which_files_are_posts(tmp_path) -> None:
    found = links(tmp_path, {"_config.yml": JEKYLL + "markdown_ext: md, MKD\n"},
                  {"2024-01-01-a.md": post(), "2024-01-02-b.mkd": post(),
                   "2024-01-03-c.markdown": post()}, folder="_posts")
    assert sorted(found) == ["2024-01-01-a.md", "2024-01-02-b.mkd"]


def test_a_site_pattern_that_cannot_be_filled_is_an_error_not_a_traceback(tmp_path) -> None:
    files = {"feedpub.toml": '[feed]\nentries = "content"\nauthor = { name = "A" }\n'
                             'description = "D"\n',
             "pelicanconf.py": PELICAN + "ARTICLE_URL = '{year}/{slug}.html'\n",
             "content/a.md": "Title: A\nDate: 2024-05-06\n\nBody.\n"}
    loaded = loaded_site(tmp_path, files)
    assert loaded.entries == ()
    assert [p.message for p in loaded.problems] == [
        "the Pelican link pattern cannot be filled for this entry: KeyError: 'year'"]


def test_jekyll_placeholder_values_are_escaped_as_jekyll_escapes_paths(tmp_path) -> None:
    # URL.escape_path: "C#" must not become a fragment, nor "a?b" a query.
    settings = JEKYLL + ("permalink: /blog/:categories/:title/\n"
                         "defaults: [{scope: {path: ''}, values: {categories: ['C#', 'a?b']}}]\n")
    found = links(tmp_path, {"_config.yml": settings}, {"2024-01-02-hello.md": post()},
                  folder="_posts")
    assert found == {"2024-01-02-hello.md": "https://j.example/blog/c%23/a%3Fb/hello/"}


def test_pelican_values_are_escaped_in_paths(tmp_path) -> None:
    found = links(tmp_path, {"pelicanconf.py": PELICAN + "ARTICLE_URL = '{date:%Y}/{slug}/'\n"},
                  {"a.md": "Title: A\nDate: 2024-05-06\nSlug: a?b#c\n\nBody.\n"},
                  folder="content")
    assert found == {"a.md": "https://p.example/2024/a%3Fb%23c/"}


@pytest.mark.parametrize(("pattern", "expected"), [
    ("/:sections[1:]/:slug/", "/deep/hello/"),  # Hugo 0.112's slices of the sections
    ("/:sections[0]/:slug/", "/notes/hello/"),
    ("/:sections[-1]/:slug/", "/deep/hello/"),
    ("/:sections[:1]/:filename/", "/notes/n/"),
])
def test_hugo_sections_slices(tmp_path, pattern: str, expected: str) -> None:
    settings = HUGO + f"[permalinks]\nnotes = '{pattern}'\n"
    found = links(tmp_path, {"hugo.toml": settings},
                  {"notes/deep/n.md": post(extra="date: 2024-02-03\nslug: hello\n")},
                  folder="content")
    assert found == {"notes/deep/n.md": "https://h.example" + expected}


def test_a_sites_links_leave_the_ids_as_the_core_makes_them(tmp_path) -> None:
    # The link follows Jekyll's rules; the id stays the tag: URI of the file's path,
    # so moving to a site's settings never makes readers see old posts as new.
    files = {"feedpub.toml": '[feed]\nentries = "_posts"\nauthor = { name = "A" }\n'
                             'description = "D"\n',
             "_config.yml": JEKYLL + "permalink: pretty\n",
             "_posts/2024-03-05-hello.md": post(extra="categories: News\n")}
    (entry,) = loaded_site(tmp_path, files).entries
    assert entry.link == "https://j.example/news/2024/03/05/hello/"
    assert entry.id == "tag:j.example,2024-03-05:2024-03-05-hello"


@settings(max_examples=2000, deadline=None)
@given(value=st.text(alphabet=st.sampled_from(
    [*string.printable, "é", "日", "%", "#", "?", "\u2028", "\x00"]), max_size=12))
def test_in_path_escapes_as_quote_does(value: str) -> None:
    # (the fast path for values with nothing to encode gives quote's own answer)
    assert in_path(value) == quote(value, safe="/!$&'()*+,;=:@-._~")
