"""Entry files as text: finding them in the entries folder, reading and decoding them,
and splitting front matter from the Markdown body with python-frontmatter handlers
(one per front-matter format). Yields `Source` values: data and body, not yet validated.

May import `base` and `config`.
"""
