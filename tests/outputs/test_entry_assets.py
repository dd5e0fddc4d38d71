"""Files beside an entry that its page links to are copied to where the rendered links
point ([site] pages: render/assets.py); `check` and `build` warn about one that is
not there."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from lxml import html

from feedpub.build import build_and_publish
from feedpub.config import load_config
from tests.conftest import BASE_CONFIG, NOW, entry, run_cli, write_site

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


def settled() -> None:
    """Let the files just written settle: a build trusts a file only once its times are
    a few clock ticks old (else it is "racy": publish/cache/state.py), and only then
    takes its no-change shortcut on a rebuild."""
    time.sleep(0.15)


def test_the_no_change_shortcut_still_sees_the_files_beside_entries(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a.md": entry("A", body="![A map](map.png) ![B](b.png)")},
                       {"map.png": PNG})
    entries = tmp_path / "entries"
    settled()
    first = run_cli(tmp_path, "build")
    assert "links to 'b.png'" in first.output  # not there yet
    settled()
    state = (tmp_path / ".feedpub-cache").glob("feedpub.state*")
    stamps = {p: p.stat().st_mtime_ns for p in state}
    assert run_cli(tmp_path, "build").exit_code == 0
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps  # the shortcut: no new state
    copy = config.output_dir / "a" / "map.png"
    # An edited file is copied again...
    (entries / "map.png").write_bytes(PNG + b" redrawn")
    settled()
    assert run_cli(tmp_path, "build").exit_code == 0
    assert copy.read_bytes() == PNG + b" redrawn"
    # ...a file that was missing is copied once it is there (and no longer said)...
    (entries / "b.png").write_bytes(PNG)
    settled()
    third = run_cli(tmp_path, "build")
    assert (config.output_dir / "a" / "b.png").read_bytes() == PNG
    assert "links to" not in third.output
    # ...and one taken away takes its copy with it.
    (entries / "map.png").unlink()
    settled()
    fourth = run_cli(tmp_path, "build")
    assert "links to 'map.png'" in fourth.output and not copy.exists()


def test_build_check_sees_the_files_beside_entries(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": entry("A", body="![A map](map.png)")}, {"map.png": PNG})
    assert run_cli(tmp_path, "build").exit_code == 0
    assert run_cli(tmp_path, "build", "--check").exit_code == 0  # up to date
    # A fresh clone: no cache, the output folder as committed, the file changed since.
    shutil.rmtree(tmp_path / ".feedpub-cache")
    (tmp_path / "entries" / "map.png").write_bytes(PNG + b" redrawn")
    result = run_cli(tmp_path, "build", "--check")
    assert result.exit_code == 1
    assert "would copy public/a/map.png" in result.output
    assert (tmp_path / "public" / "a" / "map.png").read_bytes() == PNG  # nothing written


def test_a_site_under_an_encoded_path_copies_to_the_right_folder(tmp_path: Path) -> None:
    path = write_site(tmp_path, {"post.md": entry("Post", body="![A map](map.png)")},
                      config=BASE_CONFIG.replace("https://example.org/blog/",
                                                 "https://example.org/caf%C3%A9 bar/"),
                      extra=PAGES)
    (tmp_path / "entries" / "map.png").write_bytes(PNG)
    config = load_config(path)
    build_and_publish(config, now=NOW)
    assert (config.output_dir / "post" / "map.png").read_bytes() == PNG
    image = html.document_fromstring((config.output_dir / "post" / "index.html")
                                     .read_bytes()).find(".//article//img")
    assert image.get("src") == "https://example.org/caf%C3%A9%20bar/post/map.png"


def test_two_entries_files_for_one_place_are_a_warning(tmp_path: Path) -> None:
    config = make_site(tmp_path, {
        "a/one.md": entry("One", "2024-01-01T10:00:00Z", body="![One](photo.jpg)"),
        "b/two.md": entry("Two", "2024-01-02T10:00:00Z", body="![Two](photo.jpg)")},
        {"a/photo.jpg": b"one", "b/photo.jpg": b"two"})
    config = load_config(write_site(tmp_path, {}, extra='permalink = "{year}/{name}.html"\n'
                                    + "\n" + PAGES))
    result, _ = build_and_publish(config, now=NOW)
    assert (config.output_dir / "2024" / "photo.jpg").read_bytes() == b"two"  # the newer
    assert [(w.path, w.message) for w in result.warnings if "links to" in w.message] == [
        ("entries/a/one.md", "links to 'photo.jpg', which would be copied to "
         "public/2024/photo.jpg, where entries/b/two.md's entries/b/photo.jpg goes: it is "
         "not copied")]


def test_no_entry_source_or_hidden_file_is_copied(tmp_path: Path) -> None:
    config = make_site(tmp_path, {
        "a.md": entry("A", body="[d](secret.mkdn) [e](.env.txt) [f](sub/.hidden/x.txt)"),
        "secret.mkdn": entry("A draft", draft="true")},
        {".env.txt": b"KEY=1", "sub/.hidden/x.txt": b"x"})
    result, _ = build_and_publish(config, now=NOW)
    assert sorted(p.name for p in (config.output_dir / "a").iterdir()) == ["index.html"]
    assert not [w for w in result.warnings if "links to" in w.message]


def test_a_link_to_another_entrys_page_is_no_file(tmp_path: Path) -> None:
    config = make_site(tmp_path, {
        "release-1.2.md": entry("Release 1.2", "2024-01-01T10:00:00Z"),
        "next.md": entry("Next", "2024-01-02T10:00:00Z", body="After [1.2](../release-1.2).")},
        {})
    result, _ = build_and_publish(config, now=NOW)
    assert (config.output_dir / "release-1.2" / "index.html").is_file()
    assert not [w for w in result.warnings if "links to" in w.message]
    assert "links to" not in run_cli(tmp_path, "check").output


def test_the_build_says_how_many_files_it_copied(tmp_path: Path) -> None:
    make_site(tmp_path, {"a.md": entry("A", body="![A](map.png) ![B](b/c.png)")},
              {"map.png": PNG, "b/c.png": PNG})
    result = run_cli(tmp_path, "build")
    assert "wrote 2 files the entry pages link to under public/ (2 of 2 files changed)" \
        in result.output
    assert "more feeds" not in result.output
    again = run_cli(tmp_path, "build")  # (nothing to do: said from the last build's record)
    assert "unchanged 2 files the entry pages link to under public/ (0 of 2 files " \
           "changed)" in again.output
    assert "more feeds" not in again.output


def test_every_image_of_a_srcset_and_a_videos_poster_are_copied(tmp_path: Path) -> None:
    body = ('<picture><source srcset="wide.webp 2x, narrow.webp 1x">'
            '<img src="small.png" srcset="big.png 2x" alt="A"></picture>\n\n'
            '<video src="clip.mp4" poster="poster.jpg" controls></video>\n')
    names = ["big.png", "clip.mp4", "narrow.webp", "poster.jpg", "small.png", "wide.webp"]
    config = make_site(tmp_path, {"a.md": entry("A", body=body)},
                       {name: name.encode() for name in names})
    result, _ = build_and_publish(config, now=NOW)
    copied = sorted(p.name for p in (config.output_dir / "a").iterdir())
    assert copied == sorted([*names, "index.html"])
    assert not [w for w in result.warnings if "links to" in w.message]


def test_a_link_to_a_page_the_build_does_not_make_is_a_warning(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "draft.md": entry("Draft", "2024-01-01T10:00:00Z", draft="true"),
        "later.md": entry("Later", "2031-01-01T10:00:00Z"),
        "here.md": entry("Here", "2024-01-02T10:00:00Z"),
        "a.md": entry("A", "2024-01-03T10:00:00Z",
                      body="[d](../draft/) [l](../later/) [h](../here/) [x](../nothere)")},
        {})
    expected = ["entries/a.md: warning: has 3 links to pages this build does not make "
                "('../draft/', '../later/', '../nothere'): broken on the site"]
    for command in ("build", "check"):
        said = [line for line in run_cli(tmp_path, command).output.splitlines()
                if "this build does not make" in line]
        assert said == expected, command
    one = make_site(tmp_path / "one", {"b.md": entry("B", body="[x](../gone/)")}, {})
    result, _ = build_and_publish(one, now=NOW)
    assert [w.message for w in result.warnings if "does not make" in w.message] == [
        "links to '../gone/', a page this build does not make: broken on the site"]


def test_links_to_the_front_page_and_to_an_extensionless_file_are_fine(tmp_path: Path) -> None:
    config = make_site(tmp_path, {"a.md": entry("A", body="[home](../index.html) "
                                                "[licence](LICENSE) [home too](../)")},
                       {"LICENSE": b"MIT"})
    result, _ = build_and_publish(config, now=NOW)
    assert (config.output_dir / "a" / "LICENSE").read_bytes() == b"MIT"  # a file: copied
    assert not [w for w in result.warnings if "links to" in w.message or "has " in w.message]
    assert "links to" not in run_cli(tmp_path, "check").output


def test_a_drafts_links_are_judged_once_it_is_published(tmp_path: Path) -> None:
    make_site(tmp_path, {
        "d1.md": entry("Draft one", "2024-01-01T10:00:00Z", draft="true",
                       body="[next](../d2/) ![m](missing.png)"),
        "d2.md": entry("Draft two", "2024-01-02T10:00:00Z", draft="true"),
        "p.md": entry("Published", "2024-01-03T10:00:00Z")}, {})
    assert "links to" not in run_cli(tmp_path, "check").output
    drafts = run_cli(tmp_path, "build", "--drafts")
    assert "../d2/" not in drafts.output  # a page of that build
    assert "links to 'missing.png'" in drafts.output
