"""Jekyll's Liquid in a post, rendered before Markdown (feedpub.render.liquid).

Each test names the Jekyll behaviour it copies and where it is written: Jekyll's
source (lib/jekyll/tags/*.rb, lib/jekyll/filters.rb) or its docs ("Tags",
"Liquid Filters", "Includes", "Data Files"). The filters have their own file
(test_liquid_filters.py), as does the lexer (test_liquid_lexer.py).
"""

from __future__ import annotations

import pickle
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from lxml import html as lxml_html

from feedpub.render.liquid import LiquidSite, has_liquid, load_site, render_liquid
from feedpub.render.liquid.render import environment
from feedpub.render.markdown import markdown_to_html
from feedpub.render.sanitise import sanitise

PARIS = ZoneInfo("Europe/Paris")
POST = "_posts/2020-01-02-hello.md"
LINKS = {
    POST: "/2020/01/02/hello.html",
    "_posts/2016-07-26-name.md": "/2016/07/26/name.html",
    "_posts/sub/2010-07-21-name.md": "/sub/2010/07/21/name.html",
    "news/_posts/2011-01-01-other.markdown": "/news/2011/01/01/other.html",
    "about.md": "/about.html",
}
VARIABLES = {"url": "https://example.org", "baseurl": "/blog", "title": "My Site",
             "author": {"name": "Ann"}, "time": "from _config.yml"}
PAGE = {"title": "Hello", "date": datetime(2020, 1, 2, 9, 30, tzinfo=UTC),
        "url": "/2020/01/02/hello.html", "tags": ["a", "b"], "categories": [],
        "slug": "hello", "box": "note.html"}


def make_site(root: Path, files: dict[str, str] | None = None) -> LiquidSite:
    for name, text in (files or {}).items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    site, problems = load_site(root, VARIABLES, LINKS, PARIS)
    assert problems == []
    return site


@pytest.fixture
def site(tmp_path: Path) -> LiquidSite:
    return make_site(tmp_path / "site", {
        "_includes/note.html": '<p class="note">{{ include.text }} by {{ include.who }}</p>',
        "_includes/outer.html": "[{% include note.html text=include.text who='me' %}]",
        "_includes/self.html": "x{% include self.html %}",
        "_posts/snippet.txt": "snippet of {{ page.title }}",
        "_data/people.yml": "- name: Ann\n  role: editor\n",
    })


def render(site: LiquidSite, body: str, **page: object) -> tuple[str, list[str]]:
    return render_liquid(body, {**PAGE, **page}, site, path=POST)


def test_has_liquid_is_a_cheap_test_and_plain_text_is_returned_as_it_is(
        site: LiquidSite) -> None:
    assert has_liquid("a {{ x }}") and has_liquid("{% if %}")
    assert not has_liquid("a { b } % c }}")
    text = "No Liquid here: { } % }}"
    assert render(site, text) == (text, [])


def test_highlight_is_a_code_block_that_survives_markdown(site: LiquidSite) -> None:
    # Jekyll's highlight.rb: a Liquid::Block, so its content is rendered as Liquid
    # first (the docs: "Jekyll processes all Liquid filters in code blocks"); leading
    # and trailing newlines go; the code is HTML-escaped; the language is lower case
    # and '+' becomes '-' in the class (add_code_tag).
    body = ("Before.\n\n{% highlight Ruby linenos %}\ndef foo\n  x < 1 && y\n\n"
            "  '{{ page.title }}'\n{% raw %}  {{ kept }}{% endraw %}\nend\n{% endhighlight %}\n\n"
            "After.\n\n{% highlight c++ %}int a;{% endhighlight %}\n")
    text, warnings = render(site, body)
    assert warnings == []
    assert ('<pre><code class="language-ruby" data-lang="ruby">def foo\n  x &lt; 1 &amp;&amp; '
            "y\n\n  &#39;Hello&#39;\n  {{ kept }}\nend</code></pre>") in text
    html = markdown_to_html(text)
    code = lxml_html.fragment_fromstring(html, create_parent="div").xpath("//pre/code")
    assert code[0].text == "def foo\n  x < 1 && y\n\n  'Hello'\n  {{ kept }}\nend"
    assert "<p>After.</p>" in html
    clean = sanitise(html, "https://example.org/")
    assert '<code class="language-ruby">' in clean and "data-lang" not in clean
    assert '<code class="language-c--">int a;</code>' in clean


def test_raw_keeps_liquid_as_text_everywhere(site: LiquidSite) -> None:
    # Jekyll docs (Tags): "{% raw %}" is the way to keep Liquid from being processed.
    text, warnings = render(site, "{% raw %}{{ page.title }} {% if x %}{% endraw %} "
                                  "{{ page.title }}\n```\n{{ page.title }}\n```")
    assert text == "{{ page.title }} {% if x %} Hello\n```\nHello\n```"
    assert warnings == []


def test_link_and_post_url_give_the_url_with_the_baseurl(site: LiquidSite) -> None:
    # Jekyll 4: link.rb and post_url.rb return relative_url(item) (the 3-to-4
    # upgrade notes: "post_url tag now incorporates the relative_url filter").
    # post_url matches the file name without extension, in _posts/<path> or in
    # <path>/_posts (PostComparer).
    body = ("{% link _posts/2016-07-26-name.md %}|{% link about.md %}|"
            "{% post_url 2016-07-26-name %}|{% post_url sub/2010-07-21-name %}|"
            "{% post_url news/2011-01-01-other %}|{% link {{ page.slug | prepend: 'about' "
            "| remove: 'hello' }}.md %}")
    text, warnings = render(site, body)
    assert text == ("/blog/2016/07/26/name.html|/blog/about.html|/blog/2016/07/26/name.html|"
                    "/blog/sub/2010/07/21/name.html|/blog/news/2011/01/01/other.html|"
                    "/blog/about.html")
    assert warnings == []


def test_a_missing_link_or_post_is_left_out_with_a_warning_naming_it(
        site: LiquidSite) -> None:
    # Jekyll stops the build ("Could not find post ... in tag 'post_url'"); we warn.
    text, warnings = render(site, "a {% post_url 2099-01-01-gone %} b\n"
                                  "{% link missing.md %}\n{% post_url no-date %}")
    assert text == "a  b\n\n"
    assert warnings == [
        "line 1: {% post_url 2099-01-01-gone %}: there is no such post in the site; left out",
        "line 2: {% link missing.md %}: there is no such file in the site; left out",
        "line 3: {% post_url no-date %}: 'no-date' does not start with a date "
        "(write {% post_url 2010-07-21-name %}); left out"]


def test_include_passes_parameters_as_include_variables(site: LiquidSite) -> None:
    # Jekyll docs (Includes): {% include note.html param="value" %} and
    # {{ include.param }}; a parameter may be a variable (include.rb parse_params
    # reads an unquoted value from the context); the file name may be Liquid.
    body = ('{% include note.html text="it\'s \\"quoted\\"" who=page.title %}\n'
            "{% include {{ page.box }} text='single' who=site.author.name %}\n"
            '{% include outer.html text="nested" %}\n'
            "{% include_relative snippet.txt %}")
    text, warnings = render(site, body)
    assert text.splitlines() == [
        '<p class="note">it\'s "quoted" by Hello</p>',
        '<p class="note">single by Ann</p>',
        '[<p class="note">nested by me</p>]',
        "snippet of Hello"]
    assert warnings == []


@pytest.mark.parametrize(("tag", "problem"), [
    ("include ../secret.txt", "a file name has only letters"),
    ("include /etc/passwd", "a file name has only letters"),
    ("include a/./b.html", "a file name has only letters"),
    ("include_relative ../_includes/note.html", "a file name has only letters"),
    ("include nothing.html", "there is no such file"),
    ("include outside.html", "is outside its folder or the site"),
    ("include_relative outside.txt", "is outside its folder or the site"),
])
def test_include_never_reads_outside_its_folder(site: LiquidSite, tag: str,
                                                problem: str) -> None:
    # include.rb's validate_file_name (no "./" nor "/.", letters, digits, _ / . -)
    # and, in safe mode, the real path must be in the includes folder; feedpub also
    # refuses a leading "/" and checks include_relative the same way.
    secret = site.root.parent / "secret.txt"
    secret.write_text("SECRET", encoding="utf-8")
    (site.root / "_includes" / "outside.html").symlink_to(secret)
    (site.root / "_posts" / "outside.txt").symlink_to(secret)
    text, warnings = render(site, f"[{{% {tag} %}}]")
    assert text == "[]"
    assert len(warnings) == 1 and warnings[0].startswith("line 1: ") and problem in warnings[0]
    assert "SECRET" not in text


def test_includes_nest_only_so_deep(site: LiquidSite) -> None:
    text, warnings = render(site, "{% include self.html %}")
    assert text == "x" * 8
    assert warnings == ["_includes/self.html, line 1: includes are nested more than 8 deep "
                        "(does a file include itself?); left out"]


def test_a_syntax_error_in_an_include_leaves_it_out(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"_includes/bad.html": "ok\n{% if x %}never closed"})
    text, warnings = render(site, "a{% include bad.html %}b")
    assert text == "ab"
    assert warnings == ["line 1: include _includes/bad.html: Liquid syntax error "
                        "(_includes/bad.html, line 2): {% if %} is never closed; left out"]


def test_liquid_tags_and_whitespace_control(site: LiquidSite) -> None:
    # Liquid's own tags, as Jekyll uses them (assign, capture, if/unless/case, for,
    # {%- -%}, comment).
    body = """{% assign n = page.tags | size -%}
{%- capture who %}{{ site.author.name | upcase }}{% endcapture -%}
{% if n > 1 %}many{% elsif n == 1 %}one{% else %}none{% endif %}
{% unless page.draft %}published{% endunless %}
{% case page.slug %}{% when "hello" %}greeting{% else %}other{% endcase %}
{% for tag in page.tags reversed %}{{ forloop.index }}:{{ tag }} {% endfor %}
{% comment %}{{ never }} {% if %}{% endcomment %}{{ who }}
{%- # an inline comment %}
    {{- " trimmed " -}}
!"""
    text, warnings = render(site, body)
    assert text == "many\npublished\ngreeting\n1:b 2:a \nANN trimmed !"
    assert warnings == []


def test_site_and_page_variables(site: LiquidSite) -> None:
    # site.* is _config.yml's values and site.data.* the _data files (Jekyll docs:
    # Variables, Data Files); page.* the front matter; dates in the site's zone.
    body = ("{{ site.title }}|{{ site.baseurl }}|{{ site.data.people[0].name }}|"
            "{{ page.title }}|{{ page.date }}|{{ page.path }}|{{ page.tags | join: ',' }}")
    text, warnings = render(site, body)
    assert text == ("My Site|/blog|Ann|Hello|2020-01-02 10:30:00 +0100|"
                    "_posts/2020-01-02-hello.md|a,b")
    assert warnings == []


def test_site_time_is_not_provided(site: LiquidSite) -> None:
    # Jekyll sets site.time to the moment of the build; a feed must not depend on it
    # (even when _config.yml has a "time" key, which Jekyll overrides too).
    text, warnings = render(site, "[{{ site.time }}][{{ site.time | date: '%Y' }}]")
    assert text == "[][]"
    assert warnings == ["site.time is not provided (a feed must not change with the moment "
                        "it is built): rendered empty"]


def test_undefined_variables_render_empty_with_one_warning(site: LiquidSite) -> None:
    # Jekyll's default (Liquid lax mode, strict_variables: false) renders them empty.
    body = ("[{{ page.image }}][{{ page.image }}][{{ site.foo.bar }}][{{ nothing }}]"
            "{% if page.image %}tested, not rendered{% endif %}"
            "[{{ page.image | default: 'none' }}][{{ include.x | append: '!' }}]")
    text, warnings = render(site, body)
    assert text == "[][][][][none][!]"
    assert warnings == ["undefined Liquid variables, rendered empty: page.image, site.foo, "
                        "nothing, include"]


def test_a_syntax_error_leaves_the_body_unrendered_with_the_line_and_the_fix(
        site: LiquidSite) -> None:
    for body, where, what in [
        ("a\n\nb {{ page.title }\nc", "line 3", "expected '}}', found end of file"),
        ("a\n{% for x in page.tags %}\n{{ x }}", "line 2", "{% for %} is never closed"),
        ("a\n{% endif %}", "line 2", "unexpected tag 'endif'"),
        ("{{ page.title | | }}", "line 1", "expected word, found '|'"),
    ]:
        text, warnings = render(site, body)
        assert text == body
        assert len(warnings) == 1
        assert warnings[0].startswith(f"{where}: Liquid syntax error: ")
        assert what in warnings[0]
        assert warnings[0].endswith("put it between {% raw %} and {% endraw %}")


def test_unknown_tags_and_filters_of_plugins(site: LiquidSite) -> None:
    # A plugin's tag ({% youtube %}, {% details %}...{% enddetails %}) cannot run here:
    # it is left out (its block's content kept); an unknown filter keeps the value,
    # as Liquid's lax mode does.
    body = "a{% youtube abc %}b\n{% details x %}inside{% enddetails %}\n{{ 'v' | timeago }}"
    text, warnings = render(site, body)
    assert text == "ab\ninside\nv"
    assert warnings == [
        "unknown Liquid tags left out (a Jekyll plugin's? feedpub runs Jekyll's own tags "
        "only): youtube (line 1), details (line 2), enddetails (line 2)",
        "unknown Liquid filters passed over (the value is kept as it is): timeago (line 3)"]


def test_render_liquid_then_markdown(site: LiquidSite) -> None:
    body = ("# {{ page.title }}\n\nSee [the other post]({% post_url 2016-07-26-name %}).\n\n"
            "{% for p in site.data.people %}- **{{ p.name }}**, {{ p.role }}\n{% endfor %}")
    text, _ = render(site, body)
    html = markdown_to_html(text)
    assert html == ('<h1>Hello</h1>\n<p>See <a href="/blog/2016/07/26/name.html">the other '
                    "post</a>.</p>\n<ul>\n<li><strong>Ann</strong>, editor</li>\n</ul>\n")


# --- Bounds, safety and determinism ---------------------------------------------------


@pytest.mark.parametrize(("body", "message"), [
    ("{% for i in (1..1000000) %}x{% endfor %}", "loop iteration limit reached"),
    ("{% for i in (1..20000) %}{% endfor %}" * 6, "more than 100,000 loop iterations"),
    ("{% capture big %}{% for i in (1..15000) %}" + "x" * 100 + "{% endfor %}{% endcapture %}"
     + "{% assign a = big | append: 1 %}" * 12, "more than 16 MB assigned in all"),
    ("{% capture s %}" * 25 + "{{ 'x' | append: 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' }}"
     + "{% endcapture %}{{ s }}{{ s }}" * 25, "limit"),
])
def test_work_is_bounded(site: LiquidSite, body: str, message: str) -> None:
    text, warnings = render(site, body)
    assert text == body
    assert len(warnings) == 1 and message in warnings[0], warnings
    assert warnings[0].endswith("the body is used without Liquid")


def test_a_text_doubled_again_and_again_stops_at_the_bound(site: LiquidSite) -> None:
    body = "{% assign s = 'xxxxxxxxxxxxxxxx' %}" + "{% assign s = s | append: s %}" * 30
    text, warnings = render(site, body + "{{ s | size }}")
    assert text == str(16 << 16)
    assert warnings == ["line 1: append: the result is longer than 2,000,000 characters; "
                        "left out"]


def test_numbers_are_bounded_and_liquid_5_tags_are_not_jekylls(site: LiquidSite) -> None:
    # Squaring a number again and again would take minutes; Jekyll 4 runs Liquid 4,
    # which has no echo, liquid nor render tags.
    body = ("{% assign n = 9 %}" + "{% assign n = n | times: n %}" * 40 + "{{ n | size }}"
            "{% echo 1 %}{% liquid assign x = 1 %}{% render 'x' %}")
    text, warnings = render(site, body)
    assert text == "0"
    assert warnings == [
        "line 1: times: the result has over 10,000 bits; left out",
        "unknown Liquid tags left out (a Jekyll plugin's? feedpub runs Jekyll's own tags "
        "only): echo (line 1), liquid (line 1), render (line 1)"]


def test_a_filter_that_would_make_a_huge_text_is_left_out(site: LiquidSite) -> None:
    body = ("{% assign s = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' %}"
            "[{{ s | replace: 'a', s | replace: 'a', s | replace: 'a', s | size }}]")
    text, warnings = render(site, body)
    assert text == "[]"
    assert warnings == ["line 1: replace: the result would be longer than 2,000,000 "
                        "characters; left out"]


def test_the_same_input_gives_the_same_output_and_the_clock_is_never_read(
        site: LiquidSite) -> None:
    body = ("{{ 'now' | date: '%Y' }}{{ site.data.people | sample | map: 'name' }}"
            "{{ page.date | date: '%s %Z' }}")
    first = render(site, body)
    assert first == render(site, body)
    assert first[0] == "Ann1577957400 CET"
    assert first[1] == ["line 1: 'now' is the time of the build: feedpub does not read the "
                        "clock (a feed must be the same whenever it is built); left out"]


def test_one_environment_per_site_and_the_site_can_be_pickled(site: LiquidSite) -> None:
    assert environment(site) is environment(site)
    copy = pickle.loads(pickle.dumps(site))
    assert copy == site
    assert environment(copy) is not environment(site)
    assert render_liquid("{{ site.title }}", PAGE, copy, path=POST) == ("My Site", [])


def test_dates_are_shown_in_the_site_zone(site: LiquidSite) -> None:
    late = datetime(2020, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-5)))
    text, _ = render(site, "{{ page.date | date: '%Y-%m-%d %H:%M %z' }}", date=late)
    assert text == "2021-01-01 05:30 +0100"


# --- site.data -------------------------------------------------------------------------


def test_data_files_are_read_into_site_data(tmp_path: Path) -> None:
    # Jekyll docs (Data Files) and readers/data_reader.rb: YAML, JSON, CSV and TSV
    # (rows as hashes by the header; an empty field is nil), folders as nested hashes,
    # keys from file names without the extension and punctuation.
    site = make_site(tmp_path, {
        "_data/members.yml": "- name: Ann\n  year: 2014\n",
        "_data/orgs/jekyll.yaml": "name: Jekyll\n",
        "_data/orgs/doc_team.json": '{"members": ["Ann", "Bob"]}',
        "_data/rows.csv": "name,role\nAnn,editor\nBob,\n",
        "_data/tabs.tsv": "a\tb\n1\t2\n",
        "_data/my data!.yml": "x: 1\n",
        "_data/ignored.txt": "not data",
    })
    assert site.data == {
        "members": [{"name": "Ann", "year": 2014}],
        "my_data": {"x": 1},
        "rows": [{"name": "Ann", "role": "editor"}, {"name": "Bob", "role": None}],
        "tabs": [{"a": "1", "b": "2"}],
        "orgs": {"doc_team": {"members": ["Ann", "Bob"]}, "jekyll": {"name": "Jekyll"}},
    }
    text, _ = render_liquid("{{ site.data.orgs.doc_team.members | join: ', ' }}; "
                            "{{ site.data.rows[1].role | default: 'none' }}", PAGE, site,
                            path=POST)
    assert text == "Ann, Bob; none"


def test_a_bad_data_file_is_left_out_with_a_message_naming_it(tmp_path: Path) -> None:
    data = tmp_path / "_data"
    data.mkdir()
    (data / "good.yml").write_text("ok: true\n", encoding="utf-8")
    (data / "bad.yml").write_text("a: 1\nb: [unclosed\nc: 3\n", encoding="utf-8")
    (data / "bad.json").write_text('{"a": 1,\n}', encoding="utf-8")
    (data / "latin1.yml").write_bytes(b"name: Andr\xe9\n")
    (data / "bomb.yml").write_text(
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
        + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                  for p, c in zip("abcdef", "bcdefg", strict=True)), encoding="utf-8")
    (data / "outside.yml").symlink_to(tmp_path.parent / "elsewhere.yml")
    site, problems = load_site(tmp_path, {}, {}, PARIS)
    assert site.data == {"good": {"ok": True}}
    assert [problem.split(":")[0] for problem in problems] == [
        "_data/bad.json", "_data/bad.yml", "_data/bomb.yml", "_data/latin1.yml",
        "_data/outside.yml"]
    assert problems[0] == "_data/bad.json: invalid JSON at line 2: Expecting property name " \
                          "enclosed in double quotes"
    assert problems[1] == "_data/bad.yml: invalid YAML at line 3: did not find expected ',' or ']'"
    assert "billion laughs" in problems[2] and "utf-8" in problems[3]
    assert problems[4] == "_data/outside.yml: a link to outside the site; left out"


def test_post_url_finds_a_post_in_a_subfolder_of_posts_by_its_name_as_jekyll_4_does(
        tmp_path) -> None:
    """Jekyll 4's PostComparer falls back on the date and slug alone (with a
    deprecation message) when the name has no subfolder: `{% post_url 2015-01-02-a %}`
    finds _posts/2015/2015-01-02-a.md."""
    from datetime import UTC

    from feedpub.render.liquid import load_site, render_liquid

    links = {"_posts/2015/2015-01-02-a.md": "/2015/01/02/a.html",
             "_posts/2015-01-03-b.md": "/2015/01/03/b.html"}
    site, _ = load_site(tmp_path, {"baseurl": ""}, links, UTC)
    text, warnings = render_liquid("{% post_url 2015-01-02-a %} {% post_url 2015-01-03-b %} "
                                   "{% post_url 2015/2015-01-02-a %}", {}, site, path="x.md")
    assert (text, warnings) == ("/2015/01/02/a.html /2015/01/03/b.html /2015/01/02/a.html", [])
