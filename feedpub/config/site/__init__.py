"""The settings of the generator an entries folder comes from (Jekyll, Hugo, Zola,
Pelican): detected beside feedpub.toml or above the entries folder, read into a
frozen `Site` (never executed), one module per generator.

May import `base`.
"""

from feedpub.config.site.detect import FROM_VALUES, find_site
from feedpub.config.site.model import PLAIN, Site

__all__ = ["FROM_VALUES", "PLAIN", "Site", "find_site"]
