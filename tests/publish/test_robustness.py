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

from ..conftest import entry, write_site

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
    assert start_build(root).wait() == 0
    new = outputs(root)
    assert old != new
    # How long the builds killed below take: the old files put back, the rest cached.
    _put_back(root, old)
    started = time.perf_counter()
    assert start_build(root).wait() == 0
    duration = time.perf_counter() - started
    assert outputs(root) == new
    rng = random.Random(20211513)
    seen: set[str] = set()  # what builds killed while they ran left: "old", "new"
    for attempt in range(40):
        if attempt >= 8 and seen == {"old", "new"}:
            break
        # Put the old files back, then kill a build somewhere along its run: at a
        # random moment (mostly before its renames: the old files must stay whole) or,
        # every other time, right after it renamed its first file (the new files must
        # be whole: a window of ~10 ms at the end of its run, that a random moment
        # seldom hits).
        _put_back(root, old)
        inodes = {name: (root / "public" / name).stat().st_ino for name in old}
        proc = start_build(root)
        if attempt % 2 == 0:
            time.sleep(rng.uniform(0, duration))
        else:
            _wait_for_a_rename(proc, root, inodes, timeout=duration * 10)
        proc.send_signal(signal.SIGKILL)
        killed = proc.wait() == -signal.SIGKILL  # (not if it had finished already)
        after = outputs(root)
        for name, data in after.items():
            assert data in (old[name], new[name]), f"{name} is neither the old nor the new file"
            etree.fromstring(data)  # and parseable
        # and the pair comes from one build
        assert (after["rss.xml"] == new["rss.xml"]) == (after["atom.xml"] == new["atom.xml"])
        if killed:
            seen.add("new" if after["rss.xml"] == new["rss.xml"] else "old")
    assert seen == {"old", "new"}, f"40 builds killed left only {seen} files"
    assert start_build(root).wait() == 0
    assert outputs(root) == new
    leftovers = [p.name for p in (root / "public").iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []  # temporaries of killed builds are cleaned up


def _put_back(root: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (root / "public" / name).write_bytes(data)


def _wait_for_a_rename(proc: subprocess.Popen[bytes], root: Path, inodes: dict[str, int],
                       timeout: float) -> None:
    """Return once a feed file has a new inode (the build renamed its file over it), or
    the build ended, or `timeout` seconds passed."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if any((root / "public" / name).stat().st_ino != inode
               for name, inode in inodes.items()):
            return
        time.sleep(0.0005)


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


SIGNAL_BETWEEN_RENAMES = """
import os, signal, sys
real = os.replace
def replace(src, dst, *args, **kwargs):
    real(src, dst, *args, **kwargs)
    if str(dst).endswith(".xml"):
        os.kill(os.getpid(), getattr(signal, sys.argv[1]))  # right after the first rename
os.replace = replace
from feedpub.cli import cli
cli(["build", "-q"])
"""


@pytest.mark.parametrize("name", ["SIGTERM", "SIGINT", "SIGHUP"])
def test_a_signal_between_two_renames_waits_until_the_set_is_replaced(
        tmp_path: Path, name: str) -> None:
    root = tmp_path / "site"
    corpus(root, 20, "Old")
    assert start_build(root).wait() == 0
    corpus(root, 20, "New")
    proc = subprocess.run([sys.executable, "-c", SIGNAL_BETWEEN_RENAMES, name], cwd=root,
                          env=ENV, capture_output=True, timeout=60)
    assert proc.returncode != 0  # the signal did end the build...
    result = outputs(root)
    for data in result.values():  # ...but only once both feeds were the new ones
        assert b"New 0" in data and b"Old 0" not in data
    assert start_build(root).wait() == 0  # and the next build clears what is left
    assert [p.name for p in (root / "public").iterdir() if p.name.startswith(".")] == []


FORK_A_SLOW_CHILD = """
import sys, time
from feedpub.runtime import parallel
child = parallel.in_child(time.sleep, 60)  # as a reader whose share takes long
print("forked", flush=True)
child()
"""


def test_a_killed_build_leaves_no_forked_worker_behind(tmp_path: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", FORK_A_SLOW_CHILD], env=ENV,
                            start_new_session=True, stdout=subprocess.PIPE)
    group = proc.pid
    assert proc.stdout is not None and proc.stdout.readline() == b"forked\n"
    assert len(_members(group)) == 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while _members(group) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert _members(group) == []  # the child died with its parent


def _members(group: int) -> list[int]:
    """Live (not zombie) processes of a process group, from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found
