"""The registry of outputs: what `build`, `check` and the cache iterate over.

An output is a file in the output folder, made from one fragment per entry (made
once, cached, reused while the entry is unchanged) placed in a document of its own.
Registering one is all it takes to add a format: `build`, `check` and the cache
know outputs only through this module. Importing it is cheap: an output's maker
(feedgen, lxml) is imported the first time it is used.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from feedpub.base.problems import Problem
    from feedpub.config import Config
    from feedpub.entries.model import Entry
    from feedpub.render.entry import RenderedEntry

# An entry's fragments, one per output in registry order (bytes, or views into the
# cache), and the warnings and notes about its content: made together, cached together.
Fragments = tuple[tuple[bytes | memoryview, ...], tuple["Problem", ...]]


class Maker(Protocol):
    """What an output's module provides."""

    def fragment(self, config: Config, item: RenderedEntry) -> bytes:
        """The entry's fragment, as it stands in the document."""

    def document(self, config: Config, self_url: str, entries: Sequence[Entry],
                 fragments: Sequence[bytes | memoryview]) -> bytes:
        """The whole file, found at `self_url`: `fragments` (one per entry, newest
        first) in place."""

    def whole(self, fragment: bytes | memoryview) -> bool:
        """Whether this is one whole fragment as `fragment` makes it (a cheap check
        of its ends: what the cache saves, and a fragment it gives back, must pass)."""

    def count(self, document: bytes) -> int:
        """How many entries a document on disk holds (0 if it is not one of ours)."""


@dataclass(frozen=True, slots=True)
class Output:
    """One registered output: its file and where its maker is."""

    name: str  # "rss": the cache and messages know it by this
    filename: str  # in the output folder, and under feed.url
    media_type: str
    fragment_name: str  # how messages name one fragment, such as "<item>"
    load: Callable[[], Maker] = field(compare=False)

    def path(self, config: Config) -> Path:
        return config.output_dir / self.filename

    def url(self, config: Config) -> str:
        # The output folder is served as the site's root: public/rss.xml is url + rss.xml.
        return config.url + self.filename

    @property
    def maker(self) -> Maker:
        return self.load()


def _module(name: str) -> Callable[[], Maker]:
    def load() -> Maker:
        return importlib.import_module(name)  # type: ignore[return-value]
    return load


REGISTRY: list[Output] = [
    Output("rss", "rss.xml", "application/rss+xml", "<item>", _module("feedpub.outputs.rss")),
    Output("atom", "atom.xml", "application/atom+xml", "<entry>",
           _module("feedpub.outputs.atom")),
]


def register(output: Output) -> None:
    """Add an output (after the others): every build from now on writes it too."""
    if any(o.name == output.name or o.filename == output.filename for o in REGISTRY):
        raise ValueError(f"an output named {output.name!r} or writing "
                         f"{output.filename!r} is already registered")
    REGISTRY.append(output)


def unregister(name: str) -> None:
    REGISTRY[:] = [o for o in REGISTRY if o.name != name]


def outputs_for(config: Config) -> tuple[Output, ...]:
    """The outputs a build with this config writes, in registry order."""
    return tuple(REGISTRY)


def by_name(config: Config, name: str) -> Output:
    return next(o for o in outputs_for(config) if o.name == name)


def make_fragments(outputs: Sequence[Output], config: Config,
                   item: RenderedEntry) -> tuple[bytes, ...]:
    return tuple(o.maker.fragment(config, item) for o in outputs)


def whole(outputs: Sequence[Output], parts: Sequence[bytes | memoryview]) -> bool:
    """Whether `parts` are one whole fragment for each output."""
    return len(parts) == len(outputs) and all(
        o.maker.whole(p) for o, p in zip(outputs, parts, strict=True))


def documents(outputs: Sequence[Output], config: Config, entries: Sequence[Entry],
              fragments: Sequence[Fragments]) -> dict[Path, bytes]:
    """Each output's file, from the entries' fragments (`fragments[i]` is entries[i]'s)."""
    return {o.path(config): o.maker.document(
        config, o.url(config), entries, [f[0][i] for f in fragments])
            for i, o in enumerate(outputs)}
