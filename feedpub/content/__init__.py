"""Entry files as text: finding them in the entries folder (`files`), reading and
decoding them (`source`), and splitting front matter from the Markdown body with the
front-matter readers in `handlers` (python-frontmatter handlers, one per format,
registered in one tuple). Yields `Source` values: data and body, not yet validated.

May import `base` and `config`.
"""
