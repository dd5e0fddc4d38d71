# Laid out as `pelican-quickstart` makes a site; written for feedpub's tests.
AUTHOR = 'Alexis Example'
SITENAME = 'Pelican Journal'
SITEURL = 'https://pelican.example.com'

PATH = 'content'

TIMEZONE = 'Europe/Paris'

DEFAULT_LANG = 'en'

ARTICLE_URL = 'posts/{date:%Y}/{slug}.html'
ARTICLE_SAVE_AS = ARTICLE_URL

# Feed generation is usually not desired when developing
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None

# Blogroll
LINKS = (
    ("Pelican", "https://getpelican.com/"),
    ("Python.org", "https://www.python.org/"),
)

DEFAULT_PAGINATION = 10
