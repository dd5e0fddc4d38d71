"""What rendering an entry costs, part by part, on bench/corpus.py's bodies.

    python bench/render_parts.py                 # 1,000 bodies of 1-8 KiB
    python bench/render_parts.py --n 2000 --runs 9

Prints microseconds per entry (best of `--runs`) for render_entry as a whole and for
each of its steps (other generators' template code, Markdown, bounding, nh3, absolute
URLs, the summary) and for the text readers, and
how many bodies `bounded` wrote again rather than passing them to nh3 as they are.
The "foreign" lines time strip_foreign on the ordinary bodies (the substring checks
alone) and on the same bodies with a few Hugo shortcodes, kramdown attribute lists or
MDX lines added (`_with`), which pay for the passes and for finding code.
The last two lines force every body through the libxml2 and `flatten` readers that
`bounded` keeps for large or deep HTML: what they would cost on ordinary HTML.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # (bench/corpus.py, beside this file)

from feedpub.base import html_parse
from feedpub.base.html_text import first_paragraph_text, html_to_text
from feedpub.entries.model import Entry
from feedpub.render import foreign, sanitise
from feedpub.render.absolute import Seen, absolutise
from feedpub.render.entry import render_entry
from feedpub.render.markdown import markdown_to_html
from feedpub.render.summary import MORE

BASE = "https://example.org/blog/2021/entry/"
WHEN = datetime(2021, 5, 13, tzinfo=UTC)
ENTRY = Entry(source="entry.md", title="Entry", published=WHEN, updated=WHEN, authors=(),
              summary=None, tags=(), id="id", slug="entry", link=BASE, base=BASE, draft=False,
              expires=None, lang=None, heading_title=False, body_line=1, body_start=-1,
              enclosures=(), image=None, episode=None, body=None, path="entry.md",
              rel="entry.md")


def _best(function: Callable[[Any], object], items: list[Any], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        for item in items:
            function(item)
        best = min(best, time.perf_counter() - started)
    return best / len(items) * 1e6


_SYNTAX = {
    "hugo": ('{{< figure src="a.png" alt="A" caption="C" >}}\n\n{{% notice %}}\nNote.\n'
             '{{% /notice %}}\n\n', 'See {{< ref "other.md" >}} and {{< youtube abc >}}.\n'),
    "kramdown": ("# Heading\n{: #top}\n\n", "A *word*{: .x} [link](x){:target=\"_blank\"}\n"),
    "mdx": ("import Chart from './Chart'\n\n", "<Callout>Mind it.</Callout> <Chart />\n"),
}


def _with(kind: str, body: str) -> str:
    """The body with foreign syntax at its start, middle and end."""
    first, inline = _SYNTAX[kind]
    middle = body.find("\n\n", len(body) // 2) + 2
    return f"{first}{body[:middle]}{inline}\n{body[middle:]}\n{inline}"


def _summary(raw: str) -> str:
    parts = MORE.split(raw, maxsplit=1)
    return html_to_text(parts[0]) if len(parts) == 2 else first_paragraph_text(raw)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000, help="bodies")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = random.Random(1)
    bodies = [corpus._body(rng, rng.randint(1024, 8192), more=rng.random() < 0.3)
              for _ in range(args.n)]
    raws = [markdown_to_html(body) for body in bodies]
    cleaned = [sanitise._CLEANER.clean(raw).strip() for raw in raws]
    rewritten = sum(sanitise.bounded(raw)[0] is not raw for raw in raws)
    print(f"{sum(map(foreign.has_foreign, bodies))} bodies pass foreign's substring checks")
    print(f"{args.n} bodies, {sum(map(len, raws)) // args.n} characters of HTML each on "
          f"average; {rewritten} written again by bounded")
    steps: dict[str, tuple[Callable[[Any], object], list[Any]]] = {
        "render_entry (the whole)": (lambda body: render_entry(ENTRY, body), bodies),
        "foreign (ordinary bodies)": (foreign.strip_foreign, bodies),
        "foreign, Hugo sites (bodies with shortcodes)": (
            lambda body: foreign.strip_foreign(body, kramdown=False),
            [_with("hugo", body) for body in bodies]),
        "foreign, Jekyll sites (bodies with IALs)": (
            lambda body: foreign.strip_foreign(body, shortcodes=False),
            [_with("kramdown", body) for body in bodies]),
        "foreign, any site (bodies with MDX)": (
            lambda body: foreign.strip_foreign(body, shortcodes=False, kramdown=False),
            [_with("mdx", body) for body in bodies]),
        "fewer_quotes (Markdown)": (sanitise.fewer_quotes, bodies),
        "markdown_to_html": (markdown_to_html, bodies),
        "bounded": (sanitise.bounded, raws),
        "nh3 clean": (sanitise._CLEANER.clean, raws),
        "absolutise": (lambda html: absolutise(html, BASE, Seen()), cleaned),
        "summary (<!--more--> or first paragraph)": (_summary, raws),
        "html_to_text (whole body)": (html_to_text, raws),
        "bounded, through libxml2 (forced)": (sanitise.bounded, raws),
        "bounded, through flatten (forced)": (sanitise.bounded, raws),
    }
    for name, (function, items) in steps.items():
        if name.endswith("(forced)"):
            sanitise._GATE_LENGTH = -1
        if name.endswith("flatten (forced)"):
            sanitise.LIBXML2_DEPTH = 0
        print(f"{name:46s} {_best(function, items, args.runs):8.1f} µs/entry")
    sanitise._GATE_LENGTH, sanitise.LIBXML2_DEPTH = 1 << 15, html_parse.LIBXML2_DEPTH


if __name__ == "__main__":
    main()
