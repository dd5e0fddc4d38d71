"""kramdown attribute lists (Jekyll) and MDX never leak into a feed, and prose that only
looks like them stays (issue 11: feedpub/render/foreign/kramdown.py and mdx.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedpub.render.foreign import strip_foreign
from tests.render.test_foreign import problems, tree


@pytest.mark.parametrize("prose", [
    "Elixir returns {:ok, value} or {:error, reason}.",
    "A map %{:a => 1} and a tuple {:ok, %{}}.",
    "A brace {: not an attribute list, really}.",
    "Text{: .x} straight after text, which kramdown shows as written.",
    "f(x){:ok}, a call and a tuple, no link before.",
])
def test_prose_braces_stay(prose: str) -> None:
    """(b) Only kramdown's own syntax is removed: the inside of the braces must be
    `.class`, `#id`, `key="v"` or reference names, and the list on a line of its own or
    straight after a span. The pattern that removed `{:ok, value}` would fail here."""
    assert strip_foreign(prose + "\n") == (prose + "\n", [])


def test_kramdown_attribute_lists_are_removed_with_a_note(tmp_path: Path) -> None:
    """Block IALs on a line of their own (after a heading, a paragraph, in a quote),
    attribute list definitions, span IALs after emphasis, code, a link and an image, and
    an options extension. A block IAL between two lines ends the paragraph, as in
    kramdown. Styling only: a note, which check --strict does not fail on."""
    body = ("{::options parse_block_html=\"true\" /}\n{:refdef: .big #x}\n\n# Title\n{: #top}\n\n"
            "First line\n{:.lead data-x=\"1\" refdef}\nSecond *lead*{: .big} **b**{:#b} "
            "`c`{:.c} [link](https://example.com/a_(b)){:target=\"_blank\" rel='me'} "
            "![img](x.png){: width=\"50%\"}.\n\n> Quoted\n> {: .q}\n")
    text, removed = strip_foreign(body)
    assert text == ("\n\n\n# Title\n\n\nFirst line\n\nSecond *lead* **b** `c` "
                    "[link](https://example.com/a_(b)) ![img](x.png).\n\n> Quoted\n> \n")
    assert [what for kind, what in removed if kind == "ial"][:3] == [
        '{::options parse_block_html="true" /}', "{:refdef: .big #x}", "{: #top}"]
    out = tree(body)
    assert out.xpath("//h1/text()") == ["Title"]
    assert [p.text_content() for p in out.xpath("/div/p")] == [
        "First line", "Second lead b c link ."]
    assert out.xpath("//p/img/@alt") == ["img"]
    assert out.xpath("//blockquote/p/text()") == ["Quoted"]
    found = problems(tmp_path, body, "jekyll")
    assert [s for s, m in found if "kramdown" in m] == ["note"]
    assert not [s for s, m in problems(tmp_path / "plain", body) if "kramdown" in m]


def test_the_flag_turns_kramdown_off() -> None:
    """Not a Jekyll site: `{: .x}` is the author's text."""
    body = "A *b*{: .x}\n{: #y}\n"
    assert strip_foreign(body, kramdown=False) == (body, [])


def test_mdx(tmp_path: Path) -> None:
    """MDX: top-level import/export blocks go (an export's braces may hold a blank line);
    components become their children, self-closing ones go, attributes may hold arrow
    functions; JSX comments go; HTML in capitals stays. One warning names it all."""
    body = ("import Chart from '../components/Chart'\nimport { Note,\n  Tip } from \"./note\"\n\n"
            "export const meta = {\n  title: 'x',\n\n  tags: ['a'],\n}\n\n"
            '<Callout type="warn">Be <b>careful</b></Callout> and <Chart data={[1, 2]} />.\n\n'
            "<Tabs.Item label=\"a\">\n\nTab *text*\n\n</Tabs.Item>\n\n"
            "<Button onClick={() => alert('hi')}>Click</Button>{/* a note to self */}\n\n"
            "We import goods and export them. <B>Old</B> <em>html</em>\n")
    text, _ = strip_foreign(body)
    assert text.startswith("\n\nBe <b>careful</b> and .\n\n\n\nTab *text*\n\n\n\nClick\n\n")
    out = tree(body)
    assert [p.text_content() for p in out.xpath("/div/p")] == [
        "Be careful and .", "Tab text", "Click", "We import goods and export them. Old html"]
    assert out.xpath("//b/text()") == ["careful", "Old"] and out.xpath("//em/text()")
    found = [m for s, m in problems(tmp_path, body) if m.startswith("MDX removed")]
    assert found == ["MDX removed, as a feed cannot run it: import, export, <Callout>, <Chart>, "
                     "<Tabs.Item>, <Button> (components keep their children's text)"]


@pytest.mark.parametrize("prose", [
    "export the file as CSV, then import it.",
    "import goods from abroad.",
    "export default settings to a file.",
    "Some text\nimport X from 'y'\nin the same paragraph.",
    "    import X from 'y'\n\nindented: code, not a statement.",
])
def test_prose_that_starts_like_a_statement_stays(prose: str) -> None:
    """Only real ES statements at the start of a line, after a blank line, are ESM."""
    body = f"Intro.\n\n{prose}\n"
    assert strip_foreign(body) == (body, [])
