"""Issue 14's targets, judged from one run of bench/run.py: one table, every row a ratio
measured side by side in that run (feedpub against Hugo, or against feedpub's own cold
build), its goal, and whether it holds. A row whose cases did not run says so.

    python bench/run.py --n 1000 --n 10000 --runs 3 --peer hugo --jekyll
    python bench/run.py --n 10000 --n 100000 --runs 1 --only "cold, every output"
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class Timed(Protocol):
    samples: list  # of Sample: wall, cpu, rss_mib

    def median(self, attr: str) -> float: ...


Results = dict[int, dict[str, Timed]]  # corpus size -> case name -> its samples
EDIT_GOAL = 0.1  # 10,000 entries, one edited: its time / the cold build's (every entry)


@dataclass
class Row:
    what: str
    measured: float | None  # the ratio (or MiB), None if its cases did not run
    goal: float
    unit: str = "x"

    def line(self) -> str:
        if self.measured is None:
            return f"| {self.what} | not run | ≤ {self.goal:g}{self.unit} | |"
        held = "yes" if self.measured <= self.goal else "**no**"
        shown = f"{self.measured:.0f} MiB" if self.unit == " MiB" else f"{self.measured:.2f}x"
        return f"| {self.what} | {shown} | ≤ {self.goal:g}{self.unit} | {held} |"


def _wall(results: Results, n: int, name: str) -> float | None:
    case = results.get(n, {}).get(name)
    return case.median("wall") if case is not None and case.samples else None


def _peak(results: Results, n: int, name: str) -> float | None:
    case = results.get(n, {}).get(name)
    return max(s.rss_mib for s in case.samples) if case is not None and case.samples \
        else None


def _ratio(top: float | None, bottom: float | None) -> float | None:
    return top / bottom if top is not None and bottom else None


def rows(results: Results, peers: Results, jekyll: dict[tuple[int, int], float]) -> list[Row]:
    """`peers`: Hugo's cases by size and name; `jekyll`: (size, limit) -> the Jekyll
    site's median over the plain corpus's."""
    def versus_hugo(n: int, name: str) -> float | None:
        return _ratio(_wall(results, n, name), _wall(peers, n, name))

    every, pages = "cold, every output", "cold, with pages"
    per_entry = {n: _ratio(_wall(results, n, every), n) for n in (10000, 100000)}
    return [
        Row("1,000 entries, newest 20, cold / Hugo", versus_hugo(1000, "cold, newest 20"), 0.5),
        Row("1,000 entries, every entry, cold / Hugo",
            versus_hugo(1000, "cold, every entry"), 0.3),
        Row("10,000, newest 20, cold / Hugo", versus_hugo(10000, "cold, newest 20"), 0.4),
        Row("10,000, every entry, cold / Hugo", versus_hugo(10000, "cold, every entry"), 0.25),
        Row("10,000, every entry, cold: peak memory / Hugo's",
            _ratio(_peak(results, 10000, "cold, every entry"),
                   _peak(peers, 10000, "cold, every entry")), 0.25),
        Row("10,000, nothing changed / cold (every entry)",
            _ratio(_wall(results, 10000, "no change, every entry"),
                   _wall(results, 10000, "cold, every entry")), 0.05),
        Row("10,000, one entry edited / cold (every entry)",
            _ratio(_wall(results, 10000, "one edited, every entry"),
                   _wall(results, 10000, "cold, every entry")), EDIT_GOAL),
        Row("10,000, every output and pages / Hugo's RSS for home and every tag",
            _ratio(_wall(results, 10000, pages), _wall(peers, 10000, every)), 0.4),
        Row("(the same without pages)", versus_hugo(10000, every), 0.4),
        Row("100,000, every output: peak memory", _peak(results, 100000, every), 400,
            " MiB"),
        Row("100,000, every output: time per entry / at 10,000",
            _ratio(per_entry[100000], per_entry[10000]), 1.2),
        *[Row(f"Jekyll site ({n:,} posts, Liquid in 30%), "
              f"{'newest 20' if limit else 'every entry'} / plain corpus",
              jekyll.get((n, limit)), 1.5) for n in sorted({n for n, _ in jekyll} or {1000})
          for limit in (20, 0)],
    ]


def table(results: Results, peers: Results, jekyll: dict[tuple[int, int], float]) -> str:
    lines = ["| target | this run | goal | holds |", "| --- | ---: | ---: | --- |"]
    return "\n".join(lines + [row.line() for row in rows(results, peers, jekyll)])


FLOOR_GOALS = ((1000, "cold, newest 20", 0.5), (10000, "cold, newest 20", 0.4))
# The names of bench/run.py's floor cases
STACK_FLOOR = "stack floor (imports + read)"
REWRITE_FLOOR = "rewrite floor (imports + stat + feeds written)"


def floors(results: Results, peers: Results) -> str:
    """The floors (no build can take less) as a share of the time their goal allows:
    at 1.00x or more, the goal is out of reach of any build on this stack on this
    machine. The stack floor (STACK_FLOOR) against the newest-20 goals, Hugo's time
    times the goal; the rewrite floor (REWRITE_FLOOR) against the one-edited goal,
    the cold build of every entry times EDIT_GOAL."""
    lines = []
    for n, name, goal in FLOOR_GOALS:
        floor, hugo = _wall(results, n, STACK_FLOOR), _wall(peers, n, name)
        if floor is None or not hugo:
            continue
        lines.append(f"| {n:,} entries, {name}: stack floor {floor:.3f} s / goal "
                     f"{goal:g} x Hugo's {hugo:.3f} s | {floor / (goal * hugo):.2f}x |")
    floor = _wall(results, 10000, REWRITE_FLOOR)
    cold = _wall(results, 10000, "cold, every entry")
    if floor is not None and cold:
        lines.append(f"| 10,000 entries, one edited, every entry: rewrite floor {floor:.3f} s "
                     f"/ goal {EDIT_GOAL:g} x the cold build's {cold:.3f} s "
                     f"| {floor / (EDIT_GOAL * cold):.2f}x |")
    return "\n".join(["| floor against goal | share |", "| --- | ---: |", *lines]) \
        if lines else ""
