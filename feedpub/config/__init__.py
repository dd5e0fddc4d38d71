"""feedpub.toml: found, read and validated into one frozen `Config`, with the command
line's --output and --url applied.

May import `base`.
"""
