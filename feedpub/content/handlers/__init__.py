"""Front-matter readers: python-frontmatter handlers, one module per format.

HANDLERS is the registry, tried in order on the start of each file. To read a new
format, write a `Reader` subclass (its `name`, `detect`/`split` through FM_BOUNDARY
or `bounds`, `load`, and `explain` for its library's errors) and add an instance
here: nothing else in feedpub names the formats.
"""

from __future__ import annotations

from typing import Any

from feedpub.content.handlers.base import FrontMatterError, Parts, Reader
from feedpub.content.handlers.json import JSONHandler
from feedpub.content.handlers.pelican import PelicanHandler
from feedpub.content.handlers.toml import TOMLHandler
from feedpub.content.handlers.yaml import SafeYAMLHandler

__all__ = ["HANDLERS", "FrontMatterError", "Parts", "Reader", "find", "read"]

# Pelican's header has no delimiter line: it comes last, so that the others claim
# their files first.
HANDLERS: tuple[Reader, ...] = (SafeYAMLHandler(), TOMLHandler(), JSONHandler(),
                                PelicanHandler())


def find(text: str) -> Reader | None:
    """The first registered reader that finds its front matter at the start of `text`."""
    return next((handler for handler in HANDLERS if handler.detect(text)), None)


def read(text: str) -> tuple[dict[str, Any], Parts]:
    """The front matter of `text` as data, and its parts; FrontMatterError if none can
    be read."""
    handler = find(text)
    if handler is None:
        raise FrontMatterError(
            "has no front matter", 1,
            hint="start the file with a '---' line, then 'title: ...', then '---'")
    return handler.read(text)
