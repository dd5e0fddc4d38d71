"""No `title`, but a leading `# Heading`: the heading is the title, and the body
rendered for the feed leaves it out (it would repeat the title)."""

from __future__ import annotations

import pytest

from feedpub.entries.heading import leading_heading

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.mark.parametrize(("body", "title", "rest"), [
    ("# Hello *world*\n\nText.\n", "Hello *world*", "\nText.\n"),
    ("\n\n  # Spaced #\nText.\n", "Spaced", "Text.\n"),
    ("Setext title\n===\nText.\n", "Setext title", "Text.\n"),
    ("#   \nText.\n", None, None),  # an empty heading is no title
    ("## Second level\n", None, None),
    ("Text first.\n\n# Later\n", None, None),
    ("    # indented code\n", None, None),
    ("#hashtag without space\n", None, None),
    ("```\n# in code\n```\n", None, None),
])
def test_leading_heading(body, title, rest) -> None:
    found = leading_heading(body)
    if title is None:
        assert found is None
    else:
        assert found is not None and found[0] == title and body[found[1]:] == rest


def test_a_heading_titles_an_entry_without_title_and_leaves_its_content(feeds) -> None:
    untitled = "---\ndate: 2021-05-13\n---\n# Notes on *tea*\n\nGreen, mostly.\n"
    titled = "---\ntitle: Own\ndate: 2021-05-12\n---\n# Heading kept\n\nText.\n"
    rss, atom = feeds({"tea.md": untitled, "own.md": titled})
    entries = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}content")
               for e in atom.iter(f"{ATOM}entry")}
    assert entries["Notes on tea"] == "<p>Green, mostly.</p>"  # plain-text title
    assert entries["Own"] == "<h1>Heading kept</h1>\n<p>Text.</p>"  # a title: kept
    assert [i.findtext("title") for i in rss.iter("item")] == ["Notes on tea", "Own"]


def test_without_title_or_heading_the_error_stays(site) -> None:
    from feedpub.entries.loading import load_entries

    loaded = load_entries(site({"x.md": "---\ndate: 2021-05-13\n---\nJust text.\n"}))
    assert [p.message for p in loaded.problems] == ["title is missing or empty"]
