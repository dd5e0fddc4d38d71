"""Issue 13: the site's pages ([site] pages = true) are valid HTML5, whatever the
entries and the config say: judged by html5lib (always) and by the Nu Html Checker
(when Java is installed; see tests/html5.py), for sites built here once per module.

Nu's errors and warnings both fail a test; its info messages (style notes such as
"Trailing slash on void elements has no effect") do not. All pages go through one
Nu run (one JVM start), with a broken page among them to show the checker judges.
Without Java the Nu tests are skipped, saying how to get it; with
FEEDPUB_REQUIRE_JAVA=1 (as in .ci/run, which installs it) they fail instead.
"""

from __future__ import annotations

import pytest

from feedpub.build import build
from feedpub.config import load_config
from tests.conftest import BASE_CONFIG, NOW, entry, missing_tool, write_site
from tests.html5 import html5_errors, nu_errors_of, nu_missing, structure_errors

PAGES = "\n[site]\npages = true\n"
RICH_BODY = """\
Intro with **bold**, _em_, `code`, ~~struck~~, a [link](other/) and a footnote.[^1]

# A heading in the body

| a | b |
|---|:-:|
| 1 | 2 |

- [x] done
- [ ] to do
  1. nested
  2. list

> quoted
> > twice

```python
print("<not a tag> & more")
```

![](picture.png) ![alt text](https://example.org/a.png "title")

<details><summary>More</summary><p>Hidden <iframe src="https://evil.example/"></iframe></p></details>
<div onclick="x()" style="color:red">raw <span>html</span></div>
<center>Old <tt>tt</tt>, <strike>strike</strike>, <acronym title="a">ACR</acronym>,
<img src="raw.png">, <map><area></map> and <ruby>漢<rtc>kan</rtc></ruby></center>

Line one\
line two

***

[^1]: The footnote.
"""
LONG_WORD = "Donaudampfschifffahrtsgesellschaftskapitän" * 12  # 504 letters, no break


def front_matter(*lines: str, body: str = "Body text.") -> str:
    """An entry from YAML lines written as they are (single quotes keep " and <)."""
    return "\n".join(["---", *lines, "---", "", body, ""])


SITES: dict[str, tuple[dict[str, str], str]] = {
    "plain": ({"a.md": entry("First post", "2021-05-01T10:00:00Z"),
               "b.md": entry("Second post", "2021-05-02T10:00:00Z", author="Bo",
                             tags="[notes]"),
               "c.md": entry("Third post", "2021-05-03T10:00:00Z",
                             summary="A short summary.")}, BASE_CONFIG),
    "hostile": ({
        "lt.md": front_matter(
            """title: '1 < 2 & 3 > 2, "double" and ''single'' quotes'""",
            "date: 2021-05-01T10:00:00Z",
            "summary: '<b>Bold</b> & <a href=\"https://example.org/\">linked</a> "
            "<script>alert(1)</script> ]]> <!-- not a comment -->'",
            "tags: [a<b, 'c&d', '\"quoted\"', שלום, 😀]",
            "author: ['Ann <ann@example.org>', 'O''Brien & Sons', 'مؤلف الكتاب', "
            "'\"Quoted\" Person']"),
        "markup.md": front_matter("title: '</h3><script>alert(1)</script><h1>Loud</h1>'",
                                  "date: 2021-05-02T10:00:00Z"),
        "entities.md": front_matter("title: 'Fish &amp; chips &#x1F600; &lt;tag&gt; &bogus;'",
                                    "date: 2021-05-03T10:00:00Z"),
        "emoji.md": front_matter("title: 'Emoji 😀 👩‍👩‍👧 🇳🇿 ❤️ and a ZWJ'",
                                 "date: 2021-05-04T10:00:00Z"),
        "rtl.md": front_matter("title: 'שלום עולם — مرحبا بالعالم, then LTR again'",
                               "date: 2021-05-05T10:00:00Z",
                               "summary: 'עברית ועוד: «quoted» & done'"),
        "long.md": front_matter(f"title: '{LONG_WORD}'", "date: 2021-05-06T10:00:00Z",
                                f"summary: 'https://example.org/{LONG_WORD}?q=1&r=2'"),
        # no summary and no body: nothing to describe it but its title
        "bare.md": front_matter("title: Nothing else", "date: 2021-05-07T10:00:00Z", body=""),
    }, BASE_CONFIG),
    "special-site": ({"a.md": entry()}, BASE_CONFIG
                     .replace('title = "Test site"',
                              """title = "A < B & \\"C\\" 'D' </title><script>x</script> 😀\"""")
                     .replace('description = "A site for tests"',
                              'description = "x\\" onload=\\"y & <z> </p> &amp; ]]>"')
                     .replace('url = "https://example.org/blog/"',
                              'url = "https://example.org/R&D/blog/"')),
    "empty": ({}, BASE_CONFIG),
    # An entry's page holds the body: every kind of Markdown and raw HTML, sanitised.
    "rich": ({"rich.md": entry("Rich", "2021-05-01T10:00:00Z", body=RICH_BODY),
              "bundle/index.md": entry("Bundle", "2021-05-02T10:00:00Z", lang="de",
                                       body="Ein Bild: ![Karte](map.png)")}, BASE_CONFIG),
    # Code points HTML forbids (a parse error) that XML allows, so feeds may carry them:
    # noncharacters (U+FDD0, U+FFFE, U+10FFFF...) and the C1 controls; and C0 controls.
    "forbidden-code-points": ({
        "a.md": front_matter('title: "Non\\uFDD0characters\\U0010FFFF and C1\\x85\\x9F"',
                             "date: 2021-05-01T10:00:00Z",
                             'summary: "DEL\\x7F, C0\\x01\\x0B, non\\uFFFEcharacter"'),
        "b.md": front_matter('title: "Plain"', "date: 2021-05-02T10:00:00Z",
                             body="Body with \x7f and \x85 and \ufdd0."),
    }, BASE_CONFIG),
}
# A page the checker must find fault with: proof that it judged the pages at all.
BROKEN = b"<!DOCTYPE html><html><head><title></title></head><body><p>a</div></body></html>"


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, bytes]]:
    """{site: {page's path in the output folder: its bytes}} for every SITES site:
    its front page and each entry's."""
    built = {}
    for name, (entries, config) in SITES.items():
        root = tmp_path_factory.mktemp(name)
        loaded = load_config(write_site(root, entries, config, PAGES))
        outputs = build(loaded, now=NOW).outputs
        built[name] = {path.relative_to(loaded.output_dir).as_posix(): data
                       for path, data in outputs.items() if path.suffix == ".html"}
    return built


def test_every_page_is_judged(pages: dict[str, dict[str, bytes]]) -> None:
    assert sorted(pages["plain"]) == ["a/index.html", "b/index.html", "c/index.html",
                                      "index.html"]  # the front page and each entry's
    assert sorted(pages["rich"]) == ["bundle/index.html", "index.html", "rich/index.html"]
    assert sorted(pages["empty"]) == ["index.html"]


@pytest.fixture(scope="module")
def nu(pages: dict[str, dict[str, bytes]]) -> dict[str, list[str]]:
    """{site: Nu's errors and warnings for its pages}: one Nu run for all of them."""
    why = nu_missing()
    if why is not None:
        missing_tool(why, "FEEDPUB_REQUIRE_JAVA")
    every = {f"{site}/{page}": data for site, made in pages.items()
             for page, data in made.items()}
    messages = nu_errors_of({**every, "broken/index.html": BROKEN})
    found = {site: [m for m in messages if m.startswith(f"{site}/")] for site in pages}
    found["broken"] = [m for m in messages if m.startswith("broken/")]
    return found


@pytest.mark.parametrize("site", SITES)
def test_html5lib_finds_no_parse_error(pages: dict[str, dict[str, bytes]], site: str) -> None:
    for page, data in pages[site].items():
        errors = html5_errors(data)
        assert not errors, f"{site}/{page}:\n" + "\n".join(errors)


@pytest.mark.parametrize("site", SITES)
def test_the_nu_checker_finds_no_error_or_warning(nu: dict[str, list[str]], site: str) -> None:
    assert not nu[site], "\n".join(nu[site])


@pytest.mark.parametrize("site", SITES)
def test_pages_have_one_h1_a_language_and_the_charset_first(
        pages: dict[str, dict[str, bytes]], site: str) -> None:
    for page, data in pages[site].items():
        errors = structure_errors(data)
        assert not errors, f"{site}/{page}:\n" + "\n".join(errors)
        assert data.startswith(b"<!DOCTYPE html>"), page


def test_the_nu_checker_judges(nu: dict[str, list[str]]) -> None:
    assert any("Stray end tag" in m and ": error: " in m for m in nu["broken"]), nu["broken"]
    assert any("lang" in m and ": warning: " in m for m in nu["broken"]), nu["broken"]


def test_the_judges_find_what_is_wrong() -> None:
    """Each helper finds its faults (and so is no test that passes whatever it is given)."""
    assert any("Expected DOCTYPE" in e for e in html5_errors(b"<p>x"))
    assert any("windows-1252" in e for e in html5_errors(b"<!DOCTYPE html><title>x</title>"))
    assert any("not UTF-8" in e for e in html5_errors(
        b'<!DOCTYPE html><meta charset="utf-8"><title>caf\xe9</title>'))
    assert html5_errors(b'<!DOCTYPE html><meta charset="utf-8"><title>x</title>') == []
    assert structure_errors(
        b'<!DOCTYPE html><html><head><title>x</title><meta charset="utf-8"></head>'
        b"<body><h1>a</h1><h1>b</h1></body></html>") == [
        "2 <h1> elements, not exactly one", "<html> has no lang attribute (or an empty one)",
        "the first element in <head> is <title>, not <meta charset>"]
    assert structure_errors(b'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
                            b"<title>x</title></head><body><h1>a</h1></body></html>") == []
