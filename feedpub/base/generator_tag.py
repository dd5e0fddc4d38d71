"""feedpub's mark on the pages it makes, `<meta name="generator" content="feedpub">`:
what tells a page of feedpub's, in an output folder without the build cache's record,
from another tool's (publish/guards.py), and what a site's own template must keep
(outputs/pages/). Found however it is quoted, spaced or ordered."""

from __future__ import annotations

import re

GENERATOR_TAG = '<meta name="generator" content="feedpub">'
GENERATOR = re.compile(
    rb"""<meta\s[^>]*name\s*=\s*["']?generator["']?\s[^>]*content\s*=\s*["']?feedpub\b"""
    rb"""|<meta\s[^>]*content\s*=\s*["']?feedpub\b[^>]*\sname\s*=\s*["']?generator\b""",
    re.IGNORECASE)
# Where in a page it is looked for: its head, however long its inline stylesheet.
PAGE_HEAD = 64 * 1024


def has_generator_tag(page: bytes) -> bool:
    return GENERATOR.search(page, 0, PAGE_HEAD) is not None
