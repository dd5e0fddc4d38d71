"""`feedpub check --against URL|FILE`: the feed now published, fetched with a deadline
and compared with this build's entries (ids, links, titles) before it is replaced.

May import every stage; only `check` imports it.
"""
