"""`read_body`: an entry's body read again without its front matter (what the
archive's pages need for entries whose bodies loading dropped) is the body
`read_source` gives, for every front-matter format, encoding and line ending."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedpub.content.files import Found
from feedpub.content.source import SourceError, read_body, read_source

FIXTURES = Path(__file__).resolve().parent.parent

FILES = {
    "yaml.md": b"---\ntitle: A\n---\n\nBody *one*.\n",
    "toml.md": b'+++\ntitle = "B"\n+++\nBody two.\n',
    "json.md": b'{\n  "title": "C"\n}\n\nBody three.\n',
    "crlf.md": b"---\r\ntitle: D\r\n---\r\nLine one.\r\nLine two.\r\n",
    "utf16.md": "\ufeff---\ntitle: E\n---\nUnicode \u00e9t\u00e9.\n".encode("utf-16-le"),
    "bom.md": "\ufeff---\ntitle: F\n---\nWith a BOM.\n".encode(),
    "control.md": b"---\ntitle: G\n---\nA bell \x07 here.\n",
    "empty-body.md": b"---\ntitle: H\n---\n",
    "same-line.md": b"---\ntitle: I\n---\n\n\n\nAfter blank lines.\n",
}


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_body_read_again_is_the_body_read_first(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(FILES[name])
    found = Found(str(tmp_path / name), name, False)
    source = read_source(found, tmp_path, name)
    assert source.body_start >= 0
    assert read_body(found, tmp_path, name, 1 << 20, source.body_start) == source.body


def test_every_fixture_entry_reads_back_alike() -> None:
    files = [p for p in sorted(FIXTURES.rglob("*.md"))
             if "expected" not in p.parts and p.stat().st_size < 200_000]
    checked = 0
    for path in files:
        found = Found(str(path), path.name, False)
        try:
            source = read_source(found, path.parent, path.name)
        except SourceError:  # a fixture of a broken file: nothing to read again
            continue
        if source.body_start >= 0:
            assert read_body(found, path.parent, path.name, 1 << 24,
                             source.body_start) == source.body, path
            checked += 1
    assert checked > 50
