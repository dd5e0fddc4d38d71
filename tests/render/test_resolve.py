"""The fast resolver gives exactly urljoin's answers."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.render.absolute import Base

BASES = ["https://example.org/blog/world/post/", "https://example.org/a/b/page.html",
         "https://example.org/", "https://example.org/x/y/?q=1", "http://h.example:8080/p/q"]
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
