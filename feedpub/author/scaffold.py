"""`feedpub init`: a new site's feedpub.toml, a welcome entry, a .gitignore for what a
build makes, and the tested CI workflow, written without overwriting anything."""

from __future__ import annotations

import contextlib
import importlib.resources
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from feedpub.base.people import Person, PersonError, is_absolute_http_url, parse_person
from feedpub.base.urls import iri_to_uri


@dataclass(frozen=True, slots=True)
class Site:
    """What `init` asks for."""

    title: str
    url: str  # absolute http(s), ending with "/"
    description: str
    author: Person | None


class Refused(Exception):
    """Files that exist and would be overwritten (the message names them)."""

    def __init__(self, paths: list[Path]) -> None:
        super().__init__(", ".join(str(p) for p in paths))
        self.paths = paths


def site_url(value: str) -> str:
    """The site's URL as feed.url takes it; ValueError if it is not one."""
    url = value.strip()
    with contextlib.suppress(ValueError):
        url = iri_to_uri(url)
    if not is_absolute_http_url(url):
        raise ValueError(f"{value!r} is not an http(s) address such as https://example.org/")
    parts = urlsplit(url)
    if parts.query or parts.fragment or "#" in url or '"' in url or "\\" in url:
        raise ValueError(f"{value!r}: the site's address has no query, fragment or quotes")
    return url if url.endswith("/") else url + "/"


def author_of(value: str) -> Person | None:
    """"Name" or "Name <email>" (empty: none); ValueError if it is not one."""
    if not value.strip():
        return None
    try:
        return parse_person(value.strip(), "author")
    except PersonError as exc:
        raise ValueError(str(exc)) from None


def files_for(site: Site, now: datetime) -> dict[str, str]:
    """Each file `init` writes, by its path in the new site's folder."""
    return {
        "feedpub.toml": _config(site),
        f"entries/{now:%Y-%m-%d}-welcome.md": _welcome(site, now),
        ".gitignore": "# What `feedpub build` makes: built again in CI, never committed\n"
                      "/public/\n/.feedpub-cache/\n",
        ".github/workflows/feed.yml": _workflow(site),
    }


def existing(folder: Path, now: datetime) -> list[Path]:
    """The files `init` would write that exist already (asked before any question); a
    .gitignore is not one of them: the lines it lacks are added to it."""
    names = files_for(Site("", "https://example.org/", "", None), now)
    return [folder / name for name in names if name != GITIGNORE
            and ((folder / name).exists() or (folder / name).is_symlink())]


def scaffold(folder: Path, site: Site, now: datetime, *, force: bool = False) -> list[Path]:
    """Write the files into `folder`; Refused (writing nothing) if any exists, unless
    `force`. Returns the paths written."""
    files = {folder / name: text for name, text in files_for(site, now).items()}
    taken = existing(folder, now)
    if taken and not force:
        raise Refused(taken)
    ignore = folder / GITIGNORE
    if ignore.is_file() and not ignore.is_symlink():  # kept, with what it lacks added
        files[ignore] = _merged(ignore.read_text(encoding="utf-8"), files[ignore])
    for path in files:  # every folder first: a failure then writes no file at all
        path.parent.mkdir(parents=True, exist_ok=True)
    for path, text in files.items():
        if path.is_symlink():
            path.unlink()  # (forced) replace the link, never write through it
        path.write_text(text, encoding="utf-8")
    return list(files)


def _merged(old: str, new: str) -> str:
    have = {line.strip() for line in old.splitlines()}
    missing = [line for line in new.splitlines()
               if line.strip() and not line.startswith("#") and line.strip() not in have]
    if not missing:
        return old
    return old + ("" if old.endswith("\n") or not old else "\n") + "\n".join(
        ["# added by feedpub init: what `feedpub build` makes", *missing]) + "\n"


GITIGNORE = ".gitignore"


def _toml(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if ch >= " " else f"\\u{ord(ch):04x}" for ch in escaped) + '"'


def _config(site: Site) -> str:
    lines = ["# feedpub's settings: the README lists every key.", "[feed]",
             f"title = {_toml(site.title)}", f"description = {_toml(site.description)}",
             f"url = {_toml(site.url)}"]
    if site.author is not None:
        parts = [f"name = {_toml(site.author.name)}"]
        if site.author.email:
            parts.append(f"email = {_toml(site.author.email)}")
        lines.append(f"author = {{ {', '.join(parts)} }}")
    lines += ["limit = 20", "# timezone = \"Europe/Berlin\"  # for dates written without one",
              "", "# Every entry you ever published, in pages that never change (RFC 5005):",
              "# [archive]", "# enabled = true"]
    return "\n".join(lines) + "\n"


def _welcome(site: Site, now: datetime) -> str:
    # (a JSON string is a YAML string: any title reads back as written)
    title = json.dumps(f"Welcome to {site.title}", ensure_ascii=False)
    return (f"---\ntitle: {title}\ndate: {now.replace(microsecond=0).isoformat()}\n"
            "tags: [welcome]\n---\n\n"
            "This is your first entry. Write the next one with `feedpub new \"A title\"`, "
            "see them all with `feedpub list`, and build the feeds with `feedpub build`.\n")


def _workflow(site: Site) -> str:
    text = importlib.resources.files("feedpub.author").joinpath(
        "workflows/feed.yml").read_text(encoding="utf-8")
    return text.replace('"https://YOUR-SITE.example/atom.xml"',  # (YAML reads JSON strings)
                        json.dumps(site.url + "atom.xml"))
