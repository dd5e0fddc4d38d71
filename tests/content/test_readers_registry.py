"""A front-matter format is one reader class, registered in content.handlers.HANDLERS.

The toy reader here reads Pandoc's title block (up to three ``%`` lines at the top:
title, author, date). It is registered for one test only: Pandoc title blocks are not
a default format. (Pelican's ``Key: value`` header, once this file's toy, is one now:
see test_pelican.py.)
"""

from __future__ import annotations

import re
from pathlib import Path

import feedparser
import pytest

from feedpub.build import build
from feedpub.config.load import load_config
from feedpub.content import handlers
from feedpub.content.handlers import Reader
from feedpub.entries.loading import load_entries

from ..conftest import NOW, entry, write_site


class PandocTitleBlock(Reader):
    name = "Pandoc"
    FM_BOUNDARY = re.compile(r"^(?!%)", re.MULTILINE)  # the first line that is not '%'

    def detect(self, text: str) -> bool:
        return text.startswith("% ")

    def bounds(self, text: str) -> tuple[int, int, int] | None:
        end = self.FM_BOUNDARY.search(text)
        return None if end is None else (0, end.start(), end.start())

    def load(self, fm: str, **kwargs: object) -> dict[str, str]:
        values = (line.removeprefix("%").strip() for line in fm.splitlines())
        return dict(zip(("title", "author", "date"), values, strict=False))


@pytest.fixture
def pandoc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(handlers, "HANDLERS", (*handlers.HANDLERS, PandocTitleBlock()))


PANDOC_ENTRY = """\
% Read by a reader of the test's own
% Jane Doe
% 2021-05-12 10:20

The body, after the title block.
"""


def test_a_registered_reader_reads_entries_into_the_feeds(pandoc: None, tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {
        "pandoc.md": PANDOC_ENTRY,
        "yaml.md": entry("A YAML entry", "2021-05-11T09:00:00Z"),
    }))
    outputs = build(config, now=NOW).outputs
    for path in ((config.output_dir / "rss.xml"), (config.output_dir / "atom.xml")):
        feed = feedparser.parse(outputs[path])
        assert feed.bozo == 0, path.name
        assert [e.title for e in feed.entries] == ["Read by a reader of the test's own",
                                                   "A YAML entry"], path.name
        when = feed.entries[0].get("published_parsed") or feed.entries[0].updated_parsed
        assert tuple(when)[:6] == (2021, 5, 12, 10, 20, 0), path.name
        assert feed.entries[0].author_detail.name == "Jane Doe", path.name
        assert "The body, after the title block." in feed.entries[0].description


def test_the_reader_is_registered_only_where_a_test_asks_for_it(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {"pandoc.md": PANDOC_ENTRY}))
    assert not any(isinstance(h, PandocTitleBlock) for h in handlers.HANDLERS)
    problems = load_entries(config).problems
    assert [(p.message, p.line) for p in problems] == [("has no front matter", 1)]


def test_the_registry_tries_the_default_formats_in_order() -> None:
    assert [h.name for h in handlers.HANDLERS] == ["YAML", "TOML", "JSON", "Pelican"]
    assert handlers.find("---\ntitle: x\n---\n").name == "YAML"
    assert handlers.find("+++\ntitle = 'x'\n+++\n").name == "TOML"
    assert handlers.find('{\n"title": "x"\n}\n').name == "JSON"
    assert handlers.find("Title: x\n\nbody\n").name == "Pelican"
    assert handlers.find("% x\n\nbody\n") is None


@pytest.mark.parametrize(("text", "front_matter", "body"), [
    ("---\ntitle: x\n---\n\nbody\n", "\ntitle: x\n", "body\n"),
    ("+++\ntitle = 'x'\n+++\nbody\n", "\ntitle = 'x'\n", "body\n"),
    ('{\n"title": "x"\n}\nbody\n', '{\n"title": "x"\n}', "body\n"),
    ("Title: x\n\nbody\n", "Title: x\n", "body\n"),
])
def test_each_reader_splits_through_the_handler_api(text: str, front_matter: str,
                                                   body: str) -> None:
    handler = handlers.find(text)
    assert handler is not None
    assert handler.split(text) == (front_matter, body)
    assert handler.load(front_matter) == {"title": "x"}
