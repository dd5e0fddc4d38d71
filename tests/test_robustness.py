"""Killed builds and simultaneous builds never leave a broken or mixed set of feeds."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from .conftest import entry, write_site

ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1893456000"}


def corpus(root: Path, count: int, marker: str) -> Path:
    files = {f"y{i % 7}/2021-05-{i % 28 + 1:02d}-post-{i}.md":
             entry(f"{marker} {i}", date=f"2021-05-{i % 28 + 1:02d}T{i % 24:02d}:{i % 60:02d}:00Z",
                   body=(f"Paragraph {i} with a [link](../x/) and *emphasis*.\n\n" * 30))
             for i in range(count)}
    return write_site(root, files, extra="limit = 0\n")


def start_build(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "feedpub", "build", "-q"], cwd=root,
                            env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def outputs(root: Path) -> dict[str, bytes]:
    return {name: (root / "public" / name).read_bytes() for name in ("rss.xml", "atom.xml")}


def test_sigkill_at_random_moments_leaves_old_or_new_complete_files(tmp_path: Path) -> None:
    root = tmp_path / "site"
    corpus(root, 400, "Old")
    assert start_build(root).wait() == 0
    old = outputs(root)
    corpus(root, 400, "New")  # same files, new titles: the next build rewrites both
    started = time.perf_counter()
    assert start_build(root).wait() == 0
    duration = time.perf_counter() - started
    new = outputs(root)
    assert old != new
    rng = random.Random(20211513)
    for _ in range(8):
        # Put the old files back, then kill a build somewhere along its run.
        for name, data in old.items():
            (root / "public" / name).write_bytes(data)
        proc = start_build(root)
        time.sleep(rng.uniform(0.05, duration * 1.1))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        for name, data in outputs(root).items():
            assert data in (old[name], new[name]), f"{name} is neither the old nor the new file"
            etree.fromstring(data)  # and parseable
    assert start_build(root).wait() == 0
    assert outputs(root) == new
    leftovers = [p.name for p in (root / "public").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []  # temporaries of killed builds are cleaned up


@pytest.mark.parametrize("edit_between", [False, True])
def test_two_builds_at_once_finish_and_leave_a_consistent_set(tmp_path: Path,
                                                              edit_between: bool) -> None:
    root = tmp_path / "site"
    corpus(root, 300, "First")
    first = start_build(root)
    if edit_between:
        corpus(root, 300, "Second")
    second = start_build(root)
    assert first.wait() == 0, first.stderr.read().decode() if first.stderr else ""
    assert second.wait() == 0
    result = outputs(root)
    rss, atom = (etree.fromstring(result[n]) for n in ("rss.xml", "atom.xml"))
    rss_titles = [t.text for t in rss.iterfind("channel/item/title")]
    atom_titles = [t.text for t in atom.iterfind("{*}entry/{*}title")]
    assert len(rss_titles) == 300
    assert rss_titles == atom_titles  # both files come from the same build
    if not edit_between:
        assert {t.split()[0] for t in rss_titles} == {"First"}
