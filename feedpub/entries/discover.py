"""The entry files of a build: the entries folder's Markdown files, or, where that
folder is a Jekyll site's own, the posts in its _posts folders. Light to import: a
build with nothing changed calls it and nothing else of entries/."""

from __future__ import annotations

from feedpub.config.model import Config
from feedpub.content.files import Found, discover

# What Jekyll never reads as posts when the entries folder is the site's own folder.
_JEKYLL_SKIPPED = ("_site/", "vendor/", "node_modules/", "_drafts/")


# Pelican's PAGE_PATHS: pages, not articles (never in its feeds).
_PELICAN_PAGES = ("pages/",)


def entry_files(config: Config) -> list[Found]:
    """The entry files of the entries folder (content.files.discover). When that folder
    is a Jekyll site's own, only its posts: the files in a _posts folder, wherever it
    is (news/_posts/ gives the category "news"), as Jekyll reads them. When it is a
    Pelican site's content folder, its articles: not the pages in pages/."""
    found = discover(config.entries_dir)
    site = config.site
    if site.kind == "jekyll" and site.root == config.entries_dir:
        found = [f for f in found if ("/" + f.rel).count("/_posts/")
                 and not f.rel.startswith(_JEKYLL_SKIPPED)]
    if site.kind == "jekyll" and site.extensions:  # markdown_ext: what Jekyll converts
        found = [f for f in found
                 if "." + f.rel.rpartition(".")[2].lower() in site.extensions]
    if site.kind == "pelican" and site.content == config.entries_dir:
        found = [f for f in found if not f.rel.startswith(_PELICAN_PAGES)]
    return found
