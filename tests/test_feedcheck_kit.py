"""The validator kit judges for real, and a missing kit is a skip that says how to get
it, or a failure when FEEDPUB_REQUIRE_FEEDCHECK=1 (as .ci/run sets)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lxml import etree

from feedpub.build import build
from feedpub.config.load import load_config

from .conftest import FEEDCHECK_MISSING, NOW, ROOT

ATOM = "{http://www.w3.org/2005/Atom}"
KIT_TEST = "tests/test_feedcheck_kit.py::test_kit_fails_an_atom_feed_without_authors"


def test_kit_fails_an_atom_feed_without_authors(feedcheck, tmp_path: Path) -> None:
    config = load_config(ROOT / "feedpub.toml")
    atom = etree.fromstring(build(config, now=NOW).outputs[config.atom_path])
    good = tmp_path / "good.atom.xml"
    good.write_bytes(etree.tostring(atom, xml_declaration=True, encoding="utf-8"))
    for author in atom.iter(f"{ATOM}author"):  # RFC 4287: the feed or each entry needs one
        author.getparent().remove(author)
    bad = tmp_path / "bad.atom.xml"
    bad.write_bytes(etree.tostring(atom, xml_declaration=True, encoding="utf-8"))

    assert feedcheck(good).returncode == 0
    proc = feedcheck(bad)
    assert proc.returncode == 1, proc.stdout
    errors = [line for line in proc.stdout.splitlines() if ": error: [" in line]
    assert errors and all(str(bad) in line for line in errors)
    assert any("[atom-rng]" in line for line in errors)


def _run_without_kit(tmp_path: Path, name: str, **env: str) -> etree._Element:
    """Run KIT_TEST in a child pytest with FEEDPUB_FEEDCHECK at an empty folder; the
    JUnit report's <testcase> for it."""
    report = tmp_path / f"{name}.xml"
    child_env = {k: v for k, v in os.environ.items()
                 if k not in ("FEEDPUB_REQUIRE_FEEDCHECK", "PYTEST_ADDOPTS")}
    child_env.update(FEEDPUB_FEEDCHECK=str(tmp_path / "empty"), **env)
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
         f"--junitxml={report}", KIT_TEST],
        cwd=ROOT, env=child_env, capture_output=True, text=True, timeout=120)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    cases = etree.parse(str(report)).getroot().findall(".//testcase")
    assert len(cases) == 1, proc.stdout
    return cases[0]


def test_missing_kit_skips_with_how_to_get_it_or_fails_when_required(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    reason = FEEDCHECK_MISSING.format(kit=tmp_path / "empty")

    skipped = _run_without_kit(tmp_path, "optional")
    assert [child.tag for child in skipped] == ["skipped"]
    assert reason in skipped[0].get("message")

    failed = _run_without_kit(tmp_path, "required", FEEDPUB_REQUIRE_FEEDCHECK="1")
    assert [child.tag for child in failed] == ["failure"]
    assert reason in failed[0].get("message")
    assert "FEEDPUB_REQUIRE_FEEDCHECK=1" in failed[0].get("message")
