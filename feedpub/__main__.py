"""The `feedpub` command and `python -m feedpub`."""

import gc


def run() -> None:
    """Run the command line with Python's cyclic garbage collector off from the start.

    A command runs briefly and makes no cyclic garbage worth collecting (see
    collector.py), and the collector's passes over the objects that imports create
    cost about 5 ms of a 100 ms start. Library users, who import feedpub.cli or call
    its functions, keep their collector.
    """
    gc.disable()
    from feedpub.cli import main

    main()


if __name__ == "__main__":
    run()
