"""The Liquid lexer (feedpub.render.liquid.lexer): python-liquid's tokens, in time
proportional to the text.

python-liquid's own lexer took 7 s for 16 KB of `{{` and 2 s for 64 KB of
`{% raw %}` (time growing with the square of the length, or worse); a body of 1 MB of
such garbage would never end. These tests check that ours gives the same tokens as
python-liquid's on generated text, and that garbage costs time in proportion to its
length.
"""

from __future__ import annotations

import random
import time
from datetime import UTC
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from liquid.exceptions import LiquidSyntaxError
from liquid.lex import get_lexer

from feedpub.render.liquid import load_site, render_liquid
from feedpub.render.liquid.lexer import tokenize

PIECES = ["{", "}", "%", "-", " ", "\n", "\u3000", "\x1c", "a", "x", "#", "if", "raw",
          "endraw", "comment", "endcomment", "doc", "enddoc", "{{", "}}", "{%", "%}",
          "{%-", "-%}", "{{-", "-}}"]


def tokens(lexer: object, source: str) -> object:
    try:
        return list(lexer(source))  # type: ignore[operator]
    except LiquidSyntaxError as err:
        return ("error", err.message, err.token.start_index if err.token else None)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=24).map("".join))
def test_the_same_tokens_as_python_liquids_lexer(source: str) -> None:
    assert tokens(tokenize, source) == tokens(get_lexer(), source)


def test_the_same_tokens_on_a_real_template() -> None:
    source = ("---\n{%- assign x = 1 -%}\n{% raw %}{{ y }}{% endraw %}{{ x | plus: 1 }}\n"
              "{% comment %}{% if %}{% comment %}{% endcomment %}{% endcomment %}"
              "{% doc %}d{% enddoc %}{% # note %}{% highlight ruby %}a{% endhighlight %}\n")
    assert tokens(tokenize, source) == tokens(get_lexer(), source)


# Each unit repeated to 1 MB: (unit, True if the body stays as it is: a syntax error).
GARBAGE = {
    "{{": ("{{", True),  # python-liquid's lexer: 7 s for 16 KB
    "unclosed raw": ("{% raw %}", True),  # python-liquid's lexer: 2 s for 64 KB
    "unclosed comment": ("{% comment %}" + "{% a " * 8, True),
    "{%": ("{%", True),
    "output statements": ("{{ a }}", False),
}


@pytest.mark.parametrize(("unit", "kept"), GARBAGE.values(), ids=GARBAGE.keys())
def test_a_megabyte_of_garbage_is_rendered_or_refused_in_seconds(
        tmp_path: Path, unit: str, kept: bool) -> None:
    site = load_site(tmp_path, {}, {}, UTC)[0]
    body = unit * ((1 << 20) // len(unit))
    started = time.perf_counter()
    text, warnings = render_liquid(body, {}, site, path="p.md")
    assert time.perf_counter() - started < 15
    assert len(warnings) == 1
    assert text == (body if kept else "")


def test_a_megabyte_of_random_braces_and_percent_signs(tmp_path: Path) -> None:
    rnd = random.Random(11)
    body = "".join(rnd.choice(["{{", "{%", "}}", "%}", "{", "}", "%", " ", "-", "raw",
                               "comment", "endcomment", "x", "\n"]) for _ in range(400_000))
    site = load_site(tmp_path, {}, {}, UTC)[0]
    started = time.perf_counter()
    text, warnings = render_liquid(body, {}, site, path="p.md")
    assert time.perf_counter() - started < 15
    assert text == body and len(warnings) == 1 and "Liquid syntax error" in warnings[0]


@pytest.mark.parametrize("unit", ["{{", "{% raw %}", "{% comment %}{{"])
def test_lexing_time_grows_with_the_length_not_its_square(unit: str) -> None:
    def best(size: int) -> float:
        source = unit * (size // len(unit))
        times = []
        for _ in range(3):
            started = time.perf_counter()
            tokens(tokenize, source)
            times.append(time.perf_counter() - started)
        return min(times)

    small, large = best(1 << 15), best(1 << 17)  # 4 times the text
    assert large < 10 * small + 0.05, (small, large)  # the square would be 16 times


@pytest.mark.parametrize("expression", [
    "(" * 9_990,  # python-liquid scans ahead from every '(' for a range
    'a' + '["' * 4_990,  # and from every '[' with a quote
])
def test_expressions_python_liquid_reads_slowly_are_bounded(tmp_path: Path,
                                                            expression: str) -> None:
    site = load_site(tmp_path, {}, {}, UTC)[0]
    for body in (f"{{{{ {expression} }}}}", f"{{{{ {expression * 100} }}}}",
                 f"{{% if {expression} %}}{{% endif %}}"):
        started = time.perf_counter()
        text, warnings = render_liquid(body, {}, site, path="p.md")
        assert time.perf_counter() - started < 3
        assert text == body and len(warnings) == 1
    assert "an expression of 999,000 characters (feedpub reads at most 10,000)" in \
        render_liquid(f"{{{{ {'(' * 999_000} }}}}", {}, site, path="p.md")[1][0]
