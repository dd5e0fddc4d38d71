"""`feedpub new`: an entry file named `YYYY-MM-DD-slug.md`, dated now in the config's
time zone, its front matter filled in. It never overwrites: a taken name gets `-2`,
`-3`, and the file is created exclusively.

Slugs are ASCII and lower case. Accented Latin letters are transliterated
(`Crème brûlée à Zürich` -> `creme-brulee-a-zurich`, `Straße` -> `strasse`). A title
mostly in another script gets `entry-` and a short hash of the title instead, rather
than a transliteration readers of that script would not recognise.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from feedpub.config.model import Config

MAX_SLUG = 60


def entry_slug(title: str) -> str:
    letters = [ch for ch in title if ch.isalpha()]
    latin = sum(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)
    hashed = "entry-" + hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]
    if letters and latin * 2 < len(letters):  # mostly another script
        return hashed
    from text_unidecode import unidecode

    text = unidecode(unicodedata.normalize("NFKC", title)).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:MAX_SLUG].strip("-")
    return slug or hashed


def new_entry(config: Config, title: str, now: datetime, *, tags: Sequence[str] = (),
              author: str | None = None, draft: bool = False) -> Path:
    """Write the entry and return its path (FileExistsError never escapes: the next
    free name is taken)."""
    moment = now.astimezone(config.timezone).replace(microsecond=0)
    stem = f"{moment:%Y-%m-%d}-{entry_slug(title)}"
    text = _front_matter(title, moment, tags, author, draft)
    config.entries_dir.mkdir(parents=True, exist_ok=True)
    for number in range(1, 10_000):
        path = config.entries_dir / (f"{stem}.md" if number == 1 else f"{stem}-{number}.md")
        try:
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            continue
        return path
    raise FileExistsError(f"{stem}.md and 9,999 more names are taken")


def _front_matter(title: str, moment: datetime, tags: Sequence[str], author: str | None,
                  draft: bool) -> str:
    # JSON strings are YAML strings: any title, quotes and colons included, reads back
    lines = ["---", f"title: {json.dumps(title, ensure_ascii=False)}",
             f"date: {moment.isoformat()}"]
    if tags:
        lines.append(f"tags: {json.dumps(list(dict.fromkeys(tags)), ensure_ascii=False)}")
    if author:
        lines.append(f"author: {json.dumps(author, ensure_ascii=False)}")
    if draft:
        lines.append("draft: true")
    return "\n".join([*lines, "---", "", "Write here.", ""])
