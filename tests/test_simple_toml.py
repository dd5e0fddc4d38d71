"""The fast TOML front-matter path gives exactly what tomllib gives, or steps aside."""

from __future__ import annotations

import os
import tomllib
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.content import simple_toml

from .conftest import fixture_front_matters
from .test_simple_yaml import same

SETTINGS = settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")) * 10,
                    deadline=None)


def check(fm: str) -> Any:
    """The fast result, asserted equal to tomllib's whenever there is one."""
    fast = simple_toml.load(fm)
    try:
        expected = tomllib.loads(fm)
    except tomllib.TOMLDecodeError:
        assert fast is None, f"tomllib refuses {fm!r} but the fast path read {fast!r}"
        return None
    if fast is not None:
        assert same(fast, expected), f"{fm!r}: fast {fast!r} != tomllib {expected!r}"
    return fast


TYPICAL = [
    'title = "Hello, world"\ndate = 2021-03-04T10:00:00+01:00\ntags = ["a", "b"]\n',
    "title = 'Literal \"quoted\" # not a comment'\ndraft = true\n",
    'title = "Ünïcödé 日本語"\nauthor = "Jörg Müller <jm@example.org>"\n',
    'title = "x" # a comment\n# a whole-line comment\n\nweight = 10\n',
    "tags = [ 'one', \"two words\", ]\ncategories = []\n",
    'date = 2021-03-04\nlastmod = 2021-03-04 10:00:00\ntime = 07:32:00\n',
    'title="no spaces"\nslug-name_2 = "s"\n1234 = "numeric key"\n',
    'rating = 4.5\nhex = 0xff\nbig = 1_000\nneg = -3\nmeta = { a = 1 }\n',
    'title = ""\nempty = \'\'\n',
    'date = 1979-05-27T00:32:00.999999-07:00\nutc = 1979-05-27T07:32:00Z\n',
    'title = "escaped \\" quote \\u00e9"\nother = """one-line multi"""\n',  # per line
    'tags = ["a", 1]\n',  # a mixed array: valid TOML 1.0, read by tomllib line by line
]

LEFT_TO_TOMLLIB = [
    "[extra]\nkey = 1\n",
    "[[list]]\nkey = 1\n",
    'a.b = "dotted"\n',
    '"quoted key" = 1\n',
    "  indented = 1\n",
    'title = "x"\ntitle = "y"\n',
    "title = \"\"\"multi\nline\"\"\"\n",
    "tags = [\n  'a',\n]\n",
    'title = "x" junk\n',
    "title = 'x'\t# tab\n",
    "key = \n",
    "key\n",
    'tags = ["a" "b"]\n',
    'title = "nbsp\xa0inside"\n',
]


@pytest.mark.parametrize("fm", TYPICAL)
def test_typical_front_matter_is_read_fast_and_exactly(fm: str) -> None:
    assert check(fm) is not None


@pytest.mark.parametrize("fm", LEFT_TO_TOMLLIB)
def test_everything_else_is_left_to_tomllib(fm: str) -> None:
    assert simple_toml.load(fm) is None
    check(fm)


def test_the_sample_and_every_fixture_agree_with_tomllib() -> None:
    assert sum(check(fm) is not None for fm in fixture_front_matters("+++")) >= 1


KEYS = st.sampled_from(["title", "date", "tags", "a-b", "x_y", "Title", "1", "k", "a.b"])
VALUES = st.one_of(
    st.sampled_from(['"s"', "'s'", '""', '"a # b"', "'a \" b'", '"e\\"s"', '"""m"""', "'''m'''",
                     "true", "false", "True", "1", "+1", "01", "1_0", "0x1f", "1.5", "inf",
                     "nan", "1e3", "2021-01-01", "2021-01-01T10:00:00", "2021-01-01 10:00:00Z",
                     "2021-01-01t10:00:00z", "2021-13-45", "10:00:00", "10:00", "[]", "[ ]",
                     '["a"]', "['a', \"b\",]", '["a",,]', "[1, 2]", '[["a"]]', "{}", "{ a = 1 }",
                     "", "x", '"unclosed', "[", '"a" # c', '"a"#c', "'a' junk"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=10)
    .map(lambda t: f'"{t}"'),
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 4))
        if kind <= 2:
            spaces = draw(st.sampled_from([" = ", "=", "  =  "]))
            lines.append(f"{draw(KEYS)}{spaces}{draw(VALUES)}")
        elif kind == 3:
            lines.append(draw(st.sampled_from(["", "# c", "  ", "[t]", "  x = 1"])))
        else:
            lines.append(draw(VALUES))
    return "\n".join(lines) + draw(st.sampled_from(["\n", ""]))


@SETTINGS
@given(front_matter())
def test_generated_front_matter_agrees_with_tomllib(fm: str) -> None:
    check(fm)


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
               max_size=60))
def test_arbitrary_text_agrees_with_tomllib(fm: str) -> None:
    check(fm)
