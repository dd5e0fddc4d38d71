"""Template code from other generators, taken out of a body or translated before cmark
renders it, so that none of it leaks into a feed (issue 11).

- Hugo shortcodes (`shortcodes=True`, for Hugo sites): hugo.py reads them as Hugo
  does, everywhere in the body; hugo_embedded.py makes `figure`, `highlight` and the
  embeds (youtube, vimeo, x...) as Hugo's templates do, on one line; `ref` and
  `relref` become the target's URL through `resolve_ref`. Any other shortcode is
  removed (a paired one keeps its content) and named in a warning.
- kramdown's attribute lists (`kramdown=True`, for Jekyll sites): kramdown.py.
- MDX, for every site, as it only acts on real MDX: mdx.py.

Code is found by cmark-gfm itself (code.py): the kramdown and MDX passes never change
it, and Hugo's delimiters left as text are escaped only outside it.

Each pass starts only when substring searches find its syntax (gates.py): an ordinary
5 KB body costs about 3 µs, of some 190 µs that rendering takes, and the passes'
modules are not imported (bench/render_parts.py, "foreign (ordinary bodies)"). A cold
build of bench/run.py's 10,000 ordinary entries took 3.21 s against 3.20 s without
this package (medians of 9, alternating runs; CPU time 5.81 s against 5.72 s). Every
pass takes time linear in the body's length: tests/render/test_foreign_hostile.py runs
1 MB bodies of the shapes that took minutes before.
"""

from __future__ import annotations

from collections.abc import Callable

from feedpub.render.foreign.gates import has_attribute_list, has_mdx, has_shortcode

# What `strip_foreign` took out or replaced, as (kind, what) pairs, for notes.py:
# ("shortcode", name), ("ref", path), ("mdx", what), ("ial", text).
Removed = list[tuple[str, str]]


def has_foreign(body: str, *, shortcodes: bool = True, kramdown: bool = True) -> bool:
    """Whether any pass could change the body, by substring searches only."""
    return ((shortcodes and has_shortcode(body)) or (kramdown and has_attribute_list(body))
            or has_mdx(body))


def strip_foreign(body: str, *, shortcodes: bool = True, kramdown: bool = True,
                  resolve_ref: Callable[[str], str | None] | None = None,
                  ) -> tuple[str, Removed]:
    """The body without other generators' template code, and what was taken out.

    `shortcodes`: expand Hugo's shortcodes (for Hugo sites). `kramdown`: remove
    kramdown's attribute lists (for Jekyll sites). `resolve_ref` maps a ref/relref
    argument to the target's absolute URL; without it, or when it gives None, the
    argument is written as text and reported as ("ref", argument).

    The pass modules are imported when a body first needs them."""
    removed: Removed = []
    text = body
    if shortcodes and has_shortcode(text):
        from feedpub.render.foreign import hugo
        text = hugo.expand(text, removed, resolve_ref)
    with_kramdown = kramdown and has_attribute_list(text)
    if with_kramdown or has_mdx(text):
        from feedpub.render.foreign import kramdown as kramdown_pass
        from feedpub.render.foreign import mdx
        from feedpub.render.foreign.code import code_regions
        code = code_regions(text)
        edits = kramdown_pass.edits(text, code, removed) if with_kramdown else []
        text = _apply(text, edits + mdx.edits(text, code, removed))
    if shortcodes and has_shortcode(text):
        from feedpub.render.foreign import hugo
        from feedpub.render.foreign.code import code_regions
        text = hugo.literal(text, code_regions(text))
    return text, removed


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    """The text with each (start, end, replacement) made, in order; an edit that
    overlaps one before it (a component inside an export block) is dropped."""
    if not edits:
        return text
    pieces = []
    at = 0
    for start, end, replacement in sorted(edits):
        if start >= at:
            pieces += [text[at:start], replacement]
            at = end
    pieces.append(text[at:])
    return "".join(pieces)
