"""Atomic, only-if-changed writes: a failed write loses nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from feedpub.base.problems import ExitCode, OutputError
from feedpub.publish import write as publish_module
from feedpub.publish.write import publish


def test_writes_new_files_with_readable_mode(tmp_path: Path) -> None:
    out = tmp_path / "public"
    written = publish({out / "rss.xml": b"<rss/>", out / "atom.xml": b"<feed/>"})
    assert [(w.path.name, w.changed) for w in written] == [("rss.xml", True), ("atom.xml", True)]
    assert (out / "rss.xml").read_bytes() == b"<rss/>"
    assert (out / "rss.xml").stat().st_mode & 0o777 == 0o644
    assert sorted(p.name for p in out.iterdir()) == ["atom.xml", "rss.xml"]  # no temp files


def test_unchanged_file_is_not_rewritten(tmp_path: Path) -> None:
    path = tmp_path / "rss.xml"
    publish({path: b"same"})
    os.utime(path, (1_000_000, 1_000_000))
    inode = path.stat().st_ino
    (written,) = publish({path: b"same"})
    assert not written.changed
    assert path.stat().st_mtime == 1_000_000 and path.stat().st_ino == inode
    (written,) = publish({path: b"different"})
    assert written.changed and path.read_bytes() == b"different"


# Large sets of files are staged by threads (publish/write.py: THREADS_FROM_BYTES);
# the same must hold with them as without.
THREADS = pytest.mark.parametrize("threads", [False, True], ids=["one thread", "threads"])


@THREADS
def test_failure_on_the_second_file_leaves_every_old_file(tmp_path: Path, monkeypatch,
                                                           threads: bool) -> None:
    rss, atom = tmp_path / "rss.xml", tmp_path / "atom.xml"
    monkeypatch.setattr(publish_module, "THREADS_FROM_BYTES", 0 if threads else 1 << 40)
    publish({rss: b"old rss", atom: b"old atom"})
    real_stage = publish_module._stage
    calls = []

    def failing_stage(path: Path, data: bytes) -> Path:
        calls.append(path)
        if len(calls) == 2:
            raise OSError(28, "No space left on device", str(path))
        return real_stage(path, data)

    monkeypatch.setattr(publish_module, "_stage", failing_stage)
    with pytest.raises(OutputError) as caught:
        publish({rss: b"new rss", atom: b"new atom"})
    assert caught.value.exit_code == ExitCode.IO
    assert "No space left on device" in str(caught.value)
    assert rss.read_bytes() == b"old rss" and atom.read_bytes() == b"old atom"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atom.xml", "rss.xml"]


def test_write_error_in_the_middle_of_a_file_leaves_the_old_one(tmp_path: Path,
                                                                 monkeypatch) -> None:
    rss = tmp_path / "rss.xml"
    publish({rss: b"old"})

    def broken_fsync(fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(publish_module.os, "fsync", broken_fsync)
    with pytest.raises(OutputError):
        publish({rss: b"new"})
    assert rss.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["rss.xml"]


def test_output_path_blocked_by_a_file(tmp_path: Path) -> None:
    (tmp_path / "public").write_text("not a folder")
    with pytest.raises(OutputError) as caught:
        publish({tmp_path / "public" / "rss.xml": b"x"})
    assert "cannot write" in str(caught.value)


@THREADS
@pytest.mark.parametrize("which", ["rss.xml", "atom.xml"])
def test_an_interrupt_while_staging_leaves_no_temporaries(tmp_path: Path, monkeypatch,
                                                          which: str, threads: bool) -> None:
    rss, atom = tmp_path / "rss.xml", tmp_path / "atom.xml"
    monkeypatch.setattr(publish_module, "THREADS_FROM_BYTES", 0 if threads else 1 << 40)
    publish({rss: b"old rss", atom: b"old atom"})
    real_stage = publish_module._stage

    def interrupted(path: Path, data: bytes) -> Path:
        if path.name == which:
            raise KeyboardInterrupt
        return real_stage(path, data)

    monkeypatch.setattr(publish_module, "_stage", interrupted)
    with pytest.raises(KeyboardInterrupt):
        publish({rss: b"new rss", atom: b"new atom"})
    assert rss.read_bytes() == b"old rss" and atom.read_bytes() == b"old atom"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atom.xml", "rss.xml"]


def test_a_killed_builds_temporaries_are_swept_once_and_only_then(tmp_path: Path) -> None:
    """A build that was killed while staging leaves its marker: the next sweeps every
    temporary it may have left, in any folder; a build finding no marker looks through
    no folder (and a file that merely looks alike is never touched)."""
    page = tmp_path / "post" / "index.html"
    publish({page: b"<p>one</p>", tmp_path / "rss.xml": b"<rss/>"}, root=tmp_path)
    assert not (tmp_path / publish_module.STAGING).exists()  # gone after a build
    left = [tmp_path / "post" / ".index.html.k3j_x9ab.tmp",
            tmp_path / ".rss.xml.replaced.tmp"]
    for path in left:
        path.write_bytes(b"half")
    mine = tmp_path / "post" / ".notes.tmp"  # (not a name feedpub stages under)
    mine.write_bytes(b"keep me")
    publish({page: b"<p>two</p>"}, root=tmp_path)
    assert all(path.exists() for path in left)  # no marker: no sweep
    (tmp_path / publish_module.STAGING).touch()  # as a killed build leaves it
    publish({page: b"<p>three</p>"}, root=tmp_path)
    assert not any(path.exists() for path in left) and mine.read_bytes() == b"keep me"
    assert page.read_bytes() == b"<p>three</p>"
    assert not (tmp_path / publish_module.STAGING).exists()


def test_a_stopped_builds_keeper_of_a_replaced_file_is_taken_over(tmp_path: Path) -> None:
    """The second name that keeps a replaced feed's blocks until every rename is done
    (_keep_alive): one left by a stopped build is replaced, then removed."""
    rss = tmp_path / "rss.xml"
    publish({rss: b"old"})
    keeper = tmp_path / ".rss.xml.replaced.tmp"
    keeper.write_bytes(b"left by a stopped build")
    assert publish_module._keep_alive(rss) == keeper and keeper.read_bytes() == b"old"
    assert keeper.stat().st_ino == rss.stat().st_ino  # (the same file, by a second name)
    keeper.unlink()
    keeper.write_bytes(b"left by a stopped build")
    (written,) = publish({rss: b"new"})
    assert written.changed and rss.read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rss.xml"]
    assert publish_module._keep_alive(tmp_path / "atom.xml") is None  # (no file yet)


@pytest.fixture(autouse=True)
def syncfs_from_64(monkeypatch) -> None:
    """Many files are a site's pages; 70 make these tests quick."""
    monkeypatch.setattr(publish_module, "SYNCFS_FROM", 64)


def many_pages(out: Path, text: bytes, count: int = 70) -> dict[Path, bytes]:
    """More files than SYNCFS_FROM (lowered by `syncfs_from_64`), each in a folder of
    its own."""
    return {out / f"post-{i}" / "index.html": text + str(i).encode() for i in range(count)}


def test_many_files_are_made_durable_by_one_syncfs_per_file_system(tmp_path: Path,
                                                                    monkeypatch) -> None:
    from feedpub.publish import durable

    calls: list[int] = []
    fsyncs: list[int] = []
    real_fsync = os.fsync

    def syncfs(fd: int) -> int:
        calls.append(fd)
        return 0

    def counted_fsync(fd: int) -> None:
        fsyncs.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(durable, "_syncfs", lambda: syncfs)
    monkeypatch.setattr(durable.os, "fsync", counted_fsync)
    pages = many_pages(tmp_path / "public", b"page ")
    publish(pages)
    assert all(path.read_bytes() == data for path, data in pages.items())
    # once before the renames (the files' data), once after (the renames): one file system
    assert len(calls) == 2 and fsyncs == []
    assert len(pages) >= publish_module.SYNCFS_FROM


def test_a_failed_syncfs_leaves_every_old_file(tmp_path: Path, monkeypatch) -> None:
    from feedpub.publish import durable

    out = tmp_path / "public"
    old = many_pages(out, b"old ")
    publish(old)

    def failing_syncfs(fd: int) -> int:
        import ctypes

        ctypes.set_errno(5)  # EIO: a write did not reach the disk
        return -1

    monkeypatch.setattr(durable, "_syncfs", lambda: failing_syncfs)
    with pytest.raises(OutputError) as caught:
        publish(many_pages(out, b"new "))
    assert "Input/output error" in str(caught.value)
    assert all(path.read_bytes() == data for path, data in old.items())
    assert not [p for p in out.rglob("*") if p.name.endswith(".tmp")]


@pytest.mark.parametrize("where", ["not Linux", "before Linux 5.8", "refused"])
def test_without_a_syncfs_that_reports_errors_each_file_and_folder_is_fsynced(
        tmp_path: Path, monkeypatch, where: str) -> None:
    import ctypes
    import errno

    from feedpub.publish import durable

    fsyncs: list[int] = []
    real_fsync = os.fsync

    def counted_fsync(fd: int) -> None:
        fsyncs.append(fd)
        real_fsync(fd)

    def refused(fd: int) -> int:  # as a sandbox that forbids it answers
        ctypes.set_errno(errno.EPERM)
        return -1

    if where == "not Linux":
        monkeypatch.setattr(durable, "_syncfs", lambda: None)
    elif where == "before Linux 5.8":  # (its syncfs said nothing of write errors)
        monkeypatch.setattr(durable.os, "uname", lambda: os.uname_result(
            ("Linux", "host", "5.4.0-150-generic", "#1", "x86_64")))
    else:
        monkeypatch.setattr(durable, "_syncfs", lambda: refused)
    monkeypatch.setattr(durable.os, "fsync", counted_fsync)
    pages = many_pages(tmp_path / "public", b"page ")
    publish(pages)
    assert len(fsyncs) == 2 * len(pages)  # each file, then each folder after the renames
    assert all(path.read_bytes() == data for path, data in pages.items())


def test_files_behind_another_mount_are_fsynced(tmp_path: Path, monkeypatch) -> None:
    from feedpub.publish import durable

    calls: list[int] = []
    fsyncs: list[int] = []
    real_fsync, real_stat = os.fsync, os.stat
    pages = many_pages(tmp_path / "public", b"page ")
    mounted = next(iter(pages)).parent

    def stat(path, *args, **kwargs):  # one page's folder is on another file system
        result = real_stat(path, *args, **kwargs)
        if Path(path) == mounted:
            values = list(result)
            values[2] += 1  # st_dev
            return os.stat_result(values)
        return result

    def counted_fsync(fd: int) -> None:
        fsyncs.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(durable, "_syncfs", lambda: lambda fd: calls.append(fd) or 0)
    monkeypatch.setattr(durable.os, "stat", stat)
    monkeypatch.setattr(durable.os, "fsync", counted_fsync)
    publish(pages)
    assert calls == [] and len(fsyncs) == 2 * len(pages)
