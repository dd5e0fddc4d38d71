"""An entry's Markdown as sanitised HTML with absolute URLs, and its plain-text summary:
a `RenderedEntry`, what every output is made from.

May import `base`, `runtime`, `config`, `content` (the Markdown extensions) and `entries`.
"""
