"""What a build means for the output folder as it is: the feeds a build would change
(`build --check`), the feeds there to tell WebSub hubs about (`ping`), and which
files are the archive's pages or the site's. Each reads; none writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from feedpub.base.problems import InputError, errors_in
from feedpub.build import build
from feedpub.config.model import Config

if TYPE_CHECKING:
    from feedpub.publish.ping import HubResult


def ping_hubs(config: Config, paths: Sequence[Path]) -> list[HubResult]:
    """Tell the config's WebSub hubs that the feeds written at `paths` changed (not
    the archive pages among them: nobody subscribes to those)."""
    from feedpub.publish.ping import feed_urls, ping

    return ping(config.hubs, feed_urls(config, [
        p for p in paths if is_feed_file(config, p) and not is_archive_page(config, p)]))


def is_feed_file(config: Config, path: Path) -> bool:
    """Whether an output file is a feed (in some format), not a page or stylesheet."""
    from feedpub.outputs.registry import outputs_for

    return path.name in {o.filename for o in outputs_for(config)}


def is_entry_page(config: Config, path: Path) -> bool:
    """Whether an output file is an entry's own page (outputs/pages/entry.py)."""
    return config.pages and path.suffix.lower() in (".html", ".htm") \
        and not is_static_file(config, path)


def is_static_file(config: Config, path: Path) -> bool:
    """Whether an output file is not a feed (the browser stylesheet, the site's pages)."""
    from feedpub.outputs.pages import index_path
    from feedpub.outputs.registry import static_files

    return path in static_files(config) or (config.pages and path == index_path(config))


def is_archive_page(config: Config, path: Path) -> bool:
    """Whether an output file is a page of the RFC 5005 archive (outputs/archive.py)."""
    from feedpub.outputs.archive import FOLDER

    return path.parent.parent == config.output_dir / FOLDER.rstrip("/")


def pending_changes(config: Config, now: datetime, *, drafts: bool = False,
                    future: bool = False, skip_invalid: bool = False
                    ) -> list[tuple[Path, str]]:
    """What a build would do to the output folder, writing nothing: each file it would
    "write" (new or different), "copy" (a file beside an entry its page links to, new
    or different) or "remove" (the last build's, no longer made)."""
    from feedpub.publish.cache.state import last_outputs
    from feedpub.publish.copies import same_bytes, same_content
    from feedpub.publish.guards import refuse_foreign_pages

    result = build(config, now=now, drafts=drafts, future=future, skip_invalid=skip_invalid)
    refuse_foreign_pages(config, result.outputs, last_outputs(config))  # as build would
    changes = [(path, "write") for path, data in result.outputs.items()
               if not same_content(path, data)]
    changes += [(target, "copy") for source, target in result.copies
                if not same_bytes(source, target)]
    made = {*result.outputs, *(target for _, target in result.copies)}
    changes += [(path, "remove") for path in sorted(last_outputs(config))
                if path not in made and path.is_file()]
    return changes


def published_feeds(config: Config, now: datetime) -> list[Path]:
    """The feed files this config writes that are in the output folder now (not the
    archive's pages: nobody subscribes to those). Entries are read, not rendered."""
    from feedpub.entries.loading import load_entries
    from feedpub.entries.select import Eligible
    from feedpub.outputs import registry

    loaded = load_entries(config)
    if errors_in(loaded.problems):
        raise InputError(loaded.problems)
    documents = registry.plan(config, Eligible(loaded.entries, now=now))
    return [path for d in documents if d.feed.history != "archive"
            and (path := d.path(config)).is_file()]
