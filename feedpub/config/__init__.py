"""feedpub.toml: found, read and validated into one frozen `Config`, with the command
line's --output and --url applied.

May import `base`.
"""

from feedpub.config.load import find_config, load_config, validate_config
from feedpub.config.model import CONFIG_NAME, Config

__all__ = ["CONFIG_NAME", "Config", "find_config", "load_config", "validate_config"]
