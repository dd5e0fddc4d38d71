"""Authoring: what the commands that write rather than build do. `scaffold.py` starts a
site (`feedpub init`), `new_entry.py` starts an entry (`feedpub new`), `listing.py`
lists the entries with their status (`feedpub list`). Each is a plain function the
CLI calls; none of them builds a feed.

May import `base`, `config`, `content` and `entries`.
"""
