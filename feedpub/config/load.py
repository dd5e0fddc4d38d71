"""feedpub.toml: find it, read it, validate every key into a frozen `Config`.

The keys' checks are in `fields`; `Config` and the defaults are in `model`.
"""

from __future__ import annotations

import contextlib
import hashlib
import tomllib
from dataclasses import replace
from pathlib import Path
from typing import Any

from feedpub.base.problems import ConfigError, error, errors_in
from feedpub.base.regular import RefusedFile, read_regular_file
from feedpub.base.toml_errors import error_line, without_position
from feedpub.config.fields import Check, feed_table
from feedpub.config.model import CONFIG_NAME, EXAMPLE, Config
from feedpub.config.table import FIELDS, unknown_keys

__all__ = ["CONFIG_NAME", "Config", "find_config", "load_config", "validate_config"]


def find_config(start: Path) -> Path:
    """feedpub.toml in `start` or the nearest parent folder that has one."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    raise ConfigError([error(
        f"no {CONFIG_NAME} in {start} or any folder above it",
        hint=f"create {CONFIG_NAME} in your site's folder, for example:\n\n{EXAMPLE}\n"
             "or name one with --config FILE",
    )])


def load_config(path: Path, *, output: Path | None = None, url: str | None = None,
                pages: bool | None = None) -> Config:
    """Read and validate a config file; every problem is reported at once.

    `output` and `url` (the command line's --output and --url) replace the file's
    feed.output and feed.url: `output` relative to the current folder, as paths on
    a command line are. `pages` (build --feeds-only: False) replaces [site] pages.
    """
    path = Path(path).absolute()
    display = path.name
    try:
        raw = read_regular_file(path, 1024 * 1024)  # no config file comes near a megabyte
    except FileNotFoundError:
        raise ConfigError([error(f"config file {path} does not exist",
                                 hint=f"create it, for example:\n\n{EXAMPLE}")]) from None
    except OSError as exc:
        raise ConfigError([error(f"cannot read {path}: {exc.strerror}")]) from None
    except RefusedFile as exc:  # a FIFO, a device (/dev/zero), a folder; or too large
        raise ConfigError([error(f"cannot read {path}: {exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
        data = tomllib.loads(text)
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ConfigError([error(f"is not UTF-8 (bad byte at offset {exc.start})", display,
                                 line, hint="save the file as UTF-8")]) from None
    except tomllib.TOMLDecodeError as exc:
        line = error_line(str(exc))
        raise ConfigError([error(f"invalid TOML: {without_position(str(exc))}", display, line,
                                 hint="see https://toml.io for the syntax")]) from None
    overrides = {}
    if output is not None:
        overrides["output"] = str(Path(output).absolute())
    if url is not None:
        overrides["url"] = url
    config = validate_config(data, path, source_text=text, overrides=overrides)
    if pages is not None:
        config = replace(config, pages=pages)
    digest = hashlib.sha256(raw + f"\0pages={config.pages}".encode())
    for file in config.site.files:  # the site's settings, _data/ and _includes/ too
        digest.update(b"\0" + str(file).encode("utf-8", "surrogateescape") + b"\0")
        with contextlib.suppress(OSError):
            digest.update(file.read_bytes())
    for file in _template_files(config):  # the pages' own templates
        digest.update(b"\0" + str(file).encode("utf-8", "surrogateescape") + b"\0")
        with contextlib.suppress(OSError):
            digest.update(file.read_bytes())
    for key, value in sorted(overrides.items()):  # they change the output: the cache's key
        digest.update(f"\0{key}={value}".encode("utf-8", "surrogateescape"))
    return replace(config, digest=digest.hexdigest())


def _template_files(config: Config) -> list[Path]:
    """The site's own page templates (`templates/` beside the config), with [site] pages."""
    folder = config.root / "templates"
    if not config.pages or not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file())


def validate_config(data: dict[str, Any], path: Path,
                    source_text: str | None = None,
                    overrides: dict[str, str] | None = None) -> Config:
    """The validated Config; `source_text` is the file as read (for messages' lines).

    `overrides` are feed keys given on the command line (--output, --url): they win
    over the file's, and their problems are reported as the option's.
    """
    check = Check(path, source_text, overrides or {})
    check.feed = feed_table(check, data)
    unknown_keys(check)
    for _, attribute, make in FIELDS:
        check.values[attribute] = make(check)
    if errors_in(check.problems):
        raise ConfigError(check.problems)
    return Config(path=path, **check.values, origins=tuple(check.origins),
                  warnings=tuple(check.problems))
