"""`feedpub build --check`: writes nothing, and exits 1 listing the files a build would
change (for CI that commits its feeds), 0 when the output folder is up to date."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import entry, run_cli, write_site

ENTRIES = {"a.md": entry("A", "2021-05-01T10:00:00Z", tags="[x]"),
           "b.md": entry("B", "2021-05-02T10:00:00Z", tags="[y]")}


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_an_up_to_date_folder_passes(tmp_path: Path) -> None:
    write_site(tmp_path, ENTRIES)
    assert run_cli(tmp_path, "build").exit_code == 0
    result = run_cli(tmp_path, "build", "--check")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "public/ is up to date"


def test_a_stale_folder_fails_listing_what_would_change_and_nothing_is_written(
        tmp_path: Path) -> None:
    write_site(tmp_path, ENTRIES, extra="tag_feeds = true\n")
    assert run_cli(tmp_path, "build").exit_code == 0
    before = snapshot(tmp_path / "public")
    (tmp_path / "entries" / "b.md").write_text(entry("B, edited", "2021-05-02T10:00:00Z",
                                                     tags="[z]"), encoding="utf-8")
    result = run_cli(tmp_path, "build", "--check")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    assert sorted(line for line in lines if line.startswith("would ")) == sorted([
        "would write public/rss.xml", "would write public/atom.xml",
        "would write public/feed.json", "would write public/tags/z/rss.xml",
        "would write public/tags/z/atom.xml", "would write public/tags/z/feed.json",
        "would remove public/tags/y/atom.xml", "would remove public/tags/y/feed.json",
        "would remove public/tags/y/rss.xml"])
    assert "feedpub: 9 file(s) in public/ are not up to date: run feedpub build" in lines
    assert snapshot(tmp_path / "public") == before  # nothing written, nothing touched


def test_a_missing_output_folder_is_not_up_to_date(tmp_path: Path) -> None:
    write_site(tmp_path, ENTRIES)
    result = run_cli(tmp_path, "build", "--check")
    assert result.exit_code == 1
    assert "would write public/rss.xml" in result.output
    assert not (tmp_path / "public").exists()


def test_bad_input_is_reported_as_by_build(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": "---\ntitle: [unclosed\n---\nBody\n"})
    result = run_cli(tmp_path, "build", "--check")
    assert result.exit_code == 1
    assert "entries/a.md:" in result.output and "build --check failed" in result.output


def test_check_skips_invalid_entries_as_build_does(tmp_path: Path) -> None:
    write_site(tmp_path, {**ENTRIES, "bad.md": "---\ntitle: [unclosed\n---\n"})
    assert run_cli(tmp_path, "build", "--skip-invalid").exit_code == 0
    result = run_cli(tmp_path, "build", "--check", "--skip-invalid")
    assert result.exit_code == 0, result.output
