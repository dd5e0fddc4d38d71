"""The `feedpub` command: thin click commands over the build pipeline. This module holds
the group and the commands that build and judge feeds (`build`, `check`, `ping`);
`authoring.py` the ones that write entries and configs (`init`, `new`, `list`).

May import `base`, `runtime`, `config`, `build`, `on_disk`, `check`, `author` and
`serve`; the pipeline's
heavy modules only inside commands.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from feedpub import __version__
from feedpub.base.problems import ExitCode, FeedpubError, Problem

# The pipeline (feedgen, lxml, cmarkgfm, nh3, PyYAML) is imported inside the
# commands, so that `feedpub --help` and `--version` start in a blink.
if TYPE_CHECKING:
    from feedpub.config.model import Config

EXIT_CODES = """\b
Exit codes:
  0  success
  1  problems in feedpub.toml or in entries (every one is listed);
     for check: errors, or warnings with --strict
  2  usage error (unknown option, missing argument)
  3  the output could not be written (previous files are left as they were),
     or a WebSub hub did not take a ping (build --ping, ping)"""

config_option = click.option(
    "--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Config file (default: feedpub.toml here or in the nearest parent).")


output_option = click.option(
    "--output", "output_dir", type=click.Path(file_okay=False, path_type=Path),
    help="Output folder, instead of feed.output (relative to the current folder).")
url_option = click.option(
    "--url", metavar="URL",
    help="The site's address, instead of feed.url (a staging site, a preview).")


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="feedpub")
def cli() -> None:
    """Publish RSS 2.0, Atom 1.0 and JSON Feed 1.1 feeds, and a small site around them,
    from a folder of Markdown entries."""


@cli.command(epilog=EXIT_CODES)
@config_option
@output_option
@url_option
@click.option("--drafts", is_flag=True, help="Include entries marked draft: true.")
@click.option("--future", is_flag=True, help="Include entries dated in the future.")
@click.option("--skip-invalid", is_flag=True,
              help="Build from the valid entries; report the invalid ones as warnings.")
@click.option("--allow-empty", is_flag=True,
              help="Publish a feed with no entries even over one that has some.")
@click.option("--quiet", "-q", is_flag=True,
              help="Print only errors (and the entries --skip-invalid leaves out).")
@click.option("--no-cache", is_flag=True,
              help="Rebuild everything, ignoring .feedpub-cache/ (safe to delete any time).")
@click.option("--timings", "show_timings", is_flag=True,
              help="Print the time of each phase (discover, parse, render, feeds, write) "
                   "to stderr.")
@click.option("--ping", is_flag=True,
              help="Tell the [websub] hubs of every feed whose file changed.")
@click.option("--check", "check_only", is_flag=True,
              help="Write nothing; exit 1 listing the files a build would change (for CI "
                   "that commits its feeds).")
@click.option("--feeds-only", is_flag=True,
              help="Write the feeds alone, no pages (as [site] pages = false): for adding "
                   "the feeds to a site built by something else.")
def build(config_path: Path | None, output_dir: Path | None, url: str | None, drafts: bool,
          future: bool, skip_invalid: bool, allow_empty: bool, quiet: bool, no_cache: bool,
          show_timings: bool, ping: bool, check_only: bool, feeds_only: bool) -> None:
    """Build the feeds (rss.xml, atom.xml, feed.json) and the site's pages into the
    output folder.

    Files whose content did not change are not rewritten. If any entry or the
    config has an error, nothing is written and every problem is listed. When
    nothing changed since the last build (.feedpub-cache/ remembers), nothing is
    read again.
    """
    from feedpub.build import SKIPPED, build_and_publish, now_for_build
    from feedpub.runtime.progress import TerminalProgress
    from feedpub.runtime.timings import Timings

    pages = False if feeds_only else None
    if check_only:
        _up_to_date(config_path, output_dir, url, drafts, future, skip_invalid, pages)
        return
    # A progress bar only on a terminal (never in CI logs), and only for long builds.
    tty = sys.stderr is not None and sys.stderr.isatty() and not quiet
    timings = Timings(TerminalProgress(sys.stderr) if tty else None)
    try:
        config = _config(config_path, output_dir, url, pages)
        result, written = build_and_publish(config, now=now_for_build(), drafts=drafts,
                                            future=future, skip_invalid=skip_invalid,
                                            timings=timings, use_cache=not no_cache,
                                            allow_empty=allow_empty)
    except FeedpubError as exc:
        timings.progress.finish()
        _print_problems(exc.problems)
        changed = "" if "already replaced" in str(exc) else "; no files were changed"
        click.echo(f"feedpub: build failed{changed} ({_count(exc.problems)})", err=True)
        sys.exit(exc.exit_code)
    timings.progress.finish()
    # CI logs are where people look: the warnings check would give. Even --quiet says
    # which entries --skip-invalid left out: the feed is missing them.
    _print_problems(p for p in result.warnings
                    if not quiet or p.message.endswith(SKIPPED))
    if show_timings:
        click.echo(timings.report(), err=True)
    for kept in (w for w in written if w.kept):
        click.echo(f"{config.display(kept.path)}: warning: no longer built, but changed "
                   "since feedpub wrote it: left in place\n  hint: delete it if it is not "
                   "meant to be published", err=True)
    if not quiet:
        _report_written(config, result, written)
    if ping:
        _ping(config, [w.path for w in written if w.changed and not w.removed])


def _up_to_date(config_path: Path | None, output_dir: Path | None, url: str | None,
                drafts: bool, future: bool, skip_invalid: bool, pages: bool | None) -> None:
    """`build --check`: the files a build would change, and exit 1 if there are any."""
    from feedpub.build import now_for_build
    from feedpub.on_disk import pending_changes

    try:
        config = _config(config_path, output_dir, url, pages)
        changes = pending_changes(config, now_for_build(), drafts=drafts, future=future,
                                  skip_invalid=skip_invalid)
    except FeedpubError as exc:
        _print_problems(exc.problems)
        click.echo(f"feedpub: build --check failed ({_count(exc.problems)})", err=True)
        sys.exit(exc.exit_code)
    for path, how in changes:
        click.echo(f"would {how} {config.display(path)}")
    if changes:
        click.echo(f"feedpub: {len(changes)} file(s) in {config.display(config.output_dir)}/ "
                   "are not up to date: run feedpub build", err=True)
        sys.exit(ExitCode.INPUT)
    click.echo(f"{config.display(config.output_dir)}/ is up to date")


def _report_written(config: Config, result: Any, written: list[Any]) -> None:
    """A line per file of the main feed, one for the other feeds (tags/, languages),
    one for the archive's pages, one for the entries' own pages, one for the files
    they link to."""
    from feedpub.on_disk import is_archive_page, is_entry_page, is_feed_file, is_static_file

    left_out = result.left_out.describe(config.limit, bool(config.archive_page_size))
    counts = f"{result.entry_count} of {result.found_count} entries" + (
        f"; {left_out}" if left_out else "")
    made = [w for w in written if not (w.removed or w.kept)]
    for item in (w for w in made if is_static_file(config, w.path)):
        click.echo(f"{'wrote' if item.changed else 'unchanged'} "
                   f"{config.display(item.path)} (for browsers)")
    # (what is no feed, page or stylesheet was copied from beside an entry: known by
    # that, as a rebuild with nothing to do has no list of copies)
    pages_and_files = [w for w in made if not is_feed_file(config, w.path)
                       and not is_static_file(config, w.path)]
    entry_pages = [w for w in pages_and_files if is_entry_page(config, w.path)]
    files = [w for w in pages_and_files if not is_entry_page(config, w.path)]
    made = [w for w in made if is_feed_file(config, w.path)]
    main = [w for w in made if w.path.parent == config.output_dir]
    for item in main:
        verb = "wrote" if item.changed else "unchanged"
        click.echo(f"{verb} {config.display(item.path)} ({counts})")
    rest = [w for w in made if w.path.parent != config.output_dir]
    pages = [w for w in rest if is_archive_page(config, w.path)]
    others = [w for w in rest if not is_archive_page(config, w.path)]
    for group, what, by_folder in ((others, "more feeds", True),
                                   (pages, "archive pages", True),
                                   (entry_pages, "entry pages", False),
                                   (files, "files the entry pages link to", False)):
        if group:  # one line for them all (a feed is a folder of files, one per format)
            folders = len({w.path.parent if by_folder else w.path for w in group})
            click.echo(f"{'wrote' if any(w.changed for w in group) else 'unchanged'} "
                       f"{folders} {what} under {config.display(config.output_dir)}/ "
                       f"({sum(w.changed for w in group)} of {len(group)} files changed)")
    removed = [w for w in written if w.removed]
    if removed:
        click.echo(f"removed {len(removed)} files the last build wrote and this one no "
                   f"longer makes (such as {config.display(removed[0].path)})")


@cli.command(name="ping", epilog=EXIT_CODES)
@config_option
@output_option
@url_option
def ping_command(config_path: Path | None, output_dir: Path | None, url: str | None) -> None:
    """Tell the [websub] hubs of every feed in the output folder (hub.mode=publish)."""
    from feedpub.build import now_for_build
    from feedpub.on_disk import published_feeds

    try:
        config = _config(config_path, output_dir, url)
        paths = published_feeds(config, now_for_build())
    except FeedpubError as exc:
        _print_problems(exc.problems)
        click.echo(f"feedpub: ping failed ({_count(exc.problems)})", err=True)
        sys.exit(exc.exit_code)
    _ping(config, paths)


def _ping(config: Config, paths: list[Path]) -> None:
    """One line per hub; exit 3 if a hub did not take every feed."""
    from feedpub.on_disk import ping_hubs

    if not config.hubs:
        click.echo("feedpub: no hubs to ping: add [websub] hubs = [...] to the config",
                   err=True)
        sys.exit(ExitCode.USAGE)
    if not paths:
        click.echo("ping: no feed changed: no hub told")
        return
    results = ping_hubs(config, paths)
    for result in results:
        click.echo(result.line(), err=not result.ok)
    if not all(r.ok for r in results):
        sys.exit(ExitCode.IO)


@cli.command(epilog=EXIT_CODES)
@config_option
@output_option
@url_option
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--against", metavar="FILE_OR_URL",
              help="The RSS or Atom feed as published now: report changed ids and "
                   "vanished items.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]),
              default="text", show_default=True,
              help="json: one JSON object per problem, for tools.")
def check(config_path: Path | None, output_dir: Path | None, url: str | None, strict: bool,
          against: str | None, output_format: str) -> None:
    """Check the config and every entry without writing anything.

    Reports every error a build would stop on; warnings for what readers would
    notice: near-miss keys, values cut short by a comment, images without alt
    text, relative links that leave the site, very large feeds, and (with
    --against) ids and links that changed since the feed was last published; and
    notes (never a failure): drafts and future entries left out.
    """
    from feedpub.build import now_for_build
    from feedpub.check import check as run_check

    try:
        config = _config(config_path, output_dir, url)
        report = run_check(config, now=now_for_build(), against=against)
        problems = report.problems
    except FeedpubError as exc:
        problems = exc.problems
        code = int(exc.exit_code)
    else:
        code = report.exit_code(strict)
    if output_format == "json":
        for problem in problems:
            click.echo(json.dumps(_as_json(problem), ensure_ascii=False))
    else:
        _print_problems(problems, err=False)
        notes = sum(p.severity == "note" for p in problems)
        click.echo(f"feedpub: {_count(problems)}, "
                   f"{sum(p.severity == 'warning' for p in problems)} warning(s)"
                   + (f", {notes} note(s)" if notes else ""))
    sys.exit(code)


def _config(config_path: Path | None, output_dir: Path | None = None,
            url: str | None = None, pages: bool | None = None) -> Config:
    from feedpub.config.load import find_config, load_config

    return load_config(config_path if config_path else find_config(Path.cwd()),
                       output=output_dir, url=url, pages=pages)


def _print_problems(problems: Iterable[Problem], err: bool = True) -> None:
    for problem in problems:
        colour = {"error": "red", "warning": "yellow"}.get(problem.severity)
        click.secho(str(problem), err=err, fg=colour)


def _as_json(problem: Problem) -> dict[str, object]:
    """The problem as text output shows it: control characters escaped, as in str()."""
    shown = problem.escaped()
    return {"severity": shown.severity, "file": shown.path, "line": shown.line,
            "message": shown.message, "hint": shown.hint}


def _count(problems: Iterable[Problem]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    return f"{errors} error{'s' if errors != 1 else ''}"


def main() -> None:
    """The console script: run the CLI, then exit without tearing the heap down.

    Python frees every object one by one at exit: 40 ms after a 10,000-entry build,
    for nothing. By the time `cli` returns, every file feedpub wrote is closed and
    renamed and child processes are reaped; standard output and error are flushed here.
    """
    try:
        cli()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    except OSError as exc:  # the report could not be printed (a full disk, a closed pipe)
        code = _report_failed(exc)
    if code is None:
        code = 0
    if not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # None: started with that descriptor closed
                stream.flush()
    except (OSError, ValueError):  # a closed pipe: let Python report it the usual way
        sys.exit(code)
    os._exit(code)


def _report_failed(exc: OSError) -> int:
    """Exit code when standard output could not be written: what was built stays."""
    import errno

    if exc.errno == errno.EPIPE:  # `feedpub build | head -1`: the reader stopped
        return 0
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(f"feedpub: cannot write to standard output: "
                         f"{exc.strerror or exc} (what was built is in place)\n")
    return 1


__all__ = ["ExitCode", "cli", "main"]


# (the other commands register themselves on `cli`)
from feedpub.cli import authoring, serving  # noqa: E402, F401
