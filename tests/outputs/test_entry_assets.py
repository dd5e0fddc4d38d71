"""Files beside an entry that its page links to are copied to where the rendered links
point ([site] pages: render/assets.py); `check` and `build` warn about one that is
not there."""

from __future__ import annotations

import os
from pathlib import Path

from lxml import html

from feedpub.build import build_and_publish
from feedpub.config import load_config
from tests.conftest import NOW, entry, run_cli, write_site

PAGES = "[site]\npages = true\n"
PNG = b"\x89PNG\r\n\x1a\n fake image"


def make_site(root: Path, entries: dict[str, str], files: dict[str, bytes]):
    path = write_site(root, entries, extra=PAGES)
    for name, data in files.items():
        (root / "entries" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "entries" / name).write_bytes(data)
    return load_config(path)


def test_a_file_beside_a_post_goes_where_its_link_points(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a.md": entry("A", body="![A map](map.png) [data](d/x.csv)")},
                       {"map.png": PNG, "d/x.csv": b"a,b\n"})
    result, _ = build_and_publish(config, now=NOW)
    out = config.output_dir
    page = html.document_fromstring((out / "a" / "index.html").read_bytes())
    src = page.find(".//article//img").get("src")
    assert src == "https://example.org/blog/a/map.png"
    assert (out / src.removeprefix(config.url)).read_bytes() == PNG  # the link resolves
    href = page.find(".//article//a").get("href")
    assert (out / href.removeprefix(config.url)).read_bytes() == b"a,b\n"
    assert not [w for w in result.warnings if "links to" in w.message]


def test_a_page_bundles_files_go_beside_its_page(tmp_path: Path) -> None:
    config = make_site(tmp_path, {
        "trip/index.md": entry("Trip", body="![Sea](photo.jpg)\n\n![Map](img/route.png)")},
        {"trip/photo.jpg": b"jpeg", "trip/img/route.png": PNG, "trip/unused.txt": b"no"})
    build_and_publish(config, now=NOW)
    out = config.output_dir
    assert sorted(p.relative_to(out / "trip").as_posix()
                  for p in (out / "trip").rglob("*") if p.is_file()) == [
        "img/route.png", "index.html", "photo.jpg"]  # only what the page links to


def test_a_missing_file_is_a_warning_in_check_and_build(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": entry("A", body="![A map](maps/map.png)")}, {})
    expected = ("entries/a.md: warning: links to 'maps/map.png', but entries/maps/map.png "
                "is not there: the link on the entry's page is broken")
    checked = run_cli(tmp_path, "check")
    assert expected in checked.output
    built = run_cli(tmp_path, "build")
    assert built.exit_code == 0, built.output
    assert expected in built.output
    assert not (tmp_path / "public" / "a" / "maps").exists()


def test_no_file_outside_the_entries_folder_is_copied(tmp_path: Path) -> None:
    (tmp_path / "secret.txt").write_text("not for the web")
    config = make_site(tmp_path, {
        "a.md": entry("A", body="[s](../secret.txt) [l](linked.txt) [b](../../etc/passwd)")},
        {})
    (tmp_path / "entries" / "linked.txt").symlink_to(tmp_path / "secret.txt")
    build_and_publish(config, now=NOW)
    copied = [p for p in config.output_dir.rglob("*.txt")]
    assert copied == []
    assert not (tmp_path / "public" / "secret.txt").exists()


def test_a_file_is_copied_again_when_it_changes_and_only_then(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a.md": entry("A", body="![A map](map.png)")},
                       {"map.png": PNG})
    build_and_publish(config, now=NOW)
    copy = config.output_dir / "a" / "map.png"
    page = config.output_dir / "a" / "index.html"
    _, written = build_and_publish(config, now=NOW)  # nothing changed
    assert not [w for w in written if w.changed]
    (tmp_path / "entries" / "map.png").write_bytes(PNG + b" redrawn")
    os.utime(tmp_path / "entries" / "map.png", ns=(2_000_000_000, 2_000_000_000))
    page_time = page.stat().st_mtime_ns
    _, written = build_and_publish(config, now=NOW)
    assert [w.path for w in written if w.changed] == [copy]  # the page was kept
    assert copy.read_bytes() == PNG + b" redrawn" and page.stat().st_mtime_ns == page_time
    # The entry gone, its file goes with its page.
    (tmp_path / "entries" / "a.md").unlink()
    (tmp_path / "entries" / "b.md").write_text(entry("B"))
    build_and_publish(config, now=NOW)
    assert not copy.exists() and not (config.output_dir / "a").exists()


def test_a_file_that_would_replace_a_feed_is_not_copied(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a/index.md": entry("A", body="[raw](../feed.json)")},
                       {"feed.json": b"{}"})
    result, _ = build_and_publish(config, now=NOW)
    assert b'"version"' in (config.output_dir / "feed.json").read_bytes()
    assert [w.message for w in result.warnings if "links to" in w.message] == [
        "links to '../feed.json', which would be copied to public/feed.json, a file the "
        "build makes: it is not copied"]


def test_no_files_are_copied_with_pages_off(tmp_path: Path) -> None:
    path = write_site(tmp_path, {"a.md": entry("A", body="![A map](map.png)")})
    (tmp_path / "entries" / "map.png").write_bytes(PNG)
    build_and_publish(load_config(path), now=NOW)
    assert sorted(p.name for p in (tmp_path / "public").iterdir()) == [
        "atom.xml", "feed.json", "rss.xml"]
    assert "links to" not in run_cli(tmp_path, "check").output
