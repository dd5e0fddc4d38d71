"""`feedpub check`: reports without writing; warnings, --strict, --against, --format json."""

from __future__ import annotations

import json
import os
from pathlib import Path

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
    # Drafts and future entries are information, not warnings: --strict still passes.
    assert "entries/draft.md: note: is a draft" in text
    assert "entries/future.md: note: is dated 2031-02-03T04:05:06+00:00, in the future" in text
    assert "image 'a.png' has no alt text" in text and "'b.png'" not in text
    assert "relative link '../../../../x/' leads outside the site" in text
    assert "link 'other.md' points at a Markdown file" in text
    assert "'../y/'" not in text
    assert "title contains HTML" in text
    assert sum(": warning: " in m for m in found) == 4
    assert sum(": note: " in m for m in found) == 2


def test_drafts_and_future_entries_do_not_fail_strict(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry("A"), "d.md": entry("D", "2021-05-12", draft="true"),
                          "f.md": entry("F", "2031-01-01")})
    result = run(tmp_path, "--strict")
    assert result.exit_code == 0, result.output
    assert "entries/d.md: note: is a draft" in result.output
    assert result.output.splitlines()[-1] == "feedpub: 0 errors, 0 warning(s), 2 note(s)"
    as_json = [json.loads(line) for line in run(tmp_path, "--format", "json").output.splitlines()]
    assert sorted(p["severity"] for p in as_json) == ["note", "note"]


def test_the_bundled_sample_passes_check_strict() -> None:
    # The sample keeps a draft: that alone must not make --strict fail.
    root = Path(__file__).resolve().parents[1]
    result = run(root, "--strict")
    assert result.exit_code == 0, result.output
    assert "note: is a draft" in result.output


def test_root_relative_links_resolve_from_the_host_like_a_browser(site) -> None:
    # url is https://example.org/blog/: "/images/x.jpg" is the host's /images/x.jpg,
    # which is not "leaving the site"; a note says where it goes.
    found = messages(site, {"a.md": entry(body="![Map](/images/x.jpg) [ok](/blog/about/)")})
    assert found == [
        "entries/a.md: note: link '/images/x.jpg' starts with '/', so it resolves from the "
        "root of the site's host, as in a browser: https://example.org/images/x.jpg, which "
        "is outside feed.url (https://example.org/blog/)\n  hint: if it lives under "
        "https://example.org/blog/, write it without the leading '/' (relative to the "
        "entry) or with feed.url's path"]


def test_a_rooted_permalink_means_what_a_rooted_link_means(site) -> None:
    # A leading "/" resolves from the host's root in links, in `link:` and in
    # feed.permalink alike; without it, the pattern is under feed.url.
    config = site({"a.md": entry(), "b.md": entry("B", "2021-05-12", link='"/b/"')},
                  'permalink = "/{year}/{name}/"\n')
    result = check(config, now=NOW)
    from feedpub.entries.loading import load_entries

    links = [e.link for e in load_entries(config).entries]
    assert links == ["https://example.org/2021/a/", "https://example.org/b/"]
    found = [str(p) for p in result.problems]
    assert found == [
        "feedpub.toml: warning: feed.permalink '/{year}/{name}/' starts with '/', so entry "
        "links resolve from the root of the site's host, as links do, outside feed.url "
        "(https://example.org/blog/); feedpub 0.1 put them under feed.url\n  hint: write "
        "'{year}/{name}/' (or '/blog/{year}/{name}/') to put entry pages under feed.url"]
    config = site({"a.md": entry()}, 'permalink = "{year}/{name}/"\n')
    links = [e.link for e in load_entries(config).entries]
    assert links == ["https://example.org/blog/2021/a/", "https://example.org/b/"]
    assert check(config, now=NOW).problems == ()


def test_missing_summary_in_summary_mode(site) -> None:
    found = messages(site, {"a.md": entry("A"), "b.md": entry("B", "2021-05-12", summary="ok"),
                            "c.md": entry("C", "2021-05-11", body="x\n\n<!--more-->\n\ny")},
                     extra='content = "summary"\n')
    assert len(found) == 1 and "entries/a.md" in found[0] and "has no summary" in found[0]


def test_empty_feed_and_large_feed(site) -> None:
    assert any("the feed has no entries" in m for m in messages(site, {}))
    body = "word " * (LARGE_FEED // 5 + 10)
    assert any("over 1,048,576" in m for m in messages(site, {"big.md": entry(body=body)}))


def test_a_feed_over_5_mb_is_an_error_in_check_and_a_warning_in_build(site) -> None:
    from feedpub.build import build
    from tests.conftest import NOW

    # 3 entries of ~2 MB of text: every feed file comes to over 5,000,000 bytes
    entries = {f"{n}.md": entry(f"E{n}", f"2021-05-1{n}", body="word " * 420_000)
               for n in range(1, 4)}
    config = site(entries)
    report = check(config, now=NOW)
    errors = [p for p in report.problems if p.severity == "error"]
    assert sorted(p.message.split(" comes to")[0] for p in errors) == [
        "public/atom.xml", "public/feed.json", "public/rss.xml"]
    assert all("over 5,000,000: the W3C validator refuses" in p.message for p in errors)
    assert all("[archive] enabled = true" in p.hint and "feed.full_content" in p.hint
               for p in errors)  # the fixes, named
    assert report.exit_code(strict=False) == 1
    result = build(config, now=NOW)  # build publishes it, with the 1 MiB warning
    assert any("over 1,048,576" in w.message for w in result.warnings)


def test_duplicate_ids_are_errors(site) -> None:
    found = messages(site, {"a.md": entry(id="urn:x:1"), "b.md": entry("B", id="urn:x:1")})
    assert found == ["entries/b.md: error: id 'urn:x:1' is used by both entries/a.md and "
                     "entries/b.md\n  hint: give one of them its own id"]


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


def test_links_to_markdown_files_of_every_extension_are_warned_about(site) -> None:
    """A link to any Markdown file the entries folder may hold (`.markdown`, `.MD`, ...)
    points at a file the web site will not have; a name that only ends like one
    (`notes.md.html`, `cmd`) does not."""
    config = site({"a.md": entry("A", body="[a](x.markdown) [b](y.MD) [c](z.mdown?v=1) "
                                           "[d](notes.md.html) [e](cmd) [f](dir.md/page)")})
    found = [p.message for p in check(config, now=NOW).problems
             if "points at a Markdown file" in p.message]
    assert found == [f"link {name!r} points at a Markdown file, which the web site will not "
                     "have" for name in ("x.markdown", "y.MD", "z.mdown?v=1")]
