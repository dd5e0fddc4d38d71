"""Pathological bodies: each costs time in proportion to its size, as ordinary Markdown does.

    python bench/pathological.py                  # 1 MiB of each shape
    python bench/pathological.py --size 262144 --size 1048576 --no-build

For each shape (the reproductions of issue 9 and their relatives), writes one entry
of `--size` bytes, then times `render_entry` on it (best of `--runs`, in this
process) and a whole `feedpub build` of a site with that one entry (a fresh process,
killed after `--timeout` seconds). Prints seconds and the ratio to the same size of
ordinary Markdown (bench/corpus.py's generator). Two sizes show the growth: a linear
cost doubles when the size doubles.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/corpus.py, beside this file)

from feedpub.config.load import load_config  # noqa: E402
from feedpub.entries.loading import body_of, load_entries  # noqa: E402
from feedpub.render.entry import render_entry  # noqa: E402

CONFIG = """[feed]
title = "Pathological"
description = "One pathological entry"
url = "https://example.org/"
author = { name = "Bench" }
"""


def _ordinary(size: int) -> str:
    return corpus._body(random.Random(size), size, more=False)


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> str:
    return head + unit * max(1, (size - len(head) - len(tail)) // len(unit)) + tail


# name -> body of about `size` bytes; the first five are issue 9's reproductions.
SHAPES: dict[str, Callable[[int], str]] = {
    "ordinary Markdown": _ordinary,
    "'>' * n + 'x' (quotes)": lambda n: _repeat(">", n, tail="x"),
    "'<!--' * n": lambda n: _repeat("<!--", n),
    "'<div>' + '<a b=\"' * n": lambda n: _repeat('<a b="', n, head="<div>\n"),
    "'&amp;' * n": lambda n: _repeat("&amp;", n),
    "'<div>\\n<![ y\\n</div>\\n' * n": lambda n: _repeat("<div>\n<![ y\n</div>\n", n),
    "'<div>' * n": lambda n: _repeat("<div>", n),
    "'<ul><li>' * n": lambda n: _repeat("<ul><li>", n),
    "'- ' * 99 + 'x' lines": lambda n: _repeat("- " * 99 + "x\n", n),
    "'*a ' * n + 'b*' * n": lambda n: _repeat("*a ", n // 2) + _repeat("b*", n // 2),
    "'<div><b id=i></div>' * n": lambda n: "".join(
        f'<div><b id="{i}"></div>' for i in range(n // 24)),
    "'<b><div></b>' * n": lambda n: _repeat("<b><div></b>", n),
    "no-break spaces": lambda n: _repeat("\u00a0", n // 2, head="x", tail="x"),
    "'<table>' + '&amp;' * n": lambda n: _repeat("&amp;", n, head="<table>"),
}


def write_site(root: Path, body: str) -> Path:
    config = root / "feedpub.toml"
    config.write_text(CONFIG, encoding="utf-8")
    (root / "entries").mkdir(exist_ok=True)
    (root / "entries" / "2021-05-13-entry.md").write_text(
        f'---\ntitle: "Entry"\ndate: 2021-05-13T10:00:00Z\n---\n\n{body}\n', encoding="utf-8")
    return config


def time_render(config_path: Path, runs: int) -> float:
    config = load_config(config_path)
    entry = load_entries(config).entries[0]
    body = body_of(entry, config)
    best = float("inf")
    for _ in range(runs):
        started = time.perf_counter()
        render_entry(entry, body)
        best = min(best, time.perf_counter() - started)
    return best


def time_build(config_path: Path, timeout: float) -> float | None:
    """Seconds for `feedpub build --no-cache` in a fresh process; None past the timeout."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1893456000"}
    started = time.perf_counter()
    try:
        subprocess.run([sys.executable, "-m", "feedpub", "build", "--quiet", "--no-cache",
                        "--config", str(config_path)], env=env, check=True, timeout=timeout,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except subprocess.TimeoutExpired:
        return None
    return time.perf_counter() - started


Row = tuple[str, float, float | None]


def measure(size: int, runs: int, build: bool, timeout: float) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, shape in SHAPES.items():
            site = Path(tmp) / str(len(rows))
            site.mkdir()
            config = write_site(site, shape(size))
            rows.append((name, time_render(config, runs),
                         time_build(config, timeout) if build else None))
    return rows


def table(size: int, rows: list[Row], build: bool) -> None:
    base_render, base_build = rows[0][1], rows[0][2]
    print(f"\n{size / 1048576:g} MiB bodies: render_entry (best of runs) and a whole build; "
          "ratio to ordinary Markdown")
    head = f"  {'shape':34s} {'render s':>9s} {'ratio':>6s}"
    print(head + (f" {'build s':>8s} {'ratio':>6s}" if build else ""))
    for name, render, whole in rows:
        line = f"  {name:34s} {render:9.3f} {render / base_render:6.1f}"
        if build:
            line += (f" {whole:8.2f} {whole / base_build:6.1f}" if whole is not None and base_build
                     else f" {'timeout':>8s} {'-':>6s}")
        print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, action="append",
                        help="bytes of each body (repeatable; default 1 MiB)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-build", action="store_true", help="time render_entry only")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds a build may take before it counts as a hang")
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores")
    for size in args.size or [1 << 20]:
        table(size, measure(size, args.runs, not args.no_build, args.timeout),
              not args.no_build)


if __name__ == "__main__":
    main()
