"""The commands that write entries and configs: `init`, `new`, `list` (feedpub/author/)."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from feedpub.base.problems import ExitCode, FeedpubError
from feedpub.cli import EXIT_CODES, _config, _count, _print_problems, cli, config_option


def _checked(convert: Callable[[str], Any]) -> Callable[[str], Any]:
    """A click value_proc from a function raising ValueError: asked again when prompted."""
    def proc(value: str) -> Any:
        try:
            return convert(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    return proc


def _now() -> datetime:
    """Now (SOURCE_DATE_EPOCH, if set, pins it, as for builds); a bad value is said."""
    from feedpub.build import now_for_build

    try:
        return now_for_build()
    except FeedpubError as exc:
        _print_problems(exc.problems)
        sys.exit(exc.exit_code)


def _text(value: str) -> str:
    """Text a config value may hold: not empty, no control characters."""
    text = " ".join(value.split())
    if not text or any(ord(ch) < 32 or 0x7F <= ord(ch) < 0xA0 for ch in text):
        raise ValueError(f"{value!r}: give some text, without control characters")
    return text


def _ask(value: str | None, defaults: bool, prompt: str, option: str, default: str,
         convert: Callable[[str], Any] = str) -> Any:
    """An option's value, else (with --yes) the default, else the answer to a prompt
    (asked again until `convert` takes it)."""
    if value is not None or defaults:
        try:
            return convert(value if value is not None else default)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint=option) from None
    return click.prompt(prompt, default=default, value_proc=_checked(convert),
                        show_default=bool(default))


@cli.command(epilog=EXIT_CODES)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--title", help="The site's title.")
@click.option("--url", help="The site's address, such as https://example.org/blog/.")
@click.option("--description", help="What the site is about.")
@click.option("--author", help='The author: "Name" or "Name <email>".')
@click.option("--yes", "-y", "defaults", is_flag=True,
              help="Ask nothing: take the options given and defaults for the rest.")
@click.option("--force", is_flag=True, help="Overwrite files that exist.")
def init(folder: Path, title: str | None, url: str | None, description: str | None,
         author: str | None, defaults: bool, force: bool) -> None:
    """Start a site in FOLDER (default: here): feedpub.toml, a first entry in
    entries/, a .gitignore, and the CI workflow that publishes the feeds.

    Nothing that exists is overwritten without --force."""
    from feedpub.author.scaffold import Refused, Site, author_of, existing, scaffold, site_url

    now = _now()
    taken = [] if force else existing(folder, now)
    if taken:  # said before any question is asked
        _refuse(taken)
    name = _ask(title, defaults, "Title", "--title",
                folder.resolve().name.replace("-", " ").title() or "My site", _text)
    site = Site(name, _ask(url, defaults, "URL", "--url", PLACEHOLDER_URL, site_url),
                _ask(description, defaults, "Description", "--description",
                     f"The latest from {name}", _text),
                # (every feed needs an author: the site's title stands in for one)
                _ask(author, defaults, "Author (Name or Name <email>)", "--author", name,
                     author_of))
    try:
        written = scaffold(folder, site, now, force=force)
    except Refused as exc:
        _refuse(exc.paths)
    except (OSError, UnicodeError) as exc:  # (a folder name that is not UTF-8, too)
        where = getattr(exc, "filename", None) or folder
        click.echo(f"feedpub: init cannot write {where}: {getattr(exc, 'strerror', None) or exc}"
                   " (nothing was written)", err=True)
        sys.exit(ExitCode.IO)
    for path in written:
        click.echo(f"wrote {path}")
    if site.url.lower() == PLACEHOLDER_URL:
        click.echo(f"warning: the site's address is the placeholder {PLACEHOLDER_URL}: set "
                   "url in feedpub.toml before you publish (every entry's id is made from "
                   "its host, and changing it later makes readers see every entry anew)",
                   err=True)
    click.echo("before you push: set FEEDPUB in .github/workflows/feed.yml to where you "
               "install feedpub from (it is on no package index)")
    click.echo(f"next: cd {folder} && feedpub build" if folder != Path(".") else
               "next: feedpub build")
    click.echo("      (feedpub serve shows the site as readers will see it)")


PLACEHOLDER_URL = "https://example.org/"


def _refuse(paths: list[Path]) -> None:
    click.echo(f"feedpub: init wrote nothing: these exist: {', '.join(map(str, paths))} "
               "(--force overwrites them)", err=True)
    sys.exit(ExitCode.INPUT)


@cli.command(epilog=EXIT_CODES)
@click.argument("title")
@config_option
@click.option("--tag", "tags", multiple=True, help="A tag (repeatable).")
@click.option("--author", help="The entry's author, if not the feed's.")
@click.option("--draft", is_flag=True, help="Mark it draft: true (left out of the feeds).")
@click.option("--edit", is_flag=True, help="Open it in $EDITOR.")
def new(title: str, config_path: Path | None, tags: tuple[str, ...], author: str | None,
        draft: bool, edit: bool) -> None:
    """Write a new entry, entries/YYYY-MM-DD-slug.md, dated now; print its path."""
    from feedpub.author.new_entry import new_entry
    from feedpub.author.scaffold import author_of

    try:
        title = _text(title)
        tags = tuple(_text(tag) for tag in tags)
        if author is not None:
            author_of(author)  # (as a build will read it)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    try:
        config = _config(config_path)
        path = new_entry(config, title, _now(), tags=tags, author=author, draft=draft)
    except FeedpubError as exc:
        _print_problems(exc.problems)
        click.echo(f"feedpub: new failed ({_count(exc.problems)})", err=True)
        sys.exit(exc.exit_code)
    except OSError as exc:
        click.echo(f"feedpub: new cannot write {exc.filename or 'the entry'}: "
                   f"{exc.strerror or exc}", err=True)
        sys.exit(ExitCode.IO)
    click.echo(config.display(path))
    if edit:
        click.edit(filename=str(path))


@cli.command(name="list", epilog=EXIT_CODES)
@config_option
@click.option("--drafts", is_flag=True, help="List drafts too.")
@click.option("--future", is_flag=True, help="List entries dated in the future too.")
@click.option("--format", "output_format", type=click.Choice(["table", "json"]),
              default="table", show_default=True)
def list_command(config_path: Path | None, drafts: bool, future: bool,
                 output_format: str) -> None:
    """One row per entry, newest first: date, status, title, tags, file."""
    from feedpub.author.listing import entry_rows, table
    from feedpub.build import now_for_build

    try:
        config = _config(config_path)
        rows, problems = entry_rows(config, now_for_build(), drafts=drafts, future=future)
    except FeedpubError as exc:
        _print_problems(exc.problems)
        sys.exit(exc.exit_code)
    if output_format == "json":
        click.echo(json.dumps([r.as_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        click.echo(table(rows))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        _print_problems(errors)
        click.echo(f"feedpub: {len(errors)} entry file(s) could not be read: not listed",
                   err=True)
        sys.exit(ExitCode.INPUT)
