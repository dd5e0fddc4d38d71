"""Other generators' template code never leaks into a feed (issue 11): Hugo shortcodes,
MDX and kramdown attribute lists (feedpub/render/foreign.py)."""

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


def tree(markdown: str) -> lxml_html.HtmlElement:
    body, _ = strip_foreign(markdown)
    return lxml_html.fragment_fromstring(sanitise(markdown_to_html(body), BASE),
                                         create_parent="div")


def problems(tmp_path: Path, body: str) -> list[tuple[str, str]]:
    config = load_config(write_site(tmp_path / "site", {"post.md": entry(body=body)}))
    result = build(config, now=NOW)
    return [(p.severity, p.message) for p in result.warnings
            if p.path and p.path.endswith("post.md")]


def test_figure() -> None:
    """Hugo's embedded figure: <figure>, the img inside <a href=link>, and a <figcaption>
    with the title as <h4> and the caption as <p>; alt falls back to the caption."""
    out = tree('{{< figure src="img/a.png" alt="A cat" caption="Our cat" title="Cats" '
               'link="https://example.com/cat" >}}\n\n{{<figure src="b.png" caption="Bee"/>}}\n')
    first, second = out.xpath("//figure")
    assert first.xpath("a/@href") == ["https://example.com/cat"]
    assert first.xpath("a/img/@src") == [BASE + "img/a.png"]
    assert first.xpath("a/img/@alt") == ["A cat"]
    assert first.xpath("figcaption/h4/text()") == ["Cats"]
    assert first.xpath("figcaption/p/text()") == ["Our cat"]
    assert second.xpath("img/@alt") == ["Bee"] and second.xpath("img/@src") == [BASE + "b.png"]


def test_multi_line_figure() -> None:
    """Hugo's docs write the figure's arguments one a line."""
    out = tree('{{< figure\n  src="z.jpg"\n  alt="Zion"\n  caption="Zion National Park"\n>}}\n')
    assert out.xpath("//figure/img/@alt") == ["Zion"]


def test_highlight_is_a_fenced_block_with_its_content_verbatim() -> None:
    """Hugo's highlight: `{{< highlight LANG OPTIONS >}}code{{< /highlight >}}`; the code
    is not Markdown (backticks, stars and shortcode-like text stay)."""
    out = tree('{{< highlight go "linenos=table,hl_lines=2" >}}\nfunc main() {\n'
               '\tx := `*raw*`\n}\n{{< /highlight >}}\n')
    code = out.xpath("//pre/code")
    assert [c.get("class") for c in code] == ["language-go"]
    assert code[0].text == "func main() {\n\tx := `*raw*`\n}\n"


@pytest.mark.parametrize(("written", "url"), [
    ("{{< youtube dQw4w9WgXcQ >}}", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ('{{< youtube id="dQw4w9WgXcQ" loading="lazy" >}}',
     "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
    ("{{< vimeo 55073825 >}}", "https://vimeo.com/55073825"),
    ("{{< gist spf13 7896402 >}}", "https://gist.github.com/spf13/7896402"),
    ('{{< x user="SanDiegoZoo" id="1453110110599868418" >}}',
     "https://x.com/SanDiegoZoo/status/1453110110599868418"),
    ('{{< tweet user="SanDiegoZoo" id="1453110110599868418" >}}',
     "https://x.com/SanDiegoZoo/status/1453110110599868418"),
    ("{{< tweet 1453110110599868418 >}}", "https://x.com/i/status/1453110110599868418"),
])
def test_embeds_become_links(written: str, url: str) -> None:
    """Hugo's youtube (ID or id=), vimeo (ID), gist (USER ID), x and tweet (user=, id=;
    old Hugo's tweet took the ID alone) make iframes or scripts, which feeds strip: a
    paragraph with a link to the item instead."""
    out = tree(f"Before.\n\n{written}\n\nAfter.\n")
    assert out.xpath("//p/a/@href") == [url]
    assert "{{" not in etree.tostring(out, encoding="unicode")


def test_ref_is_written_as_text_with_a_warning(tmp_path: Path) -> None:
    """Hugo's ref/relref "path" need the other entries' links: the path as text for now."""
    out = tree('See {{< ref "posts/other.md" >}} and {{< relref path="/about" >}}.\n')
    assert out.text_content().strip() == "See posts/other.md and /about."
    assert ("warning", "ref 'posts/other.md' could not be resolved; written as text") \
        in problems(tmp_path, 'See {{< ref "posts/other.md" >}}.')


def test_hugo_escape_shows_the_shortcode_as_written() -> None:
    """Hugo's `{{</* x */>}}` and `{{%/* x */%}}` display `{{< x >}}`/`{{% x %}}`, in
    prose, code spans and fenced code alike."""
    out = tree('Write {{</* youtube ID */>}}, or `{{%/* notice */%}}`:\n\n'
               '```md\n{{</* figure src="a.png" */>}}\n```\n')
    assert out.xpath("//p/text()")[0] == "Write {{< youtube ID >}}, or "
    assert out.xpath("//p/code/text()") == ["{{% notice %}}"]
    assert out.xpath("//pre/code/text()") == ['{{< figure src="a.png" >}}\n']


def test_other_shortcodes_are_removed_keeping_paired_content(tmp_path: Path) -> None:
    """Any other shortcode (Hugo would run a theme's template): removed, a paired one's
    content kept as Markdown; Hugo's comment shortcode hides its content, as in Hugo."""
    body = ("{{% notice warning %}}\nMind the **gap**.\n{{% /notice %}}\n\n"
            "{{< gallery dir=\"img\" />}}\n\n{{< gallery >}}\n\n"
            "{{% comment %}}to do{{% /comment %}}\n")
    out = tree(body)
    assert out.xpath("//strong/text()") == ["gap"]
    text = etree.tostring(out, encoding="unicode")
    assert "{{" not in text and "gallery" not in text and "to do" not in text
    found = problems(tmp_path, body)
    assert found == [("warning", "Hugo shortcode(s) removed, as a feed cannot run them: "
                                 "notice, gallery")]


def test_mdx(tmp_path: Path) -> None:
    """MDX: top-level import/export blocks go; components become their children."""
    body = ("import Chart from '../components/Chart'\nimport { Note } from \"./note\"\n\n"
            "export const meta = {\n  title: 'x',\n}\n\n"
            '<Callout type="warn">Be <b>careful</b></Callout> and <Chart data={[1, 2]} />.\n\n'
            "<Tabs.Item label=\"a\">\n\nTab *text*\n\n</Tabs.Item>\n\n"
            "We import goods and export them. <B>Old</B> <em>html</em>\n")
    out = tree(body)
    text = out.text_content()
    assert "import Chart" not in text and "meta" not in text and "Callout" not in text
    assert "Be careful and ." in text and "Tab text" in text
    assert "We import goods and export them." in text
    assert out.xpath("//b/text()") == ["careful", "Old"] and out.xpath("//em/text()")
    assert found_one(problems(tmp_path, body), "MDX removed")


def found_one(found: list[tuple[str, str]], start: str) -> bool:
    return [severity for severity, message in found if message.startswith(start)] \
        == ["warning"]


def test_kramdown_attribute_lists_are_removed_with_a_note(tmp_path: Path) -> None:
    """kramdown (Jekyll's default) IALs: block on a line of its own, span after a span or
    at a line's end. Styling only: a note, which check --strict does not fail on."""
    body = "# Title\n{: #top}\n\nA *lead*{: .big} paragraph {: .lead data-x=\"1\"}\n"
    out = tree(body)
    assert "{:" not in etree.tostring(out, encoding="unicode")
    assert out.xpath("//h1/text()") == ["Title"]
    assert out.xpath("//p")[0].text_content() == "A lead paragraph"
    found = problems(tmp_path, body)
    assert [s for s, m in found if "kramdown" in m] == ["note"]


def test_code_is_left_alone(tmp_path: Path) -> None:
    """No pass touches fenced code or code spans (but for Hugo's escape)."""
    code = ('{{< youtube x >}} {: .x} <Chart /> import a from "b"')
    body = (f"Inline `{code}` here.\n\n~~~\n{code}\nimport x from 'y'\n~~~\n\n"
            f"````js\n```\n{code}\n```\n````\n")
    out = tree(body)
    assert out.xpath("//p/code/text()") == [code]
    assert [c.text for c in out.xpath("//pre/code")] == [
        f"{code}\nimport x from 'y'\n", f"```\n{code}\n```\n"]
    assert problems(tmp_path, body) == []


def test_ordinary_bodies_are_not_searched() -> None:
    body = "Plain *Markdown* with <b>html</b>, 2 < 3, import and export, `code`.\n"
    assert not has_foreign(body)
    assert strip_foreign(body) == (body, [])
    braces = "A set {a, b}, a dict {'a': 1} and {{ not Hugo }}.\n"
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
