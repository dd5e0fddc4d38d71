"""A Jekyll site for the benchmark (standard library only): `_config.yml` and posts
in `_posts/` as `bench/corpus.py` writes them (same bodies, YAML front matter), with
Liquid in 30% of them: `{% highlight %}` blocks, `{{ site.* }}` and `{{ page.* }}`
with filters, `{% post_url %}` to an earlier post, `{% assign %}`, `{% raw %}` and
`{% if %}`; and a kramdown attribute list `{: .note}` in some.
"""

from __future__ import annotations

import random
from pathlib import Path

from corpus import AUTHORS, TAGS, WORDS, _body, _sentence  # (bench/ is on sys.path)

CONFIG = """\
title: Bench Jekyll site
description: A generated Jekyll site for feedpub's benchmark.
url: "https://jekyll.bench.example"
baseurl: "/blog"
timezone: Europe/Berlin
author: Bench Author
permalink: pretty
"""

LIQUID = [
    "{{% highlight ruby %}}\ndef {word}(x)\n  x * {n}\nend\n{{% endhighlight %}}",
    "Posted on {{{{ site.title }}}}: {{{{ page.title | upcase }}}}, {{{{ page.date | "
    "date: \"%B %-d, %Y\" }}}}.",
    "See [an earlier post]({{% post_url {earlier} %}}) and [home]({{{{ '/' | "
    "relative_url }}}}).",
    "{{% assign n = {n} %}}{{% if n > 5 %}}Large: {{{{ n | times: 2 }}}}{{% else %}}"
    "Small{{% endif %}}.",
    "{{% raw %}}Templates look like {{{{ this }}}}.{{% endraw %}}",
]


def write_jekyll_site(root: Path, count: int, seed: int = 1) -> list[Path]:
    """`count` posts under root/_posts (30% with Liquid); returns their paths."""
    rng = random.Random(seed * 7_000_003 + count)
    (root / "_posts").mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(CONFIG, encoding="utf-8")
    paths: list[Path] = []
    for index in range(count):
        minutes = index * 523 + 17
        year = 2015 + (minutes // (365 * 24 * 60)) % 11
        day_of_year = (minutes // (24 * 60)) % 364
        month, day = 1 + day_of_year // 28 % 12, 1 + day_of_year % 28
        name = f"{year:04d}-{month:02d}-{day:02d}-{rng.choice(WORDS)}-{index}"
        title = _sentence(rng, rng.randint(4, 9))[:-1].replace('"', "")
        front = ["---", f'title: "{title} {index}"',
                 f"date: {year:04d}-{month:02d}-{day:02d} {(minutes // 60) % 24:02d}:"
                 f"{minutes % 60:02d}:00 +0100",
                 f"categories: {rng.choice(WORDS)} {rng.choice(WORDS)}",
                 "tags: [" + ", ".join(rng.sample(TAGS, 2)) + "]",
                 f'author: "{rng.choice(AUTHORS)}"', "---"]
        body = _body(rng, rng.randint(1024, 8192), more=rng.random() < 0.3)
        if paths and rng.random() < 0.3:
            earlier = rng.choice(paths).stem
            extra = [t.format(word=rng.choice(WORDS), n=rng.randint(1, 9), earlier=earlier)
                     for t in rng.sample(LIQUID, 3)]
            body = "\n\n".join([*extra[:2], body, extra[2]]) + "\n"
        if rng.random() < 0.1:
            body += "\nA note.\n{: .note}\n"
        path = root / "_posts" / f"{year:04d}" / f"{name}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(front) + "\n\n" + body, encoding="utf-8")
        paths.append(path)
    return sorted(paths)


if __name__ == "__main__":
    import sys

    write_jekyll_site(Path(sys.argv[1]), int(sys.argv[2]))
