"""render/markdown.py renders through cmarkgfm as its own wrapper does, but frees
what that wrapper leaks (the parsed document and the rendered HTML)."""

from __future__ import annotations

import sys
from pathlib import Path

import cmarkgfm
import pytest

from feedpub.render.markdown import _EXTENSIONS, _OPTIONS, _POSITIONS, _render

SAMPLES = [
    "", "Plain *text* and **bold**.", "# Heading\n\n- a\n- b\n\n> quote",
    "| a | b |\n| - | - |\n| 1 | 2 |", "~~gone~~ https://example.org/ auto",
    "- [ ] open\n- [x] done", "Footnote[^1].\n\n[^1]: Here.", "```py\ncode\n```\n\n    indented",
    "<div onclick='x'>raw</div>", "Ünïcödé — «quotes» 漢字 \u200b", "a\0b",
]


@pytest.mark.parametrize("text", SAMPLES)
@pytest.mark.parametrize("options", [_OPTIONS, _POSITIONS])
def test_the_html_is_cmarkgfms(text: str, options: int) -> None:
    assert _render(text, options) == cmarkgfm.markdown_to_html_with_extensions(
        text, options=options, extensions=_EXTENSIONS)


@pytest.mark.skipif(not Path("/proc/self/statm").exists(),
                    reason="resident memory is read from /proc/self/statm (Linux only)")
def test_rendering_again_and_again_keeps_no_memory() -> None:
    def resident_mib() -> float:
        return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20

    body = ("A paragraph with *emphasis*, [a link](https://example.org/) and `code`.\n\n"
            "- item\n" * 5) * 60  # about 20 KB of Markdown
    for _ in range(50):  # the allocator's pools warmed up first
        _render(body, _OPTIONS)
    before = resident_mib()
    for _ in range(3000):
        _render(body, _OPTIONS)
    # cmarkgfm's own wrapper keeps some 100 KB a call of this: 300 MB here
    assert resident_mib() - before < 30, sys.platform


DEBUG_MALLOC = sorted(Path("/usr/lib").glob("*/libc_malloc_debug.so*"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the frees are set up on Linux")
def test_the_leak_free_path_is_the_one_used() -> None:
    from feedpub.render import markdown

    assert markdown._FREEING is not None


@pytest.mark.skipif(not DEBUG_MALLOC, reason="glibc's malloc debugging library is not here")
def test_what_cmark_allocated_is_freed_by_its_own_allocator() -> None:
    """Under glibc's checked malloc, a free through the wrong `free` crashes."""
    import os
    import subprocess

    env = {**os.environ, "LD_PRELOAD": str(DEBUG_MALLOC[0]), "MALLOC_CHECK_": "3"}
    code = ("from feedpub.render.markdown import markdown_to_html as m\n"
            "for n in range(300): m('*hello* ' * n + '\\n\\n| a |\\n| - |\\n| b |')\n")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
