"""`feedpub serve`: a preview. The site is built into a temporary folder (never the
real output) for the server's own address, served on the loopback interface, and
built again when an entry, the config or a template changes (`watch.py`, through
watchfiles). A failed rebuild keeps the last good files and shows its errors on the
preview's front page and in the terminal; an open page reloads itself after each
build (`server.py`).

May import `base`, `config`, `outputs`, `publish` and `build`.
"""
