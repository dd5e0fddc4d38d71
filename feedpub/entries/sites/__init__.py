"""Links as an existing site publishes them: with a generator's settings found
(config/site/), an entry's link is the URL that generator gives its page; one module
per generator, each copying its rules (and saying where from).

Ids are not made here: they stay the core's tag: URIs (entries/links.py).

The modules are imported only where a site's settings were found: a plain site's
build never loads them. `links.site_link` is the entry point.
"""
