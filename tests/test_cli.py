"""The command line: messages, exit codes, nothing lost, byte-identical rebuilds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from feedpub.cli import cli

from .conftest import ROOT, entry, write_site

EPOCH = {"SOURCE_DATE_EPOCH": "1893456000"}  # 2030-01-01


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None):
    runner = CliRunner()
    old = Path.cwd()
    try:
        if cwd:
            os.chdir(cwd)
        return runner.invoke(cli, list(args), env={**EPOCH, **(env or {})})
    finally:
        os.chdir(old)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_site(tmp_path, {"2021-05-13-a.md": entry("A"), "b.md": entry("B", "2021-05-12"),
                          "draft.md": entry("D", "2021-05-14", draft="true"),
                          "later.md": entry("L", "2031-01-01")})
    return tmp_path


def test_build_reports_what_it_wrote(project: Path) -> None:
    result = run("build", cwd=project)
    assert result.exit_code == 0, result.output
    counts = ("(2 of 4 entries; left out: 1 draft, 1 dated in the future \u2014 "
              "see feedpub check)")
    assert result.output.splitlines() == [f"wrote public/rss.xml {counts}",
                                          f"wrote public/atom.xml {counts}",
                                          f"wrote public/feed.json {counts}"]
    again = run("build", cwd=project)
    assert again.output.splitlines()[0] == f"unchanged public/rss.xml {counts}"
    # What the limit leaves out is said too; nothing left out, nothing said.
    (project / "feedpub.toml").write_text(
        (project / "feedpub.toml").read_text() + "limit = 1\n")
    assert run("build", cwd=project).output.splitlines()[0] == (
        "wrote public/rss.xml (1 of 4 entries; left out: 1 draft, 1 dated in the future, "
        "1 older than the newest 1 (feed.limit) \u2014 see feedpub check)")
    assert run("build", "--drafts", "--future", "--no-cache", cwd=project
               ).output.splitlines()[0] == (
        "wrote public/rss.xml (1 of 4 entries; left out: 3 older than the newest 1 "
        "(feed.limit))")
    (project / "entries" / "draft.md").unlink()
    (project / "entries" / "later.md").unlink()
    (project / "feedpub.toml").write_text(
        (project / "feedpub.toml").read_text().replace("limit = 1\n", ""))
    assert run("build", cwd=project).output.splitlines()[0] == \
        "wrote public/rss.xml (2 of 2 entries)"


def test_quiet(project: Path) -> None:
    result = run("build", "--quiet", cwd=project)
    assert result.exit_code == 0 and result.output == ""
    assert (project / "public" / "rss.xml").exists()


def test_config_found_from_a_subfolder_and_by_option(project: Path, tmp_path_factory) -> None:
    result = run("build", cwd=project / "entries")
    assert result.exit_code == 0, result.output
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = run("build", "--config", str(project / "feedpub.toml"), cwd=elsewhere)
    assert result.exit_code == 0, result.output


def test_drafts_and_future_flags(project: Path) -> None:
    result = run("build", "--drafts", "--future", cwd=project)
    assert "(4 of 4 entries)" in result.output


def test_bad_entry_exits_1_lists_every_problem_and_keeps_old_files(project: Path) -> None:
    assert run("build", cwd=project).exit_code == 0
    before = {p.name: p.read_bytes() for p in (project / "public").iterdir()}
    (project / "entries" / "bad1.md").write_text("---\ntitle: X\ndate: someday\n---\n")
    (project / "entries" / "bad2.md").write_text("---\ntitle: [x\n---\n")
    (project / "entries" / "new.md").write_text(entry("New", "2021-05-20"))
    result = run("build", cwd=project)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "entries/bad1.md:3: error: date 'someday' is not a date" in result.output
    assert "entries/bad2.md:2: error: invalid YAML front matter" in result.output
    assert "hint:" in result.output
    assert "build failed; no files were changed (2 errors)" in result.output
    after = {p.name: p.read_bytes() for p in (project / "public").iterdir()}
    assert after == before


def test_warnings_are_printed_but_do_not_fail(project: Path) -> None:
    (project / "entries" / "warn.md").write_text(entry("W", tittle="x"))
    result = run("build", cwd=project)
    assert result.exit_code == 0
    assert "entries/warn.md:4: warning: unknown key 'tittle'" in result.output


def test_missing_config(tmp_path: Path) -> None:
    result = run("build", cwd=tmp_path)
    assert result.exit_code == 1
    assert "no feedpub.toml" in result.output and "Traceback" not in result.output


def test_bad_config(tmp_path: Path) -> None:
    (tmp_path / "feedpub.toml").write_text('[feed]\ntitle = "x"\nurl = "example.org"\n')
    result = run("build", cwd=tmp_path)
    assert result.exit_code == 1
    assert "feedpub.toml:3: error: feed.url 'example.org' must be an absolute" in result.output
    assert "feed.description is required" in result.output


def test_unwritable_output_exits_3(project: Path) -> None:
    (project / "public").write_text("a file where the folder should be")
    result = run("build", cwd=project)
    assert result.exit_code == 3
    assert "cannot write" in result.output and "Traceback" not in result.output


def test_usage_error_exits_2(project: Path) -> None:
    assert run("build", "--no-such-option", cwd=project).exit_code == 2


def test_version_and_help() -> None:
    assert run("--version").output.startswith("feedpub, version ")
    help_text = run("build", "--help").output
    for option in ("--config", "--drafts", "--future", "--quiet"):
        assert option in help_text
    assert "Exit codes" in help_text and "3  the output could not be written" in help_text


def test_python_dash_m(project: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "feedpub", "build"], cwd=project,
                          capture_output=True, text=True, env={**os.environ, **EPOCH})
    assert proc.returncode == 0, proc.stderr
    assert "wrote public/atom.xml" in proc.stdout


def test_the_console_script_flushes_its_output_and_keeps_exit_codes(project: Path) -> None:
    # main() leaves with os._exit: everything printed must still arrive, codes intact.
    (project / "entries" / "bad.md").write_text("---\ntitle: X\ndate: someday\n---\n")
    args = [sys.executable, "-c", "from feedpub.cli import main; main()"]
    env = {**os.environ, **EPOCH}
    failed = subprocess.run([*args, "build"], cwd=project, capture_output=True, text=True,
                            env=env)
    assert failed.returncode == 1
    assert "date 'someday' is not a date" in failed.stderr
    assert failed.stderr.rstrip().endswith("no files were changed (1 error)")
    (project / "entries" / "bad.md").unlink()
    built = subprocess.run([*args, "build"], cwd=project, capture_output=True, text=True,
                           env=env)
    assert built.returncode == 0
    assert built.stdout.splitlines()[-1].startswith("wrote public/feed.json")
    usage = subprocess.run([*args, "build", "--nope"], cwd=project, capture_output=True,
                           text=True, env=env)
    assert usage.returncode == 2 and "No such option '--nope'" in usage.stderr
    version = subprocess.run([*args, "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("feedpub, version ")
    for closed in (1, 2):  # started with standard output or error closed: still exit 0
        proc = subprocess.run([*args, "build", "-q"], cwd=project, env=env,
                              preexec_fn=lambda fd=closed: os.close(fd),
                              capture_output=False, stdin=subprocess.DEVNULL)
        assert proc.returncode == 0


def test_byte_identical_across_time_zones_locales_and_file_order(tmp_path: Path) -> None:
    """Same input, different machine settings and creation order: same bytes."""
    outputs = []
    for index, (tz, order) in enumerate([("UTC", 1), ("Asia/Tokyo", -1),
                                         ("America/Los_Angeles", 1)]):
        site = tmp_path / f"site{index}"
        shutil.copytree(ROOT / "entries", site / "entries_src")
        shutil.copy(ROOT / "feedpub.toml", site / "feedpub.toml")
        files = sorted((site / "entries_src").rglob("*.md"))[::order]
        for path in files:  # create the files in a different order each time
            target = site / "entries" / path.relative_to(site / "entries_src")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
        shutil.rmtree(site / "entries_src")
        env = {**os.environ, "TZ": tz, "LC_ALL": "C.UTF-8", "SOURCE_DATE_EPOCH": "1893456000"}
        proc = subprocess.run([sys.executable, "-m", "feedpub", "build", "-q"], cwd=site,
                              env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stderr
        outputs.append({p.relative_to(site / "public").as_posix(): p.read_bytes()
                        for p in (site / "public").rglob("*") if p.is_file()})
    assert outputs[0] == outputs[1] == outputs[2]
    assert {"rss.xml", "atom.xml", "feed.json", "tags/world/atom.xml"} <= set(outputs[0])


def test_skip_invalid_builds_the_valid_entries(project: Path) -> None:
    (project / "entries" / "bad.md").write_text("---\ntitle: X\ndate: someday\n---\n")
    (project / "entries" / "dup.md").write_text(entry("Dup", "2021-05-01", slug="b"))
    assert run("build", cwd=project).exit_code == 1
    result = run("build", "--skip-invalid", cwd=project)
    assert result.exit_code == 0, result.output
    assert "entries/bad.md:3: warning: date 'someday' is not a date (entry skipped" \
        in result.output
    assert "slug 'b' is used by both entries/b.md and entries/dup.md" in result.output
    assert "wrote public/rss.xml (2 of 4 entries;" in result.output
    rss = (project / "public" / "rss.xml").read_text()
    assert "<title>A</title>" in rss and "Dup" not in rss


@pytest.mark.parametrize("epoch", ["99999999999999999", "yesterday", "-"])
def test_unusable_source_date_epoch_is_a_clear_error(project: Path, epoch: str) -> None:
    result = run("build", cwd=project, env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 1
    assert "SOURCE_DATE_EPOCH" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(("errno", "text"), [(13, "Permission denied"),
                                             (30, "Read-only file system"),
                                             (28, "No space left on device")])
def test_read_only_or_full_output_exits_3(project: Path, monkeypatch, errno: int,
                                          text: str) -> None:
    assert run("build", cwd=project).exit_code == 0
    before = {p.name: p.read_bytes() for p in (project / "public").iterdir()}
    (project / "entries" / "new.md").write_text(entry("New", "2021-05-20"))

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(errno, text, str(project / "public"))

    monkeypatch.setattr("feedpub.publish.write.tempfile.mkstemp", refuse)
    result = run("build", cwd=project)
    assert result.exit_code == 3
    assert f"cannot write {project / 'public'}: {text}" in result.output
    assert "previous feed files were left as they were" in result.output
    assert {p.name: p.read_bytes() for p in (project / "public").iterdir()} == before


def test_timings_are_printed_per_phase(project: Path) -> None:
    result = run("build", "--timings", "--quiet", cwd=project)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == "timings:"
    assert [line.split()[0] for line in lines[1:]] == [
        "discover", "parse", "render", "feeds", "write", "total"]


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["build", "--help"]])
def test_help_and_version_do_not_load_the_pipeline(args: list[str]) -> None:
    code = (f"import sys\nfrom feedpub.cli import cli\ntry:\n    cli({args!r})\n"
            "except SystemExit:\n    pass\n"
            "heavy = {'feedgen', 'lxml', 'cmarkgfm', 'nh3', 'yaml', 'frontmatter'}\n"
            "print(sorted(heavy & {m.split('.')[0] for m in sys.modules}))")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "[]"


def test_output_and_url_options_override_the_config(project: Path, tmp_path_factory) -> None:
    from lxml import etree

    elsewhere = tmp_path_factory.mktemp("staging")
    result = run("build", "--output", str(elsewhere / "out"),
                 "--url", "https://staging.example.net/preview/", cwd=project)
    assert result.exit_code == 0, result.output
    assert not (project / "public").exists()
    rss = etree.parse(str(elsewhere / "out" / "rss.xml")).getroot()
    assert rss.findtext("channel/link") == "https://staging.example.net/preview/"
    links = [i.findtext("link") for i in rss.iter("item")]
    assert links and all(x.startswith("https://staging.example.net/preview/") for x in links)
    # The cache knows the options changed the output: a plain build is not "unchanged".
    plain = run("build", cwd=project)
    assert plain.output.splitlines()[0].startswith("wrote public/rss.xml"), plain.output
    assert run("build", "--url", "https://staging.example.net/preview/",
               "--output", str(elsewhere / "out"), cwd=project).output.startswith("unchanged")
    # check takes them too, and a bad one is named as the option.
    bad = run("check", "--url", "ftp://example.net/", cwd=project)
    assert bad.exit_code == 1
    assert "error: --url 'ftp://example.net/' must be an absolute http(s) URL" in bad.output
    relative = run("build", "--output", "rel-out", cwd=project)
    assert relative.exit_code == 0 and (project / "rel-out" / "atom.xml").exists()


def test_build_prints_the_warnings_check_gives_and_quiet_silences_them(project: Path) -> None:
    (project / "entries" / "b.md").write_text(entry("B", "2021-05-12", tittle="x",
                                                    body="![](map.png)"))
    result = run("build", cwd=project)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        "entries/b.md:4: warning: unknown key 'tittle' is ignored",
        "  hint: did you mean 'title'?",
        "entries/b.md: warning: image 'map.png' has no alt text",
        "  hint: write ![what the image shows](file.png)"]
    assert "note:" not in result.output  # drafts and future entries: counted on stdout
    assert "left out: 1 draft, 1 dated in the future" in result.stdout
    quiet = run("build", "--quiet", "--no-cache", cwd=project)
    assert quiet.exit_code == 0 and quiet.output == ""
    (project / "entries" / "bad.md").write_text("---\ntitle: X\ndate: soon\n---\n")
    failed = run("build", "--quiet", cwd=project)
    assert failed.exit_code == 1 and "entries/bad.md:3: error: date 'soon'" in failed.stderr


def test_quiet_still_names_the_entries_skip_invalid_left_out(project: Path) -> None:
    (project / "entries" / "bad.md").write_text("---\ntitle: X\ndate: soon\n---\n")
    (project / "entries" / "b.md").write_text(entry("B", "2021-05-12", tittle="x"))
    result = run("build", "--skip-invalid", "--quiet", cwd=project)
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "entries/bad.md:3: warning: date 'soon' is not a date (entry skipped: --skip-invalid)",
        "  hint: write it as 2021-05-13, 2021-05-13T14:30:00+02:00, 2021-05-13 14:30 or "
        "Thu, 13 May 2021 14:30:00 +0200"]  # and not the near-miss key's warning


def test_build_warns_about_a_summary_only_feed_without_summaries(project: Path) -> None:
    (project / "feedpub.toml").write_text(
        (project / "feedpub.toml").read_text() + 'content = "summary"\n')
    (project / "entries" / "b.md").write_text(entry("B", "2021-05-12", summary="Given."))
    result = run("build", cwd=project)
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [
        'entries/2021-05-13-a.md: warning: has no summary, and feed.content is "summary": '
        "readers get only its first paragraph",
        "  hint: add 'summary: ...' or a <!--more--> line"]


def test_an_empty_build_does_not_replace_a_feed_that_has_entries(project: Path) -> None:
    assert run("build", cwd=project).exit_code == 0
    before = {p.name: p.read_bytes() for p in (project / "public").iterdir()}
    # The value some reproducible-build systems set: 1980, before every entry.
    result = run("build", cwd=project, env={"SOURCE_DATE_EPOCH": "315532800"})
    assert result.exit_code == 1
    assert result.stderr.splitlines()[:3] == [
        "feedpub.toml: error: this build has no entries and would replace public/rss.xml, "
        "which has 2; nothing was written (now is 1980-01-01T00:00:00+00:00 "
        "(SOURCE_DATE_EPOCH=315532800))",
        "  hint: fix what left the entries out (listed below), or build --allow-empty to "
        "publish an empty feed",
        "entries/2021-05-13-a.md: note: is dated 2021-05-13T10:00:00+00:00, in the future: "
        "left out until then (build --future includes it)"]
    assert "entries/draft.md: note: is a draft" in result.stderr
    assert {p.name: p.read_bytes() for p in (project / "public").iterdir()} == before
    # Every entry invalid under --skip-invalid, or no entries at all: the same.
    for path in (project / "entries").iterdir():
        path.write_text("---\ntitle: [\n---\n")
    skipped = run("build", "--skip-invalid", cwd=project)
    assert skipped.exit_code == 1 and "(entry skipped: --skip-invalid)" in skipped.stderr
    assert "no entries were found" not in skipped.stderr  # they were found, and invalid
    for path in (project / "entries").iterdir():
        path.unlink()
    gone = run("build", cwd=project)
    assert gone.exit_code == 1 and "entries: error: no entries were found" in gone.stderr
    assert {p.name: p.read_bytes() for p in (project / "public").iterdir()} == before
    # Asked for, an empty feed is published; a first build may be empty anyway.
    allowed = run("build", "--allow-empty", cwd=project)
    assert allowed.exit_code == 0, allowed.output
    assert b"<item>" not in (project / "public" / "rss.xml").read_bytes()
    assert run("build", cwd=project).exit_code == 0  # nothing to replace now


def test_build_says_when_it_ignored_a_damaged_cache_file(project: Path) -> None:
    assert run("build", cwd=project).exit_code == 0
    state = project / ".feedpub-cache" / "feedpub.state.json"
    state.write_bytes(state.read_bytes()[:50])
    result = run("build", cwd=project)
    assert result.exit_code == 0
    assert ".feedpub-cache/feedpub.state.json: note: build cache file ignored" in result.stderr
    assert run("build", "--quiet", "--no-cache", cwd=project).stderr == ""
