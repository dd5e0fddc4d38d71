"""The archive's pages made one at a time (feedpub/pages.py) and staged as they come
(publish/write.Publisher), by this process and a forked child; pages a rebuild
finds as the last build left them are not made again (publish/cache/pages.py)."""

from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest

import feedpub.pages as pages_module
from feedpub.base.problems import OutputError
from feedpub.build import build, build_and_publish
from feedpub.config import load_config
from feedpub.publish.write import Publisher
from feedpub.runtime import parallel
from tests.conftest import NOW, entry, write_site
from tests.publish.test_cache import _count_renders, age

ARCHIVE = "limit = 2\n\n[archive]\nenabled = true\npage_size = 3\n"
SITE_PAGES = "\n[site]\npages = true\n"  # and each entry's page


def posts(first: int, last: int) -> dict[str, str]:
    return {f"p{n:02d}.md": entry(f"Post {n}", f"2021-01-{n:02d}T10:00:00Z", tags="[news]")
            for n in range(first, last + 1)}


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """The entries rendered, in this process (no child: every page is counted)."""
    monkeypatch.setattr(pages_module, "MIN_TO_SHARE", 10**9)
    return _count_renders(monkeypatch)


def warm_site(tmp_path: Path, site: str = ""):
    config = load_config(write_site(tmp_path, posts(1, 10), extra=ARCHIVE + site))
    age(tmp_path)
    build_and_publish(config, now=NOW)
    build_and_publish(config, now=NOW)  # (unchanged: nothing made)
    return config


def test_a_rebuild_makes_only_the_pages_that_changed(tmp_path: Path, renders) -> None:
    config = warm_site(tmp_path)
    before = {p: os.stat(p).st_mtime_ns for p in (config.output_dir / "archive").rglob("*.*")}
    (tmp_path / "entries" / "p11.md").write_text(entry("Post 11", "2021-01-11T10:00:00Z"))
    time.sleep(0.1)  # past the cache's racy window
    renders.clear()
    result, written = build_and_publish(config, now=NOW)
    # pages 1-3 full (posts 1-9), page 4 open (10, 11): only page 4 is made; the main
    # feed's two newest are rendered once, for it and for page 4
    assert sorted(renders) == ["p10.md", "p11.md"]
    assert sorted(str(p.relative_to(config.output_dir)) for p in result.streamed.kept) == [
        f"archive/{n}/{name}" for n in (1, 2, 3) for name in ("atom.xml", "feed.json",
                                                              "rss.xml")]
    for path, mtime in before.items():
        if "/archive/4/" not in str(path):
            assert os.stat(path).st_mtime_ns == mtime, path
    changed = {w.path.relative_to(config.output_dir).as_posix() for w in written if w.changed}
    assert {"archive/4/rss.xml", "rss.xml"} <= changed
    assert not any(name.startswith(("archive/1/", "archive/2/", "archive/3/"))
                   for name in changed)
    # and the bytes are those a build from nothing gives
    fresh = {p.relative_to(config.output_dir).as_posix(): d
             for p, d in build(config, now=NOW).outputs.items()}
    assert files(config.output_dir) == fresh


def test_an_edited_old_entry_makes_its_page_again(tmp_path: Path, renders) -> None:
    config = warm_site(tmp_path)
    (tmp_path / "entries" / "p02.md").write_text(entry("Post 2, corrected",
                                                       "2021-01-02T10:00:00Z"))
    time.sleep(0.1)
    renders.clear()
    build_and_publish(config, now=NOW)
    # page 1 only, and the main feed's two (no fragment cache yet: this rebuild saves it)
    assert sorted(renders) == ["p01.md", "p02.md", "p03.md", "p09.md", "p10.md"]
    assert b"Post 2, corrected" in (config.output_dir / "archive" / "1" / "atom.xml").read_bytes()


def test_with_pages_an_edited_old_entry_is_rendered_once_for_both(tmp_path: Path,
                                                                  renders) -> None:
    config = warm_site(tmp_path, SITE_PAGES)
    pages = {p: os.stat(p).st_mtime_ns for p in config.output_dir.glob("p*/index.html")}
    assert len(pages) == 10
    (tmp_path / "entries" / "p02.md").write_text(entry("Post 2, corrected",
                                                       "2021-01-02T10:00:00Z"))
    time.sleep(0.1)
    renders.clear()
    build_and_publish(config, now=NOW)
    # as without pages, the entry's page made with its archive page, not apart (the
    # front page renders its newest two once more, for their summaries)
    assert sorted(renders) == ["p01.md", "p02.md", "p03.md", "p09.md", "p09.md",
                               "p10.md", "p10.md"]
    assert b"Post 2, corrected" in (config.output_dir / "p02" / "index.html").read_bytes()
    assert {p: t for p, t in pages.items() if p.parent.name != "p02"} == {
        p: os.stat(p).st_mtime_ns for p in pages if p.parent.name != "p02"}
    fresh = {p.relative_to(config.output_dir).as_posix(): d
             for p, d in build(config, now=NOW).outputs.items()}
    assert files(config.output_dir) == fresh


def test_a_page_changed_on_disk_is_made_again(tmp_path: Path, renders) -> None:
    config = warm_site(tmp_path)
    page = config.output_dir / "archive" / "2" / "rss.xml"
    good = page.read_bytes()
    page.write_bytes(b"<rss/>")
    (tmp_path / "entries" / "p11.md").write_text(entry("Post 11", "2021-01-11T10:00:00Z"))
    time.sleep(0.1)
    renders.clear()
    build_and_publish(config, now=NOW)
    assert page.read_bytes() == good
    assert {"p04.md", "p05.md", "p06.md"} <= set(renders)


@pytest.mark.parametrize("site", ["", SITE_PAGES], ids=["feeds", "with pages"])
def test_pages_made_by_a_child_are_the_pages_made_here(tmp_path: Path, monkeypatch,
                                                       site: str) -> None:
    config = load_config(write_site(tmp_path, posts(1, 28), extra=ARCHIVE + site))
    monkeypatch.setattr(pages_module, "MIN_TO_SHARE", 1)  # a child even for a few pages
    _, written = build_and_publish(config, now=NOW)
    in_memory = {p.relative_to(config.output_dir).as_posix(): d
                 for p, d in build(config, now=NOW).outputs.items()}
    assert files(config.output_dir) == in_memory
    assert len([w for w in written if "archive" in w.path.parts]) == 10 * 3
    leftovers = [p for p in config.output_dir.rglob("*.tmp")]
    assert leftovers == []


def test_a_build_keeps_no_page_in_memory_with_a_sink(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, posts(1, 10), extra=ARCHIVE))
    staged: list[list[Path]] = []

    class Recording(Publisher):
        def stage(self, outputs):
            staged.append(sorted(p.relative_to(config.output_dir).as_posix()
                                 for p in outputs))
            return super().stage(outputs)

    with Recording(config.output_dir) as publisher:
        result = build(config, now=NOW, sink=publisher)
        publisher.add(result.outputs)
        publisher.commit()
    assert not any("archive" in p.parts for p in result.outputs)  # only the feeds
    assert staged[:4] == [[f"archive/{n}/atom.xml", f"archive/{n}/feed.json",
                           f"archive/{n}/rss.xml"] for n in (1, 2, 3, 4)]  # one at a time
    assert (config.output_dir / "archive" / "4" / "rss.xml").is_file()


def test_a_failure_while_pages_are_staged_leaves_nothing_behind(tmp_path: Path,
                                                                monkeypatch) -> None:
    config = load_config(write_site(tmp_path, posts(1, 10), extra=ARCHIVE))
    build_and_publish(config, now=NOW)
    before = files(config.output_dir)
    (tmp_path / "entries" / "p01.md").write_text(entry("Post 1 again", "2021-01-01T10:00:00Z"))
    (tmp_path / "entries" / "p11.md").write_text(entry("Post 11", "2021-01-11T10:00:00Z"))
    real, calls = Publisher.stage, []

    def failing(self, outputs):
        calls.append(1)
        if len(calls) == 2:  # the second page
            raise OSError(28, "No space left on device", str(next(iter(outputs))))
        return real(self, outputs)

    monkeypatch.setattr(Publisher, "stage", failing)
    monkeypatch.setattr(pages_module, "MIN_TO_SHARE", 10**9)
    with pytest.raises(OutputError, match="No space left on device"):
        build_and_publish(config, now=NOW)
    assert files(config.output_dir) == before  # the first page's staged files are gone too


def test_a_new_entry_rewrites_the_main_feeds_its_tags_and_the_open_page(tmp_path: Path) -> None:
    entries = {f"p{n:02d}.md": entry(f"Post {n}", f"2021-01-{n:02d}T10:00:00Z",
                                     tags="[even]" if n % 2 == 0 else "[odd]")
               for n in range(1, 11)}
    config = load_config(write_site(tmp_path, entries, extra="tag_feeds = true\n" + ARCHIVE))
    age(tmp_path)
    build_and_publish(config, now=NOW)
    (tmp_path / "entries" / "p11.md").write_text(entry("Post 11", "2021-01-11T10:00:00Z",
                                                       tags="[odd]"))
    time.sleep(0.1)
    _, written = build_and_publish(config, now=NOW)
    changed = sorted(w.path.relative_to(config.output_dir).as_posix()
                     for w in written if w.changed)
    formats = ("atom.xml", "feed.json", "rss.xml")
    assert changed == sorted([*formats, *(f"archive/4/{f}" for f in formats),
                              *(f"tags/odd/{f}" for f in formats)])


def test_a_child_that_fails_after_staging_leaves_no_temporary(tmp_path: Path,
                                                              monkeypatch) -> None:
    """The child stages pages, then cannot send back which (here: pickle fails in it);
    the parent makes them again, and throws the child's files away."""
    config = load_config(write_site(tmp_path, posts(1, 28), extra=ARCHIVE + SITE_PAGES))
    monkeypatch.setattr(pages_module, "MIN_TO_SHARE", 1)
    parent = os.getpid()
    real = pickle.dump

    def dump(*args, **kwargs):
        if os.getpid() != parent:
            raise pickle.PicklingError("lost on the way back")
        return real(*args, **kwargs)

    monkeypatch.setattr(parallel.pickle, "dump", dump)
    build_and_publish(config, now=NOW)
    assert [p.name for p in config.output_dir.rglob("*.tmp")] == []
    fresh = {p.relative_to(config.output_dir).as_posix(): d
             for p, d in build(config, now=NOW).outputs.items()}
    assert files(config.output_dir) == fresh
