"""Each published entry's fragments (one per output format) and content notes: taken
from the build cache, or rendered and made now, a long list shared with a forked
child. `build.build` calls `fragments_for`, then `verified` before assembling feeds.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from feedpub.base.batched import batched
from feedpub.base.problems import Problem
from feedpub.config.model import Config
from feedpub.notes import content_notes
from feedpub.runtime.progress import Progress

if TYPE_CHECKING:
    from feedpub.entries.model import Entry
    from feedpub.outputs.registry import Fragments, Variant
    from feedpub.render.context import RenderContext


def context_for(config: Config, entries: Iterable[Entry]) -> RenderContext | None:
    """What rendering needs to know of the site and the other entries; None on a plain
    site (where render.context is not even imported)."""
    if config.site.kind == "plain":
        return None
    from feedpub.render.context import render_context

    return render_context(config, entries)


def with_links(cached: Mapping[str, Fragments], links: str) -> Mapping[str, Fragments]:
    """The cached fragments if made with this build's links to other entries (any
    fragment may link to a post renamed, added or removed); else none."""
    return cached if getattr(cached, "links", "") == links else {}

def verified(chosen: list[Entry], config: Config, made: dict[str, Fragments],
              cached: Mapping[str, Fragments], progress: Progress | None = None,
              context: RenderContext | None = None,
              ) -> tuple[dict[str, Fragments], tuple[Problem, ...]]:
    """The last line of defence before the feeds are assembled: a fragment from the
    cache that is not whole, as saved (cache.faulty_fragments), is made again from its
    entry, with a note (and the cache is written anew)."""
    from feedpub.outputs import registry
    from feedpub.publish.cache.fragments import faulty_fragments, faulty_note

    kinds = registry.variants(config)
    faulty = set(faulty_fragments([e.rel for e in chosen], made, cached,
                                  partial(registry.whole, kinds)))
    if not faulty:
        return made, ()
    again = fragments_for([e for e in chosen if e.rel in faulty], config, {}, progress,
                          context)
    names = dict.fromkeys(v.output.fragment_name for v in kinds)
    return {**made, **again}, (faulty_note(config, len(faulty), list(names)),)


def fragments_for(entries: list[Entry], config: Config, cached: Mapping[str, Fragments],
                  progress: Progress | None = None,
                  context: RenderContext | None = None) -> dict[str, Fragments]:
    """Each entry's fragments (one per output) and content notes: from the cache, or
    rendered and made now (a long list is split with a forked child)."""
    from feedpub.runtime import parallel

    needed = [e for e in entries if e.rel not in cached]
    made = {e.rel: cached[e.rel] for e in entries if e.rel in cached}
    progress = progress or Progress()
    progress.start("rendering entries", len(needed))
    if not needed:  # (nothing of render/ is even imported)
        return made
    if not parallel.worth_it(len(needed), MIN_TO_RENDER_SHARED):
        made.update(zip((e.rel for e in needed),
                        _fragments(needed, config, progress, context), strict=True))
        return made
    # This process and a child take chunks of entries from a shared queue (bodies
    # differ in length: halves would not take the same time).
    queue = parallel.SharedQueue(len(needed), RENDER_CHUNK, RENDER_BATCH)
    try:
        later = parallel.in_child_parts(_fragments_in_parts, needed, config, queue,
                                        context)
        with parallel.cancelled_on_error(later):
            mine = [pair for chunk in queue.chunks()  # (a chunk is a batch: no more)
                    for pair in _numbered_fragments(needed, config, chunk, progress,
                                                    context)]
        theirs = [pair for part in later() for pair in part]
    finally:
        queue.close()
    progress.advance(len(theirs))
    done = dict(mine)
    done.update(theirs)
    made.update((e.rel, done[i]) for i, e in enumerate(needed) if i in done)
    missing = [e for i, e in enumerate(needed) if i not in done]  # the child failed
    made.update(zip((e.rel for e in missing),
                    _fragments(missing, config, progress, context), strict=True))
    return made


RENDER_CHUNK = 32  # the fewest entries taken at a time from the shared queue: ~12 ms
# Rendering an entry (~350 µs here) costs far more than reading one: a child pays
# for itself (~2 ms to fork and collect) from a couple of dozen entries on.
MIN_TO_RENDER_SHARED = 16


def fragments_of(entries: Iterable[Entry], config: Config,
                 context: RenderContext | None = None,
                 kinds: Sequence[Variant] | None = None) -> list[Fragments]:
    """Each entry's fragments (of `kinds`: every variant unless said) and content
    notes, rendered and made here and now."""
    return _fragments(entries, config, None, context, kinds)


def _fragments(entries: Iterable[Entry], config: Config,
               progress: Progress | None = None,
               context: RenderContext | None = None,
               kinds: Sequence[Variant] | None = None) -> list[Fragments]:
    """Only bytes and notes travel back from a child, not the entries."""
    from feedpub.entries.loading import body_of
    from feedpub.outputs import registry
    from feedpub.render.context import PLAIN
    from feedpub.render.entry import render_entry

    kinds = kinds if kinds is not None else registry.variants(config)
    out: list[Fragments] = []
    for batch in batched(entries, RENDER_BATCH):
        items = [render_entry(entry, body_of(entry, config), context or PLAIN)
                 for entry in batch]
        out += zip(registry.fragments_of_each(kinds, config, items),
                   [tuple(content_notes(item, config)) for item in items], strict=True)
        if progress is not None:
            progress.advance(len(batch))
    return out


# Entries are rendered a batch at a time, then made into one output's fragments after
# another (outputs/registry.fragments_of_each): rendering an entry and making its
# fragments in turn, the Markdown renderer, the sanitiser, lxml and feedgen take turns
# in the processor's caches. bench/render_batches.py (bench/corpus.py's entries, 3
# outputs), per entry: one at a time 443 µs, batches of 16 409 µs, of 32 398 µs, of 256
# 380 µs. Shared with a child, the queue's chunks are the batches: an eighth of what is
# left, from 256 down to RENDER_CHUNK, so that the last turns are short. A cold build
# of 10,000 entries, every entry: 3.49 s to 3.08 s with batches of 32; 3.16 s to 3.00 s
# from those to these (medians of 5, alternating).
RENDER_BATCH = 256


def _numbered_fragments(entries: list[Entry], config: Config, queue: Any,
                        progress: Progress | None = None,
                        context: RenderContext | None = None,
                        ) -> list[tuple[int, Fragments]]:
    """The fragments of the entries this process takes from `queue`, by index."""
    taken: list[int] = []

    def chosen() -> Iterator[Entry]:
        for index in queue:
            taken.append(index)
            yield entries[index]

    return list(zip(taken, _fragments(chosen(), config, progress, context), strict=True))


def _fragments_in_parts(entries: list[Entry], config: Config, queue: Any,
                        context: RenderContext | None = None,
                        ) -> Iterator[list[tuple[int, Fragments]]]:
    """In a child: `_numbered_fragments`, a chunk of the queue at a time."""
    for chunk in queue.chunks():
        yield _numbered_fragments(entries, config, chunk, None, context)
