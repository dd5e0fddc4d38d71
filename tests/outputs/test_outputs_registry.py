"""Output formats and feeds are registries: a new format, or a new kind of feed (such
as a feed per tag), is one registration, and build, check and the cache carry it
without knowing it (issue 10)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import SimpleNamespace

import pytest
from lxml import etree

from feedpub.build import build, build_and_publish
from feedpub.check import check
from feedpub.config.load import load_config
from feedpub.outputs import registry
from feedpub.publish import cache

from ..conftest import NOW, entry, write_site

# --- A toy output, in a few lines: one line per entry, "date title link" -------------

TOY = SimpleNamespace(
    fragment=lambda config, item: f"{item.entry.published:%Y-%m-%d} {item.entry.title} "
                                  f"{item.entry.link}\n".encode(),
    document=lambda config, feed, self_url, fragments: b"".join(
        [f"# {feed.title} <{self_url}>\n".encode(), *fragments]),
    whole=lambda fragment: bytes(fragment).endswith(b"\n") and bytes(fragment).count(b"\n") == 1,
    count=lambda document: document.count(b"\n") - 1,
)


@pytest.fixture
def toy() -> Iterator[registry.Output]:
    output = registry.Output("toy", "titles.txt", "text/plain", "line", lambda: TOY)
    registry.register(output)
    yield output
    registry.unregister("toy")


def entries() -> dict[str, str]:
    return {"a.md": entry("Alpha", "2021-05-13T10:00:00Z"),
            "b.md": entry("Beta", "2021-06-01T10:00:00Z"),
            "c.md": entry("Gamma", "2021-07-01T10:00:00Z", draft=True)}


def test_a_registered_output_is_built_beside_the_feeds(tmp_path: Path, toy) -> None:
    config = load_config(write_site(tmp_path, entries()))
    result = build(config, now=NOW)
    assert set(result.outputs) == {config.output_dir / n for n in
                                   ("rss.xml", "atom.xml", "feed.json", "titles.txt")}
    assert result.outputs[config.output_dir / "titles.txt"].decode().splitlines() == [
        "# Test site <https://example.org/blog/titles.txt>",
        "2021-06-01 Beta https://example.org/blog/b/",
        "2021-05-13 Alpha https://example.org/blog/a/"]
    # the feeds are what they are without it
    registry.unregister("toy")
    assert build(config, now=NOW).outputs == {
        path: data for path, data in result.outputs.items() if path.suffix != ".txt"}


def test_the_cache_keeps_and_reuses_the_new_outputs_fragments(tmp_path: Path, toy) -> None:
    config = load_config(write_site(tmp_path, entries()))
    _age(tmp_path)  # files just written are "racy": their entries are never cached
    build_and_publish(config, now=NOW)  # a first build: the folder is one that is rebuilt
    (tmp_path / "public" / "titles.txt").unlink()
    build_and_publish(config, now=NOW)  # writes the entry and fragment caches
    index = _fragment_index(tmp_path)
    assert index["outputs"] == ["rss", "atom", "json", "toy"]
    assert all(len(item[2]) == 4 for item in index["items"].values())
    expected = (tmp_path / "public" / "titles.txt").read_bytes()
    (tmp_path / "public" / "titles.txt").unlink()
    calls = []
    real = TOY.fragment
    TOY.fragment = lambda config, item: calls.append(item) or real(config, item)
    try:
        _, written = build_and_publish(config, now=NOW)
    finally:
        TOY.fragment = real
    assert calls == []  # every fragment came from the cache
    assert (tmp_path / "public" / "titles.txt").read_bytes() == expected
    assert [w.path.name for w in written if w.changed] == ["titles.txt"]


def test_fragments_of_another_set_of_outputs_are_not_used(tmp_path: Path, toy) -> None:
    config = load_config(write_site(tmp_path, entries()))
    _age(tmp_path)
    build_and_publish(config, now=NOW)
    (tmp_path / "public" / "rss.xml").unlink()
    build_and_publish(config, now=NOW)
    registry.unregister("toy")  # the cache holds four fragments per entry, we want three
    (tmp_path / "public" / "rss.xml").unlink()
    result, _ = build_and_publish(config, now=NOW)
    assert _fragment_index(tmp_path)["outputs"] == ["rss", "atom", "json"]
    rss = etree.fromstring((tmp_path / "public" / "rss.xml").read_bytes())
    assert [t.text for t in rss.iterfind("channel/item/title")] == ["Beta", "Alpha"]
    assert not any(cache.is_cache_note(p) for p in result.warnings)


def test_check_and_the_empty_build_guard_use_every_output(tmp_path: Path, toy) -> None:
    config = load_config(write_site(tmp_path, entries()))
    sizes = []
    real = TOY.document

    def document(config, feed, self_url, fragments: Sequence[bytes]) -> bytes:
        data = real(config, feed, self_url, fragments)
        sizes.append(len(fragments))
        return data

    TOY.document = document
    try:
        report = check(config, now=NOW)
    finally:
        TOY.document = real
    assert report.errors == 0 and sizes == [2]
    build_and_publish(config, now=NOW)
    for name in ("a.md", "b.md"):
        (tmp_path / "entries" / name).unlink()
    from feedpub.base.problems import InputError

    for name in ("rss.xml", "atom.xml", "feed.json"):  # only the toy output has entries
        (tmp_path / "public" / name).unlink()
    with pytest.raises(InputError) as raised:
        build_and_publish(config, now=NOW)
    assert "would replace public/titles.txt, which has 2" in raised.value.problems[0].message


def test_two_outputs_may_not_share_a_name_or_a_file(toy) -> None:
    with pytest.raises(ValueError, match="already registered"):
        registry.register(registry.Output("toy", "other.txt", "text/plain", "line",
                                          lambda: TOY))
    with pytest.raises(ValueError, match="already registered"):
        registry.register(registry.Output("other", "rss.xml", "text/plain", "line",
                                          lambda: TOY))


def _age(root: Path) -> None:
    for path in root.rglob("*.md"):
        os.utime(path, (1_000_000_000, 1_000_000_000))
    time.sleep(2 * cache.RACY_FINE_NS / 1e9)  # past the racy window of the change times


def _fragment_index(root: Path) -> dict:
    data = (root / ".feedpub-cache" / "feedpub.fragments").read_bytes()[cache.HEADER_SIZE:]
    size = int.from_bytes(data[:8], "big")
    return json.loads(data[8:8 + size])


# --- A toy kind of feed, in a few lines: one feed per year, in every format --------

def yearly(config, eligible) -> list[registry.Feed]:
    years = sorted({e.published.year for e in eligible.all()}, reverse=True)
    return [registry.Feed(f"{year}/", f"{config.title}: {year}", f"{config.url}{year}/",
                          tuple(e for e in eligible.all() if e.published.year == year))
            for year in years]


@pytest.fixture
def yearly_feeds() -> Iterator[None]:
    registry.FEEDS.append(yearly)
    yield
    registry.FEEDS.remove(yearly)


def test_a_registered_kind_of_feed_is_written_in_every_format(tmp_path: Path,
                                                              yearly_feeds) -> None:
    config = load_config(write_site(tmp_path, {
        "a.md": entry("Alpha", "2020-05-13T10:00:00Z"),
        "b.md": entry("Beta", "2021-06-01T10:00:00Z"),
        "c.md": entry("Gamma", "2021-07-01T10:00:00Z"),
        "d.md": entry("Delta", "2021-08-01T10:00:00Z", draft=True)}, extra="limit = 1\n"))
    result, _ = build_and_publish(config, now=NOW)
    public = tmp_path / "public"
    assert sorted(p.relative_to(public).as_posix() for p in public.rglob("*.xml")) == [
        "2020/atom.xml", "2020/rss.xml", "2021/atom.xml", "2021/rss.xml", "atom.xml",
        "rss.xml"]
    rss = etree.fromstring((public / "2021" / "rss.xml").read_bytes())
    assert rss.findtext("channel/title") == "Test site: 2021"
    assert rss.findtext("channel/link") == "https://example.org/blog/2021/"
    assert [t.text for t in rss.iterfind("channel/item/title")] == ["Gamma", "Beta"]
    atom = etree.fromstring((public / "2020" / "atom.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert atom.findtext("a:id", namespaces=ns) == "https://example.org/blog/2020/"
    assert atom.find("a:link[@rel='self']", ns).get("href") == \
        "https://example.org/blog/2020/atom.xml"
    assert [t.text for t in atom.iterfind("a:entry/a:title", ns)] == ["Alpha"]
    main = etree.fromstring((public / "rss.xml").read_bytes())
    assert [t.text for t in main.iterfind("channel/item/title")] == ["Gamma"]  # limit = 1
    assert result.entry_count == 1  # the main feed's: what build reports
    assert sorted(result.fragments) == ["a.md", "b.md", "c.md"]  # in some feed; not the draft
    # each entry's item is the same bytes in every feed it is in
    gamma = [data for data in (public / "rss.xml", public / "2021" / "rss.xml")]
    items = [path.read_bytes().split(b"<item>")[1].split(b"</item>")[0] for path in gamma]
    assert items[0] == items[1]


@pytest.mark.parametrize("folder", ["../", "/etc/", "a/../../", "tags", "a//", "./", "a\\b/"])
def test_a_feed_folder_never_leads_out_of_the_output_folder(folder: str) -> None:
    with pytest.raises(ValueError, match="not a relative folder"):
        registry.Feed(folder, "T", "https://example.org/", ())


@pytest.mark.parametrize("folder", ["", "2021/", "tags/python/", "de/tags/caf\u00e9/"])
def test_plain_feed_folders_are_taken(folder: str) -> None:
    assert registry.Feed(folder, "T", "https://example.org/", ()).folder == folder


# --- Fragments are made a batch at a time: the same bytes, in the same order ----------

def test_fragments_made_in_batches_are_those_made_one_at_a_time(tmp_path: Path,
                                                              monkeypatch) -> None:
    from feedpub import fragments
    from feedpub.render.entry import render_entry

    posts = {f"p{i:02}.md": entry(f"Post {i}", f"2021-05-{i % 28 + 1:02}T10:00:00Z",
                                  body=f"Body *{i}* with [a link](../p{i - 1:02}/).\n\n"
                                       f"<!--more-->\n\nMore of {i}.")
             for i in range(37)}
    # (full_content = 5: each entry also gets its summary-only variants)
    config = load_config(write_site(tmp_path, posts, extra="limit = 0\nfull_content = 5\n"))
    entries = list(build(config, now=NOW).documents[0].feed.entries)
    kinds = registry.variants(config)
    assert len(kinds) == 6
    one_by_one = [(registry.make_fragments(kinds, config, render_entry(e)), ()) for e in entries]
    monkeypatch.setattr(fragments, "RENDER_BATCH", 8)  # four batches and a short one
    batched = fragments.fragments_of(entries, config)
    assert [parts for parts, _ in batched] == [parts for parts, _ in one_by_one]
    titles = [json.loads(parts[2])["title"] for parts, _ in batched]  # (JSON Feed items)
    assert titles == [e.title for e in entries]  # each entry's own, in order
