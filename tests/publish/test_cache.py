"""The build cache: a shortcut when nothing changed, never a source of stale feeds."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from feedpub.cli import cli
from feedpub.publish import cache

from ..conftest import entry, write_site

EPOCH = "1893456000"  # 2030-01-01
OLD = 1_600_000_000  # mtimes well in the past: not "racy"


def age(root: Path) -> None:
    """Old modification times; the change times (ctime, which cannot be set) are now,
    so wait past the racy window (50 ms on file systems with sub-second times)."""
    for path in [*root.rglob("*.md"), root / "feedpub.toml"]:
        os.utime(path, (OLD, OLD))
    time.sleep(2 * cache.RACY_FINE_NS / 1e9)


def run(root: Path, *args: str, epoch: str = EPOCH):
    old = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, ["build", *args], env={"SOURCE_DATE_EPOCH": epoch})
    finally:
        os.chdir(old)


def outputs(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in (root / "public").iterdir()}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_site(tmp_path, {"a.md": entry("A"), "b.md": entry("B", "2021-05-12", tittle="x"),
                          "later.md": entry("Later", "2031-01-01")})
    age(tmp_path)
    assert run(tmp_path).exit_code == 0
    return tmp_path


def test_no_change_rebuild_reads_nothing_and_loads_no_pipeline(site: Path) -> None:
    code = ("import sys\nfrom feedpub.cli import cli\ntry:\n    cli(['build'])\n"
            "except SystemExit:\n    pass\n"
            "heavy = {'feedgen', 'lxml', 'cmarkgfm', 'nh3', 'yaml', 'frontmatter'}\n"
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=site, capture_output=True,
                          text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})
    assert proc.returncode == 0, proc.stderr
    counts = "(2 of 3 entries; left out: 1 dated in the future \u2014 see feedpub check)"
    assert proc.stdout.splitlines() == [f"unchanged public/rss.xml {counts}",
                                        f"unchanged public/atom.xml {counts}",
                                        f"unchanged public/feed.json {counts}", "[]"]
    assert "unknown key 'tittle'" in proc.stderr  # the warnings are shown again


def test_edits_config_changes_and_upgrades_rebuild(site: Path, monkeypatch) -> None:
    before = outputs(site)
    (site / "entries" / "a.md").write_text(entry("A edited"))
    age(site)  # same old mtime: only the size differs
    assert run(site).stdout.startswith("wrote public/rss.xml")
    assert b"A edited" in outputs(site)["rss.xml"]
    with open(site / "feedpub.toml", "a") as handle:
        handle.write('limit = 1\n')
    age(site)
    assert run(site).stdout.startswith("wrote public/rss.xml")
    assert outputs(site)["rss.xml"] != before["rss.xml"]
    assert run(site).stdout.startswith("unchanged")
    monkeypatch.setattr("feedpub.publish.cache.state.__version__", "99.0")
    result = run(site)
    assert result.exit_code == 0 and "unchanged" in result.stdout  # rebuilt, same bytes
    assert json.loads((site / ".feedpub-cache" / "feedpub.state.json").read_text())["key"] == \
        cache.key(__import__("feedpub.config.load").config.load.load_config(site / "feedpub.toml"),
                  False, False)


def test_added_and_removed_entries_rebuild(site: Path) -> None:
    (site / "entries" / "c.md").write_text(entry("C", "2021-05-20"))
    age(site)
    assert "(3 of 4 entries;" in run(site).stdout
    (site / "entries" / "c.md").unlink()
    assert "(2 of 3 entries;" in run(site).stdout


def test_a_future_entry_falling_due_rebuilds(site: Path) -> None:
    assert "(2 of 3 entries;" in run(site).stdout
    assert "wrote public/rss.xml (3 of 3 entries)" in run(site, epoch="1956528000").stdout


def test_changed_or_missing_outputs_are_rebuilt(site: Path) -> None:
    good = outputs(site)
    (site / "public" / "atom.xml").write_bytes(b"<feed/>")
    result = run(site)
    assert "wrote public/atom.xml" in result.output and outputs(site) == good
    (site / "public" / "rss.xml").unlink()
    assert "wrote public/rss.xml" in run(site).stdout and outputs(site) == good


def test_recently_modified_files_are_never_trusted(site: Path) -> None:
    (site / "entries" / "a.md").write_text(entry("A2"))
    soon = time.time() + 3600  # modified "after" the snapshot, as a racy file is
    os.utime(site / "entries" / "a.md", (soon, soon))
    assert "wrote public/rss.xml" in run(site).stdout
    state = json.loads((site / ".feedpub-cache" / "feedpub.state.json").read_text())
    assert state["racy"] == ["a.md"]
    assert run(site).stdout.startswith("unchanged public/rss.xml")  # compared, not trusted
    assert b"A2" in outputs(site)["rss.xml"]


@pytest.mark.parametrize("garbage", [b"", b"{not json", b"[1, 2]", b'{"format": 1}',
                                     b'{"format": 1, "key": 5, "files": null}', b"\xff\xfe"])
def test_a_corrupt_cache_is_ignored_and_replaced(site: Path, garbage: bytes) -> None:
    good = outputs(site)
    state = site / ".feedpub-cache" / "feedpub.state.json"
    state.write_bytes(garbage)
    (site / "public" / "rss.xml").write_bytes(b"stale")
    result = run(site)
    assert result.exit_code == 0, result.output
    assert outputs(site) == good
    assert json.loads(state.read_text())["format"] == cache.FORMAT


def test_a_one_off_build_writes_no_entry_cache(site: Path) -> None:
    assert (site / ".feedpub-cache" / "feedpub.state.json").exists()
    assert not (site / ".feedpub-cache" / "feedpub.entries.json").exists()


def test_no_cache_flag_and_cached_builds_give_the_same_bytes(site: Path) -> None:
    cached = outputs(site)
    assert run(site).stdout.startswith("unchanged")
    result = run(site, "--no-cache")
    assert result.exit_code == 0 and outputs(site) == cached


def test_an_unwritable_cache_folder_does_not_fail_the_build(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry()})
    (tmp_path / ".feedpub-cache").write_text("a file in the way")
    result = run(tmp_path)
    assert result.exit_code == 0 and "wrote public/rss.xml" in result.output


def _count_parses(monkeypatch) -> list[str]:
    import feedpub.entries.loading as entries_module

    calls: list[str] = []
    real = entries_module.make_entry

    def counting(source, config, **options):
        calls.append(source.rel)
        return real(source, config, **options)

    monkeypatch.setattr(entries_module, "make_entry", counting)
    return calls


def test_only_changed_files_are_parsed_again(site: Path, monkeypatch) -> None:
    # The first rebuild after a cold build parses everything and keeps the entries
    # (a one-off build does not write them); later rebuilds read only what changed.
    (site / "entries" / "later.md").write_text(entry("Later on", "2031-01-02"))
    age(site)
    calls = _count_parses(monkeypatch)
    assert run(site).exit_code == 0 and sorted(calls) == ["a.md", "b.md", "later.md"]
    assert (site / ".feedpub-cache" / "feedpub.entries.json").exists()
    calls.clear()
    (site / "entries" / "a.md").write_text(entry("A edited", body="New body."))
    os.utime(site / "entries" / "a.md", (OLD + 5, OLD + 5))
    result = run(site)
    assert result.exit_code == 0 and "wrote public/rss.xml" in result.stdout
    assert calls == ["a.md"]
    assert "unknown key 'tittle'" in result.output  # b.md's warning, from the cache
    cached = outputs(site)
    assert b"New body." in cached["rss.xml"]
    calls.clear()
    assert run(site, "--no-cache").exit_code == 0
    assert sorted(calls) == ["a.md", "b.md", "later.md"]
    assert outputs(site) == cached  # the same bytes either way


def test_config_change_parses_everything_again(site: Path, monkeypatch) -> None:
    calls = _count_parses(monkeypatch)
    with open(site / "feedpub.toml", "a") as handle:
        handle.write("limit = 5\n")
    age(site)
    assert run(site).exit_code == 0
    assert sorted(calls) == ["a.md", "b.md", "later.md"]


@pytest.mark.parametrize("garbage", [b"", b"{}", b'{"format": 1, "key": "x", "files": 3}',
                                     b"\x00\x01"])
def test_a_corrupt_entry_cache_is_ignored(site: Path, monkeypatch, garbage: bytes) -> None:
    good = outputs(site)
    (site / ".feedpub-cache" / "feedpub.entries.json").write_bytes(garbage)
    (site / "public" / "rss.xml").write_bytes(b"stale")
    calls = _count_parses(monkeypatch)
    assert run(site).exit_code == 0
    assert sorted(calls) == ["a.md", "b.md", "later.md"] and outputs(site) == good


def test_two_configs_in_one_folder_keep_their_own_cache(site: Path) -> None:
    other = site / "other.toml"
    other.write_text((site / "feedpub.toml").read_text() + 'output = "public-other"\n')
    age(site)
    assert "wrote public-other/rss.xml" in run(site, "--config", str(other)).stdout
    assert run(site).stdout.startswith("unchanged public/rss.xml")
    assert run(site, "--config", str(other)).stdout.startswith("unchanged public-other")


def test_the_racy_window_follows_the_file_systems_time_resolution() -> None:
    from feedpub.content.files import pack_stat

    coarse = cache.Snapshot({"a.md": pack_stat(1, 5_000_000_000, 7, 5_000_000_000)},
                            taken_ns=10_000_000_000)
    fine = cache.Snapshot({"a.md": pack_stat(1, 5_000_000_000, 7, 5_000_000_123)},
                          taken_ns=10_000_000_000)
    assert coarse.racy_after_ns == 10_000_000_000 - cache.RACY_COARSE_NS
    assert fine.racy_after_ns == 10_000_000_000 - cache.RACY_FINE_NS


def test_a_link_pointed_elsewhere_with_the_same_size_and_times_is_seen(tmp_path: Path) -> None:
    write_site(tmp_path, {})
    store = tmp_path / "entries" / ".store"  # hidden: not entries themselves
    store.mkdir()
    one, two = store / "one.md", store / "two.md"
    one.write_text(entry("One"))
    two.write_text(entry("Two"))
    (tmp_path / "entries" / "a.md").symlink_to(one)
    age(tmp_path)
    for path in (one, two):
        os.utime(path, (OLD, OLD))
    assert run(tmp_path).exit_code == 0
    (tmp_path / "entries" / "a.md").unlink()
    (tmp_path / "entries" / "a.md").symlink_to(two)
    time.sleep(0.1)
    assert "wrote public/rss.xml" in run(tmp_path).stdout
    assert b"<title>Two</title>" in outputs(tmp_path)["rss.xml"]


def test_skip_invalid_builds_do_not_excuse_later_strict_builds(site: Path) -> None:
    (site / "entries" / "bad.md").write_text("---\ntitle: X\n---\n")
    age(site)
    assert run(site).exit_code == 1
    assert run(site, "--skip-invalid").exit_code == 0
    assert run(site).exit_code == 1  # not "unchanged"


def test_the_clock_going_back_rebuilds(site: Path) -> None:
    assert "(3 of 3 entries)" in run(site, epoch="1956528000").stdout  # later.md is due
    result = run(site, epoch="1893456000")  # back before later.md
    assert "wrote public/rss.xml (2 of 3 entries;" in result.stdout


def test_the_cache_describes_the_files_that_won_a_race(site: Path, monkeypatch) -> None:
    """A build whose outputs were overwritten by another build must not vouch for them."""
    from feedpub.publish import write as publish_module

    real = publish_module._rename_all

    def another_build_wins(staged, replaced, file_system=None):
        real(staged, replaced, file_system)
        for _, path in staged:  # as if an older build had just replaced our files
            path.write_bytes(b"<rss/>")

    (site / "entries" / "a.md").write_text(entry("A newer"))
    age(site)
    monkeypatch.setattr(publish_module, "_rename_all", another_build_wins)
    assert run(site).exit_code == 0
    monkeypatch.undo()
    state = json.loads((site / ".feedpub-cache" / "feedpub.state.json").read_text())
    rss = site / "public" / "rss.xml"
    assert state["outputs"][str(rss)][0] == rss.stat().st_size  # what is on disk now


def _count_renders(monkeypatch) -> list[str]:
    import feedpub.render.entry as render_module

    calls: list[str] = []
    real = render_module.render_entry

    def counting(entry, body=None, context=None):
        calls.append(entry.rel)
        return real(entry, body, *([context] if context else []))

    monkeypatch.setattr(render_module, "render_entry", counting)
    return calls


def _warm(site: Path) -> None:
    """A rebuild after an edit: it keeps the parsed entries and the fragments."""
    (site / "entries" / "b.md").write_text(entry("B warm", "2021-05-12", tittle="x"))
    age(site)
    assert run(site).exit_code == 0
    assert (site / ".feedpub-cache" / "feedpub.fragments").exists()


def test_only_changed_entries_are_rendered_again(site: Path, monkeypatch) -> None:
    _warm(site)
    renders = _count_renders(monkeypatch)
    (site / "entries" / "a.md").write_text(entry("A again", body="Changed body."))
    time.sleep(2 * cache.RACY_FINE_NS / 1e9)  # (touching b.md would change its ctime)
    assert "wrote public/rss.xml" in run(site).stdout
    assert renders == ["a.md"]
    cached = outputs(site)
    assert b"Changed body." in cached["rss.xml"]
    renders.clear()
    assert run(site, "--no-cache").exit_code == 0
    assert sorted(renders) == ["a.md", "b.md"]
    assert outputs(site) == cached  # fragments from the cache: the same bytes


def test_a_config_change_makes_every_fragment_again(site: Path, monkeypatch) -> None:
    _warm(site)
    with open(site / "feedpub.toml", "a") as handle:
        handle.write('content = "summary"\n')
    age(site)
    renders = _count_renders(monkeypatch)
    assert run(site).exit_code == 0
    assert sorted(renders) == ["a.md", "b.md"]
    assert b"content:encoded" not in outputs(site)["rss.xml"]


@pytest.mark.parametrize("garbage", [b"", b"\x00" * 8, b"\x00\x00\x00\x00\x00\x00\x00\x05{}abc",
                                     b"\xff" * 64])
def test_a_corrupt_fragment_cache_is_ignored(site: Path, monkeypatch, garbage: bytes) -> None:
    _warm(site)
    good = outputs(site)
    (site / ".feedpub-cache" / "feedpub.fragments").write_bytes(garbage)
    (site / "public" / "rss.xml").write_bytes(b"stale")
    renders = _count_renders(monkeypatch)
    assert run(site).exit_code == 0
    assert sorted(renders) == ["a.md", "b.md"] and outputs(site) == good
    # An unusable cache is written anew at once, however few entries were new.
    renders.clear()
    (site / "entries" / "a.md").write_text(entry("A again", body="Changed body."))
    time.sleep(2 * cache.RACY_FINE_NS / 1e9)
    assert run(site).exit_code == 0
    assert renders == ["a.md"]


def test_cached_entries_keep_what_cannot_be_derived(site: Path) -> None:
    import unicodedata

    nfd = unicodedata.normalize("NFD", "über.md")  # its path differs from its NFC name
    (site / "entries" / nfd).write_text(entry("Über", "2021-05-10", body="![i](i.png)"))
    (site / "entries" / "linked.md").write_text(entry(
        "Linked", "2021-05-09", link="https://other.example/x", body="![c](c.png)"))
    age(site)
    assert run(site).exit_code == 0  # keeps the entries (a rebuilt folder)
    (site / "entries" / "a.md").write_text(entry("A2"))
    time.sleep(2 * cache.RACY_FINE_NS / 1e9)
    assert run(site).exit_code == 0  # über.md and linked.md come from the cache
    cached = outputs(site)
    assert b"https://example.org/blog/linked/c.png" in cached["rss.xml"]
    assert run(site, "--no-cache").exit_code == 0
    assert outputs(site) == cached


def test_upgrading_a_rendering_library_renders_again(site: Path, monkeypatch) -> None:
    _warm(site)
    (site / "entries" / "a.md").write_text(entry("A again"))
    time.sleep(2 * cache.RACY_FINE_NS / 1e9)
    monkeypatch.setattr("feedpub.build.library_versions", lambda: "('cmark 99',)")
    renders = _count_renders(monkeypatch)
    assert run(site).exit_code == 0
    assert sorted(renders) == ["a.md", "b.md"]  # b.md's cached fragments no longer match


def test_a_cached_stat_matches_only_the_same_four_numbers() -> None:
    from feedpub.content.files import pack_stat, unpack_stat

    far = 11_000_000_000_000_000_123  # past 2300: more nanoseconds than 64 bits hold
    packed = pack_stat(10, far, 2**63 + 7, -3)
    assert unpack_stat(packed) == (10, far, 2**63 + 7, -3)
    snapshot = cache.Snapshot({"a.md": packed}, taken_ns=100)
    assert snapshot.same_packed("a.md", snapshot.packed("a.md"))
    for garbage in ([10.5, far, 7, -3], [-1, far, 7, -3], [2**64, far, 7, -3]):
        with pytest.raises((struct.error, TypeError)):
            pack_stat(*garbage)
    for garbage in (pack_stat(10, far, 2**63 + 7, -2).hex(), packed.hex()[:-2], "zz", "",
                    None, 42, ["a"]):
        assert not snapshot.same_packed("a.md", garbage)  # type: ignore[arg-type]
    assert not snapshot.same_packed("b.md", packed.hex())


def test_files_dated_centuries_ahead_are_cached_like_any_other(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry("A", "2021-05-13")})
    age(tmp_path)
    far = 11_000_000_000 * 1_000_000_000  # past the year 2300
    try:
        os.utime(tmp_path / "entries" / "a.md", ns=(far, far))
    except (OSError, OverflowError):
        pytest.skip("this file system cannot keep such a date")
    first = run(tmp_path)
    assert first.exit_code == 0, first.output
    again = run(tmp_path)
    assert again.exit_code == 0 and "unchanged public/rss.xml" in again.output


@pytest.mark.parametrize("change", ["deleted", "edited"])
def test_a_file_changed_just_after_a_cold_build_read_it_is_seen_next_time(
        tmp_path: Path, monkeypatch, change: str) -> None:
    # The stat a cold build records is taken before the file is read, so a change
    # made between reading and the end of the build still shows next time.
    from feedpub.entries import loading

    write_site(tmp_path, {"a.md": entry("A", "2021-05-13"), "b.md": entry("B", "2021-05-14")})
    age(tmp_path)
    real = loading.read_source
    done = []

    def then_changed(path, *args, **kwargs):
        source = real(path, *args, **kwargs)
        target = Path(path.path)
        if target.name == "b.md" and not done:
            done.append(True)
            if change == "deleted":
                target.unlink()
            else:
                target.write_text(entry("B edited", "2021-05-14"))
                os.utime(target, (OLD, OLD))  # even with its old modification time
        return source

    monkeypatch.setattr(loading, "read_source", then_changed)
    assert run(tmp_path).exit_code == 0
    assert b"<title>B</title>" in outputs(tmp_path)["rss.xml"]
    again = run(tmp_path)
    assert again.exit_code == 0 and "wrote public/rss.xml" in again.output
    rss = outputs(tmp_path)["rss.xml"]
    assert b"<title>B</title>" not in rss
    assert (b"<title>B edited</title>" in rss) == (change == "edited")


def test_build_warnings_about_content_survive_the_fragment_cache(site: Path,
                                                                 monkeypatch) -> None:
    (site / "entries" / "a.md").write_text(entry("A", body="![](map.png)"))
    warning = "entries/a.md: warning: image 'map.png' has no alt text"
    _warm(site)  # a.md rendered, and its item cached with its warning
    renders = _count_renders(monkeypatch)
    (site / "entries" / "b.md").write_text(entry("B again", "2021-05-12"))
    time.sleep(2 * cache.RACY_FINE_NS / 1e9)
    edited = run(site)
    assert renders == ["b.md"]  # a.md's item came from the cache, and so did its warning
    assert warning in edited.stderr
    assert warning in run(site).stderr  # nothing changed: the last build's warnings again
