"""`RenderContext`: what rendering one entry needs to know about the others and the
site: the generator the entries come from, each entry's link by its path in the
site's content folder (Zola's `@/blog/post.md` links, Hugo's ref, Jekyll's
post_url and link), and for a Jekyll site its Liquid variables and `_data`."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from feedpub.base.problems import Problem, warning
from feedpub.config.model import Config
from feedpub.entries.model import Entry
from feedpub.entries.sites.page import content_prefix

if TYPE_CHECKING:
    from feedpub.render.liquid import LiquidSite


@dataclass(frozen=True, slots=True)
class RenderContext:
    kind: str = "plain"  # config.site.kind
    links: Mapping[str, str] = field(default_factory=dict)  # content path -> entry link
    digest: str = ""  # of `links`: what fragments made in this context depend on
    prefix: str = ""  # the entries folder's path inside the content folder
    url: str = ""  # config.url
    liquid: LiquidSite | None = None  # a Jekyll site's, for its posts' Liquid
    problems: tuple[Problem, ...] = ()  # about the site's data files

    def path_of(self, entry: Entry) -> str:
        """The entry's file inside the site's content folder."""
        return self.prefix + entry.rel


PLAIN = RenderContext()


def render_context(config: Config, entries: Iterable[Entry]) -> RenderContext:
    """The context of a build over `entries` (every entry loaded, published or not)."""
    site = config.site
    if site.kind == "plain":
        return PLAIN
    prefix = content_prefix(config.entries_dir, site.content)
    links = {prefix + e.rel: e.link for e in entries}
    digest = hashlib.sha256("\0".join(f"{k}\0{v}" for k, v in sorted(links.items()))
                            .encode("utf-8", "surrogateescape")).hexdigest()
    liquid, problems = None, []
    if site.kind == "jekyll" and site.root is not None:
        from feedpub.render.liquid import load_site

        liquid, messages = load_site(site.root, _liquid_variables(config),
                                     _url_paths(links, config.url), config.timezone)
        problems = [warning(message) for message in messages]
    return RenderContext(site.kind, links, digest, prefix, config.url, liquid,
                         tuple(problems))


def _liquid_variables(config: Config) -> dict[str, Any]:
    """_config.yml's values as `site.*`, with the url and baseurl feedpub uses."""
    variables = dict(config.site.settings)
    variables.setdefault("url", config.url.rstrip("/"))
    variables.setdefault("baseurl", "")
    return variables


def _url_paths(links: Mapping[str, str], url: str) -> dict[str, str]:
    """Each entry's URL path as Jekyll's `page.url` has it: without the site's url
    and baseurl ("/2020/01/02/hello.html")."""
    return {path: "/" + link[len(url):] if link.startswith(url) else link
            for path, link in links.items()}


def page_variables(entry: Entry, context: RenderContext) -> dict[str, Any]:
    """A post's `page.*` for Liquid: what its Entry holds (the front matter is not
    kept past loading)."""
    name = entry.rel.rpartition("/")[2].rpartition(".")[0]
    return {
        "title": entry.title, "date": entry.published, "url": _url_paths(
            {"": entry.link}, context.url)[""], "id": entry.id, "slug": name[11:] if
        name[:4].isdigit() and name[10:11] == "-" else name, "tags": list(entry.tags),
        "categories": list(entry.tags), "excerpt": entry.summary,
        "description": entry.summary, "lang": entry.lang, "path": context.path_of(entry),
        "author": entry.authors[0].name if entry.authors else None,
        "last_modified_at": entry.updated,
    }


def ref_resolver(context: RenderContext, entry: Entry) -> Callable[[str], str | None]:
    """Hugo's ref and relref for one page: the target's link, its anchor kept. A path
    starting with "/" is inside the content folder; another is tried beside the page
    first, then from the content folder (gohugo.io/functions/urls/ref/). ".md" may be
    left out, and a page bundle is named by its folder."""
    links = context.links
    here = context.path_of(entry).rpartition("/")[0]

    def resolve(target: str) -> str | None:
        path, hashed, anchor = target.strip().partition("#")
        if not path:
            return links.get(context.path_of(entry), "") + hashed + anchor
        tried = [path.lstrip("/")] if path.startswith("/") else \
            [f"{here}/{path}" if here else path, path]
        for base in tried:
            base = base.rstrip("/")
            for candidate in (base, f"{base}.md", f"{base}/index.md", f"{base}.markdown"):
                if candidate in links:
                    return links[candidate] + hashed + anchor
        return None

    return resolve


# What a link to another entry by its path starts with, on each site (cmark writes
# Pelican's braces percent-encoded); Pelican's {static} and {attach} name files.
_ZOLA_MARKERS = ("@/",)
_PELICAN_MARKERS = tuple(f"{o}{name}{c}" for name in ("filename", "static", "attach")
                         for o, c in (("{", "}"), ("%7B", "%7D"), ("|", "|")))


def internal_links(context: RenderContext, entry: Entry,
                   ) -> tuple[Callable[[str], str | None] | None, tuple[str, ...]]:
    """How links to other entries by their path resolve on the entry's site (Zola's
    @/ from the content folder; Pelican's {filename} from the content folder with a
    leading "/", else from the entry's folder), and what such links start with."""
    links = context.links
    if context.kind == "zola":
        return (lambda link: links.get(link[2:])), _ZOLA_MARKERS
    if context.kind != "pelican":
        return None, ()
    here = context.path_of(entry).rpartition("/")[0]

    def pelican(link: str) -> str | None:
        marker = next(m for m in _PELICAN_MARKERS if link.startswith(m))
        path = link[len(marker):]
        path = path[1:] if path.startswith("/") else posixpath.join(here, path)
        path = posixpath.normpath(path)
        if "filename" in marker:
            return links.get(path)
        return None if path.startswith("../") else context.url + quote(path)  # a file

    return pelican, _PELICAN_MARKERS
