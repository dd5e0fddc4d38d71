"""Other generators' front matter, read as they mean it (issue 11, "bring your existing
posts"): Jekyll's, Hugo's, Zola's and Pelican's ways of saying "unpublished", their
names for the author, summary and tags, and locale names for the language.

Each test says which generator's behaviour it copies.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from feedpub.build import build
from feedpub.check import check
from feedpub.config.load import load_config
from feedpub.entries.loading import load_entries

from ..conftest import BASE_CONFIG, NOW, NS, entry, write_site


def load(site, files: dict[str, str], extra: str = ""):
    """{name: Entry} and the problems (as text) of a site's entries."""
    result = load_entries(site(files, extra))
    return {e.source.removeprefix("entries/"): e for e in result.entries}, \
        [str(p) for p in result.problems]


def one(site, **keys: str):
    """The one entry made from `keys` (YAML, written as they are), and the problems."""
    entries, problems = load(site, {"a.md": entry(**keys)})
    return entries.get("a.md"), problems


def rss_items(feeds, files: dict[str, str], extra: str = "") -> dict[str, etree._Element]:
    """The RSS items built from `files`, by title."""
    rss, _ = feeds(files, extra)
    return {item.findtext("title"): item for item in rss.iter("item")}


def notes_of(site, files: dict[str, str]) -> list[str]:
    return [str(p) for p in check(site(files), now=NOW).problems]


# -- 3. Language codes ------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "tag"), [
    ("zh_cn", "zh-CN"), ("pt_BR", "pt-BR"), ("en_us", "en-US"),  # locale names
    ("EN-gb", "en-GB"), ("zh-hant-tw", "zh-Hant-TW"), ("de", "de"), ("es-419", "es-419"),
    ("en-x-Twain", "en-x-twain"),
])
def test_locale_names_become_language_tags(site, lang: str, tag: str) -> None:
    """Hugo and Pelican sites write locales (`pt_BR`); feeds want BCP 47 (`pt-BR`)."""
    e, problems = one(site, lang=lang)
    assert problems == []
    assert e.lang == tag


def test_language_tags_in_the_feed_and_config(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {"a.md": entry(lang="zh_cn")},
                                    BASE_CONFIG.replace('"en"', '"pt_br"')))
    assert config.language == "pt-BR"
    result = build(config, now=NOW)
    rss = etree.fromstring(result.outputs[config.output_dir / "rss.xml"])
    atom = etree.fromstring(result.outputs[config.output_dir / "atom.xml"])
    assert rss.findtext("channel/language") == "pt-BR"
    xml_lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert atom.find("atom:entry", NS).get(xml_lang) == "zh-CN"


def test_a_language_that_is_not_a_tag_is_still_refused(site) -> None:
    e, problems = one(site, lang="english")
    assert e is None
    assert problems == ["entries/a.md:4: error: lang 'english' is not a language tag\n"
                        '  hint: use a BCP 47 tag such as "de"']


