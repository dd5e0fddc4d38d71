"""Language feeds (`languages = "split"`, feedpub/outputs/languages.py): a feed set
per language with that language as the feed's; entries without `lang` are in the
feed's language; the main feed keeps every entry."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from feedpub.base.problems import ConfigError
from feedpub.build import build
from tests.conftest import NOW, entry

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ENTRIES = {"a.md": entry("Hallo", "2021-05-13T10:00:00Z", lang="de"),
           "b.md": entry("Hello", "2021-05-14T10:00:00Z"),
           "c.md": entry("Olá", "2021-05-15T10:00:00Z", lang="pt_BR"),
           "d.md": entry("Tschüss", "2021-05-16T10:00:00Z", lang="de")}


def files(site, extra: str = 'languages = "split"\n') -> dict[str, bytes]:
    config = site(ENTRIES, extra)
    return {p.relative_to(config.output_dir).as_posix(): d
            for p, d in build(config, now=NOW).outputs.items()}


def test_each_language_gets_a_feed_set_in_its_own_folder(site) -> None:
    out = files(site)
    assert sorted(p for p in out if "/" in p) == [
        "de/atom.xml", "de/feed.json", "de/rss.xml", "en/atom.xml", "en/feed.json",
        "en/rss.xml", "pt-br/atom.xml", "pt-br/feed.json", "pt-br/rss.xml"]


def test_a_language_feed_says_its_language_and_holds_its_entries(site) -> None:
    out = files(site)
    atom = etree.fromstring(out["de/atom.xml"])
    assert atom.get(XML_LANG) == "de"
    assert atom.findtext(f"{ATOM}id") == "https://example.org/blog/de/"
    assert [e.findtext(f"{ATOM}title") for e in atom.iter(f"{ATOM}entry")] == \
        ["Tschüss", "Hallo"]
    rss = etree.fromstring(out["pt-br/rss.xml"]).find("channel")
    assert (rss.findtext("language"), [i.findtext("title") for i in rss.iter("item")]) == \
        ("pt-BR", ["Olá"])
    english = json.loads(out["en/feed.json"])  # no lang: the feed's language ("en")
    assert (english["language"], [i["title"] for i in english["items"]]) == ("en", ["Hello"])
    main = json.loads(out["feed.json"])
    assert [i["title"] for i in main["items"]] == ["Tschüss", "Olá", "Hello", "Hallo"]


def test_one_language_feed_is_the_default(site) -> None:
    assert sorted(files(site, "")) == ["atom.xml", "feed.json", "rss.xml"]


def test_languages_is_checked(site) -> None:
    with pytest.raises(ConfigError) as raised:
        site(ENTRIES, 'languages = "each"\n')
    assert 'feed.languages must be "one" or "split", not \'each\'' in str(raised.value)


def test_the_validator_kit_accepts_language_feeds(site, feedcheck, tmp_path) -> None:
    written = []
    for name, data in files(site).items():
        target = tmp_path / "out" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(target)
    feedcheck(*sorted(written))
