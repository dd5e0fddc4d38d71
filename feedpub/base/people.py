"""Authors: one `Person` type, parsed the same way from the config and from entries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

from feedpub.base.problems import did_you_mean
from feedpub.base.text import clean_text, plain_text
from feedpub.base.urls import iri_to_uri

_NAME_EMAIL = re.compile(r"^\s*(?P<name>[^<>]*?)\s*<(?P<email>[^<>]*)>\s*$")
# Deliberately simple: one @, no spaces, a dot in the domain. RFC 5322 allows more,
# but feed validators and readers do not.
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    email: str | None = None
    uri: str | None = None


class PersonError(ValueError):
    """The value does not describe a person; the message says why."""


def is_email(value: str) -> bool:
    return bool(_EMAIL.match(value))


def is_absolute_http_url(value: str) -> bool:
    """http(s) with a valid host and port (`https://[::1/`, `https://a b.example/` or
    port 99999: False)."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(_HOST.fullmatch(parts.hostname or ""))


# A host name in ASCII (as iri_to_uri leaves it), an IPv4 or an IPv6 address.
_HOST = re.compile(r"[a-z0-9_-]+(?:\.[a-z0-9_-]+)*\.?|[0-9a-f:.]*:[0-9a-f:.]*")


def is_invisible(text: str) -> bool:
    """True when text shows nothing: only spaces, zero-width and format characters
    (U+200B, U+2060, U+FEFF, bidi controls) or combining marks."""
    if _WORD.search(text):  # a letter or digit: the fast answer, in C
        return False
    import unicodedata

    return all(unicodedata.category(c) in _INVISIBLE for c in text)


_WORD = re.compile(r"[^\W_]")
# Space and line separators, controls, format characters (zero-width, bidi), marks
# that combine with nothing. Unassigned and private-use characters show something.
_INVISIBLE = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Mn", "Me", "Cs"})


def parse_person(value: Any, where: str = "author") -> Person:
    """A name, ``"Name <email>"``, or a mapping with name, email and uri."""
    if isinstance(value, str):
        return _person_from_text(value, where)
    if isinstance(value, dict):
        unknown = sorted(map(str, set(value) - {"name", "email", "uri"}))
        if unknown:
            guess = did_you_mean(unknown[0], ["name", "email", "uri"])
            raise PersonError(f"{where} has unknown key(s) {', '.join(unknown)}; "
                              + (f"did you mean {guess!r}? " if guess else "")
                              + "an author takes name, email and uri")
        for key in ("name", "email", "uri"):
            if key in value and value[key] is not None and not isinstance(value[key], str):
                raise PersonError(f"{where}.{key} must be text, not {type_name(value[key])}")
        return _checked(value.get("name") or "", value.get("email"), value.get("uri"), where)
    raise PersonError(f"{where} must be a name, \"Name <email>\" or a mapping with "
                      f"name/email/uri, not {type_name(value)}")


@lru_cache(maxsize=4096)
def _person_from_text(value: str, where: str) -> Person:
    """Cached: an archive names the same few authors thousands of times, and one
    shared Person each saves memory and pickling."""
    match = _NAME_EMAIL.match(value)
    if match:
        return _checked(match["name"], match["email"], None, where)
    return _checked(value, None, None, where)


def parse_people(value: Any, where: str = "author") -> tuple[Person, ...]:
    if isinstance(value, list):
        if not value:
            raise PersonError(f"{where} is an empty list")
        return tuple(parse_person(v, f"{where}[{i}]") for i, v in enumerate(value))
    return (parse_person(value, where),)


# Authors as written (text, or a list of text) -> the people they name: the same few
# authors come back in thousands of entries, and parsing, cleaning and checking each
# (a Person is immutable) is done once.
_PEOPLE: dict[str | tuple[str, ...], tuple[Person, ...]] = {}
_PEOPLE_KEPT = 10_000


def remembered_people(value: Any, where: str = "author") -> tuple[Person, ...]:
    """`parse_people`, remembering the people that text or a list of text names."""
    known = value if isinstance(value, str) else tuple(value) \
        if isinstance(value, list) and all(isinstance(item, str) for item in value) else None
    people = _PEOPLE.get(known) if known is not None else None
    if people is None:
        people = parse_people(value, where)  # (a PersonError is not remembered)
        if known is not None and len(_PEOPLE) < _PEOPLE_KEPT:
            _PEOPLE[known] = people
    return people


def _checked(name: str, email: str | None, uri: str | None, where: str) -> Person:
    name = " ".join(plain_text(clean_text(name)[0]).split())
    email = clean_text(email)[0].strip() if email else None
    uri = clean_text(uri)[0].strip() if uri else None
    if not name or is_invisible(name):
        raise PersonError(f"{where} has no name" + (" (only invisible characters)"
                                                    if name else ""))
    if email is not None and not is_email(email):
        raise PersonError(f"{where} e-mail {email!r} is not an e-mail address")
    if uri is not None:
        try:
            uri = iri_to_uri(uri)
        except ValueError:
            raise PersonError(f"{where} uri {uri!r} is not a URL") from None
        if not is_absolute_http_url(uri):
            raise PersonError(f"{where} uri {uri!r} must be an absolute http(s) URL")
    return Person(name, email or None, uri or None)


def type_name(value: Any) -> str:
    """How a YAML/TOML value looks to the person who wrote it."""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"a yes/no value ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    return type(value).__name__
