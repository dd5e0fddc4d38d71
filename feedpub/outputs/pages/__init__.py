"""The site's own pages ([site] pages = true), from Jinja2 templates a site may
replace with its own (`templates/index.html` beside feedpub.toml): for now the front
page, `index.html`, with the newest entries, the feeds to subscribe to (with a copy
button) and `<link rel="alternate">` autodiscovery for every feed, absolute.

May import `base`, `config`, `entries` and `render`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from feedpub.config import Config
    from feedpub.render.entry import RenderedEntry

INDEX = "index.html"
FEED_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}


def front_page(config: Config, feeds: Sequence[tuple[str, str, str]],
               entries: Sequence[RenderedEntry]) -> bytes:
    """`index.html`: `feeds` as (output name, media type, URL), `entries` newest first."""
    import jinja2

    try:
        return _render(config, feeds, entries)
    except jinja2.TemplateError as exc:  # a site's own template: said, never a traceback
        from feedpub.base.problems import InputError, error

        name = getattr(exc, "filename", None) or f"templates/{INDEX}"
        shown = config.display(Path(name)) if Path(name).is_absolute() else name
        raise InputError([error(f"template {INDEX}: {exc.message or exc}", shown,
                                getattr(exc, "lineno", None),
                                hint="fix the template, or remove it to use feedpub's "
                                     "own")]) from None


def _render(config: Config, feeds: Sequence[tuple[str, str, str]],
            entries: Sequence[RenderedEntry]) -> bytes:
    template = _environment(config).get_template(INDEX)
    return template.render(
        site={"title": config.title, "description": config.description, "url": config.url,
              "language": config.language},
        feeds=[{"name": FEED_NAMES.get(name, name), "type": kind, "url": url}
               for name, kind, url in feeds],
        entries=[_entry(config, item) for item in entries]).encode("utf-8")


def _entry(config: Config, item: RenderedEntry) -> dict[str, Any]:
    entry = item.entry
    local = entry.published.astimezone(config.timezone)
    return {"title": entry.title, "link": entry.link, "date": local.isoformat(),
            "date_text": f"{local.day} {local:%B %Y}",
            "authors": [a.name for a in entry.authors], "summary": item.summary}


def _environment(config: Config) -> Any:
    import jinja2

    own = config.root / "templates"
    loaders: list[Any] = [jinja2.FileSystemLoader(str(own))] if own.is_dir() else []
    loaders.append(jinja2.PackageLoader("feedpub.outputs.pages", "templates"))
    return jinja2.Environment(loader=jinja2.ChoiceLoader(loaders), autoescape=True,
                              keep_trailing_newline=True, undefined=jinja2.StrictUndefined)


def index_path(config: Config) -> Path:
    return config.output_dir / INDEX
