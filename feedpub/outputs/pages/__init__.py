"""The site's own pages ([site] pages = true), from Jinja2 templates a site may
replace with its own (`templates/NAME` beside feedpub.toml): the front page,
`index.html`, with the newest entries, the feeds to subscribe to (with a copy
button) and `<link rel="alternate">` autodiscovery for every feed, absolute; and
each entry's own page at its link (entry.py).

May import `base`, `config`, `entries` and `render`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from feedpub.base.problems import Problem
    from feedpub.config import Config
    from feedpub.outputs.registry import Fragments
    from feedpub.render.entry import RenderedEntry

INDEX = "index.html"
FEED_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
Feeds = Sequence[tuple[str, str, str]]  # each feed's (output name, media type, URL)


def front_page(config: Config, feeds: Feeds, entries: Sequence[RenderedEntry]) -> bytes:
    """`index.html`: `feeds` of the main feed, `entries` newest first."""
    return render_page(config, INDEX, site=site_fields(config), feeds=feed_fields(feeds),
                       entries=[entry_fields(config, item) for item in entries])


def render_page(config: Config, name: str, about: str | None = None,
                **fields: Any) -> bytes:
    """The template `name` (the site's own, else feedpub's) with `fields`. An error in
    it is an InputError naming the template and its line (and the entry `about`),
    never a traceback: a site's template may do anything with the values it gets."""
    import jinja2

    try:
        return environment(config).get_template(name).render(**fields).encode("utf-8")
    except Exception as exc:
        from feedpub.base.problems import InputError, error

        if isinstance(exc, jinja2.TemplateNotFound):  # one a site's template includes
            raise InputError([error(
                f"template {name}: no template {exc.name!r} (included or extended)",
                config.display(config.root / "templates"),
                hint="add it to templates/, or take the include out")]) from None
        where, line = _template_place(exc, name)
        shown = config.display(Path(where)) if Path(where).is_absolute() else where
        message = getattr(exc, "message", None) or str(exc) or type(exc).__name__
        if not isinstance(exc, jinja2.TemplateError):
            message = f"{type(exc).__name__}: {message}"
        about = None if isinstance(exc, jinja2.TemplateSyntaxError) else about
        raise InputError([error(f"template {name}"
                                + (f" (making the page of {about})" if about else "")
                                + f": {message}", shown, line,
                                hint="fix the template, or remove it to use feedpub's "
                                     "own")]) from None


def _template_place(exc: Exception, name: str) -> tuple[str, int | None]:
    """The template file and line an error is in: a syntax error says; an error while
    rendering is found in the traceback, where Jinja2 puts the template's lines."""
    where = getattr(exc, "filename", None)
    if where:
        return where, getattr(exc, "lineno", None)
    import traceback

    frames = [f for f in traceback.extract_tb(exc.__traceback__)
              if f.filename.endswith(("/templates/" + name, "\\templates\\" + name))]
    if frames:
        return frames[-1].filename, frames[-1].lineno
    return f"templates/{name}", None


def made_template_warnings(config: Config, front: bytes | None,
                           fragments: Iterable[Fragments]) -> list[Problem]:
    """`template_warnings`, judged on the front page and on one entry's page (an entry's
    page is its last fragment but one: registry.page_only)."""
    from feedpub.outputs.pages.entry import TEMPLATE

    page = next((bytes(parts[0][-2]) for parts in fragments if len(parts[0][-2])), None)
    return template_warnings(config, {INDEX: front, TEMPLATE: page})


def template_warnings(config: Config, made: Mapping[str, bytes | None]) -> list[Problem]:
    """A warning for each of the site's own page templates (by name) whose page, as
    made (`made`: a page of each, or None), lacks feedpub's generator tag in its head:
    a build without the cache's record (a fresh clone) would take its pages for another
    tool's, and refuse to replace them (publish/guards.py)."""
    from feedpub.base.generator_tag import GENERATOR_TAG, has_generator_tag
    from feedpub.base.problems import warning

    return [warning(f"makes pages without {GENERATOR_TAG} in their head: without the build "
                    "cache (a fresh clone), feedpub cannot tell them from another tool's "
                    "pages, and refuses to replace them", config.display(path),
                    hint="add it to the template's <head> (or the template it extends)")
            for name, page in made.items()
            if page is not None and (path := config.root / "templates" / name).is_file()
            and not has_generator_tag(page)]


def site_fields(config: Config) -> dict[str, Any]:
    return {"title": config.title, "description": config.description, "url": config.url,
            "language": config.language}


def feed_fields(feeds: Feeds) -> list[dict[str, str]]:
    return [{"name": FEED_NAMES.get(name, name), "type": kind, "url": url}
            for name, kind, url in feeds]


def entry_fields(config: Config, item: RenderedEntry) -> dict[str, Any]:
    """What a template knows of an entry (its `html`: sanitised, every URL absolute)."""
    from markupsafe import Markup

    entry = item.entry
    local = entry.published.astimezone(config.timezone)
    changed = entry.updated.astimezone(config.timezone)
    return {"title": entry.title, "link": entry.link, "date": local.isoformat(),
            "date_text": _date_text(local), "updated": changed.isoformat(),
            "updated_text": _date_text(changed) if changed.date() != local.date() else "",
            "authors": [a.name for a in entry.authors], "tags": list(entry.tags),
            "summary": item.summary, "html": Markup(html5(item.html)), "lang": entry.lang,
            "image": entry.image,
            "audio": [(url, kind) for url, _, kind in entry.enclosures
                      if kind.startswith("audio/")]}


# The table and rule attributes HTML 4 had and HTML5 made obsolete, which the
# sanitiser keeps (feed readers show them): a page has an alignment as CSS instead.
_OLD_TAG = re.compile(r"<(col|colgroup|hr|table|tbody|td|tfoot|th|thead|tr)( [^>]*)>")
_OLD_ATTRIBUTE = re.compile(r' (align|char|charoff|size|width|summary)="([^"]*)"')
_ALIGNED = {"col", "colgroup", "tbody", "td", "tfoot", "th", "thead", "tr"}


# Elements HTML5 made obsolete that the sanitiser keeps, as their HTML5 kin; an image
# map loses its areas (the sanitiser leaves them no link) and its element.
_OLD_ELEMENT = re.compile(r"<(/?)(acronym|center|strike|tt|map)\b([^>]*)>|<area\b[^>]*>")
_NEW_ELEMENT = {"acronym": "abbr", "center": "div", "strike": "s", "tt": "code",
                "map": "div"}
_IMAGE_WITHOUT_ALT = re.compile(r"<img\b(?![^>]*\salt=)")


def html5(body: str) -> str:
    """An entry's sanitised HTML, valid HTML5: each obsolete element as its HTML5 kin,
    each obsolete attribute of a table or rule dropped (a cell's or row's alignment
    kept as `style="text-align: ..."`), and an image without alt text given an empty
    one (as cmark gives one written without)."""
    if "<img" in body:
        body = _IMAGE_WITHOUT_ALT.sub('<img alt=""', body)
    if _OLD_ELEMENT.search(body):
        body = _OLD_ELEMENT.sub(_new_element, body)
    if " align=" not in body and not _OLD_TAG.search(body):
        return body

    def tag(match: re.Match[str]) -> str:
        name, attributes = match.group(1), match.group(2)
        aligned = [value.lower() for key, value in _OLD_ATTRIBUTE.findall(attributes)
                   if key == "align" and name in _ALIGNED
                   and value.lower() in ("left", "center", "right", "justify")]
        kept = _OLD_ATTRIBUTE.sub("", attributes)
        style = f' style="text-align: {aligned[0]}"' if aligned else ""
        return f"<{name}{kept}{style}>"

    return _OLD_TAG.sub(tag, body)


def _new_element(match: re.Match[str]) -> str:
    if match.group(2) is None:  # an <area>
        return ""
    closing, name, attributes = match.groups()
    centred = ' style="text-align: center"' if name == "center" and not closing else ""
    return f"<{closing}{_NEW_ELEMENT[name]}{attributes}{centred}>"


def _date_text(moment: Any) -> str:
    return f"{moment.day} {moment:%B %Y}"


_ENVIRONMENTS: dict[Path, tuple[str, Any]] = {}  # site's folder -> (config digest, env)


def environment(config: Config) -> Any:
    """The site's templates: its own `templates/` first, then feedpub's. Kept while the
    config and its templates are the same (the config's digest holds them): Jinja2
    compiles each template once. `style` is the pages' stylesheet (`style.css`, the
    site's own if it has one), read once, not included anew on every page."""
    import jinja2
    from markupsafe import Markup

    kept = _ENVIRONMENTS.get(config.root)
    if kept is not None and config.digest and kept[0] == config.digest:
        return kept[1]  # (a config not read by load_config has no digest: made anew)
    own = config.root / "templates"
    loaders: list[Any] = [jinja2.FileSystemLoader(str(own))] if own.is_dir() else []
    loaders.append(jinja2.PackageLoader("feedpub.outputs.pages", "templates"))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders), autoescape=True, keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined, finalize=_html_text, auto_reload=False)
    env.globals["style"] = Markup(env.loader.get_source(env, "style.css")[0])
    _ENVIRONMENTS[config.root] = (config.digest, env)
    return env


# Noncharacters (U+FDD0-U+FDEF, and the last two code points of every plane): XML (the
# feeds) allows most of them, HTML forbids them all. The class is of ranges, which the
# regex engine checks quickly (a class listing the 34 astral ones took 20 times
# longer); each candidate is then looked at.
_MAYBE_NONCHARACTER = re.compile("[\ufdd0-\ufdef\ufffe-\U0010ffff]")


def _html_text(value: Any) -> Any:
    """Each value a template writes, without the code points HTML forbids."""
    if not isinstance(value, str) or value.isascii() \
            or not _MAYBE_NONCHARACTER.search(value):
        return value
    from markupsafe import Markup

    cleaned = _MAYBE_NONCHARACTER.sub(_kept, value)
    return Markup(cleaned) if isinstance(value, Markup) else cleaned


def _kept(match: re.Match[str]) -> str:
    code = ord(match.group())
    return "" if 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE else match.group()


def index_path(config: Config) -> Path:
    return config.output_dir / INDEX
