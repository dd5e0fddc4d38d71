"""`feedpub check`: reports without writing; warnings, --strict, --against, --format json."""

from __future__ import annotations

import http.server
import json
import os
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from feedpub.check import LARGE_FEED, check
from feedpub.cli import cli

from .conftest import NOW, entry, write_site

EPOCH = {"SOURCE_DATE_EPOCH": "1893456000"}  # 2030-01-01


def run(root: Path, *args: str):
    old = Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, ["check", *args], env=EPOCH)
    finally:
        os.chdir(old)


def messages(site, files: dict[str, str], extra: str = "") -> list[str]:
    return [str(p) for p in check(site(files, extra), now=NOW).problems]


def test_check_writes_nothing_and_exits_0_on_a_clean_site(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry("A", body="![A chart](c.png)")})
    result = run(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "feedpub: 0 errors, 0 warning(s)"
    assert not (tmp_path / "public").exists()


def test_errors_exit_1_with_every_problem(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry(date="soon"), "b.md": entry(tags="{x: 1}")})
    result = run(tmp_path)
    assert result.exit_code == 1
    assert "entries/a.md:3: error: date 'soon' is not a date" in result.output
    assert "entries/b.md:4: error: tags must be a list" in result.output


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry(tittle="x")})
    assert run(tmp_path).exit_code == 0
    assert run(tmp_path, "--strict").exit_code == 1


def test_warnings_readers_would_notice(site) -> None:
    found = messages(site, {
        "draft.md": entry("D", draft="true"),
        "future.md": entry("F", "2031-02-03T04:05:06Z"),
        "noalt.md": entry("N", "2021-05-12", body="![](a.png) and ![ok](b.png)"),
        "away.md": entry("W", "2021-05-11", body="[up](../../../../x/) [md](other.md) [ok](../y/)"),
        "html.md": entry("Using <b>bold</b>", "2021-05-10"),
    })
    text = "\n".join(found)
    assert "entries/draft.md: warning: is a draft" in text
    assert "is dated 2031-02-03T04:05:06+00:00, in the future" in text
    assert "image 'a.png' has no alt text" in text and "'b.png'" not in text
    assert "relative link '../../../../x/' leads outside the site" in text
    assert "link 'other.md' points at a Markdown file" in text
    assert "'../y/'" not in text
    assert "title contains HTML" in text
    assert all(": warning: " in m for m in found)


def test_missing_summary_in_summary_mode(site) -> None:
    found = messages(site, {"a.md": entry("A"), "b.md": entry("B", "2021-05-12", summary="ok"),
                            "c.md": entry("C", "2021-05-11", body="x\n\n<!--more-->\n\ny")},
                     extra='content = "summary"\n')
    assert len(found) == 1 and "entries/a.md" in found[0] and "has no summary" in found[0]


def test_empty_feed_and_large_feed(site) -> None:
    assert any("the feed has no entries" in m for m in messages(site, {}))
    body = "word " * (LARGE_FEED // 5 + 10)
    assert any("over 1,048,576" in m for m in messages(site, {"big.md": entry(body=body)}))


def test_duplicate_ids_are_errors(site) -> None:
    found = messages(site, {"a.md": entry(id="urn:x:1"), "b.md": entry("B", id="urn:x:1")})
    assert found == ["entries/b.md: error: id 'urn:x:1' is used by both entries/a.md and "
                     "entries/b.md\n  hint: give one of them its own id"]


def published_feed(tmp_path: Path, files: dict[str, str]) -> Path:
    """Build a site as it was 'published' before, and return its atom.xml."""
    root = tmp_path / "before"
    write_site(root, files)
    assert CliRunner().invoke(cli, ["build", "--config", str(root / "feedpub.toml")],
                              env=EPOCH).exit_code == 0
    return root / "public"


def test_against_reports_changed_ids_and_vanished_items(tmp_path: Path) -> None:
    before = {"keep.md": entry("Keep"), "moved.md": entry("Moved", "2021-05-12"),
              "gone.md": entry("Gone", "2021-05-11")}
    public = published_feed(tmp_path, before)
    now = {"keep.md": entry("Keep"),
           # same link, but the date moved a day: the tag URI id changes
           "moved.md": entry("Moved", "2021-05-13")}
    write_site(tmp_path / "now", now)
    for name in ("atom.xml", "rss.xml"):
        result = run(tmp_path / "now", "--against", str(public / name))
        assert result.exit_code == 1, result.output
        assert ("entries/moved.md: error: the id changed: published as "
                "'tag:example.org,2021-05-12:moved', now 'tag:example.org,2021-05-13:moved'"
                ) in result.output
        assert "hint: add 'id: tag:example.org,2021-05-12:moved'" in result.output
        assert "a published item is gone: 'Gone' (https://example.org/blog/gone/)" \
            in result.output
        assert "Keep" not in result.output


def test_against_a_url_served_on_loopback(tmp_path: Path) -> None:
    public = published_feed(tmp_path, {"a.md": entry("A")})
    write_site(tmp_path / "now", {"a.md": entry("A")})
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(  # noqa: E731
        *a, directory=str(public), **k)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_port}/atom.xml"
        result = run(tmp_path / "now", "--against", url)
    finally:
        server.shutdown()
        server.server_close()
    assert "error" not in result.output.replace("0 errors", "")
    assert f"the feed was read from {url}, but its self link will be" in result.output


@pytest.mark.parametrize("content", [b"not xml", b"<html><body/></html>"])
def test_against_something_that_is_not_a_feed(tmp_path: Path, content: bytes) -> None:
    write_site(tmp_path, {"a.md": entry()})
    (tmp_path / "old.xml").write_bytes(content)
    result = run(tmp_path, "--against", str(tmp_path / "old.xml"))
    assert result.exit_code == 1
    assert "--against" in result.output and "Traceback" not in result.output


def test_json_format(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry(date="soon"), "b.md": entry("B", tittle="x")})
    result = run(tmp_path, "--format", "json")
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert {(r["severity"], r["file"], r["line"]) for r in rows} == {
        ("error", "entries/a.md", 3), ("warning", "entries/b.md", 4)}
    assert all(set(r) == {"severity", "file", "line", "message", "hint"} for r in rows)


def test_check_on_a_bad_config(tmp_path: Path) -> None:
    (tmp_path / "feedpub.toml").write_text("[feed]\n")
    result = run(tmp_path)
    assert result.exit_code == 1 and "feed.title is required" in result.output
