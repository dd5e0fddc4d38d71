"""(a) Hostile bodies: every foreign-syntax pass takes time linear in the body's length.

A 1 MB body of `{{</* ` took 474 s with the reverted regular expressions, and 100 KB
of unclosed `{{< comment >}}` or `{{< highlight go >}}` 2-3 s: each opener searched
the rest of the body. Here each shape is 1 MB and the tests assert what comes out (a
return to the quadratic code would not finish: the test run would hang visibly); they
take well under a second each. Then random mixes of the delimiters never raise and
never leave a shortcode outside code.
"""

from __future__ import annotations

import itertools
import os
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedpub.render.foreign import hugo, strip_foreign
from feedpub.render.foreign.code import code_regions
from feedpub.render.markdown import markdown_to_html

EXAMPLES = int(os.environ.get("FEEDPUB_EXAMPLES", "60"))
MB = 1 << 20


def times(unit: str) -> str:
    """`unit` repeated to about 1 MB."""
    return unit * (MB // len(unit))


@pytest.mark.parametrize(("unit", "expected", "removed_each"), [
    # Unclosed escapes and openers: text, the delimiter written as a reference.
    ("{{</* ", "{{&lt;/* ", 0),
    ("{{%/* ", "{{&#37;/* ", 0),
    ("{{< x ", "{{&lt; x ", 0),
    ("{{< a {{% b %}} ", "{{&lt; a  ", 1),
    # Openers without their closing tags: each removed (and named), nothing left.
    ("{{< comment >}}", "", 1),
    ("{{< highlight go >}}", "", 1),
    ("{{< highlight go >}}\n", "", 1),
    ("{{< /x >}}", "", 1),
    # A name followed by a long run of spaces, and a long escaped-quote argument.
    ("{{< x" + " " * 4000 + "/>}}", "", 1),
    ('{{< g "\\"\\"\\"\\"\\"\\"\\"\\"\\"" >}} ', " ", 1),
    # Backticks between escapes: the code-span scan pairs runs by lookup.
    ("`a\n\n{{</* b */>}} ``c `", "`a\n\n{{&lt; b >}} ``c `", 0),
])
def test_hugo_hostile_megabyte(unit: str, expected: str, removed_each: int) -> None:
    count = MB // len(unit)
    text, removed = strip_foreign(unit * count)
    assert text == expected * count
    assert len(removed) == removed_each * count


@pytest.mark.parametrize(("unit", "expected"), [
    ("*a*{: .x} ", "*a* "),
    ("{:ok, value} ", "{:ok, value} "),
    ("[a](b(c)){:a}", "[a](b(c))"),
    ("){:a}", "){:a}"),
    ("{: .x}\n", "\n"),
    ("> {:a", "> {:a"),
    ("<Foo bar={1}>", ""),
    ("<Foo {", "<Foo {"),
    ('<A x="', '<A x="'),
    ("{/* ", "{/* "),
    ("\n\nimport A from 'a'\n", "\n\n"),
    ("\n\nimport {\n", "\n\nimport {\n"),
    ("`x`{:.c}\n\n`", "`x`\n\n`"),
])
def test_kramdown_and_mdx_hostile_megabyte(unit: str, expected: str) -> None:
    text, _ = strip_foreign(times(unit))
    assert text == times(unit).replace(unit, expected)


def test_an_unclosed_export_takes_the_rest_once() -> None:
    """An export whose braces never close is one block to the end (MDX would fail)."""
    body = "Intro.\n\nexport const x = {\n" + times("{ a\n")
    assert strip_foreign(body)[0] == "Intro.\n\n"


def test_hugo_scan_is_linear_in_the_tag_count() -> None:
    """The tokenizer itself: 1 MB of tags, each found once, in order."""
    found = hugo.tokens(times("{{< a >}}{{</* b */>}}"))
    assert len(found) == 2 * (MB // 22)
    assert all(a.end <= b.start for a, b in itertools.pairwise(found))


# Random mixes ---------------------------------------------------------------------

PIECES = ["{{<", ">}}", "{{%", "%}}", "/*", "*/", "`", "``", "\n", "\n\n", " ", "    ",
          "x", "figure", "comment", "highlight", "ref", "/", '"', "=", "{", "<", "%"]
MORE = [*PIECES, "{:", "}", ".x", "#y", "*a*", "<Foo>", "</Foo>", "<Bar x={1} />", "{/*",
        "*/}", "import A from 'a'", "export const a = {", "~~~", "- ", "> ", "|"]
_SHORTCODE = re.compile(r"\{\{[<%]\s*/?\s*\w[^{}]*?[>%]\}\}")


def outside_code(text: str) -> str:
    code = code_regions(text)
    return "\x00".join(text[start:end] for start, end in code.prose(len(text)))


@settings(max_examples=EXAMPLES * 5, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(PIECES), max_size=80).map("".join))
def test_no_shortcode_is_left_outside_code(body: str) -> None:
    """Random mixes of delimiters, backticks, newlines and text never raise, and leave
    no complete `{{< name ... >}}` outside code (nor any `{{<` or `{{%`: what is not a
    shortcode is shown with its delimiter written as a reference)."""
    text, _ = strip_foreign(body)
    prose = outside_code(text)
    assert _SHORTCODE.search(prose) is None
    assert "{{<" not in prose and "{{%" not in prose
    markdown_to_html(text)


@settings(max_examples=EXAMPLES * 5, deadline=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(MORE), max_size=80).map("".join),
       st.booleans(), st.booleans())
def test_any_mix_of_foreign_syntax_never_raises(body: str, shortcodes: bool,
                                                kramdown: bool) -> None:
    """With the kramdown and MDX syntax too, either flag on or off. When only kramdown
    and MDX run, code is kept as it was (but an ESM block may hold a JavaScript
    template literal, which reads as a code span)."""
    text, removed = strip_foreign(body, shortcodes=shortcodes, kramdown=kramdown)
    assert all(kind in {"shortcode", "ref", "mdx", "ial"} for kind, _ in removed)
    if not shortcodes:
        code = code_regions(body)
        esm = ("import" in body or "export" in body) and any(k == "mdx" for k, _ in removed)
        kept = [body[start:end] for start, end in zip(code.starts, code.ends, strict=True)
                if not esm or start in code.blocks]
        assert all(piece in text for piece in kept)
