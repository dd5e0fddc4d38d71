"""Shared fixtures: small sites written into tmp_path, and the validator kit."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import textwrap
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from feedpub.build import build
from feedpub.config.load import load_config
from feedpub.config.model import Config

ROOT = pathlib.Path(__file__).resolve().parents[1]
# The team's validator kit lives in shared/ beside the repository; FEEDPUB_FEEDCHECK
# names another place. Without it the tests that use it are skipped, saying how to get
# it, unless FEEDPUB_REQUIRE_FEEDCHECK=1 (as in .ci/run): then they fail.
FEEDCHECK = Path(os.environ.get("FEEDPUB_FEEDCHECK") or ROOT.parent / "shared" / "feedcheck")
FEEDCHECK_MISSING = ("the validator kit is not at {kit}: put the team's shared/ folder beside "
                     "the repository, or set FEEDPUB_FEEDCHECK=DIR")
NOW = datetime(2030, 1, 1, tzinfo=UTC)

BASE_CONFIG = """\
[feed]
title = "Test site"
description = "A site for tests"
url = "https://example.org/blog/"
language = "en"
author = { name = "Default Author", email = "default@example.org" }
timezone = "UTC"
"""

FEEDS_ONLY = "[site]\npages = false\n\n"

NS = {
    "atom": "http://www.w3.org/2005/Atom",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "dc": "http://purl.org/dc/elements/1.1/",
}


def write_site(root: pathlib.Path, entries: dict[str, str | bytes],
               config: str = BASE_CONFIG, extra: str = "") -> pathlib.Path:
    """Write feedpub.toml and entry files under root; returns the config path.

    The site makes feeds alone (`[site] pages = false`) unless `config` or `extra`
    has a [site] table: most tests are about the feeds, and read the files a build
    writes, or what it says about them (tests/outputs/test_pages.py and
    test_entry_pages.py are about the pages, on by default)."""
    root.mkdir(parents=True, exist_ok=True)
    path = root / "feedpub.toml"
    text = config + extra
    if "[site]" not in text:  # first: a test may add [feed] keys at the end
        text = FEEDS_ONLY + text if text.lstrip().startswith("[feed]") else text + FEEDS_ONLY
    path.write_text(text, encoding="utf-8")
    for name, text in entries.items():
        file = root / "entries" / name
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            file.write_bytes(text)
        else:
            file.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    (root / "entries").mkdir(exist_ok=True)
    return path


def entry(title: str = "Hello", date: str = "2021-05-13T10:00:00Z", body: str = "Body text.",
          **keys: str) -> str:
    """A YAML front matter entry; extra keys are written verbatim as `key: value`."""
    lines = ["---", f'title: "{title}"']
    if date:
        lines.append(f"date: {date}")
    lines += [f"{k}: {v}" for k, v in keys.items()]
    lines += ["---", "", body, ""]
    return "\n".join(lines)


@pytest.fixture
def site(tmp_path: pathlib.Path) -> Callable[..., Config]:
    def make(entries: dict[str, str | bytes], extra: str = "",
             config: str = BASE_CONFIG) -> Config:
        return load_config(write_site(tmp_path / "site", entries, config, extra))

    return make


@pytest.fixture
def feeds(site: Callable[..., Config]) -> Callable[..., tuple[etree._Element, etree._Element]]:
    """Build in memory and return the parsed (rss, atom) roots."""

    def make(entries: dict[str, str | bytes], extra: str = "", **options: object):
        config = site(entries, extra)
        result = build(config, now=NOW, **options)
        return (etree.fromstring(result.outputs[config.output_dir / "rss.xml"]),
                etree.fromstring(result.outputs[config.output_dir / "atom.xml"]))

    return make


@pytest.fixture(scope="session")
def feedcheck() -> Callable[..., subprocess.CompletedProcess[str]]:
    """feedcheck(path, ...) -> CompletedProcess from the validator kit.

    Without the kit, the tests that use it are skipped with a reason that says how to
    get it; with FEEDPUB_REQUIRE_FEEDCHECK=1 they fail instead, when they call it.
    """
    if not (FEEDCHECK / "check").is_file():
        reason = FEEDCHECK_MISSING.format(kit=FEEDCHECK)
        if os.environ.get("FEEDPUB_REQUIRE_FEEDCHECK") != "1":
            pytest.skip(reason)

        def missing(*paths: pathlib.Path, base: str | None = None, strict: bool = True):
            pytest.fail(f"{reason} (FEEDPUB_REQUIRE_FEEDCHECK=1: every feed must be judged)")

        return missing
    subprocess.run([FEEDCHECK / "setup"], check=True, capture_output=True)

    def run(*paths: pathlib.Path, base: str | None = None, strict: bool = True):
        cmd = [str(FEEDCHECK / "check"), "--quiet"]
        cmd += ["--base", base] if base else []
        cmd += ["--strict"] if strict else []
        proc = subprocess.run(cmd + [str(p) for p in paths], capture_output=True, text=True)
        assert proc.returncode != 2, "feedcheck could not run:\n" + proc.stderr + proc.stdout
        return proc

    return run


EPOCH = {"SOURCE_DATE_EPOCH": "1893456000"}  # 2030-01-01: the clock of CLI tests


def run_cli(root: pathlib.Path, *args: str) -> Result:
    """`feedpub ARGS...` run in folder `root` (click's CliRunner), at EPOCH."""
    from feedpub.cli import cli

    old = pathlib.Path.cwd()
    os.chdir(root)
    try:
        return CliRunner().invoke(cli, list(args), env=EPOCH)
    finally:
        os.chdir(old)


def fixture_front_matters(delimiter: str) -> list[str]:
    """The front matter text of every sample and fixture entry opened by `delimiter`."""
    root = pathlib.Path(__file__).resolve().parent.parent
    found = []
    for path in [*root.joinpath("entries").rglob("*.md"), *root.joinpath("tests").rglob("*.md")]:
        text = path.read_text("utf-8", errors="replace").replace("\r\n", "\n")
        end = text.find("\n" + delimiter, 3)
        if text.startswith(delimiter + "\n") and end >= 0:
            found.append(text[4: end + 1])
    return found


def config_error(root: pathlib.Path, entries: dict[str, str], table: str) -> str:
    """The output of a build whose config ends with `table` (a [name] table and its
    keys), which must fail as a config error naming feedpub.toml."""
    write_site(root, entries, extra="\n" + table + "\n")
    result = run_cli(root, "build")
    assert result.exit_code == 1, result.output
    assert "feedpub.toml:" in result.output
    return result.output


def missing_tool(reason: str, variable: str) -> NoReturn:
    """A tool from outside the repository (a Debian package) is not installed: its
    tests are skipped, saying how to get it, on a lone clone; under `variable`=1 (as
    .ci/run sets it, having installed the tool) they fail instead."""
    if os.environ.get(variable) == "1":
        pytest.fail(f"{reason} ({variable}=1)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def newsboat() -> str:
    """newsboat, a real feed reader (Debian's package): tests/outputs/test_readers.py
    and tests/test_autodiscovery.py read feeds with it."""
    found = shutil.which("newsboat")
    if found is None:
        missing_tool("newsboat is not installed: apt-get install newsboat runs these tests",
                     "FEEDPUB_REQUIRE_NEWSBOAT")
    return found
