"""Hugo shortcodes never leak into a feed (issue 11, feedpub/render/foreign/hugo.py):
the embedded ones a feed can show are made as Hugo's templates make them, the others
are removed with a warning. kramdown and MDX: test_foreign_markdown.py; code:
test_foreign_code.py; 1 MB hostile bodies and random ones: test_foreign_hostile.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from feedpub.build import build
from feedpub.config.load import load_config
from feedpub.render.foreign import has_foreign, strip_foreign
from feedpub.render.markdown import markdown_to_html
from feedpub.render.sanitise import sanitise
from tests.conftest import NOW, NS, entry, write_site

BASE = "https://example.org/blog/post/"


def tree(markdown: str, **flags: object) -> lxml_html.HtmlElement:
    body, _ = strip_foreign(markdown, **flags)  # type: ignore[arg-type]
    return lxml_html.fragment_fromstring(sanitise(markdown_to_html(body), BASE),
                                         create_parent="div")


def problems(tmp_path: Path, body: str, kind: str = "auto") -> list[tuple[str, str]]:
    """The warnings and notes a build gives the entry, on a site of the `kind` named
    (feed.from): kramdown's lists are read on Jekyll's, shortcodes on Hugo's or where
    no generator's settings are found."""
    config = load_config(write_site(tmp_path / "site", {"post.md": entry(body=body)},
                                    extra=f'from = "{kind}"\n'))
    result = build(config, now=NOW)
    return [(p.severity, p.message) for p in result.warnings
            if p.path and p.path.endswith("post.md")]


def test_figure() -> None:
    """Hugo's figure template: <figure>, the img inside <a href=link>, alt from alt or
    else the caption, and a <figcaption> with the title as <h4> and the caption (as
    Markdown, Hugo's markdownify) and attr as <p>."""
    out = tree('{{< figure src="img/a.png" alt="A cat" caption="Our *cat*" title="Cats" '
               'link="https://example.com/cat" attr="Ann" attrlink="https://ann.example" >}}'
               '\n\n{{<figure src="b.png" caption="Bee **b**"/>}}\n\n{{< figure src="c.png" >}}\n')
    first, second, third = out.xpath("//figure")
    assert first.xpath("a/@href") == ["https://example.com/cat"]
    assert first.xpath("a/img/@src") == [BASE + "img/a.png"]
    assert first.xpath("a/img/@alt") == ["A cat"]
    assert first.xpath("figcaption/h4/text()") == ["Cats"]
    assert first.xpath("figcaption/p/em/text()") == ["cat"]
    assert first.xpath("figcaption/p/a/@href") == ["https://ann.example"]
    assert first.xpath("figcaption/p/a/text()") == ["Ann"]
    assert second.xpath("img/@alt") == ["Bee b"] and second.xpath("img/@src") == [BASE + "b.png"]
    assert third.xpath("img/@alt") == [] and third.xpath("figcaption") == []


def test_multi_line_figure() -> None:
    """Hugo's docs write the figure's arguments one a line."""
    out = tree('{{< figure\n  src="z.jpg"\n  alt="Zion"\n  caption="Zion National Park"\n>}}\n')
    assert out.xpath("//figure/img/@alt") == ["Zion"]


def test_figure_keeps_a_list_a_quote_and_a_table_whole() -> None:
    """(e) A figure in a list item, a block quote and a table row: written on one line,
    with no blank lines around it, the list, the quote and the table each stay one."""
    fig = '{{< figure src="x.png" alt="A" caption="C | D" >}}'
    out = tree(f"- one\n- {fig}\n- three\n\n> quote\n> {fig}\n\n"
               f"| a | b |\n|---|---|\n| {fig} | z |\n| c | d |\n\nAfter.\n")
    assert [len(ul.xpath("li")) for ul in out.xpath("//ul")] == [3]
    assert out.xpath("//ul/li[2]/figure/img/@alt") == ["A"]
    assert len(out.xpath("//blockquote")) == 1
    assert out.xpath("//blockquote/p/text()") == ["quote"]
    assert out.xpath("//blockquote/figure/figcaption/p/text()") == ["C | D"]
    assert [len(t.xpath(".//tr")) for t in out.xpath("//table")] == [3]
    assert out.xpath("//table//tr[1]/td[1]/figure/img/@src") == [BASE + "x.png"]
    assert out.xpath("//table//tr[1]/td[2]/text()") == ["z"]
    assert out.xpath("/div/p/text()") == ["After."]


def test_figure_alone_on_its_line_ends_before_the_next_line() -> None:
    """Alone on its line the figure is an HTML block; the text on the next line is
    still Markdown (a paragraph of its own), and the text before stays a paragraph."""
    out = tree('Before *a*\n{{< figure src="x.png" alt="A" >}}\nAfter *b*\n')
    assert out.xpath("//p/em/text()") == ["a", "b"]
    assert [child.tag for child in out] == ["p", "figure", "p"]


def test_highlight_is_code_with_its_content_verbatim() -> None:
    """Hugo's highlight: `{{< highlight LANG OPTIONS >}}code{{< /highlight >}}`; the code
    is not Markdown (backticks, stars, braces and blank lines stay), its escapes show as
    written, and newlines at its ends are trimmed (Hugo's `trim .Inner "\\n\\r"`)."""
    out = tree('{{< highlight go "linenos=table,hl_lines=2" >}}\n\nfunc main() {\n'
               '\tx := `*raw*` | {: .x} <Chart />\n\n\t{{</* y */>}}\n}\n\n{{< /highlight >}}\n')
    code = out.xpath("//pre/code")
    assert [c.get("class") for c in code] == ["language-go"]
    assert code[0].text == ("func main() {\n\tx := `*raw*` | {: .x} <Chart />\n\n"
                            "\t{{< y >}}\n}\n")


def test_highlight_in_a_list_item_keeps_the_list() -> None:
    out = tree("- a\n- {{< highlight sh >}}\nls -l\n\necho\n{{< /highlight >}}\n- c\n")
    assert len(out.xpath("//ul/li")) == 3
    assert out.xpath("//ul/li[2]/pre/code/text()") == ["ls -l\n\necho\n"]


@pytest.mark.parametrize(("written", "url"), [
    ("{{< youtube dQw4w9WgXcQ >}}", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ('{{< youtube id="dQw4w9WgXcQ" loading="lazy" >}}',
     "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("{{< vimeo 55073825 >}}", "https://vimeo.com/55073825"),
    ("{{< instagram CxOWiQNP2MO >}}", "https://www.instagram.com/p/CxOWiQNP2MO/"),
    ("{{< gist spf13 7896402 >}}", "https://gist.github.com/spf13/7896402"),
    ('{{< x user="SanDiegoZoo" id="1453110110599868418" >}}',
     "https://x.com/SanDiegoZoo/status/1453110110599868418"),
    ('{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}',
     "https://x.com/SanDiegoZoo/status/1453110110599868418"),
    ("{{< tweet 1453110110599868418 >}}", "https://x.com/i/status/1453110110599868418"),
])
def test_embeds_become_links(written: str, url: str) -> None:
    """Hugo's youtube (ID or id=), vimeo, instagram (ID), gist (USER ID), x and tweet
    (user=, id=; old Hugo's tweet took the ID alone) make iframes or scripts, which
    feeds strip: a link to the item instead, in a paragraph or a list item alike."""
    out = tree(f"Before.\n\n{written}\n\n- In a list: {written}\n\nAfter.\n")
    assert out.xpath("//p/a/@href") == [url]
    assert out.xpath("//li/a/@href") == [url]
    assert "{{" not in etree.tostring(out, encoding="unicode")


def test_ref_becomes_the_target_entrys_link() -> None:
    """ref/relref "path" (or path=): the URL `resolve_ref` gives for the argument."""
    links = {"posts/other.md": "https://example.org/blog/other/",
             "/about": "https://example.org/about/"}
    body = ('See [the other]({{< ref "posts/other.md" >}}) and [us]({{< relref path="/about" >}})'
            ', or {{< ref "posts/other.md" >}}.\n')
    text, removed = strip_foreign(body, resolve_ref=links.get)
    assert removed == []
    assert text.endswith("or https://example.org/blog/other/.\n")
    out = tree(body, resolve_ref=links.get)
    assert out.xpath("//a/@href")[:2] == list(links.values())
    assert [a.text for a in out.xpath("//a")][:2] == ["the other", "us"]


def test_unresolved_ref_is_written_as_text_with_a_warning(tmp_path: Path) -> None:
    """Without `resolve_ref`, or when it knows no such entry: the argument as text."""
    body = 'See {{< ref "posts/other.md" >}} and {{< relref path="/about" >}}.\n'
    assert tree(body).text_content().strip() == "See posts/other.md and /about."
    text, removed = strip_foreign(body, resolve_ref=lambda path: None)
    assert text == "See posts/other.md and /about.\n"
    assert removed == [("ref", "posts/other.md"), ("ref", "/about")]
    assert ("warning", "ref 'posts/other.md' could not be resolved; written as text") \
        in problems(tmp_path, 'See {{< ref "posts/other.md" >}}.')


def test_hugo_escape_shows_the_shortcode_as_written() -> None:
    """Hugo's `{{</* x */>}}` and `{{%/* x */%}}` display `{{< x >}}`/`{{% x %}}`, in
    prose, code spans and fenced code alike (Hugo's lexShortcodeComment). In prose the
    delimiter is written as a character reference, so that `{{</*figure*/>}}` shows as
    text rather than becoming a <figure> tag."""
    body = ('Write {{</* youtube ID */>}}, {{</*figure*/>}} or `{{%/* notice */%}}`:\n\n'
            '```md\n{{</* figure src="a.png" */>}}\n```\n')
    text, _ = strip_foreign(body)
    assert text.startswith("Write {{&lt; youtube ID >}}, {{&lt;figure>}} or `{{% notice %}}`")
    out = tree(body)
    assert out.xpath("//p/text()")[0] == "Write {{< youtube ID >}}, {{<figure>}} or "
    assert out.xpath("//figure") == []
    assert out.xpath("//p/code/text()") == ["{{% notice %}}"]
    assert out.xpath("//pre/code/text()") == ['{{< figure src="a.png" >}}\n']


def test_other_shortcodes_are_removed_keeping_paired_content(tmp_path: Path) -> None:
    """Any other shortcode (Hugo would run a theme's template): removed, a paired one's
    content kept, whether `{{%` (Markdown in Hugo) or `{{<` (not rendered as Markdown
    by Hugo; kept as Markdown here, a simple choice). Hugo's comment shortcode hides its
    content, as in Hugo. A tag alone on its line goes with its line."""
    body = ("{{% notice warning %}}\nMind the **gap**.\n{{% /notice %}}\n\n"
            "{{< gallery dir=\"img\" />}}\n\n{{< gallery >}}\n\n"
            "Text {{< card >}}*in* card{{< /card >}} here\n\n"
            "{{% comment %}}to do{{% /comment %}}\n")
    text, _ = strip_foreign(body)
    assert text == "Mind the **gap**.\n\n\n\nText *in* card here\n\n"
    out = tree(body)
    assert out.xpath("//strong/text()") == ["gap"] and out.xpath("//em/text()") == ["in"]
    found = problems(tmp_path, body)
    assert found == [("warning", "Hugo shortcode(s) removed, as a feed cannot run them: "
                                 "notice, gallery, card")]


def test_tags_are_paired_by_name_like_hugo() -> None:
    """A closing tag closes the last open shortcode of its name; a stray closing tag
    is removed and named; an unclosed comment hides nothing; an inline shortcode's
    content is a Go template, hidden (and named)."""
    text, removed = strip_foreign("{{< a >}}1{{< b >}}2{{< /a >}}3{{< /c >}} "
                                  "{{< comment >}}shown{{< t.inline >}}{{ now }}"
                                  "{{< /t.inline >}}\n")
    assert text == "123 shown\n"
    assert removed == [("shortcode", "a"), ("shortcode", "b"), ("shortcode", "c"),
                       ("shortcode", "comment"), ("shortcode", "t.inline")]


def test_what_is_not_a_shortcode_stays_text() -> None:
    """No name, a name that is not one, a nested opener, no closer: text, shown as
    written (the delimiter as a character reference, as no tag can start there)."""
    for written in ("{{< >}}", "{{< x=1 >}}", "{{< a {{% b %}} >}}", "{{< figure",
                    "{{</* unclosed"):
        text, _ = strip_foreign(written)
        assert "{{<" not in text and "{{%" not in text, written
        assert lxml_html.fromstring(markdown_to_html(text)).text_content().startswith(
            written[:3]), written


def test_the_flag_turns_shortcodes_off() -> None:
    """Not a Hugo site: `{{< x >}}` is the author's text."""
    body = "{{< youtube x >}} and {{</* y */>}}\n"
    assert strip_foreign(body, shortcodes=False) == (body, [])


def test_ordinary_bodies_are_not_searched() -> None:
    body = "Plain *Markdown* with <b>html</b>, 2 < 3, import and export, `code`.\n"
    assert not has_foreign(body)
    assert strip_foreign(body) == (body, [])
    braces = "A set {a, b}, a dict {'a': 1}, {:ok, value} and {{ not Hugo }}.\n"
    assert has_foreign(braces) and strip_foreign(braces) == (braces, [])


def test_hugo_page_bundle_end_to_end(tmp_path: Path) -> None:
    """A Hugo page bundle (posts/trip/index.md beside its image) with a figure, a
    highlight block and a youtube shortcode: the RSS item has the <img>, the Go code and
    the youtube link, and no "{{" is left anywhere in the feed."""
    body = ('{{< figure src="boat.jpg" alt="The boat" caption="On the lake" >}}\n\n'
            "{{< highlight go >}}\npackage main\n{{< /highlight >}}\n\n"
            "{{< youtube dQw4w9WgXcQ >}}\n")
    config = load_config(write_site(tmp_path / "site", {
        "posts/trip/index.md": entry(title="Trip", body=body),
        "posts/trip/boat.jpg": b"\xff\xd8",
    }))
    result = build(config, now=NOW)
    feed = result.outputs[config.output_dir / "rss.xml"]
    assert b"{{" not in feed and b"{{" not in result.outputs[config.output_dir / "atom.xml"]
    content = etree.fromstring(feed).xpath("//item/content:encoded/text()", namespaces=NS)[0]
    html = lxml_html.fragment_fromstring(content, create_parent="div")
    # (Against the entry's base, which for an index.md is .../trip/index/ for now.)
    assert html.xpath("//figure/img/@src")[0].startswith("https://example.org/blog/posts/trip/")
    assert html.xpath("//figure/img/@src")[0].endswith("/boat.jpg")
    assert html.xpath("//figure/img/@alt") == ["The boat"]
    assert html.xpath("//code[@class='language-go']/text()") == ["package main\n"]
    assert html.xpath("//a/@href") == ["https://www.youtube.com/watch?v=dQw4w9WgXcQ"]
