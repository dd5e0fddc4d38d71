"""`feedpub check --against URL|FILE`: the feed now published, fetched with a deadline
and compared with this build's entries (ids, links, titles) before it is replaced.

May import `base`, `config`, `content`, `entries` and the outputs' registry (for the
feeds' URLs); only `check` imports it.
"""
