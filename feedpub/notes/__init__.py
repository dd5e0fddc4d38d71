"""What readers would notice that is not an error: the warnings and notes that
`feedpub build` and `feedpub check` both report.

Errors stop a build (config/, content/, entries/); nothing here does. A warning is about
something readers would see go wrong (an image without alt text, a link that leaves
the site, a feed too large for some readers); `check --strict` fails on warnings. A
note is information, never a failure (a draft, a future or an expired entry left out,
a link resolved from the site's root as a browser would).

Build judges what it publishes (the entries in the feed, the feeds themselves);
check judges every entry. `podcast.py` holds the podcast directories' rules, which
are errors in check (where a directory would refuse the feed).

May import `base`, `config`, `content`, `entries` and `render`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from feedpub.base.chunks import Chunks
from feedpub.base.problems import Problem, error, note, warning
from feedpub.base.urls import path_under
from feedpub.config.model import Config
from feedpub.content.files import MARKDOWN_EXTENSIONS

if TYPE_CHECKING:
    from feedpub.entries.model import Entry
    from feedpub.render.entry import RenderedEntry

LARGE_FEED = 1024 * 1024  # bytes; some readers and WebSub hubs refuse bigger feeds
TOO_LARGE_FEED = 5_000_000  # bytes; the W3C validator refuses bigger files
SMALLER_FEED = ("lower feed.limit (with [archive] enabled = true, every older entry stays "
                "available in archive pages), give only the newest entries their full "
                'content (feed.full_content = 20, or content = "summary" for none), or '
                'split the feed (languages = "split")')


def site_notes(config: Config) -> list[Problem]:
    """What `check` says about the site's settings: which generator's were read, and
    which feed values came from them or were overridden (nothing for a plain site)."""
    site = config.site
    where = config.display(config.path)
    if site.kind == "plain":
        return list(config.warnings)
    how = "detected" if site.detected else f'from = "{site.kind}"'
    read = (f"settings read from {config.display(site.file)}" if site.file is not None
            else "no settings file found: the generator's defaults")
    notes = [note(f"site: {site.name} ({how}); {read}; links are the URLs {site.name} "
                  "gives its pages", where)]
    notes += [note(origin, where) for origin in config.origins]
    return [*notes, *config.warnings]


def status_notes(entry: Entry, now: datetime) -> list[Problem]:
    """Notes for an entry the feed leaves out by design: a draft, a future date, an
    expiry (Hugo's expiryDate) that has come."""
    notes = []
    if entry.draft:
        notes.append(note("is a draft: left out of the feed (build --drafts includes it)",
                          entry.source))
    if entry.published > now:
        notes.append(note(
            f"is dated {entry.published.isoformat()}, in the future: left out until then "
            "(build --future includes it)", entry.source))
    if entry.expires is not None and entry.expires <= now:
        notes.append(note(f"expired on {entry.expires.isoformat()} (expiryDate): left out "
                          "of the feed", entry.source))
    return notes


def content_notes(item: RenderedEntry, config: Config) -> list[Problem]:
    """A summary-only feed without a summary, images without alt text, nesting too
    deep (flattened), and relative links that leave the site or point at Markdown
    files, in one rendered entry."""
    where = item.entry.source
    notes = []
    if config.content == "summary" and not item.summary_chosen:
        notes.append(warning(
            'has no summary, and feed.content is "summary": readers get only its first '
            "paragraph", where, hint="add 'summary: ...' or a <!--more--> line"))
    notes += [warning(f"image {src!r} has no alt text", where,
                      hint="write ![what the image shows](file.png)")
              for src in item.images_without_alt]
    if item.flattened:
        from feedpub.base.html_writer import FORMATTING_LIMIT, NESTING_LIMIT

        notes.append(warning(
            f"the body nests more than {NESTING_LIMIT} elements (block quotes, lists, HTML) "
            f"or {FORMATTING_LIMIT} formatting elements inside each other: "
            f"{item.flattened:,} past that depth were flattened (their text is kept)",
            where, hint="nest block quotes, lists and HTML less deeply"))
    notes += [warning(message, where, line) for line, message in item.template_notes]
    for link in dict.fromkeys(item.unresolved):
        notes.append(warning(f"internal link {link!r} points at no entry: its link was "
                             "left out", where, hint="correct the path (it is relative to "
                             "the content folder, as Zola reads it)"))
    for written, resolved in item.relative_urls:
        notes.extend(_relative_url_notes(written, resolved, where, config))
    if item.removed:
        notes.extend(_foreign_notes(item.removed, where))
    return notes


def _names(whats: Iterable[str]) -> str:
    return ", ".join(dict.fromkeys(whats))


def _foreign_notes(removed: Sequence[tuple[str, str]], where: str) -> list[Problem]:
    """Other generators' template code that rendering took out (render/foreign.py): a
    warning for what readers lose, a note for kramdown's attribute lists (styling only)."""
    notes = []
    by_kind: dict[str, list[str]] = {}
    for kind, what in removed:
        by_kind.setdefault(kind, []).append(what)
    for path in dict.fromkeys(by_kind.get("ref", ())):
        notes.append(warning(f"ref {path!r} could not be resolved; written as text", where,
                             hint="write a Markdown link to the entry's page"))
    if "shortcode" in by_kind:
        names = _names(by_kind["shortcode"])
        notes.append(warning(
            f"Hugo shortcode(s) removed, as a feed cannot run them: {names}", where,
            hint="the content of a paired shortcode is kept; write what readers should "
                 "see as Markdown"))
    if "mdx" in by_kind:
        notes.append(warning(
            f"MDX removed, as a feed cannot run it: {_names(by_kind['mdx'])} (components "
            "keep their children's text)", where,
            hint="write what readers should see as Markdown"))
    if "ial" in by_kind:
        count = len(by_kind["ial"])
        notes.append(note(
            f"{count} kramdown attribute list(s) removed ({by_kind['ial'][0]}"
            f"{', ...' if count > 1 else ''}): feeds carry no classes or ids", where))
    return notes


def _relative_url_notes(written: str, resolved: str, where: str,
                        config: Config) -> list[Problem]:
    if resolved.startswith(config.url):
        under = path_under(resolved, config.url)
        name = (urlsplit(resolved).path if under is None else under).rpartition("/")[2]
        if "." in name and name.rpartition(".")[2].lower() in MARKDOWN_EXTENSIONS:
            return [warning(f"link {written!r} points at a Markdown file, which the web "
                            "site will not have", where,
                            hint="link to the entry's page instead")]
        return []
    if written.startswith("/"):
        # Resolved from the site's root, as a browser does: not "leaving the site".
        return [note(
            f"link {written!r} starts with '/', so it resolves from the root of the "
            f"site's host, as in a browser: {resolved}, which is outside feed.url "
            f"({config.url})", where,
            hint=f"if it lives under {config.url}, write it without the leading '/' "
                 "(relative to the entry) or with feed.url's path")]
    return [warning(f"relative link {written!r} leads outside the site ({resolved})", where,
                    hint="check the number of ../ or write the full URL")]


def same_updated(entries: Sequence[Entry]) -> list[Problem]:
    """One warning when entries in the feed share an updated time (validators flag it)."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.updated.isoformat(), []).append(entry)
    shared = [group for group in groups.values() if len(group) > 1]
    if not shared:
        return []
    first = shared[0]
    others = sum(len(g) for g in shared) - len(first)
    message = (f"{len(first)} entries have the same updated time "
               f"{first[0].updated.isoformat()}: " + ", ".join(e.source for e in first))
    if others:
        message += f" (and {others} more entries share a time with another)"
    return [warning(message, first[0].source,
                    hint="give them a time of day (date: 2021-05-13T09:30) or distinct "
                         "'updated' values; feed validators warn about identical ones")]


def feed_notes(config: Config, chosen: Sequence[Entry],
               outputs: Mapping[Path, bytes | Chunks]) -> list[Problem]:
    """An empty feed, feeds too large for some readers, and a permalink pattern that
    puts every link outside feed.url."""
    where = config.display(config.path)
    notes = []
    if not chosen:
        notes.append(warning("the feed has no entries", where,
                             hint="add entries, or check drafts and future dates"))
    for path, data in outputs.items():
        if len(data) > LARGE_FEED:
            notes.append(warning(
                f"{config.display(path)} comes to {len(data):,} bytes, over {LARGE_FEED:,}; "
                "some readers and hubs refuse feeds that large", where,
                hint=SMALLER_FEED))
    notes.extend(_permalink_notes(config))
    return notes


def feed_size_errors(config: Config, outputs: Mapping[Path, bytes]) -> list[Problem]:
    """`check`'s errors for feeds over TOO_LARGE_FEED (build only warns, above)."""
    return [error(f"{config.display(path)} comes to {len(data):,} bytes, over "
                  f"{TOO_LARGE_FEED:,}: the W3C validator refuses files that large, and "
                  "many readers stop reading feeds long before", config.display(config.path),
                  hint=SMALLER_FEED)
            for path, data in outputs.items() if len(data) > TOO_LARGE_FEED]


def _permalink_notes(config: Config) -> Iterable[Problem]:
    pattern = config.permalink
    site_path = urlsplit(config.url).path
    if not pattern or not pattern.startswith("/") or site_path == "/" \
            or pattern.startswith(site_path):
        return []
    return [warning(
        f"feed.permalink {pattern!r} starts with '/', so entry links resolve from the "
        f"root of the site's host, as links do, outside feed.url ({config.url}); "
        "feedpub 0.1 put them under feed.url", config.display(config.path),
        hint=f"write {pattern.lstrip('/')!r} (or {site_path + pattern.lstrip('/')!r}) to "
             "put entry pages under feed.url")]
