"""The fast front-matter path gives exactly what PyYAML gives, or steps aside."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.content.handlers import simple_yaml
from feedpub.content.handlers.yaml import SCALARS as _SCALARS
from feedpub.content.handlers.yaml import Loader as _Loader

from ..conftest import fixture_front_matters

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


# Property tests. ACCEPTED, SCALAR and FLOW are built from what the fast path reads, so
# every example is a comparison with PyYAML (an example it declines fails the test);
# outside_the_subset() puts one construct it must leave to PyYAML among such lines.
# Each test counts its distinct examples by outcome and asserts a minimum, so that a
# strategy drifting out of the subset fails instead of quietly comparing nothing.

EXAMPLES = SETTINGS.max_examples
MINIMUM = EXAMPLES * 3 // 4  # distinct examples each property test must check


def run_examples(strategy: st.SearchStrategy[str], test: Callable[[str], str],
                 examples: int = EXAMPLES) -> Counter[str]:
    """`test` on `examples` examples of `strategy`; how many distinct examples gave each
    result of `test`."""
    results: dict[str, str] = {}

    @settings(SETTINGS, max_examples=examples)
    @given(strategy)
    def run(fm: str) -> None:
        results[fm] = test(fm)

    run()
    return Counter(results.values())


def read_exactly(fm: str) -> str:
    fast = simple_yaml.load(fm, _SCALARS)
    assert fast is not None, f"the fast path declined {fm!r}"
    expected = pyyaml(fm)
    assert same(fast, expected), f"{fm!r}: fast {fast!r} != PyYAML {expected!r}"
    return "compared"


def left_to_pyyaml(fm: str) -> str:
    assert simple_yaml.load(fm, _SCALARS) is None, f"the fast path read {fm!r}"
    try:
        pyyaml(fm)
    except (yaml.YAMLError, ValueError):  # ValueError: int("0x_", 16), say
        return "refused"
    return "read"


def declined_or_same(fm: str) -> str:
    return "declined" if check(fm) is None else "compared"


def printable(exclude: str = "") -> st.SearchStrategy[str]:
    """Characters str.isprintable() accepts (the fast path declines lines with any other),
    but those in `exclude`."""
    others = st.characters(codec="utf-8", exclude_characters=exclude, exclude_categories=(
        "Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs"))
    return others if " " in exclude else others | st.just(" ")


PRINTABLE = printable()
_NOT_PLAIN_START = "-?:,[]{}#&*!|>'\"%@`"  # indicators a plain scalar cannot start with


def _plain_ok(text: str) -> bool:
    """A plain scalar in the subset: no indicator first, no ': ' or ' #' inside, not
    ending in ':' or a space, and typed without error (0x_ is no int)."""
    if not text or text[0] in _NOT_PLAIN_START + " " or text[-1] in ": ":
        return False
    if ": " in text or " #" in text:
        return False
    try:
        _SCALARS.plain(text)
    except simple_yaml._Unsupported:
        return False
    return True


def _words(alphabet: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    word = st.text(alphabet, min_size=1, max_size=6)
    return st.lists(word, min_size=1, max_size=3).map(" ".join).filter(_plain_ok)


_DATES = st.dates(min_value=date(1000, 1, 1))
_TIMES = st.datetimes(min_value=datetime(1000, 1, 1))
# Plain scalars that PyYAML types: null, bools, ints, floats, dates and timestamps.
TYPED = st.one_of(
    st.sampled_from(["~", "null", "Null", "NULL", "nULL", "yes", "No", "ON", "off", "true",
                     "False", "TRUE", "tRUE", "y", "n", "0", "+5", "0x1F", "0o17", "017",
                     "0b101", "1_000", "1:30", "190:20:30", "1.5", ".5", "+.5", "1.0e+3",
                     "1e3", ".inf", "+.Inf", ".NaN", "0.", "v1.2", "1.2.3", "2021-1-1",
                     "2021-02-30", "2021-13-45", "20210101", "2021-01-01t10:00:00z"]),
    st.integers(0, 10**20).map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(lambda x: repr(abs(x))),
    _DATES.map(str),
    st.builds(lambda t, form: t.strftime(form), _TIMES, st.sampled_from([
        "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S +01:00",
        "%Y-%m-%dT%H:%M:%S.%f-05:30", "%Y-%m-%d %H:%M"])),
)
PLAIN = _words(PRINTABLE) | TYPED
DOUBLE = st.text(printable('"\\'), max_size=12).map(lambda t: f'"{t}"')
SINGLE = st.text(printable("'"), max_size=12).map(lambda t: f"'{t}'")
SCALAR = PLAIN | DOUBLE | SINGLE
# In a flow list a plain item has no flow indicators, colons or comments at all.
FLOW_PLAIN = _words(printable(",[]{}#: ")) | TYPED.filter(
    lambda t: not any(c in t for c in ",[]{}#: "))
FLOW = st.lists(FLOW_PLAIN | DOUBLE | SINGLE, max_size=4).flatmap(
    lambda items: st.sampled_from([", ", ",", " , "]).map(
        lambda sep: "[" + sep.join(items) + "]"))
COMMENT = st.text(PRINTABLE, max_size=10).map(lambda t: f" # {t}")
_TYPED_KEYS = {word for words in ["yes", "no", "true", "false", "on", "off", "null"]
               for word in (words, words.title(), words.upper())}
KEY = st.from_regex(r"[A-Za-z_][A-Za-z0-9_-]{0,8}", fullmatch=True).filter(
    lambda key: key not in _TYPED_KEYS)
SPACES = st.sampled_from(["", "", " ", "  "])


@st.composite
def key_line(draw: st.DrawFn) -> str:
    """One front matter entry in the subset: a scalar, a flow list, a null or a block list."""
    key = f"{draw(KEY)}:{draw(st.sampled_from([' ', '  ']))}"
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return key + draw(SCALAR) + draw(st.just("") | COMMENT) + draw(SPACES)
    if kind == 1:
        return key + draw(FLOW) + draw(SPACES)
    if kind == 2:
        return key.rstrip() + draw(st.just("") | COMMENT)
    indent = draw(st.sampled_from(["", " ", "  ", "    "]))
    items = [f"{indent}- {draw(SCALAR)}{draw(st.just('') | COMMENT)}"
             for _ in range(draw(st.integers(1, 4)))]
    if draw(st.booleans()):
        items.insert(draw(st.integers(0, len(items))), f"{indent}# a comment")
    return "\n".join([key.rstrip(), *items])


BETWEEN = st.sampled_from(["", "# a comment", "  ", "#"])


@st.composite
def front_matter_lines(draw: st.DrawFn) -> list[str]:
    lines = []
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(BETWEEN))
        lines.append(draw(key_line()))
    return lines


ACCEPTED = front_matter_lines().flatmap(
    lambda lines: st.sampled_from(["\n", ""]).map(lambda end: "\n".join(lines) + end))

# Constructs the fast path leaves to PyYAML, whatever lines come before or after them.
OUTSIDE = st.sampled_from([
    "k: |\n  block", "k: >\n  folded", "k: &a x\nother: *a", "k: !!str 5", 'k: "es\\"c"',
    "k: 'it''s'", "k: long\n  continued", "\tk: tab", "k: a\tb", "k: a: b", "k: ends:",
    "k: [a, [b]]", "k: [a, b] # comment", "k: [a,\n  b]", "k: [a: b]", "k: [a, ]",
    "k: [-1]", "k: -1", "k: @at", "k: `tick", "? complex\n: key", '"quoted key": x',
    "yes: typed key", "1: numeric key", "<<: {a: 1}", "k: =", "...", "key:value",
    "k : spaced", "k: {a: 1}", "k: x\u00a0nbsp", "k: next\x85line", "k: bom\ufeff",
    "k:\n  - a\n    - b", "k:\n  - a\n - b", "k:\n  - key: v", "k:\n  -", "k: 0x_",
])


@st.composite
def outside_the_subset(draw: st.DrawFn) -> str:
    lines = draw(front_matter_lines())
    lines.insert(draw(st.integers(0, len(lines))), draw(OUTSIDE))
    return "\n".join(lines) + "\n"


def test_generated_front_matter_in_the_subset_is_read_exactly() -> None:
    results = run_examples(ACCEPTED, read_exactly)
    assert results["compared"] >= MINIMUM, results


def test_generated_scalars_are_read_exactly() -> None:
    results = run_examples(
        st.tuples(KEY, SCALAR | FLOW).map(lambda kv: f"{kv[0]}: {kv[1]}\n"), read_exactly)
    assert results["compared"] >= MINIMUM, results


def test_generated_front_matter_outside_the_subset_is_left_to_pyyaml() -> None:
    # Half as many: the fast path gives up on the first line it cannot read, whatever
    # comes around it.
    results = run_examples(outside_the_subset(), left_to_pyyaml, EXAMPLES // 2)
    assert results["read"] + results["refused"] >= MINIMUM // 2, results
    assert results["read"] and results["refused"], results


# The fast path on anything: it declines or agrees with PyYAML, and never reads what
# PyYAML refuses. (Mostly declines: the tests above do the comparing.)
KEYS = st.sampled_from(["title", "date", "tags", "yes", "a-b", "x_y", "Title", "1", "k"])
SCALARS = st.one_of(
    st.sampled_from(["yes", "no", "~", "null", "1", "0x10", "1:20", "1.5", ".inf", "2021-01-01",
                     "2021-01-01 10:00:00+01:00", "a b", "a #b", "a#b", "a: b", "a:", "-a",
                     "'q'", '"q"', "'it''s'", '"e\\"s"', "[a]", "&x", "*x", "!t", "|", ">",
                     "ü", "", " ", "#c", "a,b", "{a}", "@", "`"]),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.integers(0, 5))
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


def test_generated_mixed_front_matter_never_disagrees_with_pyyaml() -> None:
    results = run_examples(front_matter(), declined_or_same)
    assert results["compared"] >= EXAMPLES // 50 and results["declined"] >= MINIMUM // 2, \
        results


def test_arbitrary_text_never_disagrees_with_pyyaml() -> None:
    text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                   max_size=60)
    results = run_examples(text, declined_or_same)
    assert results["declined"] >= MINIMUM, results
