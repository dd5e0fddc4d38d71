"""The fast resolver gives exactly urljoin's answers."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from feedpub.render.absolute import Base

BASES = ["https://example.org/blog/world/post/", "https://example.org/a/b/page.html",
         "https://example.org/", "https://example.org/x/y/?q=1", "http://h.example:8080/p/q",
         # folders Base keeps as they are (empty and dot segments: the general case)
         "https://example.org/a//b/", "https://example.org/a/./b/c", "https://example.org/a/../b/",
         "https://example.org//x/"]
segment = st.sampled_from(["a", "b", "..", ".", "", "c.png", "d%20e", "ü", "x y"])
refs = st.builds(
    lambda lead, parts, query, frag: lead + "/".join(parts) + query + frag,
    st.sampled_from(["", "/", "./", "../", "../../", "//cdn.example.net/", "mailto:",
                     "https://other.example/"]),
    st.lists(segment, max_size=6),
    st.sampled_from(["", "?", "?a=1", "?a=1&b=2"]),
    st.sampled_from(["", "#", "#frag", "#a/../b"]))


@settings(max_examples=3000, deadline=None)
@given(base=st.sampled_from(BASES), ref=refs)
def test_join_matches_urljoin(base: str, ref: str) -> None:
    if ref.startswith(("https://", "http://")):
        assert Base(base).join(ref) == ref  # absolute: left exactly as written
    else:
        assert Base(base).join(ref) == urljoin(base, ref)


@pytest.mark.parametrize("ref", ["", "#top", "?page=2", "..", ".", "../..", "../../../../x",
                                 "a/./b/../c", "/../x", "g;x=1/../y"])
def test_edge_cases(ref: str) -> None:
    for base in BASES:
        assert Base(base).join(ref) == urljoin(base, ref), (base, ref)


relative_refs = st.builds(
    lambda parts, query, frag, space: space + "/".join(parts) + query + frag,
    st.lists(st.sampled_from(["a", "..", ".", "", "c.png", "d%20e", "ü", "x\ty", "b\nc",
                              "x?y", "z#w"]), max_size=5),
    st.sampled_from(["", "?", "?a=1#", "?a#b?c"]),
    st.sampled_from(["", "#", "#frag?x", "#a/../b"]),
    st.sampled_from(["", "\t", "\r\n"]))


@settings(max_examples=2000, deadline=None)
@given(ref=relative_refs)
def test_reference_path_matches_urlsplit(ref: str) -> None:
    from urllib.parse import urlsplit

    from feedpub.base.urls import reference_path

    ref = ref.strip()  # (relative links come stripped)
    # (callers never pass a path from the host's root, nor one with a host: "//h/x")
    assume(not ref.replace("\t", "").replace("\n", "").replace("\r", "").startswith("/"))
    assert reference_path(ref) == urlsplit(ref).path


@settings(max_examples=1000, deadline=None)
@given(site=st.sampled_from(["https://example.org/", "https://example.org/blog/",
                             "https://example.org/a%20b/"]), ref=relative_refs)
def test_path_under_matches_urlsplit(site: str, ref: str) -> None:
    from urllib.parse import urlsplit

    from feedpub.base.urls import path_under

    resolved = Base(site).join(ref.strip().replace("\t", "").replace("\n", "").replace("\r", ""))
    under = path_under(resolved, site)
    if resolved.startswith(site):
        assert site_path(site) + (under or "") == urlsplit(resolved).path
    else:
        assert under is None
    assert path_under(resolved, site.rstrip("/")) is None  # no trailing "/": the slow way


def site_path(site: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(site).path


# absolutise: each attribute as urljoin resolves it, and collected as it says
values = st.builds(
    lambda lead, parts, query, frag, space: space + lead + "/".join(parts) + query + frag + space,
    st.sampled_from(["", "/", "./", "../", "//cdn.example.net/", "https://other.example/",
                     "mailto:", "javascript:", "a:b/", "@/", "{filename}"]),
    st.lists(st.sampled_from(["a", "..", ".", "", "c.png", "d%20e", "ü", "x;y", "a&b", "q\"r",
                              "x:y", "t\tu", "\u00a0", "<"]), max_size=4),
    st.sampled_from(["", "?", "?a=1&b=2"]),
    st.sampled_from(["", "#", "#frag"]),
    st.sampled_from(["", " ", "\n"]))


@settings(max_examples=3000, deadline=None)
@given(base=st.sampled_from(BASES), tag=st.sampled_from(
    [("a", "href"), ("img", "src"), ("blockquote", "cite"), ("source", "src")]),
    value=values)
def test_absolutise_resolves_each_url_as_urljoin_does(base: str, tag: tuple[str, str],
                                                      value: str) -> None:
    from html import escape

    from feedpub.render.absolute import _HAS_SCHEME, Seen, absolutise

    element, name = tag
    seen = Seen()
    html = absolutise(f'<{element} {name}="{escape(value)}">', base, seen)
    url = value.strip().replace("\t", "").replace("\n", "").replace("\r", "")
    joined = url if url.startswith(("https://", "http://")) else urljoin(base, url)
    if joined.partition(":")[0].lower() not in ("http", "https", "mailto"):
        assert f' {name}="' not in html  # javascript: and the like: the attribute goes
        return
    written = joined.replace("&", "&amp;").replace('"', "&quot;")
    assert html == f'<{element} {name}="{written}">'
    relative = name != "cite" and not value.startswith(("#", "//")) \
        and not _HAS_SCHEME.match(value)
    assert seen.relative_urls == ([(value.strip(), joined)] if relative else [])
