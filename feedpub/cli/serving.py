"""`feedpub serve`: the preview (feedpub/serve/)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from feedpub.base.problems import ExitCode, FeedpubError, Problem
from feedpub.cli import EXIT_CODES, _print_problems, cli, config_option


@cli.command(epilog=EXIT_CODES)
@config_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on (loopback: only this machine).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="The port (0: any free one).")
def serve(config_path: Path | None, host: str, port: int) -> None:
    """Preview the site: build it into a temporary folder (never the output folder),
    serve it, and build it again whenever an entry, the config or a template changes.
    Ctrl-C stops."""
    from feedpub.config.load import find_config
    from feedpub.serve.watch import Serve

    def report(line: str, problems: tuple[Problem, ...]) -> None:
        _print_problems(problems)
        click.echo(f"feedpub serve: {line}", err=bool(problems))

    try:
        path = config_path if config_path else find_config(Path.cwd())
        preview = Serve(path, host, port, report)
    except FeedpubError as exc:
        _print_problems(exc.problems)
        sys.exit(exc.exit_code)
    except OSError as exc:
        click.echo(f"feedpub serve: cannot listen on {host}:{port}: {exc.strerror or exc}",
                   err=True)
        sys.exit(ExitCode.USAGE)
    previous = {number: signal.signal(number, _interrupt) for number in _STOPS}
    try:
        preview.start()
        click.echo(f"feedpub serve: {preview.url} (built into {preview.root}); Ctrl-C stops")
        if _every_interface(host):
            click.echo(f"feedpub serve: warning: listening on every interface, so other "
                       f"machines can reach the preview; its links are built for "
                       f"{preview.url}, which they cannot follow: to preview on another "
                       "device, give --host this machine's address on the network",
                       err=True)
        preview.watch()
    except KeyboardInterrupt:
        pass
    finally:
        preview.stop()  # (the temporary folder goes, whatever stopped the preview)
        for number, handler in previous.items():
            signal.signal(number, handler)


def _every_interface(host: str) -> bool:
    """Whether `host` is the address of every interface (0.0.0.0, ::, ::0, "")."""
    import ipaddress

    try:
        return not host or ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


_STOPS = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]


def _interrupt(number: int, frame: object) -> None:
    """SIGTERM and SIGHUP (a closed terminal) stop the preview as Ctrl-C does."""
    raise KeyboardInterrupt
