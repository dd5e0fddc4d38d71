"""Real feed readers read what feedpub writes: newsboat, when it is installed.

newsboat is a Debian package (`apt-get install newsboat`); `.ci/run` installs it and
sets FEEDPUB_REQUIRE_NEWSBOAT=1, under which a missing newsboat fails instead of
skipping.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from feedpub.build import build
from feedpub.config.load import load_config

from ..conftest import NOW, entry, write_site


def read_with_newsboat(newsboat: str, feed: Path, folder: Path) -> dict[str, str]:
    """Item title -> the author newsboat shows, from its cache. (One feed per cache:
    newsboat keeps one row per guid, and the RSS and Atom feeds share their ids.)"""
    urls = folder / f"{feed.name}.urls"
    urls.write_text(f"file://{feed}\n")
    cache = folder / f"{feed.name}.db"
    subprocess.run([newsboat, "-u", str(urls), "-c", str(cache), "-C", "/dev/null",
                    "-x", "reload"], check=True, capture_output=True, timeout=60,
                   env={**os.environ, "HOME": str(folder)})
    with sqlite3.connect(cache) as db:
        rows = db.execute("SELECT title, author FROM rss_item").fetchall()
    return dict(rows)


def test_newsboat_shows_every_author_of_an_item(newsboat: str, tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path / "site", {
        "two.md": entry("Two", "2021-05-13", author='["Ann Lee <ann@example.org>", "Bob Roe"]'),
        "one.md": entry("One", "2021-05-12", author='"Cy Doe <cy@example.org>"'),
        "three.md": entry("Three", "2021-05-11", author="[Ann Lee, Bob Roe, Cy Doe]"),
    }))
    for path, data in build(config, now=NOW).outputs.items():
        if path.suffix != ".xml":  # newsboat 2.21 (Debian's) reads no JSON Feed
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        shown = read_with_newsboat(newsboat, path, tmp_path)
        assert shown == {"Two": "Ann Lee, Bob Roe", "One": "Cy Doe",
                         "Three": "Ann Lee, Bob Roe, Cy Doe"}, path.name
