"""Code is found as cmark finds it (feedpub/render/foreign/code.py), and the kramdown and
MDX passes never change it; Hugo's shortcodes are expanded in code too, as Hugo does."""

from __future__ import annotations

from feedpub.render.foreign import strip_foreign
from feedpub.render.foreign.code import code_regions
from tests.render.test_foreign import tree

# Every foreign syntax the kramdown and MDX passes remove, on one line.
FOREIGN = "*a*{: .x} `c`{:.c} <Chart data={1} /> {/* note */} {{</* sc */>}}"


def spans(text: str) -> list[str]:
    code = code_regions(text)
    return [text[start:end] for start, end in zip(code.starts, code.ends, strict=True)]


def test_a_code_span_never_crosses_a_blank_line() -> None:
    """(c) A stray backtick is text: it does not pair with a backtick after a blank
    line (the end of its paragraph), so what follows is still read as prose."""
    assert spans("A stray ` here.\n\nThen `code` and ``a ` b``.\n") == ["`code`", "``a ` b``"]
    assert spans("Runs `` of ` different ``` lengths `` and \\`escaped` `x`\n") == [
        "`` of ` different ``` lengths ``", "` `"]
    assert spans("> quote ` a\n>\n> `b`\n") == ["`b`"]


def test_a_stray_backtick_does_not_shield_what_follows() -> None:
    """(c) The stray backtick of the first paragraph did shield the next paragraphs'
    foreign syntax as code: a kramdown list, a component and a Hugo escape written
    `{{</*figure*/>}}`, which must show as text, not become a <figure> tag."""
    body = ("A stray ` backtick.\n\n*a*{: .x} and `code`.\n\n<Chart /> and `more`.\n\n"
            "{{</*figure*/>}} and `last`.\n")
    text, _ = strip_foreign(body)
    assert text == ("A stray ` backtick.\n\n*a* and `code`.\n\n and `more`.\n\n"
                    "{{&lt;figure>}} and `last`.\n")
    out = tree(body)
    assert out.xpath("//figure") == []
    assert out.xpath("//p[4]/text()")[0] == "{{<figure>}} and "


def test_code_is_left_alone_by_kramdown_and_mdx(tmp_path: object) -> None:
    """(d) Fenced code (backticks and tildes, a longer fence holding a shorter one),
    indented code, a fence indented four spaces in a list item, indented code in a list
    item, code in a quote, and code spans: the kramdown and MDX syntax in them stays."""
    body = (f"Inline `` {FOREIGN} `` here.\n\n~~~\n{FOREIGN}\nimport x from 'y'\n~~~\n\n"
            f"````js\n```\n{FOREIGN}\n```\n````\n\n    {FOREIGN}\n\n"
            f"- item\n\n    ```\n    {FOREIGN}\n    ```\n\n- item\n\n        {FOREIGN}\n\n"
            f"> ```\n> {FOREIGN}\n> ```\n")
    text, removed = strip_foreign(body, shortcodes=False)
    assert (text, removed) == (body, [])
    out = tree(body, shortcodes=False)
    assert out.xpath("//p/code/text()") == [FOREIGN]
    assert [c.text for c in out.xpath("//pre/code")] == [
        f"{FOREIGN}\nimport x from 'y'\n", f"```\n{FOREIGN}\n```\n", f"{FOREIGN}\n",
        f"{FOREIGN}\n", f"  {FOREIGN}\n", f"{FOREIGN}\n"]  # (8 spaces in a "- " item)


def test_hugo_expands_shortcodes_in_code_too() -> None:
    """(d) Hugo's behaviour, copied: Hugo's page lexer (parser/pageparser/pagelexer.go,
    lexMainSection) looks for "{{<" and "{{%" through the whole content before any
    Markdown is read, so a shortcode in a code block or span is expanded; that is why
    Hugo's docs write `{{</* x */>}}` to show one in code. The escape shows `{{< x >}}`
    there, as written (no character reference in code); kramdown and MDX stay."""
    body = ("```md\n{{< youtube abc >}}\n{{</* figure src=\"a.png\" */>}} *a*{: .x} <Chart />\n"
            "```\n\nInline `{{< gallery >}}{{%/* notice */%}}`.\n\n    {{< vimeo 42 >}}\n")
    text, removed = strip_foreign(body)
    assert text == ("```md\n[YouTube video abc](<https://www.youtube.com/watch?v=abc>)\n"
                    "{{< figure src=\"a.png\" >}} *a*{: .x} <Chart />\n```\n\n"
                    "Inline `{{% notice %}}`.\n\n    [Vimeo video 42](<https://vimeo.com/42>)\n")
    assert removed == [("shortcode", "gallery")]
    out = tree(body)
    assert [c.text for c in out.xpath("//pre/code")] == [
        "[YouTube video abc](<https://www.youtube.com/watch?v=abc>)\n"
        "{{< figure src=\"a.png\" >}} *a*{: .x} <Chart />\n",
        "[Vimeo video 42](<https://vimeo.com/42>)\n"]
    assert out.xpath("//p/code/text()") == ["{{% notice %}}"]
