"""Putting a build on disk: atomic, only-if-changed writes of the outputs, and the
build cache in .feedpub-cache/ that lets the next build skip what did not change.

May import `base`, `runtime`, `config`, `content` and `entries`; never `render` or
`outputs` (the cache stores their bytes without knowing what they are).
"""
