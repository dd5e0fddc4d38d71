"""feedpub: valid, reproducible RSS 2.0 and Atom 1.0 feeds from a folder of Markdown."""

__version__ = "0.3.0.dev0"
