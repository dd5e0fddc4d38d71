"""The progress bar: only on a terminal, only after two seconds, cleared at the end."""

from __future__ import annotations

import io

from click.testing import CliRunner

from feedpub.cli import cli
from feedpub.runtime.progress import SHOW_AFTER, TerminalProgress

from ..conftest import entry, write_site


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_nothing_is_drawn_in_the_first_two_seconds() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = TerminalProgress(stream, clock)
    progress.start("reading entries", 10)
    progress.advance(5)
    progress.finish()
    assert stream.getvalue() == ""


def test_a_long_build_draws_a_bar_and_clears_it() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = TerminalProgress(stream, clock)
    progress.start("rendering entries", 4)
    clock.now += SHOW_AFTER + 1
    progress.advance(2)
    assert stream.getvalue().endswith("rendering entries [" + "#" * 15 + "." * 15 + "] 2/4")
    clock.now += 1
    progress.advance(2)
    assert stream.getvalue().endswith("[" + "#" * 30 + "] 4/4")
    progress.finish()
    assert stream.getvalue().endswith("\r\033[K")


def test_no_bar_when_stderr_is_not_a_terminal(tmp_path, monkeypatch) -> None:
    import feedpub.runtime.progress as progress_module

    monkeypatch.setattr(progress_module, "SHOW_AFTER", -1.0)  # would draw at once
    write_site(tmp_path, {"a.md": entry()})
    result = CliRunner().invoke(cli, ["build", "--config", str(tmp_path / "feedpub.toml")],
                                env={"SOURCE_DATE_EPOCH": "1893456000"})
    assert result.exit_code == 0
    assert "[" not in result.stderr and "\r" not in result.output
