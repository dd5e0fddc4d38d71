"""What rendering entries and making their fragments costs, by batch size.

    python bench/render_batches.py CONFIG            # a bench corpus's feedpub-0.toml
    python bench/render_batches.py CONFIG --n 2000 --runs 3

`fragments._fragments` renders RENDER_BATCH entries, then makes one output's
fragments for all of them after another (outputs/registry.fragments_of_each). This
times it (one process, microseconds per entry, best of `--runs`) with batches of 1
(each entry rendered and made in turn) up to 256, on the first `--n` entries of the
config's folder, and checks that every batch size gives the same bytes.
"""

from __future__ import annotations

import argparse
import gc
import time
from datetime import UTC, datetime
from pathlib import Path

from feedpub import fragments
from feedpub.config.load import load_config
from feedpub.entries.loading import Selection, load_entries

SIZES = (1, 4, 16, 32, 64, 256)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("config", type=Path)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    gc.disable()  # as a build runs
    config = load_config(args.config)
    now = datetime.now(UTC)
    entries = list(load_entries(config, selection=Selection(now)).entries)[:args.n]
    fragments._fragments(entries[:50], config)  # (imports, compiled patterns)
    first = None
    for size in SIZES:
        fragments.RENDER_BATCH = size
        best = float("inf")
        for _ in range(args.runs):
            started = time.perf_counter()
            made = fragments._fragments(entries, config)
            best = min(best, time.perf_counter() - started)
        first = first if first is not None else made
        same = "same bytes" if made == first else "DIFFERENT BYTES"
        print(f"batches of {size:3}: {best / len(entries) * 1e6:6.1f} µs per entry  {same}")


if __name__ == "__main__":
    main()
