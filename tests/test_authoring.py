"""`feedpub init`, `new` and `list` (feedpub/author/, feedpub/cli/authoring.py), through
click's CliRunner, refusals included."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from feedpub.author.new_entry import entry_slug
from feedpub.cli import cli
from feedpub.config import load_config
from tests.conftest import BASE_CONFIG, EPOCH, entry, write_site

WORKFLOW = Path(__file__).resolve().parent.parent / "feedpub" / "author" / "workflows" / "feed.yml"


def run(folder: Path, *args: str, answers: str | None = None, env: dict | None = None):
    old = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(cli, list(args), input=answers, env={**EPOCH, **(env or {})})
    finally:
        os.chdir(old)


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


# ---------------------------------------------------------------- init

def test_init_asks_and_writes_a_site_that_builds(tmp_path: Path) -> None:
    answers = "Harbour News\nnot a url\nnews.example.org\nhttps://news.example.org/b\n\n" \
              "Ann Lee <ann@example.org>\n"
    result = run(tmp_path, "init", answers=answers)
    assert result.exit_code == 0, result.output
    assert "is not an http(s) address" in result.output  # asked again
    config = load_config(tmp_path / "feedpub.toml")
    assert (config.title, config.url, config.description) == (
        "Harbour News", "https://news.example.org/b/", "The latest from Harbour News")
    assert (config.author.name, config.author.email) == ("Ann Lee", "ann@example.org")
    assert (tmp_path / ".gitignore").read_text() .splitlines()[1:] == ["/public/",
                                                                       "/.feedpub-cache/"]
    workflow = (tmp_path / ".github" / "workflows" / "feed.yml").read_text()
    assert 'FEED_URL: "https://news.example.org/b/atom.xml"' in workflow
    assert workflow == WORKFLOW.read_text().replace("https://YOUR-SITE.example/atom.xml",
                                                    "https://news.example.org/b/atom.xml")
    welcome = tmp_path / "entries" / "2030-01-01-welcome.md"  # SOURCE_DATE_EPOCH's day
    assert front_matter(welcome)["title"] == "Welcome to Harbour News"
    built = run(tmp_path, "build")
    assert built.exit_code == 0, built.output
    assert "wrote public/rss.xml (1 of 1 entries)" in built.output


def test_init_with_options_and_yes_asks_nothing(tmp_path: Path) -> None:
    site = tmp_path / "new-site"
    title = 'Quotes "and" \\back\\slashes'
    result = run(tmp_path, "init", "new-site", "--yes", "--title", title, "--url",
                 "https://ex.org", answers="")
    assert result.exit_code == 0, result.output
    config = load_config(site / "feedpub.toml")
    assert config.title == title and config.url == "https://ex.org/"
    assert config.author.name == title  # every feed needs an author: the site stands in
    assert "next: cd new-site && feedpub build" in result.output
    built = run(site, "build")
    assert built.exit_code == 0, built.output


def test_init_yes_alone_takes_the_defaults(tmp_path: Path) -> None:
    folder = tmp_path / "my-blog"
    folder.mkdir()
    result = run(folder, "init", "--yes")
    assert result.exit_code == 0, result.output
    config = load_config(folder / "feedpub.toml")
    assert (config.title, config.url) == ("My Blog", "https://example.org/")


def test_init_refuses_to_overwrite_and_says_what_exists(tmp_path: Path) -> None:
    (tmp_path / "feedpub.toml").write_text("# mine\n")
    result = run(tmp_path, "init", "--yes")
    assert result.exit_code == 1
    assert "init wrote nothing: these exist: feedpub.toml" in result.output
    assert "--force overwrites them" in result.output
    assert (tmp_path / "feedpub.toml").read_text() == "# mine\n"
    assert not (tmp_path / ".gitignore").exists() and not (tmp_path / "entries").exists()
    forced = run(tmp_path, "init", "--yes", "--force")
    assert forced.exit_code == 0 and "[feed]" in (tmp_path / "feedpub.toml").read_text()


def test_init_refuses_a_bad_url_given_as_an_option(tmp_path: Path) -> None:
    result = run(tmp_path, "init", "--yes", "--url", "ftp://x")
    assert result.exit_code == 2
    assert "--url" in result.output and "is not an http(s) address" in result.output
    assert not (tmp_path / "feedpub.toml").exists()


# ---------------------------------------------------------------- new

def site(tmp_path: Path, zone: str = "UTC") -> Path:
    write_site(tmp_path, {}, config=BASE_CONFIG.replace('"UTC"', f'"{zone}"'))
    return tmp_path


def test_new_writes_a_dated_entry_with_its_front_matter(tmp_path: Path) -> None:
    folder = site(tmp_path, "Asia/Tokyo")  # SOURCE_DATE_EPOCH is 2030-01-01 09:00 there
    result = run(folder, "new", 'Notes: "quoted" & more', "--tag", "a b", "--tag", "c",
                 "--tag", "c", "--author", "Bo", "--draft")
    assert result.exit_code == 0, result.output
    path = folder / result.output.strip()
    assert result.output.strip() == "entries/2030-01-01-notes-quoted-more.md"
    data = front_matter(path)
    assert data["title"] == 'Notes: "quoted" & more'
    assert data["tags"] == ["a b", "c"] and data["author"] == "Bo" and data["draft"] is True
    assert data["date"].isoformat() == "2030-01-01T09:00:00+09:00"
    listed = run(folder, "list", "--drafts", "--format", "json")
    assert json.loads(listed.output)[0]["status"] == "draft"  # and it reads back


def test_new_never_overwrites(tmp_path: Path) -> None:
    folder = site(tmp_path)
    outputs = [run(folder, "new", "Same title").output.strip() for _ in range(3)]
    assert outputs == ["entries/2030-01-01-same-title.md", "entries/2030-01-01-same-title-2.md",
                       "entries/2030-01-01-same-title-3.md"]


@pytest.mark.parametrize(("title", "slug"), [
    ("Crème brûlée à Zürich", "creme-brulee-a-zurich"), ("Straße & Æsir", "strasse-aesir"),
    ("  C++ in 2030!  ", "c-in-2030"), ("Ünïcödé", "unicode"),
])
def test_slugs_are_ascii_lower_case(title: str, slug: str) -> None:
    assert entry_slug(title) == slug


@pytest.mark.parametrize("title", ["東京の夜", "Новости дня", "!!!", "مرحبا بالعالم"])
def test_titles_in_other_scripts_get_a_short_hash(title: str) -> None:
    slug = entry_slug(title)
    assert slug.startswith("entry-") and len(slug) == 14 and slug.isascii()
    assert slug != entry_slug(title + " 2")


def test_a_long_title_gives_a_bounded_slug() -> None:
    slug = entry_slug("word " * 40)
    assert len(slug) <= 60 and not slug.endswith("-")


def test_new_edit_opens_the_editor(tmp_path: Path) -> None:
    folder = site(tmp_path)
    editor = tmp_path / "editor.sh"
    editor.write_text('#!/bin/sh\nsed -i "s/Write here./Edited./" "$1"\n')
    editor.chmod(editor.stat().st_mode | stat.S_IXUSR)
    result = run(folder, "new", "Edit me", "--edit", env={"EDITOR": str(editor)})
    assert result.exit_code == 0, result.output
    assert "Edited." in (folder / result.output.strip()).read_text()


def test_new_refuses_an_empty_title(tmp_path: Path) -> None:
    result = run(site(tmp_path), "new", "   ")
    assert result.exit_code == 2 and "give some text" in result.output


# ---------------------------------------------------------------- list

ENTRIES = {
    "old.md": entry("Old", "2021-05-01T10:00:00Z", tags="[x, y]"),
    "new.md": entry("New", "2021-06-01T10:00:00Z"),
    "draft.md": entry("Draft", "2021-07-01T10:00:00Z", draft="true"),
    "later.md": entry("Later", "2031-01-01T10:00:00Z"),
    "東京.md": entry("東京の夜", "2021-05-15T10:00:00Z"),
}


def test_list_shows_published_entries_newest_first(tmp_path: Path) -> None:
    write_site(tmp_path, ENTRIES)
    result = run(tmp_path, "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["DATE", "STATUS", "TITLE", "TAGS", "FILE"]
    assert [line.split()[3] for line in lines[1:]] == ["New", "東京の夜", "Old"]
    assert "x, y" in lines[3]
    # the columns line up, wide characters counted twice
    file_column = [line.index("entries/") for line in lines[1:]]
    widths = [len(line[:col]) + sum(1 for ch in line[:col] if ord(ch) > 0x2E80)
              for line, col in zip(lines[1:], file_column, strict=True)]
    assert len(set(widths)) == 1


def test_list_drafts_and_future_on_request_as_json(tmp_path: Path) -> None:
    write_site(tmp_path, ENTRIES)
    result = run(tmp_path, "list", "--drafts", "--future", "--format", "json")
    rows = json.loads(result.output)
    assert [(r["title"], r["status"]) for r in rows] == [
        ("Later", "future"), ("Draft", "draft"), ("New", "published"),
        ("東京の夜", "published"), ("Old", "published")]
    assert rows[-1] == {"date": "2021-05-01T10:00:00+00:00", "title": "Old",
                        "tags": ["x", "y"], "status": "published", "file": "entries/old.md"}


def test_list_names_entries_it_cannot_read(tmp_path: Path) -> None:
    write_site(tmp_path, {**ENTRIES, "broken.md": "---\ntitle: [unclosed\n---\n"})
    result = run(tmp_path, "list")
    assert result.exit_code == 1
    assert "entries/broken.md:" in result.output
    assert "1 entry file(s) could not be read: not listed" in result.output
    assert "Old" in result.output  # the others are listed


def test_init_refuses_an_empty_title(tmp_path: Path) -> None:
    empty = run(tmp_path, "init", "--yes", "--title", "  ")
    assert empty.exit_code == 2 and "give some text" in empty.output
    assert not (tmp_path / "feedpub.toml").exists()


def test_new_says_what_it_cannot_write(tmp_path: Path) -> None:
    folder = site(tmp_path)
    (folder / "entries").rmdir()
    (folder / "entries").write_text("a file where the entries folder must be")
    result = run(folder, "new", "Anything")
    assert result.exit_code == 3, result.output
    assert "feedpub: new cannot write" in result.output and "entries" in result.output


def test_new_refuses_an_author_or_tag_a_build_would_refuse(tmp_path: Path) -> None:
    folder = site(tmp_path)
    bad_author = run(folder, "new", "Fine", "--author", '"quoted" & <b>')
    assert bad_author.exit_code == 2 and "e-mail" in bad_author.output
    bad_tag = run(folder, "new", "Fine", "--tag", "bell\x07")
    assert bad_tag.exit_code == 2 and "control characters" in bad_tag.output
    assert not list((folder / "entries").glob("*.md"))  # nothing written


def test_init_keeps_a_gitignore_and_adds_what_it_lacks(tmp_path: Path) -> None:
    (tmp_path / ".gitignore").write_text("secrets.env\n/public/\n")
    result = run(tmp_path, "init", "--yes")
    assert result.exit_code == 0, result.output
    lines = (tmp_path / ".gitignore").read_text().splitlines()
    assert lines[:2] == ["secrets.env", "/public/"]
    assert lines[2:] == ["# added by feedpub init: what `feedpub build` makes",
                         "/.feedpub-cache/"]


def test_init_writes_no_file_when_a_folder_cannot_be_made(tmp_path: Path) -> None:
    (tmp_path / ".github").write_text("a file where a folder must go")
    result = run(tmp_path, "init", "--yes")
    assert result.exit_code == 3 and "(nothing was written)" in result.output
    assert "init cannot write" in result.output and ".github" in result.output
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [".github"]  # no file


@pytest.mark.parametrize("url", ["https://ex.org/?x=1", "https://ex.org/#top",
                                 'https://ex.org/a"b/'])
def test_init_refuses_a_site_address_with_a_query_fragment_or_quote(tmp_path: Path,
                                                                    url: str) -> None:
    result = run(tmp_path, "init", "--yes", "--url", url)
    assert result.exit_code == 2 and "--url" in result.output


def test_a_bad_source_date_epoch_is_said_not_a_traceback(tmp_path: Path) -> None:
    result = run(tmp_path, "init", "--yes", env={"SOURCE_DATE_EPOCH": "soon"})
    assert result.exit_code == 1 and "SOURCE_DATE_EPOCH='soon'" in result.output


def test_init_and_new_date_entries_to_the_second_on_the_real_clock(tmp_path: Path) -> None:
    clock = {"SOURCE_DATE_EPOCH": ""}  # unset: the real clock, with its microseconds
    assert run(tmp_path, "init", "--yes", "--url", "https://example.org/",
               env=clock).exit_code == 0
    assert run(tmp_path, "new", "Second", env=clock).exit_code == 0
    dates = [line for path in sorted((tmp_path / "entries").glob("*.md"))
             for line in path.read_text().splitlines() if line.startswith("date: ")]
    assert len(dates) == 2
    for line in dates:
        assert "." not in line, line  # 2030-01-01T10:00:00+00:00, no fraction


def test_init_says_what_is_left_to_do_and_warns_of_the_placeholder_address(
        tmp_path: Path) -> None:
    result = run(tmp_path, "init", "--yes")
    assert result.exit_code == 0, result.output
    assert "warning: the site's address is the placeholder https://example.org/: set url " \
           "in feedpub.toml before you publish" in result.output
    assert "set FEEDPUB in .github/workflows/feed.yml" in result.output
    given = run(tmp_path / "other", "init", "--yes", "--url", "https://ex.org/") \
        if (tmp_path / "other").mkdir() is None else None
    assert given.exit_code == 0 and "placeholder" not in given.output
