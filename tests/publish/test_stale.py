"""Files the last build wrote and this one no longer makes (a tag gone, tag feeds or
a format turned off, fewer archive pages) are removed, with their emptied folders;
only those, only as feedpub left them, and only inside the output folder."""

from __future__ import annotations

import os
from pathlib import Path

from feedpub.build import build_and_publish
from feedpub.config import load_config
from feedpub.publish.write import publish
from tests.conftest import NOW, entry, run_cli, write_site

TAGGED = {"a.md": entry("A", "2021-05-01T10:00:00Z", tags="[news, old]"),
          "b.md": entry("B", "2021-05-02T10:00:00Z", tags="[news]")}


def files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def test_a_tag_that_is_gone_loses_its_feeds_and_folder(tmp_path: Path) -> None:
    write_site(tmp_path, TAGGED, extra="tag_feeds = true\n")
    assert run_cli(tmp_path, "build").exit_code == 0
    assert "tags/old/rss.xml" in files(tmp_path / "public")
    (tmp_path / "entries" / "a.md").write_text(entry("A", "2021-05-01T10:00:00Z",
                                                      tags="[news]"), encoding="utf-8")
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert files(tmp_path / "public") == [
        "atom.xml", "feed.json", "rss.xml", "tags/news/atom.xml", "tags/news/feed.json",
        "tags/news/rss.xml"]
    assert not (tmp_path / "public" / "tags" / "old").exists()
    assert "removed 3 files the last build wrote and this one no longer makes (such as " \
        "public/tags/old/atom.xml)" in result.output


def test_turning_tag_feeds_and_a_format_off_removes_their_files(tmp_path: Path) -> None:
    write_site(tmp_path, TAGGED, extra="tag_feeds = true\n")
    assert run_cli(tmp_path, "build").exit_code == 0
    write_site(tmp_path, TAGGED, extra='formats = ["rss", "atom"]\n')
    result = run_cli(tmp_path, "build", "--no-cache")  # the record of outputs still counts
    assert result.exit_code == 0, result.output
    assert files(tmp_path / "public") == ["atom.xml", "rss.xml"]
    assert not (tmp_path / "public" / "tags").exists()
    assert "wrote public/feed.json" not in result.output  # removed is not "wrote"


def test_fewer_archive_pages_leave_none_behind(tmp_path: Path) -> None:
    posts = {f"p{n}.md": entry(f"P{n}", f"2021-05-{n:02d}T10:00:00Z") for n in range(1, 8)}
    extra = "limit = 2\n\n[archive]\nenabled = true\npage_size = 2\n"
    config = load_config(write_site(tmp_path, posts, extra=extra))
    build_and_publish(config, now=NOW)
    assert "archive/4/rss.xml" in files(config.output_dir)
    for n in (5, 6, 7):
        (tmp_path / "entries" / f"p{n}.md").unlink()
    _, written = build_and_publish(config, now=NOW)
    assert [f for f in files(config.output_dir) if f.startswith("archive/")] == [
        f"archive/{n}/{name}" for n in (1, 2, 3) for name in ("atom.xml", "feed.json",
                                                              "rss.xml")]
    assert sorted(w.path.relative_to(config.output_dir).as_posix()
                  for w in written if w.removed) == [
        "archive/4/atom.xml", "archive/4/feed.json", "archive/4/rss.xml"]


def test_a_stale_file_changed_since_is_kept_with_a_warning(tmp_path: Path) -> None:
    write_site(tmp_path, TAGGED, extra="tag_feeds = true\n")
    assert run_cli(tmp_path, "build").exit_code == 0
    mine = tmp_path / "public" / "tags" / "old" / "rss.xml"
    mine.write_text("my own edits", encoding="utf-8")
    write_site(tmp_path, TAGGED)  # tag feeds off
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert mine.read_text(encoding="utf-8") == "my own edits"
    assert "public/tags/old/rss.xml: warning: no longer built, but changed since feedpub " \
        "wrote it: left in place" in result.output
    assert not (tmp_path / "public" / "tags" / "news").exists()  # the others went


def test_files_feedpub_did_not_write_are_never_removed(tmp_path: Path) -> None:
    write_site(tmp_path, TAGGED, extra="tag_feeds = true\n")
    public = tmp_path / "public"
    (public / "tags" / "news").mkdir(parents=True)
    (public / "index.html").write_text("home", encoding="utf-8")
    (public / "tags" / "news" / "index.html").write_text("tag page", encoding="utf-8")
    assert run_cli(tmp_path, "build").exit_code == 0
    write_site(tmp_path, TAGGED)
    assert run_cli(tmp_path, "build").exit_code == 0
    assert files(public) == ["atom.xml", "feed.json", "index.html", "rss.xml",
                             "tags/news/index.html"]


def test_nothing_outside_the_output_folder_or_behind_a_link_is_removed(tmp_path: Path) -> None:
    root, outside = tmp_path / "public", tmp_path / "elsewhere"
    root.mkdir()
    outside.mkdir()
    victim = outside / "rss.xml"
    victim.write_text("keep", encoding="utf-8")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    info = victim.stat()
    record = (info.st_size, info.st_mtime_ns)
    stale = {victim: record, root / "linked" / "rss.xml": record,
             root / ".." / "elsewhere" / "rss.xml": record}
    written = publish({root / "rss.xml": b"new"}, stale=stale, root=root)
    assert victim.read_text(encoding="utf-8") == "keep"
    assert not any(w.removed for w in written)


def test_removed_feeds_are_not_pinged(tmp_path: Path) -> None:
    from tests.publish.test_ping import Hub

    hub = Hub()
    table = f'\n[websub]\nhubs = ["{hub.url}"]\n'
    try:
        write_site(tmp_path, TAGGED, extra="tag_feeds = true\n" + table)
        assert run_cli(tmp_path, "build").exit_code == 0
        write_site(tmp_path, TAGGED, extra='tag_feeds = true\nformats = ["rss"]\n' + table)
        hub.pings.clear()
        result = run_cli(tmp_path, "build", "--ping")
    finally:
        hub.close()
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "public" / "atom.xml").exists()
    assert hub.pings == []  # the RSS files did not change; removed files are not pinged
    assert "ping: no feed changed: no hub told" in result.output
    assert os.path.exists(tmp_path / "public" / "tags" / "old" / "rss.xml")


def test_a_build_elsewhere_in_between_removes_nothing(tmp_path: Path) -> None:
    """A preview built into public/preview/ with another --url is not this site's
    stale output: the next plain build leaves it alone."""
    write_site(tmp_path, TAGGED, extra="tag_feeds = true\n")
    preview = run_cli(tmp_path, "build", "--output", "public/preview", "--url",
                      "https://preview.example.org/")
    assert preview.exit_code == 0, preview.output
    result = run_cli(tmp_path, "build")
    assert result.exit_code == 0, result.output
    assert "removed" not in result.output
    assert (tmp_path / "public" / "preview" / "tags" / "old" / "rss.xml").is_file()
