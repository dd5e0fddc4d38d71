"""Jekyll's Liquid, rendered in a post before its Markdown (as Jekyll renders it
everywhere in the body, code blocks included; only `{% raw %}` keeps text as it is).
python-liquid does the parsing and rendering; this package adds Jekyll's tags
(highlight, link, post_url, include, include_relative) and filters, reads the site's
`_data`, bounds the work, and turns what goes wrong into warnings.

Only for the posts of a Jekyll site: the caller decides. `has_liquid` is the cheap
test; python-liquid (70 ms to import) is imported by the first body that has some.
Part of `render`: may import `base`, `runtime`, `config`, `entries` and the rest of
`render`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from feedpub.render.liquid.site import LiquidSite, load_site

__all__ = ["LiquidSite", "has_liquid", "load_site", "render_liquid"]


def has_liquid(body: str) -> bool:
    """Whether `body` may hold Liquid (a `{%` or a `{{`). Most posts have no `{` at all,
    which one memchr finds out: 0.07 us for 8 KB, where the two-character tests take
    12 us."""
    return "{" in body and ("{%" in body or "{{" in body)


def render_liquid(body: str, page: Mapping[str, Any], site: LiquidSite, *,
                  path: str) -> tuple[str, list[str]]:
    """`body` with its Liquid rendered, and the warnings (render.py says which).

    `page` holds the page.* variables (title, date as an aware datetime, url,
    categories, tags, slug, and the other front-matter keys); `path` is the post's
    site-relative path (for `include_relative` and page.path). Never raises.
    """
    if not has_liquid(body):
        return body, []
    from feedpub.render.liquid.render import render_liquid as render  # lazy: 70 ms

    return render(body, page, site, path=path)
