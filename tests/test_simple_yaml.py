"""The fast front-matter path gives exactly what PyYAML gives, or steps aside."""

from __future__ import annotations

import os
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.content import simple_yaml
from feedpub.content.source import _SCALARS, _Loader

from .conftest import fixture_front_matters

SETTINGS = settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")) * 10,
                    deadline=None)


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (True == 1 is not enough)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and a != a:
        return b != b
    return bool(a == b)


def pyyaml(fm: str) -> Any:
    return yaml.load(fm, Loader=_Loader)


def check(fm: str) -> Any:
    """The fast result, asserted equal to PyYAML's whenever there is one."""
    fast = simple_yaml.load(fm, _SCALARS)
    try:
        expected = pyyaml(fm)
    except yaml.YAMLError:
        assert fast is None, f"PyYAML refuses {fm!r} but the fast path read {fast!r}"
        return None
    if fast is not None:
        assert same(fast, expected), f"{fm!r}: fast {fast!r} != PyYAML {expected!r}"
    return fast


# Front matter as Jekyll, Hugo, Pelican-via-YAML and hand-written files have it:
# the fast path must read all of these (and agree with PyYAML).
TYPICAL = [
    'title: "Hello, world"\ndate: 2021-03-04 10:00:00 +01:00\ntags: [a, b]\n',
    "title: Plain title with 'quotes' and \"more\"\ndate: 2021-03-04\n",
    "title: 'Single: quoted # not a comment'\ndraft: true\n",
    "title: Ünïcödé 日本語 title\nauthor: Jörg Müller <jm@example.org>\n",
    "title: x\ntags:\n  - one\n  - two words\n  - 3\ncategories:\n- news\n",
    "title: x # a comment\n# a whole-line comment\n\nlayout: post\n",
    'tags: ["quoted", \'single\', plain, 2021, yes]\nweight: 10\n',
    "title: C# and F#\nurl: https://example.org/a:b?c=d#frag\n",
    "title: x\nsummary:\nimage: \ndraft: no\nrating: 4.5\nempty: []\n",
    'date: "2021-03-04T10:00:00Z"\nlastmod: 2021-03-05T11:00:00Z\n',
    "title: a [b] {c} d, e\n",
    "title: x\nlist:   # comment after the key\n  - a   # and after an item\n  - 'b'\n",
    "Title: upper-case key\nsome_key: v\nsome-key: w\n",
    "title: 1st\ntitle: last wins\n",
    "title: x\ndate: 2021-13-45\n",
]

# Not in the subset (PyYAML reads them, or refuses them with its own message).
LEFT_TO_PYYAML = [
    "title: |\n  block\n",
    "title: >\n  folded\n",
    "author:\n  name: A\n  email: a@example.org\n",
    "title: &a x\nother: *a\n",
    "title: !!str 5\n",
    'title: "escaped \\" quote"\n',
    "title: 'it''s'\n",
    "title: long\n  continued\n",
    "\ttitle: tab\n",
    "title: a\tb\n",
    "title: a: b\n",
    "title: ends with:\n",
    "? complex\n: key\n",
    '"quoted key": x\n',
    "yes: typed key\n",
    "1: numeric key\n",
    "<<: {a: 1}\n",
    "title: x\n...\n",
    "%YAML 1.1\n---\ntitle: x\n",
    "tags: [a, [b]]\n",
    "tags: [a, b] # comment\n",
    "tags: [a,\n  b]\n",
    "tags: [a: b]\n",
    "tags: [a, ]\n",
    "title: @reserved\n",
    "- a\n- b\n",
    "just text\n",
    "",
    "# only a comment\n",
    "title: x\n  - item under a scalar\n",
    "list:\n  - a\n    - b\n",
    "list:\n  - a\n - b\n",
    "list:\n  - key: v\n",
    "list:\n  -\n",
    "title: line\u2028separator\n",
    "title: next\x85line\n",
    "title: bom\ufeffinside\n",
    "title: x\nkey:value\n",
    "title : spaced colon\n",
    "title: -leading dash\n",
    "title: =\n",
    "title: 0x_\n  continued\n",  # a plain scalar PyYAML's int() refuses, continued
    "tags:\n - 0b_\n  - x\n",
    "t: [0x_, b\n",
]


@pytest.mark.parametrize("fm", TYPICAL)
def test_typical_front_matter_is_read_fast_and_exactly(fm: str) -> None:
    assert check(fm) is not None


@pytest.mark.parametrize("fm", LEFT_TO_PYYAML)
def test_everything_else_is_left_to_pyyaml(fm: str) -> None:
    assert simple_yaml.load(fm, _SCALARS) is None
    check(fm)


def test_plain_scalars_are_typed_like_pyyaml() -> None:
    words = ["yes", "No", "ON", "off", "true", "False", "null", "Null", "~", "y", "n",
             "0", "-1", "+5", "0x1F", "0o17", "017", "0b101", "1_000", "1:30", "190:20:30",
             "1.5", "-.5", "1e3", "1.0e+3", ".inf", "-.Inf", ".NaN", "2021-01-01",
             "2021-1-1", "2021-01-01 10:00", "2021-01-01t10:00:00z",
             "2021-01-01 10:00:00.5 -05:30", "2021-02-30", "20210101", "v1.2", "1.2.3",
             "NULL", "nULL", "TRUE", "tRUE", "0.", "._", "+", "-", "=", "<<", "."]
    for word in words:
        for fm in (f"k: {word}\n", f"k: [{word}]\n", f"k:\n  - {word}\n"):
            check(fm)
    assert same(check("k: 2021-01-01\n"), pyyaml("k: 2021-01-01\n"))


def test_the_sample_and_every_fixture_agree_with_pyyaml() -> None:
    assert sum(check(fm) is not None for fm in fixture_front_matters("---")) >= 5


KEYS = st.sampled_from(["title", "date", "tags", "yes", "a-b", "x_y", "Title", "1", "k"])
SCALARS = st.one_of(
    st.sampled_from(["yes", "no", "~", "null", "1", "0x10", "1:20", "1.5", ".inf", "2021-01-01",
                     "2021-01-01 10:00:00+01:00", "a b", "a #b", "a#b", "a: b", "a:", "-a",
                     "'q'", '"q"', "'it''s'", '"e\\"s"', "[a]", "&x", "*x", "!t", "|", ">",
                     "ü", "", " ", "#c", "a,b", "{a}", "@", "`"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


@st.composite
def front_matter(draw: st.DrawFn, kinds: int = 5) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, kinds))
        key = draw(KEYS)
        if kind == 0:
            lines.append(f"{key}: {draw(SCALARS)}")
        elif kind == 1:
            items = draw(st.lists(SCALARS, max_size=4))
            lines.append(f"{key}: [{', '.join(items)}]")
        elif kind == 2:
            lines.append(f"{key}:")
            indent = draw(st.sampled_from(["", "  ", "    "]))
            lines += [f"{indent}- {item}" for item in draw(st.lists(SCALARS, max_size=3))]
        elif kind == 3:
            lines.append(draw(st.sampled_from(["", "# c", "  ", "  x", "...", "  - y"])))
        elif kind == 4:
            lines.append(f"{key}:{draw(SCALARS)}")
        else:
            lines.append(draw(SCALARS))
    return "\n".join(lines) + draw(st.sampled_from(["\n", ""]))


@SETTINGS
@given(front_matter())
def test_generated_front_matter_agrees_with_pyyaml(fm: str) -> None:
    check(fm)


@SETTINGS
@given(front_matter(kinds=2))  # only key lines, flow and block lists: often in the subset
def test_generated_key_lines_agree_with_pyyaml(fm: str) -> None:
    check(fm)


@SETTINGS
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
               max_size=60))
def test_arbitrary_text_agrees_with_pyyaml(fm: str) -> None:
    check(fm)
