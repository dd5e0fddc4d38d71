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


def test_rendering_again_and_again_keeps_no_memory() -> None:
    """In a process of its own, whose peak is its own: 3,000 renders of 20 KB."""
    import subprocess

    code = (
        "import resource, sys\n"
        "from feedpub.render.markdown import _OPTIONS, _render\n"
        "body = ('A paragraph with *emphasis*, [a link](https://example.org/) and `code`.'\n"
        "        '\\n\\n' + '- item\\n' * 5) * 60\n"
        "for _ in range(50): _render(body, _OPTIONS)  # the allocator's pools warmed up\n"
        "peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "before = peak()\n"
        "for _ in range(3000): _render(body, _OPTIONS)\n"
        "print((peak() - before) / (2**20 if sys.platform == 'darwin' else 2**10))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    # cmarkgfm's own wrapper keeps some 900 KB a call of this: 2.6 GB here
    assert float(proc.stdout) < 30, proc.stdout


# glibc's malloc checking (in Debian's libc6 from glibc 2.34 on)
DEBUG_MALLOC = sorted(Path("/usr/lib").glob("*/libc_malloc_debug.so*"))


def test_the_leak_free_path_is_the_one_used() -> None:
    from feedpub.render import markdown

    assert markdown._FREEING is not None


def test_what_cmark_allocated_is_freed_by_its_own_allocator() -> None:
    """Under glibc's checked malloc, a free through the wrong `free` crashes."""
    import os
    import subprocess

    assert DEBUG_MALLOC, "glibc's libc_malloc_debug.so is not under /usr/lib/*/"
    env = {**os.environ, "LD_PRELOAD": str(DEBUG_MALLOC[0]), "MALLOC_CHECK_": "3"}
    code = ("from feedpub.render.markdown import markdown_to_html as m\n"
            "for n in range(300): m('*hello* ' * n + '\\n\\n| a |\\n| - |\\n| b |')\n")
    proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
