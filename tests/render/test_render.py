"""Markdown -> safe HTML with absolute URLs, and the plain-text summary."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html

from feedpub.base.html_text import first_paragraph_text, html_to_text
from feedpub.render.markdown import markdown_to_html
from feedpub.render.sanitise import sanitise

BASE = "https://example.org/blog/world/post/"


def render(markdown: str) -> str:
    return sanitise(markdown_to_html(markdown), BASE)


def test_gfm_features() -> None:
    out = render("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~ www.example.com\n\n"
                 "Note[^1].\n\n[^1]: The note.\n\n- [x] done\n")
    tree = lxml_html.fragment_fromstring(out, create_parent="div")
    assert tree.xpath("//table/tbody/tr/td/text()") == ["1", "2"]
    assert tree.xpath("//del/text()") == ["gone"]
    assert "http://www.example.com" in tree.xpath("//a/@href")
    assert tree.xpath("//li/p/text()")[0].startswith("The note.")
    assert "\u2611 done" in tree.xpath("//li/text()")


def test_task_list_boxes_become_characters_and_form_controls_go() -> None:
    # ☐/☑ survive every reader's sanitiser and plain-text summaries; <input> would not.
    out = render("- [ ] to do\n- [x] done\n\n"
                 '<form action="/search"><label>Find <input name="q"></label>'
                 "<button>Go</button><select><option>choice</option></select>"
                 '<textarea>typed</textarea><input type="checkbox" checked></form>\n')
    tree = lxml_html.fragment_fromstring(out, create_parent="div")
    assert tree.xpath("//li/text()") == ["\u2610 to do", "\u2611 done"]
    assert [el.tag for el in tree.iter()
            if el.tag in {"form", "input", "button", "select", "option", "textarea"}] == []
    assert "Go" not in out and "choice" not in out and "typed" not in out
    assert "Find" in out  # a label's text is text
    assert html_to_text(markdown_to_html("- [x] a\n- [ ] b\n")) == "\u2611 a \u2610 b"


def test_fenced_code_keeps_its_language_class_only() -> None:
    out = render('```python\nx = 1\n```\n\n<code class="evil language-js">y</code> '
                 '<code class="https://example.org/ language-go">z</code> '
                 '<code class="http://example.org/">w</code>')
    assert '<code class="language-python">' in out
    assert '<code class="language-js">' in out
    # (a class that looks like a URL is a class: cut like the others)
    assert '<code class="language-go">z</code>' in out and "<code>w</code>" in out


@pytest.mark.parametrize(("markdown", "attr", "expected"), [
    ("[a](other/)", "href", BASE + "other/"),
    ("[a](../sibling/)", "href", "https://example.org/blog/world/sibling/"),
    ("[a](/root.html)", "href", "https://example.org/root.html"),
    ("[a](//cdn.example.net/x)", "href", "https://cdn.example.net/x"),
    ("[a](#section)", "href", BASE + "#section"),
    ("[a](https://other.example/x)", "href", "https://other.example/x"),
    ("[a](mailto:a@example.org)", "href", "mailto:a@example.org"),
    ("![i](pic.png)", "src", BASE + "pic.png"),
    ('<img src="a.png" srcset="a.png 1x, /b.png 2x">', "srcset",
     BASE + "a.png 1x, https://example.org/b.png 2x"),
    ('<video src="v.mp4" poster="p.jpg" controls></video>', "poster", BASE + "p.jpg"),
    ('<video controls><source src="v.webm" type="video/webm"></video>', "src",
     BASE + "v.webm"),
    ('<blockquote cite="src.html">q</blockquote>', "cite", BASE + "src.html"),
])
def test_relative_urls_become_absolute(markdown: str, attr: str, expected: str) -> None:
    tree = lxml_html.fragment_fromstring(render(markdown), create_parent="div")
    assert tree.xpath(f"//@{attr}") == [expected]


# Known XSS vectors (OWASP cheat sheet and friends): none may survive in any form.
XSS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=https://xss.example/xss.js></SCRIPT>",
    '<img src="x" onerror="alert(1)">',
    "<img src=x onerror=alert(1)//",
    '<IMG SRC="javascript:alert(1);">',
    "<IMG SRC=JaVaScRiPt:alert(1)>",
    '<IMG SRC="jav&#x09;ascript:alert(1);">',
    '<IMG SRC="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "![x](data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+)",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<body onload="alert(1)">',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="evil.swf"></object>',
    '<embed src="evil.swf">',
    '<form action="https://evil.example/"><input name="q"><button>go</button></form>',
    "<style>body{background:url(javascript:alert(1))}</style>",
    '<div style="background-image:url(javascript:alert(1))">x</div>',
    '<p onclick="alert(1)" onmouseover="alert(2)">x</p>',
    '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction></math>',
    '<details open ontoggle="alert(1)">x</details>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    '<table background="javascript:alert(1)"><tr><td>x</td></tr></table>',
    "<<script>alert(1);//<</script>",
    '<scr<script>ipt>alert(1)</scr</script>ipt>',
    '<input type="image" src="javascript:alert(1)">',
    '<video><source onerror="alert(1)"></video>',
    '<a href="https://ok.example/" target="_blank" formaction="javascript:alert(1)">x</a>',
    '<img src="x" srcset="javascript:alert(1) 1x">',
    "<!--<img src=x onerror=alert(1)>-->",
    '<textarea><img src=x onerror=alert(1)></textarea>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    # a value that ends like the start of another attribute must not hide the next one
    '<blockquote title="a href=" cite="javascript:alert(1)">q</blockquote>',
    '<img title="x src=" srcset="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4= 2x">',
    '<img src="a.png" srcset="ok.png 1x, data:x;base64,AAAA 2x">',
]


@pytest.mark.parametrize("vector", XSS)
def test_xss_vectors_are_neutralised(vector: str) -> None:
    out = render(vector)
    tree = lxml_html.fragment_fromstring(out, create_parent="div") if out else None
    if tree is None:
        return
    forbidden = {"script", "style", "iframe", "object", "embed", "form", "button", "svg",
                 "math", "meta", "base", "link", "textarea", "select", "noscript"}
    assert not [el.tag for el in tree.iter() if isinstance(el.tag, str) and el.tag in forbidden]
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        for name, value in el.attrib.items():
            assert not name.lower().startswith("on"), out
            assert name.lower() not in {"style", "formaction", "background", "target"}, out
            compact = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            assert not compact.startswith(("javascript:", "vbscript:", "data:")), out
            if name in {"href", "src", "srcset", "poster", "cite"}:
                assert "javascript:" not in compact, out


def test_script_content_is_removed_not_shown() -> None:
    assert "alert" not in render("Before <script>alert(1)</script> after")


def test_summary_from_first_paragraph_skips_images_and_footnote_marks() -> None:
    html = markdown_to_html("![only a picture](p.png)\n\nFirst *real* words[^1] &amp; more\n"
                            "over two lines.\n\nSecond paragraph.\n\n[^1]: note")
    assert first_paragraph_text(html) == "First real words & more over two lines."


def test_summary_text_of_an_excerpt_spans_blocks() -> None:
    html = markdown_to_html("# Head\n\nOne.\n\n- two\n- three\n")
    assert html_to_text(html) == "Head One. two three"


def test_summary_skips_script_text() -> None:
    assert first_paragraph_text(markdown_to_html("Hi <script>x()</script> there")) == "Hi there"


def test_an_attribute_value_never_hides_the_next_attribute() -> None:
    out = render('<a title="the href=" href="rel/page">x</a>')
    assert 'href="https://example.org/blog/world/post/rel/page"' in out
    assert 'title="the href="' in out


def test_srcset_urls_may_contain_commas() -> None:
    out = render('<img src="a.png" srcset="https://cdn.example/w_100,h_50/p.jpg 1x, '
                 'small.png 480w,big.png">')
    tree = lxml_html.fragment_fromstring(out, create_parent="div")
    assert tree.xpath("//img/@srcset") == [
        "https://cdn.example/w_100,h_50/p.jpg 1x, " + BASE + "small.png 480w, " + BASE + "big.png"]
