"""`itertools.batched` (Python 3.12) for 3.11: an iterable in lists of a size."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """`items` in lists of `size` (the last may be shorter), each taken as it is
    needed: a queue behind `items` gives no more than the batch in hand."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
