"""A deterministic corpus of realistic entries for the benchmark (standard library only).

Front matter in several forms (YAML with offsets, date-only, naive times, TOML,
dates from the file name), one to three authors, two to four tags, some
summaries and <!--more--> markers; Markdown bodies of 1-8 KiB with headings,
emphasis, relative and absolute links, images, lists, quotes and fenced code.
"""

from __future__ import annotations

import random
from pathlib import Path

_WORD_TEXT = """report council river market harbour election budget school station winter
bridge housing museum library festival transport energy climate rain survey water park
street night morning court hospital ferry coast farm forest mountain tower garden island
village teacher engineer doctor mayor nurse reporter editor writer reader visitor the of
and to in on with for from by at after before while because although new old small large
early late quiet busy local national weekly annual public"""
WORDS = _WORD_TEXT.split()
AUTHORS = ["Mara Lindqvist <mara@example.org>", "Tomás Okafor", "Dana Whitcombe",
           "Li Wei <li.wei@example.org>", "Aiyana Redcloud", "Jörg Müller <jm@example.org>"]
TAGS = [f"topic-{i}" for i in range(40)] + ["world", "local", "science", "sport", "culture"]


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def _paragraph(rng: random.Random, earlier: list[str] | None = None) -> str:
    """`earlier`: links to other entries' pages, as written from this one's (None: to
    pages that are not there, as bench/jekyll_corpus.py's posts have them)."""
    parts = []
    for _ in range(rng.randint(2, 5)):
        sentence = _sentence(rng, rng.randint(8, 20))
        roll = rng.random()
        if roll < 0.2:
            sentence = sentence.replace(" ", " *", 1).replace(" ", "* ", 2)
        elif roll < 0.35:
            target = (rng.choice(earlier) if earlier else
                      f"../{rng.choice(WORDS)}-{rng.randint(1, 999)}/")
            sentence += f" See [the {rng.choice(WORDS)} story]({target})."
        elif roll < 0.45:
            target = f"https://example.net/{rng.choice(WORDS)}/{rng.randint(1, 99)}"
            sentence += f" Source: [{rng.choice(WORDS)}]({target})."
        elif roll < 0.5:
            sentence += " **" + _sentence(rng, 3)[:-1] + "**."
        parts.append(sentence)
    return " ".join(parts)


def _block(rng: random.Random, earlier: list[str] | None = None) -> str:
    roll = rng.random()
    if roll < 0.12:
        return "## " + _sentence(rng, rng.randint(3, 7))[:-1]
    if roll < 0.22:
        items = [f"- {_sentence(rng, rng.randint(4, 10))}" for _ in range(rng.randint(2, 5))]
        return "\n".join(items)
    if roll < 0.29:
        return "> " + _paragraph(rng, earlier)
    if roll < 0.36:
        return f"![{_sentence(rng, 4)[:-1]}](images/{rng.choice(WORDS)}-{rng.randint(1, 99)}.jpg)"
    if roll < 0.42:
        lines = "\n".join(f"value_{i} = {rng.randint(0, 999)}  # {rng.choice(WORDS)}"
                          for i in range(rng.randint(2, 8)))
        return f"```python\n{lines}\n```"
    return _paragraph(rng, earlier)


def _body(rng: random.Random, size: int, more: bool, earlier: list[str] | None = None) -> str:
    blocks: list[str] = []
    length = 0
    while length < size:
        block = _block(rng, earlier)
        blocks.append(block)
        length += len(block) + 2
        if more and len(blocks) == 2:
            blocks.append("<!--more-->")
    return "\n\n".join(blocks) + "\n"


def _front_matter(rng: random.Random, index: int,
                  stamp: tuple[int, int, int, int, int]) -> tuple[str, bool]:
    """(front matter text, whether the date lives only in the file name)."""
    year, month, day, hour, minute = stamp
    title = _sentence(rng, rng.randint(4, 9))[:-1].replace('"', "")
    authors = rng.sample(AUTHORS, rng.randint(1, 3))
    tags = rng.sample(TAGS, rng.randint(2, 4))
    summary = _sentence(rng, rng.randint(12, 25)) if rng.random() < 0.3 else None
    form = rng.random()
    if form < 0.15:  # TOML
        lines = ["+++", f'title = "{title} {index}"',
                 f"date = {year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+01:00",
                 "author = [" + ", ".join(f'"{a}"' for a in authors) + "]",
                 "tags = [" + ", ".join(f'"{t}"' for t in tags) + "]"]
        if summary:
            lines.append(f'summary = "{summary}"')
        return "\n".join([*lines, "+++"]), False
    lines = ["---", f'title: "{title} {index}"']
    from_name = False
    if form < 0.55:
        lines.append(f"date: {year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+02:00")
    elif form < 0.7:
        lines.append(f"date: {year:04d}-{month:02d}-{day:02d}")
    elif form < 0.8:
        lines.append(f'date: "{year:04d}-{month:02d}-{day:02d} {hour:02d}:{minute:02d}:00"')
    else:
        from_name = True
    if len(authors) == 1:
        lines.append(f'author: "{authors[0]}"')
    else:
        lines.append("author:")
        lines += [f'  - "{a}"' for a in authors]
    lines.append("tags: [" + ", ".join(tags) + "]")
    if summary:
        lines.append(f'summary: "{summary}"')
    if rng.random() < 0.2:
        lines.append("layout: post")  # a key from another tool, ignored
    return "\n".join([*lines, "---"]), from_name


def write_corpus(root: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` entries under root/entries; returns their paths (sorted)."""
    rng = random.Random(seed * 1_000_003 + count)
    entries = root / "entries"
    paths = []
    for index in range(count):
        # Spread over ten years; distinct minutes keep every 'updated' distinct.
        minutes = index * 523 + 17
        year = 2015 + (minutes // (365 * 24 * 60)) % 11
        day_of_year = (minutes // (24 * 60)) % 364
        month, day = 1 + day_of_year // 28 % 12, 1 + day_of_year % 28
        stamp = (year, month, day, (minutes // 60) % 24, minutes % 60)
        front, _ = _front_matter(rng, index, stamp)
        # Links to older entries' pages, as a blog's posts link to each other: each
        # page is at its file's path (feed.permalink's default), /2015/2015-01-02-x-7/.
        body = _body(rng, rng.randint(1024, 8192), more=rng.random() < 0.3,
                     earlier=[f"../../{p.parent.name}/{p.stem}/" for p in paths[-200:]])
        name = f"{year:04d}-{month:02d}-{day:02d}-{rng.choice(WORDS)}-{index}.md"
        path = entries / f"{year:04d}" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{front}\n\n{body}", encoding="utf-8")
        paths.append(path)
    return sorted(paths)


if __name__ == "__main__":
    import sys

    write_corpus(Path(sys.argv[1]), int(sys.argv[2]))
