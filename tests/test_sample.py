"""The bundled sample (feedpub.toml + entries/) builds into valid, complete feeds."""

from __future__ import annotations

import shutil
from pathlib import Path

import feedparser
import pytest
from click.testing import CliRunner
from lxml import etree

from feedpub.cli import cli

from .conftest import ROOT


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("sample")
    shutil.copy(ROOT / "feedpub.toml", site / "feedpub.toml")
    shutil.copytree(ROOT / "entries", site / "entries")
    result = CliRunner().invoke(cli, ["build", "--config", str(site / "feedpub.toml")],
                                env={"SOURCE_DATE_EPOCH": "1893456000"})  # 2030-01-01
    assert result.exit_code == 0, result.output
    return site / "public"


def test_sample_passes_every_validator_strictly(sample: Path, feedcheck) -> None:
    proc = feedcheck(*sorted(p for p in sample.rglob("*")
                             if p.is_file() and p.suffix in (".xml", ".json")))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def every_entry(sample: Path, name: str) -> etree._Element:
    """The main Atom feed with the entries of the archive's pages added: the whole
    history, each entry once."""
    atom = etree.parse(str(sample / "atom.xml")).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    ids = {e.findtext("a:id", namespaces=ns) for e in atom.iterfind("a:entry", ns)}
    for page in sorted((sample / "archive").glob(f"*/{name}")):
        for item in etree.parse(str(page)).getroot().iterfind("a:entry", ns):
            if item.findtext("a:id", namespaces=ns) not in ids:
                ids.add(item.findtext("a:id", namespaces=ns))
                atom.append(item)
    return atom


def test_sample_turns_on_every_output(sample: Path) -> None:
    files = {p.relative_to(sample).as_posix() for p in sample.rglob("*") if p.is_file()}
    assert {"rss.xml", "atom.xml", "feed.json", "tags/world/atom.xml",
            "archive/1/atom.xml", "archive/3/feed.json"} <= files
    atom = etree.parse(str(sample / "atom.xml")).getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.findtext("a:icon", namespaces=ns) == "https://dispatch.example.org/icon.png"
    assert atom.find("a:link[@rel='prev-archive']", ns).get("href") == \
        "https://dispatch.example.org/archive/2/atom.xml"  # the newest full page


def test_sample_shows_the_features_it_is_meant_to(sample: Path) -> None:
    atom = every_entry(sample, "atom.xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = atom.findall("a:entry", ns)
    assert len(entries) == 4  # the main feed's 3, and one more in the archive
    names = [n.text for n in atom.iterfind("a:entry/a:author/a:name", ns)]
    assert len(set(names)) >= 3  # several authors
    with_email = {a.findtext("a:name", namespaces=ns)
                  for a in atom.iterfind("a:entry/a:author", ns)
                  if a.find("a:email", ns) is not None}
    assert with_email and set(names) - with_email  # one with an e-mail, one without
    assert atom.find("a:entry[@{http://www.w3.org/XML/1998/namespace}lang='de']", ns) \
        is not None
    published = [p.text for p in atom.iterfind("a:entry/a:published", ns)]
    assert any(p.endswith("+03:00") for p in published)  # an explicit offset
    assert any(p.endswith("T00:00:00-04:00") for p in published)  # date only, config zone
    draft = (ROOT / "entries").rglob("*.md")
    assert any("draft: true" in p.read_text("utf-8") for p in draft)
    assert not any("Draft" in (t.text or "") for t in atom.iterfind("a:entry/a:title", ns))
    assert any(p.read_text("utf-8").startswith("+++") for p in (ROOT / "entries").rglob("*.md"))


@pytest.mark.parametrize("name", ["rss.xml", "atom.xml"])
def test_feedparser_round_trips_every_entry(sample: Path, name: str) -> None:
    parsed = feedparser.parse((sample / name).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert len(parsed.entries) == 3  # limit = 3: the oldest is in the archive only
    for item in parsed.entries:
        assert item.id.startswith("tag:dispatch.example.org,2021-05-")
        assert item.title
        assert item.link.startswith("https://dispatch.example.org/")
        assert item.published_parsed
        assert item.authors and all(a.get("name") for a in item.authors)
        assert item.tags
    truce = next(e for e in parsed.entries if "ceasefire" in e.title)
    assert truce.link == "https://dispatch.example.org/world/2021-05-13-cabinet-rejects-truce/"
    assert [t.term for t in truce.tags] == ["world", "middle east", "gaza"]
    assert truce.author_detail.email == "dana@dispatch.example.org"
    assert tuple(truce.published_parsed)[:5] == (2021, 5, 13, 5, 30)  # 08:30+03:00
    notes = next(e for e in parsed.entries if e.title.startswith("Weekly notes"))
    if name == "atom.xml":  # one <author> each
        assert [a.name for a in notes.authors] == ["Mara Lindqvist", "Tomás Okafor"]
    else:  # one dc:creator naming both: what readers show
        assert notes.author == "Mara Lindqvist, Tomás Okafor"
