"""Golden files: each tests/fixtures/NAME/ (config + entries) beside expected/ feeds
(and, where the site makes them, its pages).

Set FEEDPUB_REGEN=1 to rewrite the expected files after an intended change,
then read the diff before committing it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import feedparser
import pytest

from feedpub.build import build
from feedpub.config.load import load_config

from .conftest import NOW
from .html5 import html5_errors

FIXTURES = sorted(p for p in (Path(__file__).parent / "fixtures").iterdir() if p.is_dir())


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.name for p in FIXTURES])
def test_build_matches_expected_files(fixture: Path) -> None:
    config = load_config(fixture / "feedpub.toml")
    result = build(config, now=NOW)
    expected = fixture / "expected"
    for path, data in result.outputs.items():
        golden = expected / path.relative_to(config.output_dir)  # archive/1/rss.xml too
        if os.environ.get("FEEDPUB_REGEN"):
            golden.parent.mkdir(parents=True, exist_ok=True)
            golden.write_bytes(data)
        assert data == golden.read_bytes(), f"{path} differs from {golden}"
        if path.suffix == ".json":  # feedparser reads no JSON Feed: the schema does (below)
            assert json.loads(data)["version"] == "https://jsonfeed.org/version/1.1"
        elif path.suffix == ".html":  # the site's pages ([site] pages, on by default)
            assert html5_errors(data) == []
        elif path.name != "feed.xsl":  # (the browser stylesheet: tests/outputs/test_browser)
            assert feedparser.parse(data).bozo == 0
    made = {p.relative_to(config.output_dir) for p in result.outputs}
    assert {p.relative_to(expected) for p in expected.rglob("*") if p.is_file()} == made


def test_expected_files_pass_the_validators(feedcheck) -> None:
    files = [f for fixture in FIXTURES for f in sorted((fixture / "expected").rglob("*"))
             if f.is_file() and f.name in ("rss.xml", "atom.xml", "feed.json")]
    assert all((fixture / "expected" / name).is_file() for fixture in FIXTURES
               for name in ("rss.xml", "atom.xml", "feed.json"))
    proc = feedcheck(*files)
    assert proc.returncode == 0, proc.stdout
