"""URLs as feeds need them: plain ASCII URIs (IDNA hosts, percent-encoded paths)."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

# Characters left alone when percent-encoding a path, query or fragment: the
# reserved and unreserved ones of RFC 3986, and "%" so existing escapes survive.
_SAFE = "/:@!$&'()*+,;=-._~%?#[]"


def host_to_ascii(host: str) -> str:
    """bücher.example -> xn--bcher-kva.example (lower case), by IDNA 2008 with the
    UTS #46 mapping, as browsers do: straße.example -> xn--strae-oqa.example.

    (Python's own "idna" codec is IDNA 2003, which maps ß to "ss": another host.)
    A name IDNA 2008 refuses (an emoji, say) falls back to IDNA 2003, then to
    percent-encoding, so that a URL is never lost.
    """
    import idna  # only non-ASCII hosts get here

    try:
        return idna.encode(host, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError):
        pass
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return quote(host.lower(), safe=".-")


def iri_to_uri(iri: str) -> str:
    """An IRI (with non-ASCII or spaces) as an ASCII URI; a URI is returned unchanged.

    Raises ValueError for a URL that cannot be split (such as an unclosed IPv6 host).
    """
    if iri.isascii() and " " not in iri:
        urlsplit(iri)  # still reject what cannot be parsed
        return iri
    parts = urlsplit(iri)
    netloc = parts.netloc
    if parts.hostname:
        host = parts.hostname
        host = f"[{host}]" if ":" in host else host_to_ascii(host)
        port = f":{parts.port}" if parts.port is not None else ""
        userinfo = netloc.rpartition("@")[0]
        netloc = (quote(userinfo, safe=":%") + "@" if userinfo else "") + host + port
    return urlunsplit((parts.scheme, netloc, quote(parts.path, safe=_SAFE),
                       quote(parts.query, safe=_SAFE), quote(parts.fragment, safe=_SAFE)))


# What browsers and urllib drop from a URL wherever it stands.
URL_WHITESPACE = {ord("\t"): None, ord("\n"): None, ord("\r"): None}


def reference_path(ref: str) -> str:
    """The path of a URL reference that has no scheme and no host (`../a/b.png?x#y`
    gives `../a/b.png`), as urlsplit gives it, at a tenth of its cost: an archive's
    pages look at hundreds of thousands of links."""
    if "\t" in ref or "\n" in ref or "\r" in ref:
        ref = ref.translate(URL_WHITESPACE)  # (urlsplit drops these)
    return split_reference(ref)[0]


def split_reference(ref: str) -> tuple[str, str]:
    """A URL reference's path and what follows it, its query and fragment:
    `a/b.png?x#y` gives (`a/b.png`, `?x#y`)."""
    cut = len(ref)
    for mark in ("?", "#"):
        at = ref.find(mark, 0, cut)
        if at != -1:
            cut = at
    return ref[:cut], ref[cut:]


def path_under(url: str, site: str) -> str | None:
    """The path of `url` after that of `site`, an absolute URL ending in "/" with no
    query or fragment (feed.url), when `url` starts with it; else None."""
    if not url.startswith(site) or not site.endswith("/") or "?" in site or "#" in site:
        return None
    return reference_path(url[len(site):])
