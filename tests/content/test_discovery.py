"""Finding entry files: nothing is left out without a word.

An unreadable folder is an error naming it (a warning with --skip-invalid); a linked
folder is read when it stays inside the entries folder and refused when it leads
outside. Permission bits do not stop root, so unreadability is simulated by making
`os.scandir` fail for one folder, exactly as the operating system would.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feedpub.base.problems import InputError
from feedpub.build import build
from feedpub.config.load import load_config
from feedpub.content.files import discover

from ..conftest import NOW, entry, write_site


def unreadable(monkeypatch, *folders: Path) -> None:
    """os.scandir fails with EACCES for these folders, as after chmod 000."""
    real = os.scandir
    refused = {str(f) for f in folders}

    def scandir(path=".", *args, **kwargs):
        if str(path) in refused:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os, "scandir", scandir)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write_site(tmp_path, {"world/a.md": entry("A"), "world/b.md": entry("B", "2021-05-12"),
                          "c.md": entry("C", "2021-05-11"), "d.md": entry("D", "2021-05-10")})
    return tmp_path


def messages(exc: pytest.ExceptionInfo[InputError]) -> list[str]:
    return [str(p) for p in exc.value.problems]


def test_an_unreadable_folder_is_an_error_naming_it(site: Path, monkeypatch) -> None:
    unreadable(monkeypatch, site / "entries" / "world")
    config = load_config(site / "feedpub.toml")
    with pytest.raises(InputError) as exc:
        build(config, now=NOW)
    assert messages(exc) == [
        "entries/world/: error: cannot read the folder: Permission denied\n  hint: give the "
        "user who builds read and search permission on it (chmod u+rx), or move it out of "
        "the entries folder"]
    # With --skip-invalid the others are published, and the folder is still named.
    result = build(config, now=NOW, skip_invalid=True)
    assert result.entry_count == 2
    assert any(p.path == "entries/world/" and p.severity == "warning" for p in result.warnings)


def test_an_unreadable_entries_folder_never_gives_an_empty_feed(site: Path,
                                                                 monkeypatch) -> None:
    unreadable(monkeypatch, site / "entries")
    with pytest.raises(InputError) as exc:
        build(load_config(site / "feedpub.toml"), now=NOW)
    assert messages(exc)[0].startswith("entries/: error: cannot read the folder")


def test_a_linked_folder_inside_is_read_and_one_outside_refused(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry("A"), ".archive/old.md": entry("Old", "2020-01-01")})
    entries = tmp_path / "entries"
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.md").write_text(entry("Secret"))
    (entries / "old").symlink_to(entries / ".archive")  # stays inside: read
    (entries / "again").symlink_to(entries)  # inside, and read anyway: not twice
    (entries / "away").symlink_to(outside)  # leads outside: refused
    config = load_config(tmp_path / "feedpub.toml")
    assert [f.rel for f in discover(entries) if f.problem is None] == ["a.md", "old/old.md"]
    with pytest.raises(InputError) as exc:
        build(config, now=NOW)
    assert messages(exc) == [
        "entries/away/: error: is a link to a folder outside the entries folder; it was "
        "refused\n  hint: copy the folder into the entries folder instead of linking to it"]
    (entries / "away").unlink()
    rss = etree.fromstring(build(config, now=NOW).outputs[config.output_dir / "rss.xml"])
    assert [i.findtext("title") for i in rss.iter("item")] == ["A", "Old"]


# Each example builds a small site: a third of FEEDPUB_EXAMPLES keeps CI quick.
@settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")) // 3 or 1, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "a/x", "b/y", "c/z/w"]), min_size=1, unique=True),
       st.data())
def test_every_file_is_published_or_its_folder_named(tmp_path_factory, folders: list[str],
                                                     data: st.DataObject) -> None:
    """Whatever folders cannot be read, each file is either in the feed or under a
    folder an error names: never silently missing."""
    root = tmp_path_factory.mktemp("site")
    files = {f"{folder}/{n}.md": entry(f"{folder} {n}", f"2021-05-{10 + n:02d}")
             for folder in folders for n in range(2)}
    write_site(root, files)
    refused = data.draw(st.sets(st.sampled_from(folders)))
    entries = root / "entries"
    with pytest.MonkeyPatch.context() as monkeypatch:
        unreadable(monkeypatch, *(entries / f for f in refused))
        config = load_config(root / "feedpub.toml")
        config = config.__class__(**{**{k: getattr(config, k) for k in config.__slots__},
                                     "limit": 0})
        result = build(config, now=NOW, skip_invalid=True)
    named = {p.path for p in result.warnings if "cannot read the folder" in p.message}
    assert named == {f"entries/{f}/" for f in refused
                     if not any(f.startswith(r + "/") for r in refused)}
    rss = etree.fromstring(result.outputs[config.output_dir / "rss.xml"])
    published = {i.findtext("title") for i in rss.iter("item")}
    for name, _ in files.items():
        folder, n = name.rsplit("/", 1)
        title = f"{folder} {n.removesuffix('.md')}"
        hidden = any(folder == r or folder.startswith(r + "/") for r in refused)
        assert (title in published) != hidden, (name, refused)


@settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")) // 3 or 1, deadline=None)
@given(st.lists(st.sampled_from(["ok", "draft", "future", "invalid"]), min_size=0, max_size=5))
def test_an_empty_build_never_replaces_a_feed_silently(tmp_path_factory,
                                                       kinds: list[str]) -> None:
    """Whatever leaves the entries out, a build with none keeps the published feed and
    names every entry's reason; a build with some publishes exactly those."""
    from feedpub.build import build_and_publish

    root = tmp_path_factory.mktemp("site")
    write_site(root, {"first.md": entry("First")})
    config = load_config(root / "feedpub.toml")
    build_and_publish(config, now=NOW)
    before = (config.output_dir / "rss.xml").read_bytes()
    (root / "entries" / "first.md").unlink()
    texts = {"ok": entry("Ok"), "draft": entry("Draft", draft="true"),
             "future": entry("Future", "2099-01-01"), "invalid": entry("Bad", "someday")}
    for n, kind in enumerate(kinds):
        (root / "entries" / f"{n}-{kind}.md").write_text(texts[kind])
    try:
        result, _ = build_and_publish(config, now=NOW, skip_invalid=True, use_cache=False)
    except InputError as exc:
        assert "ok" not in kinds
        assert (config.output_dir / "rss.xml").read_bytes() == before  # nothing was written
        named = {p.path for p in exc.problems}
        assert {f"entries/{n}-{k}.md" for n, k in enumerate(kinds)} <= named
        return
    assert "ok" in kinds
    assert result.entry_count == kinds.count("ok")


# Every extension a generator reads as Markdown: Jekyll's default markdown_ext
# ("markdown,mkdown,mkdn,mkd,md", matched after downcasing the extension), Hugo's (md,
# markdown, mdown) and Pelican's (md, markdown, mkd, mdown).
MARKDOWN_NAMES = ["a.md", "b.markdown", "c.mkdown", "d.mkdn", "e.mkd", "f.mdown",
                  "G.MD", "h.Markdown", "posts/i.MkD"]
NOT_ENTRIES = ["notes.txt", "x.mdx", "y.md.bak", "md", "j.md~", "k.html",
               "_index.md", "_index.markdown", "posts/_index.mdown", "README.md",
               "readme.MKD", "posts/Readme.markdown", ".hidden.markdown"]


def test_every_markdown_extension_a_generator_reads_is_found(tmp_path: Path) -> None:
    for name in reversed([*MARKDOWN_NAMES, *NOT_ENTRIES]):  # order of creation: none
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "folder.md").mkdir()  # a folder is walked, not read
    (tmp_path / "folder.md" / "l.markdown").write_text("x")
    found = [f.rel for f in discover(tmp_path)]
    # Sorted by path (code points: capitals first), whatever the file system's order.
    assert found == ["G.MD", "a.md", "b.markdown", "c.mkdown", "d.mkdn", "e.mkd",
                     "f.mdown", "folder.md/l.markdown", "h.Markdown", "posts/i.MkD"]
    assert found == [f.rel for f in discover(tmp_path)]


def test_entries_with_other_extensions_get_their_slugs_and_links(tmp_path: Path) -> None:
    """The extension, whichever it is, is left out of the slug, the link and the id."""
    config = load_config(write_site(tmp_path, {
        "2021-05-12-jekyll-post.markdown": entry("Jekyll", "2021-05-12T10:00:00Z"),
        "notes/hugo-post.mdown": entry("Hugo", "2021-05-11T10:00:00Z"),
        "Pelican.MKD": entry("Pelican", "2021-05-10T10:00:00Z"),
    }))
    outputs = build(config, now=NOW).outputs
    rss = etree.fromstring(outputs[config.output_dir / "rss.xml"])
    assert [(i.findtext("title"), i.findtext("link")) for i in rss.iter("item")] == [
        ("Jekyll", "https://example.org/blog/2021-05-12-jekyll-post/"),
        ("Hugo", "https://example.org/blog/notes/hugo-post/"),
        ("Pelican", "https://example.org/blog/Pelican/")]
    atom = etree.fromstring(outputs[config.output_dir / "atom.xml"])
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.findtext("a:id", namespaces=ns) for e in atom.iterfind("a:entry", ns)] == [
        "tag:example.org,2021-05-12:2021-05-12-jekyll-post",
        "tag:example.org,2021-05-11:notes/hugo-post",
        "tag:example.org,2021-05-10:Pelican"]


def test_two_files_that_differ_only_in_extension_are_a_duplicate_slug(
        tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {"a.md": entry("A"),
                                               "a.markdown": entry("A again")}))
    with pytest.raises(InputError) as exc:
        build(config, now=NOW)
    assert messages(exc) == [
        "entries/a.md: error: slug 'a' is used by both entries/a.markdown and "
        "entries/a.md\n  hint: give one of them its own slug"]
