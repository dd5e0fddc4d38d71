"""bench/targets.py judges issue 14's goals from one bench run: the stack floor is
set against the time each newest-20 goal allows, the rewrite floor against the
one-edited goal."""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass, field
from pathlib import Path

SPEC = importlib.util.spec_from_file_location(
    "bench_targets", Path(__file__).parent.parent / "bench" / "targets.py")
assert SPEC is not None and SPEC.loader is not None
targets = importlib.util.module_from_spec(SPEC)
sys.modules[SPEC.name] = targets  # (its dataclasses look their module up)
SPEC.loader.exec_module(targets)


@dataclass
class Sample:
    wall: float
    cpu: float = 0.0
    rss_mib: float = 0.0


@dataclass
class Case:
    samples: list = field(default_factory=list)

    def median(self, attr: str) -> float:
        values = sorted(getattr(s, attr) for s in self.samples)
        return values[len(values) // 2]


def case(*walls: float) -> Case:
    return Case([Sample(w) for w in walls])


def test_the_stack_floor_is_set_against_the_time_each_goal_allows() -> None:
    results = {1000: {targets.STACK_FLOOR: case(0.07, 0.08, 0.09)},
               10000: {targets.STACK_FLOOR: case(0.20)}}
    peers = {1000: {"cold, newest 20": case(0.14, 0.15, 0.16)},
             10000: {"cold, newest 20": case(0.80)}}
    lines = targets.floors(results, peers).splitlines()
    assert lines[2] == ("| 1,000 entries, cold, newest 20: stack floor 0.080 s / goal 0.5 x "
                        "Hugo's 0.150 s | 1.07x |")  # 0.08 / (0.5 * 0.15)
    assert lines[3] == ("| 10,000 entries, cold, newest 20: stack floor 0.200 s / goal 0.4 x "
                        "Hugo's 0.800 s | 0.62x |")  # 0.2 / (0.4 * 0.8)


def test_no_floor_line_without_the_cases_it_compares() -> None:
    assert targets.floors({1000: {}}, {1000: {"cold, newest 20": case(0.1)}}) == ""
    assert targets.floors({1000: {targets.STACK_FLOOR: case(0.1)}}, {}) == ""


def test_the_rewrite_floor_is_set_against_a_tenth_of_the_cold_build() -> None:
    results = {10000: {targets.REWRITE_FLOOR: case(0.30, 0.36, 0.50),
                       "cold, every entry": case(2.7, 2.8, 2.9)}}
    lines = targets.floors(results, {}).splitlines()
    assert lines[2:] == ["| 10,000 entries, one edited, every entry: rewrite floor 0.360 s / "
                         "goal 0.1 x the cold build's 2.800 s | 1.29x |"]  # 0.36 / 0.28
    assert targets.floors({10000: {targets.REWRITE_FLOOR: case(0.3)}}, {}) == ""
    # (the goal is set at 10,000 entries only)
    assert targets.floors({1000: {targets.REWRITE_FLOOR: case(0.1),
                                  "cold, every entry": case(0.5)}}, {}) == ""
