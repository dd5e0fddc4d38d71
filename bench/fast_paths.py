"""What the front-matter fast paths save: 10,000 typical front matters through each
handler's `load`, with its fast path and with the fast path declining (so the library
reads everything). Interleaved runs, best of --runs.

    python bench/fast_paths.py --runs 5
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable
from types import ModuleType
from typing import Any

from feedpub.content.handlers import simple_toml, simple_yaml
from feedpub.content.handlers.base import Reader
from feedpub.content.handlers.toml import TOMLHandler
from feedpub.content.handlers.yaml import SCALARS, SafeYAMLHandler

N = 10_000


def toml_front_matter(i: int) -> str:
    return (f'title = "Entry number {i}: a typical title"\n'
            f"date = 2021-03-{i % 28 + 1:02d}T10:{i % 60:02d}:00+01:00\n"
            f'tags = ["python", "feeds", "tag{i % 50}"]\n'
            f'author = "Jane Doe <jane@example.org>"\n'
            f"draft = {'true' if i % 7 == 0 else 'false'}\n")


def yaml_front_matter(i: int) -> str:
    return (f'title: "Entry number {i}: a typical title"\n'
            f"date: 2021-03-{i % 28 + 1:02d} 10:{i % 60:02d}:00 +01:00\n"
            f"tags: [python, feeds, tag{i % 50}]\n"
            f"author: Jane Doe <jane@example.org>\n"
            f"draft: {'true' if i % 7 == 0 else 'false'}\n")


def measure(name: str, handler: Reader, fast_path: ModuleType,
            accepts: Callable[[str], Any], make: Callable[[int], str], runs: int) -> None:
    texts = [make(i) for i in range(N)]
    assert all(accepts(text) is not None for text in texts), "not all on the fast path"
    fast_load = fast_path.load
    with_fast, without = [], []
    for _ in range(runs):
        with_fast.append(timeit.timeit(lambda: [handler.load(t) for t in texts], number=1))
        fast_path.load = lambda *args: None  # declines: the library reads every text
        try:
            without.append(timeit.timeit(lambda: [handler.load(t) for t in texts], number=1))
        finally:
            fast_path.load = fast_load
    best, slow = min(with_fast), min(without)
    print(f"{name}: {N:,} front matters, best of {runs}: with the fast path {best * 1e3:.1f} ms, "
          f"without {slow * 1e3:.1f} ms; saves {(slow - best) * 1e3:.1f} ms "
          f"({(slow - best) / N * 1e6:.1f} µs a file)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    runs = parser.parse_args().runs
    measure("TOML", TOMLHandler(), simple_toml, simple_toml.load, toml_front_matter, runs)
    measure("YAML", SafeYAMLHandler(), simple_yaml, lambda fm: simple_yaml.load(fm, SCALARS),
            yaml_front_matter, runs)


if __name__ == "__main__":
    main()
