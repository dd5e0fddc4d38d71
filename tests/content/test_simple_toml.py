"""The fast TOML front-matter path gives exactly what tomllib gives, or steps aside."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import strategies as st

from feedpub.content.handlers import simple_toml

from ..conftest import fixture_front_matters
from .test_simple_yaml import EXAMPLES, MINIMUM, printable, run_examples, same


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


# Property tests, as for YAML (see test_simple_yaml): ACCEPTED is built from what the
# fast path reads, so every example is a comparison with tomllib; outside_the_subset()
# adds one line it must leave to tomllib (half as many examples: the fast path gives up
# on the first such line). Each asserts a minimum of distinct examples.

BASIC = st.text(printable('"\\'), max_size=12).map(lambda t: f'"{t}"')
LITERAL = st.text(printable("'"), max_size=12).map(lambda t: f"'{t}'")
STRINGS = st.lists(BASIC | LITERAL, max_size=4).flatmap(
    lambda items: st.tuples(st.sampled_from([", ", ",", " , "]), st.sampled_from(["", " "]),
                            st.sampled_from(["", ","] if items else [""])).map(
        lambda f: f"[{f[1]}{f[0].join(items)}{f[2]}{f[1]}]"))
_TIMES = st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 12, 31))
# Values the fast path hands to tomllib one line at a time.
OTHER = st.one_of(
    st.sampled_from(["true", "false", "inf", "-inf", "nan", "+nan", "0xff", "0o17", "0b101",
                     "1_000", "+1", "-0", "1e3", "6.626e-34", "{}", "{ a = 1 }",
                     '{ name = "A", email = "a@example.org" }', "[1, 2]", '["a", 1]',
                     '[["a"]]', "[ ]", '"""one-line multi"""', "'''literal multi'''",
                     '"esc\\"aped \\u00e9"']),
    st.integers().map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    st.dates(min_value=date(1000, 1, 1)).map(str),
    st.times().map(lambda t: t.isoformat()),
    st.builds(lambda t, form: t.strftime(form), _TIMES, st.sampled_from([
        "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S+01:00",
        "%Y-%m-%dT%H:%M:%S.%f-05:30", "%Y-%m-%dt%H:%M:%Sz"])),
)
VALUE = BASIC | LITERAL | STRINGS | OTHER
COMMENT = st.tuples(st.sampled_from(["", " ", "  "]), st.text(printable(), max_size=8)).map(
    lambda c: f"{c[0]}#{c[1]}")
KEY = st.from_regex(r"[A-Za-z0-9_-]{1,8}", fullmatch=True)
EQUALS = st.sampled_from([" = ", "=", "  =  ", " ="])
BETWEEN = st.sampled_from(["", "# a comment", "  ", "#"])


@st.composite
def front_matter_lines(draw: st.DrawFn) -> list[str]:
    lines = []
    for key in draw(st.lists(KEY, min_size=1, max_size=5, unique=True)):
        if draw(st.integers(0, 4)) == 0:
            lines.append(draw(BETWEEN))
        comment = draw(st.just("") | COMMENT)
        lines.append(f"{key}{draw(EQUALS)}{draw(VALUE)}{comment}")
    return lines


ACCEPTED = front_matter_lines().flatmap(
    lambda lines: st.sampled_from(["\n", ""]).map(lambda end: "\n".join(lines) + end))

# Lines the fast path leaves to tomllib, whatever lines come before or after them.
OUTSIDE = st.sampled_from([
    "[extra]\nkey = 1", "[[list]]\nkey = 1", 'a.b = "dotted"', '"quoted key" = 1',
    "  indented = 1", 'k = """\nmulti\nline"""', "k = '''\nmulti'''", "k = [\n  'a',\n]",
    'k = "x" junk', "k = 'x'\t# tab", "k = ", "k", 'k = ["a" "b"]', 'k = "nbsp\xa0"',
    'k = "bom\ufeff"', "  # indented comment", "k = 2021-13-45", 'k = "unclosed',
])


@st.composite
def outside_the_subset(draw: st.DrawFn) -> str:
    """One line from OUTSIDE, or a key given twice (an error in TOML, which tomllib words)."""
    lines = draw(front_matter_lines())
    if draw(st.booleans()):
        line = draw(OUTSIDE)
    else:
        key = draw(st.sampled_from([line for line in lines if "=" in line])).split("=")[0]
        line = f"{key.strip()} = {draw(VALUE)}"
    lines.insert(draw(st.integers(0, len(lines))), line)
    return "\n".join(lines) + "\n"


def read_exactly(fm: str) -> str:
    fast = simple_toml.load(fm)
    assert fast is not None, f"the fast path declined {fm!r}"
    expected = tomllib.loads(fm)
    assert same(fast, expected), f"{fm!r}: fast {fast!r} != tomllib {expected!r}"
    return "compared"


def left_to_tomllib(fm: str) -> str:
    assert simple_toml.load(fm) is None, f"the fast path read {fm!r}"
    try:
        tomllib.loads(fm)
    except tomllib.TOMLDecodeError:
        return "refused"
    return "read"


def declined_or_same(fm: str) -> str:
    return "declined" if check(fm) is None else "compared"


def test_generated_front_matter_in_the_subset_is_read_exactly() -> None:
    results = run_examples(ACCEPTED, read_exactly)
    assert results["compared"] >= MINIMUM, results


def test_generated_front_matter_outside_the_subset_is_left_to_tomllib() -> None:
    results = run_examples(outside_the_subset(), left_to_tomllib, EXAMPLES // 2)
    assert results["read"] + results["refused"] >= MINIMUM // 2, results
    assert results["read"] and results["refused"], results


# The fast path on anything: it declines or agrees with tomllib, and never reads what
# tomllib refuses. (Mostly declines: the tests above do the comparing.)
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


def test_generated_mixed_front_matter_never_disagrees_with_tomllib() -> None:
    results = run_examples(front_matter(), declined_or_same)
    assert results["compared"] >= EXAMPLES // 50 and results["declined"] >= MINIMUM // 2, \
        results


def test_arbitrary_text_never_disagrees_with_tomllib() -> None:
    text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                   max_size=60)
    results = run_examples(text, declined_or_same)
    assert results["declined"] >= MINIMUM, results
