"""The `feedpub` command: thin click commands over the build pipeline."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from . import __version__
from .build import build_and_publish, now_for_build
from .config import find_config, load_config
from .problems import ExitCode, FeedpubError, Problem

EXIT_CODES = """\b
Exit codes:
  0  success
  1  problems in feedpub.toml or in entries (every one is listed)
  2  usage error (unknown option, missing argument)
  3  the output could not be written (previous files are left as they were)"""


@click.group(epilog=EXIT_CODES)
@click.version_option(__version__, prog_name="feedpub")
def cli() -> None:
    """Publish RSS 2.0 and Atom 1.0 feeds from a folder of Markdown entries."""


@cli.command(epilog=EXIT_CODES)
@click.option("--config", "config_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Config file (default: feedpub.toml here or in the nearest parent).")
@click.option("--drafts", is_flag=True, help="Include entries marked draft: true.")
@click.option("--future", is_flag=True, help="Include entries dated in the future.")
@click.option("--quiet", "-q", is_flag=True, help="Print only problems.")
def build(config_path: Path | None, drafts: bool, future: bool, quiet: bool) -> None:
    """Build rss.xml and atom.xml into the output folder.

    Files whose content did not change are not rewritten. If any entry or the
    config has an error, nothing is written and every problem is listed.
    """
    try:
        config = load_config(config_path) if config_path else load_config(
            find_config(Path.cwd()))
        result, written = build_and_publish(config, now=now_for_build(), drafts=drafts,
                                            future=future)
    except FeedpubError as exc:
        _report(exc.problems)
        click.echo(f"feedpub: build failed; no files were changed ({_count(exc.problems)})",
                   err=True)
        sys.exit(exc.exit_code)
    _report(result.warnings)
    if not quiet:
        for item in written:
            verb = "wrote" if item.changed else "unchanged"
            click.echo(f"{verb} {config.display(item.path)} "
                       f"({result.entry_count} of {result.found_count} entries)")


def _report(problems: tuple[Problem, ...]) -> None:
    for problem in problems:
        colour = "red" if problem.severity == "error" else "yellow"
        click.secho(str(problem), err=True, fg=colour)


def _count(problems: tuple[Problem, ...]) -> str:
    errors = sum(p.severity == "error" for p in problems)
    return f"{errors} error{'s' if errors != 1 else ''}"


def main() -> None:
    try:
        cli(standalone_mode=True)
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        sys.exit(130)


__all__ = ["ExitCode", "cli", "main"]
