"""feedpub: valid, reproducible RSS 2.0 and Atom 1.0 feeds from a folder of Markdown."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("feedpub")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"
