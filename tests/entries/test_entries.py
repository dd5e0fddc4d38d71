"""Front matter -> Entry: every key's rules, defaults and errors."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from types import SimpleNamespace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.base.people import Person
from feedpub.entries.loading import load_entries
from feedpub.entries.model import Entry

from ..conftest import BASE_CONFIG, entry

_ENTRY = Entry(source="entries/a.md", title="A", published=datetime(2021, 1, 1, tzinfo=UTC),
               updated=datetime(2021, 1, 1, tzinfo=UTC), authors=(), summary=None, tags=(),
               id="a", slug="a", link="https://example.org/a/", base="https://example.org/a/",
               draft=False, expires=None, lang=None, heading_title=False, body_line=4,
               body_start=-1, enclosures=(), image=None, episode=None, body=None,
               path="/x/entries/a.md", rel="a.md")


def load(site, files: dict[str, str], extra: str = "", config: str = BASE_CONFIG):
    result = load_entries(site(files, extra, config))
    return {e.source.removeprefix("entries/"): e for e in result.entries}, \
        [str(p) for p in result.problems]


def test_slug_is_the_path_inside_the_entries_folder(site) -> None:
    entries, problems = load(site, {"world/2021-05-13-truce.md": entry(date="")})
    e = entries["world/2021-05-13-truce.md"]
    assert problems == []
    assert e.slug == "world/2021-05-13-truce"
    assert e.link == "https://example.org/blog/world/2021-05-13-truce/"
    assert e.published == datetime(2021, 5, 13, tzinfo=UTC)  # from the file name


def test_same_file_name_in_two_folders_gives_two_entries(site) -> None:
    entries, problems = load(site, {"a/2021-05-13-weekly-notes.md": entry(date=""),
                                    "b/2021-05-13-weekly-notes.md": entry(date="")})
    assert problems == []
    assert len({e.id for e in entries.values()}) == 2


def test_slug_is_percent_encoded_in_urls(site) -> None:
    entries, _ = load(site, {"nachrichten/über uns.md": entry()})
    e = entries["nachrichten/über uns.md"]
    assert e.slug == "nachrichten/über uns"
    assert e.link == "https://example.org/blog/nachrichten/%C3%BCber%20uns/"
    assert e.id == "tag:example.org,2021-05-13:nachrichten/%C3%BCber%20uns"


def test_explicit_slug_link_and_id(site) -> None:
    entries, problems = load(site, {
        "a.md": entry(slug="custom/path"),
        "b.md": entry("B", link="/elsewhere/b.html"),
        "c.md": entry("C", id="urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"),
    })
    assert problems == []
    assert entries["a.md"].link == "https://example.org/blog/custom/path/"
    assert entries["a.md"].id == "tag:example.org,2021-05-13:custom/path"
    assert entries["b.md"].link == "https://example.org/elsewhere/b.html"
    assert entries["c.md"].id == "urn:uuid:1225c695-cfb8-4ebb-aaaa-80da344efa6a"


def test_id_does_not_change_with_the_link(site) -> None:
    before, _ = load(site, {"p.md": entry()})
    after, _ = load(site, {"p.md": entry()}, extra='permalink = "/{year}/{name}/"\n')
    assert before["p.md"].link != after["p.md"].link
    assert before["p.md"].id == after["p.md"].id


def test_permalink_pattern(site) -> None:
    entries, _ = load(site, {"world/2021-05-13-truce.md": entry(date="2021-05-13T23:00:00+02:00")},
                      extra='permalink = "{year}/{month}/{day}/{folder}/{name}/"\n')
    assert entries["world/2021-05-13-truce.md"].link == \
        "https://example.org/blog/2021/05/13/world/truce/"
    entries, _ = load(site, {"top.md": entry()}, extra='permalink = "{folder}/{slug}.html"\n')
    assert entries["top.md"].link == "https://example.org/blog/top.html"


@pytest.mark.parametrize(("value", "expected"), [
    ('"Ann"', (Person("Ann"),)),
    ('"Ann <ann@example.org>"', (Person("Ann", "ann@example.org"),)),
    ("{name: Ann, email: ann@example.org, uri: 'https://ann.example.org/'}",
     (Person("Ann", "ann@example.org", "https://ann.example.org/"),)),
    ('["Ann <ann@example.org>", {name: Bob}]',
     (Person("Ann", "ann@example.org"), Person("Bob"))),
])
def test_author_forms(site, value: str, expected: tuple[Person, ...]) -> None:
    entries, problems = load(site, {"a.md": entry(author=value)})
    assert problems == []
    assert entries["a.md"].authors == expected


def test_author_falls_back_to_config(site) -> None:
    entries, _ = load(site, {"a.md": entry()})
    assert entries["a.md"].authors == (Person("Default Author", "default@example.org"),)


def test_no_author_anywhere_is_an_error(site) -> None:
    config = "\n".join(ln for ln in BASE_CONFIG.splitlines() if not ln.startswith("author"))
    _, problems = load(site, {"a.md": entry()}, config=config)
    assert len(problems) == 1 and "no author" in problems[0] and "feed.author" in problems[0]


@pytest.mark.parametrize(("value", "expected"), [
    ("[world, Middle East, world]", ("world", "Middle East")),
    ("world, middle east ,, gaza", ("world", "middle east", "gaza")),
    ('"single"', ("single",)),
])
def test_tag_forms(site, value: str, expected: tuple[str, ...]) -> None:
    entries, problems = load(site, {"a.md": entry(tags=value)})
    assert problems == [] and entries["a.md"].tags == expected


def test_tags_and_author_names_written_as_numbers_are_text(site) -> None:
    # Jekyll and Hugo read `tags: [2024, python]` as the tags "2024" and "python".
    entries, problems = load(site, {
        "a.md": entry(tags="[2024, python, 3.5]", author="1984"),
        "b.md": entry("B", "2021-05-14", tags="2024", author="[{name: 42}, Ann]"),
        "c.md": "+++\ntitle = 'C'\ndate = 2021-05-15\ntags = [2025]\nauthor = 7\n+++\n"})
    assert problems == []
    assert entries["a.md"].tags == ("2024", "python", "3.5")
    assert [p.name for p in entries["a.md"].authors] == ["1984"]
    assert entries["b.md"].tags == ("2024",)
    assert [p.name for p in entries["b.md"].authors] == ["42", "Ann"]
    assert entries["c.md"].tags == ("2025",)
    assert [p.name for p in entries["c.md"].authors] == ["7"]


@pytest.mark.parametrize(("value", "message"), [
    ("[010]", "tags[0] is a number (8), not text"),  # YAML 1.1 octal
    ("[3.10]", "tags[0] is a number (3.1), not text"),
    ("[0x1F]", "tags[0] is a number (31), not text"),
    ("[1:30]", "tags[0] is a number (90), not text"),  # sexagesimal
])
def test_numbers_the_parser_changed_are_not_published_changed(site, value, message) -> None:
    entries, problems = load(site, {"a.md": entry(tags=value)})
    assert entries == {} and len(problems) == 1
    assert message in problems[0] and "put the tag in quotes" in problems[0]
    _, problems = load(site, {"a.md": entry(author="007")})
    assert "author must be a name" in problems[0]


@pytest.mark.parametrize(("key", "value", "message"), [
    ("title", "[a, b]", "title must be text, not a list"),
    ("title", "42", "title must be text, not a number (42)"),
    ("title", "yes", "title must be text, not a yes/no value (true)"),
    ("title", '""', "title is missing or empty"),
    ("date", "tomorrow", "date 'tomorrow' is not a date"),
    ("date", "10:00", "YAML reads an unquoted time"),
    ("updated", "2021-13-45", "updated '2021-13-45' does not exist: there is no month 13"),
    ("tags", "{a: 1}", "tags must be a list or comma-separated text"),
    ("tags", "[news, yes]", "tags[1] is a yes/no value (true), not text"),
    ("author", '"Ann <not-an-email>"', "is not an e-mail address"),
    ("author", "[]", "author is an empty list"),
    ("draft", '"no"', "draft must be true or false, not text"),
    ("id", '"post-42"', "id 'post-42' is not a tag:, urn: or http(s) URI"),
    ("slug", '"../../etc"', "may not contain empty, '.' or '..' parts"),
    ("lang", '"english"', "lang 'english' is not a language tag"),
])
def test_field_errors_name_file_and_line(site, key: str, value: str, message: str) -> None:
    files = {"bad.md": entry("T", **{key: value})} if key != "title" else \
        {"bad.md": f"---\ndate: 2021-05-13\ntitle: {value}\n---\nBody\n"}
    if key == "date":
        files = {"bad.md": f"---\ntitle: T\ndate: {value}\n---\nBody\n"}
    entries, problems = load(site, files)
    assert entries == {}
    assert len(problems) == 1, problems
    assert message in problems[0]
    assert problems[0].startswith("entries/bad.md:")
    line = int(problems[0].split(":")[1])
    assert files["bad.md"].splitlines()[line - 1].startswith(key)


@pytest.mark.parametrize(("files", "message"), [
    ({"a.md": entry(date="2024-02-30")},
     "entries/a.md:3: error: date '2024-02-30' does not exist: February 2024 has 29 days, "
     "so there is no day 30"),
    ({"a.md": entry(date='"2023-02-29 10:00"')},
     "date '2023-02-29 10:00' does not exist: February 2023 has 28 days"),
    ({"a.md": entry(date="2021-05-14T25:00:00Z")},
     "date '2021-05-14T25:00:00Z' does not exist: there is no hour 25"),
    ({"2024-02-30-leap.md": entry(date="")},
     "the date in the file name, 2024-02-30, does not exist: February 2024 has 29 days"),
])
def test_an_impossible_day_is_named_not_a_list_of_formats(site, files, message) -> None:
    entries, problems = load(site, files)
    assert entries == {} and len(problems) == 1
    assert message in problems[0]
    assert "2021-05-13T14:30:00+02:00" not in problems[0]  # the formats are not the problem


def test_missing_date_without_file_name_date(site) -> None:
    _, problems = load(site, {"undated.md": entry(date="")})
    assert "date is missing" in problems[0] and "YYYY-MM-DD-" in problems[0]


def test_every_bad_entry_is_reported_together(site) -> None:
    entries, problems = load(site, {"a.md": entry(date="never"), "b.md": entry(tags="{x: 1}"),
                                    "c.md": entry()})
    assert list(entries) == ["c.md"]
    assert [p.split(":")[0] for p in problems] == ["entries/a.md", "entries/b.md"]


def test_duplicate_ids_and_slugs_name_both_files(site) -> None:
    _, problems = load(site, {
        "a.md": entry(slug="same"), "b.md": entry("B", slug="same"),
        "c.md": entry(id="tag:example.org,2021:x"), "d.md": entry(id="tag:example.org,2021:x"),
    })
    assert len(problems) == 2
    assert "slug 'same' is used by both entries/a.md and entries/b.md" in problems[0]
    assert "id 'tag:example.org,2021:x' is used by both entries/c.md and entries/d.md" \
        in problems[1]


def test_near_miss_keys_warn_and_other_keys_are_ignored(site) -> None:
    entries, problems = load(site, {"a.md": entry(tag="[x]", dates="2021-01-01",
                                                  layout="post", categories="[c]",
                                                  my_custom_key="1")})
    assert "a.md" in entries  # warnings do not stop the entry
    assert len(problems) == 2
    assert "unknown key 'tag' is ignored" in problems[0] and "did you mean 'tags'" in problems[0]
    assert "did you mean 'date'" in problems[1]
    assert all(p.split(": ")[1] == "warning" for p in problems)
    _, problems = load(site, {"a.md": "---\ntittle: x\ntitle: y\ndate: 2021-01-01\n---\n"})
    assert "did you mean 'title'" in problems[0]


def test_updated_before_date_is_clamped_with_a_warning(site) -> None:
    entries, problems = load(site, {"a.md": entry(updated="2020-01-01")})
    assert entries["a.md"].updated == entries["a.md"].published
    assert "updated is earlier than date" in problems[0]


def _corpus(n: int) -> dict[str, str]:
    # Several entries share a date, so ties are broken by id across both halves.
    return {f"y{i % 3}/p{i:03d}.md": entry(f"P{i}", f"2021-05-{i % 9 + 1:02d}T10:00:00Z",
                                           body=f"Body {i}.")
            for i in range(60)}


def test_bodies_are_kept_only_for_entries_that_can_make_the_feed(site) -> None:
    from feedpub.entries.loading import Selection, body_of
    from feedpub.entries.select import select

    from ..conftest import NOW

    config = site(_corpus(60), extra="limit = 5\n")
    selection = Selection(NOW, limit=5)
    result = load_entries(config, selection=selection)
    chosen = select(result.entries, config, now=NOW)
    assert sum(e.body is not None for e in result.entries) == 5
    assert all(e.body is not None for e in chosen)
    dropped = next(e for e in result.entries if e.body is None)
    assert body_of(dropped, config) == f"Body {dropped.title[1:]}.\n"


def test_parallel_loading_gives_the_same_entries_as_serial(site, monkeypatch) -> None:
    from feedpub.entries.loading import Selection

    from ..conftest import NOW

    files = _corpus(60)
    files["bad.md"] = entry(date="never")
    config = site(files, extra="limit = 7\n")
    selection = Selection(NOW, limit=7)
    serial = load_entries(config, selection=selection)
    _share_small_folders(monkeypatch)
    shared = load_entries(config, selection=selection)
    assert shared == serial
    assert [str(p) for p in shared.problems] == [str(p) for p in serial.problems]


def test_builds_with_dropped_bodies_match_builds_that_keep_them(site, monkeypatch) -> None:
    from feedpub.build import build

    from ..conftest import NOW

    config = site(_corpus(60), extra="limit = 4\n")
    reference = build(config, now=NOW).outputs
    _share_small_folders(monkeypatch)
    assert build(config, now=NOW).outputs == reference
    # The newest entry is a duplicate dropped after loading: the fifth newest, whose
    # body loading dropped, enters the feed and its body is read again.
    files = _corpus(60)
    files["a-twin.md"] = entry("Twin", "2020-01-01", slug="twin")
    without = build(site(files, extra="limit = 4\n"), now=NOW).outputs
    files["zz-twin.md"] = entry("Newest", "2021-06-01", slug="twin")
    with_twin = build(site(files, extra="limit = 4\n"), now=NOW, skip_invalid=True)
    assert with_twin.outputs == without
    assert any("slug 'twin' is used by both" in str(w) for w in with_twin.warnings)


def test_parallel_render_and_feeds_give_the_same_bytes(site, monkeypatch) -> None:
    from feedpub.build import build

    from ..conftest import NOW

    config = site(_corpus(60), extra="limit = 0\n")
    serial = build(config, now=NOW).outputs
    _share_small_folders(monkeypatch)
    assert build(config, now=NOW).outputs == serial


def _share_small_folders(monkeypatch) -> None:
    """Fork even for a few files, in chunks of three, so that tests cover sharing."""
    from feedpub.entries import loading

    monkeypatch.setattr(loading, "MIN_FILES_TO_SHARE", 10)
    monkeypatch.setattr(loading, "MIN_FILES_TO_SHARE_WITH_WORK", 10)
    monkeypatch.setattr(loading, "CHUNK", 3)


def test_a_shared_queue_gives_each_index_to_exactly_one_process() -> None:
    import time

    from feedpub.runtime import parallel

    def take(queue: parallel.SharedQueue) -> list[int]:
        taken = []
        for index in queue:
            taken.append(index)
            time.sleep(0.0001)
        return taken

    queue = parallel.SharedQueue(501, 4)
    try:
        child = parallel.in_child(take, queue)
        mine = take(queue)
        theirs = child()
    finally:
        queue.close()
    assert sorted(mine + theirs) == list(range(501))
    assert mine and theirs  # both took a share
    big = parallel.SharedQueue(100_000, 1)  # chunks grow to fit the pipe
    try:
        assert big.chunk == 49 and list(big) == list(range(100_000))
    finally:
        big.close()


def test_a_shared_queue_with_a_largest_chunk_shrinks_its_chunks_to_the_end() -> None:
    """fragments.py's queue: chunks of an eighth of what is left, within 32 and 256:
    large turns first, short ones last; each index still taken once, in chunks that
    tile the list in order."""
    from feedpub.runtime import parallel

    for length in (1, 31, 32, 33, 1000, 10_000):
        queue = parallel.SharedQueue(length, 32, 256)
        try:
            chunks = list(queue.chunks())
        finally:
            queue.close()
        sizes = [len(chunk) for chunk in chunks]
        assert [i for chunk in chunks for i in chunk] == list(range(length))
        assert sizes == sorted(sizes, reverse=True)  # never growing
        assert all(size <= 256 for size in sizes) and all(size >= 32 for size in sizes[:-1])
        for chunk in chunks[:-1]:  # an eighth of what was left, within the bounds
            assert len(chunk) == max(32, min(256, (length - chunk.start) // 8))
        if length == 10_000:
            assert sizes[0] == 256 and sizes[-2] == 32


def test_files_a_dying_child_had_taken_are_read_by_the_parent(site, monkeypatch) -> None:
    import os

    from feedpub.entries import loading
    from feedpub.entries.loading import Selection

    from ..conftest import NOW

    config = site(_corpus(60), extra="limit = 5\n")
    serial = load_entries(config, selection=Selection(NOW, limit=5))
    _share_small_folders(monkeypatch)
    parent = os.getpid()
    real = loading._parse_each

    def dies_in_child(config, paths, selection, progress, stats, bodies):
        results = real(config, paths, selection, progress, stats, bodies)
        if os.getpid() != parent:
            for _ in range(7):  # takes three chunks, sends two parts, then fails
                yield next(results)
            raise MemoryError("killed")
        yield from results

    monkeypatch.setattr(loading, "_parse_each", dies_in_child)
    assert load_entries(config, selection=Selection(NOW, limit=5)) == serial


def test_a_child_sends_its_parts_in_order_through_a_file() -> None:
    import os

    from feedpub.runtime import parallel

    def parts(count: int) -> Iterator[object]:
        for number in range(count):
            yield {"number": number, "pid": os.getpid(), "data": b"x" * 100_000}

    sent = parallel.in_child_parts(parts, 40)()  # 4 MB: more than a pipe holds
    assert [part["number"] for part in sent] == list(range(40))
    assert {part["pid"] for part in sent} != {os.getpid()}  # made by the child
    assert all(len(part["data"]) == 100_000 for part in sent)


def test_a_failing_parts_child_leaves_the_work_to_the_parent() -> None:
    import os

    from feedpub.runtime import parallel

    def parts(parent_pid: int) -> Iterator[int]:
        yield 1
        if os.getpid() != parent_pid:
            raise RuntimeError("only in the child")  # after one part was sent
        yield 2

    assert parallel.in_child_parts(parts, os.getpid())() == [1, 2]


def test_a_parts_child_is_reaped_when_the_parents_share_fails() -> None:
    import os
    import time

    import pytest

    from feedpub.runtime import parallel

    def slow() -> Iterator[int]:
        time.sleep(30)
        yield 1

    child = parallel.in_child_parts(slow)
    with pytest.raises(RuntimeError), parallel.cancelled_on_error(child):
        raise RuntimeError("this process's part failed")
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)
    assert child.fd == -1  # its file closed
    child.cancel()  # (twice is harmless: nothing is closed again)


def test_a_failing_child_leaves_the_work_to_the_parent() -> None:
    import os

    from feedpub.runtime import parallel

    def fails_in_child(parent_pid: int) -> int:
        if os.getpid() != parent_pid:
            raise RuntimeError("only in the child")
        return 42

    assert parallel.in_child(fails_in_child, os.getpid())() == 42


def test_a_child_is_reaped_when_the_parents_share_fails() -> None:
    import os
    import time

    import pytest

    from feedpub.runtime import parallel

    def big() -> bytes:
        return b"x" * 1_000_000  # a large value, still being written when cancelled

    child = parallel.in_child(big)
    with pytest.raises(RuntimeError), parallel.cancelled_on_error(child):
        raise RuntimeError("this process's part failed")
    time.sleep(0.05)
    with pytest.raises(ChildProcessError):
        os.waitpid(child.pid, os.WNOHANG)  # already reaped: no zombie, no stray process


@pytest.mark.parametrize("limit", [5, 0])
def test_a_build_makes_no_cyclic_garbage(site, limit) -> None:
    # A build pauses the cyclic garbage collector (feedpub/collector.py), which is
    # safe only while it leaves nothing behind that reference counting cannot free:
    # valid entries, the fallback to PyYAML, TOML and JSON front matter, invalid
    # files, rendering and both feeds alike.
    import gc
    import shutil
    from pathlib import Path

    from feedpub.build import build
    from feedpub.config.load import load_config

    from ..conftest import NOW

    messy = Path(__file__).parents[1] / "fixtures" / "messy"
    files = _corpus(40)
    files |= {"nested.md": "---\ntitle: N\ndate: 2021-01-01\nauthor:\n  name: A\n---\nB\n",
              "toml.md": '+++\ntitle = "T"\ndate = 2021-01-02\n+++\nB\n',
              "bad-date.md": entry(date="never"), "bad-yaml.md": "---\ntitle: [x\n---\n",
              "empty.md": "", "unclosed.md": "---\ntitle: x\n"}
    config = site(files, extra=f"limit = {limit}\n")
    shutil.copytree(messy / "entries", config.entries_dir / "messy")
    load_config(config.path)  # warm up every lazy import and cache first
    build(config, now=NOW, skip_invalid=True)
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        result = build(config, now=NOW, skip_invalid=True)
        assert result.found_count > 40 and result.warnings and result.outputs
        del result
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


@settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")), deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.sampled_from([-720, -330, 0, 60, 345, 840]),
                          st.sampled_from(["a", "b", "c"]), st.booleans()),
                max_size=30),
       st.integers(0, 8), st.booleans(), st.booleans())
def test_select_orders_newest_first_then_by_id(rows, limit, drafts, future) -> None:
    # The same instant in different offsets is a tie; ties go by id; then the limit.
    from dataclasses import replace as with_fields

    from feedpub.entries.select import select

    base = datetime(2021, 5, 13, 12, tzinfo=UTC)
    now = base + timedelta(hours=3)
    template = _ENTRY
    entries = []
    for index, (hours, offset, name, draft) in enumerate(rows):
        zone = timezone(timedelta(minutes=offset))
        published = (base + timedelta(hours=hours)).astimezone(zone)
        entries.append(with_fields(template, published=published, updated=published,
                                   id=f"{name}{index % 3}", draft=draft))
    config = SimpleNamespace(limit=limit)
    expected = sorted((e for e in entries if (drafts or not e.draft)
                       and (future or e.published <= now)), key=lambda e: e.id)
    expected.sort(key=lambda e: e.published, reverse=True)  # stable: ids stay in order
    chosen = select(entries, config, now=now, drafts=drafts, future=future)  # type: ignore[arg-type]
    assert [(e.published, e.id) for e in chosen] == \
        [(e.published, e.id) for e in (expected[:limit] if limit else expected)]


def test_entries_a_dying_render_child_had_taken_are_rendered_by_the_parent(
        site, monkeypatch) -> None:
    import os

    from feedpub import fragments as build_module
    from feedpub.build import build

    from ..conftest import NOW

    config = site(_corpus(60), extra="limit = 0\n")
    serial = build(config, now=NOW).outputs
    _share_small_folders(monkeypatch)
    monkeypatch.setattr(build_module, "RENDER_CHUNK", 3)
    parent = os.getpid()
    real = build_module._fragments

    def dies_in_child(entries, config, progress=None, context=None):
        if os.getpid() != parent:
            iterator = iter(entries)
            for _ in range(7):  # takes three chunks, then fails
                next(iterator)
            raise MemoryError("killed")
        return real(entries, config, progress, context)

    monkeypatch.setattr(build_module, "_fragments", dies_in_child)
    assert build(config, now=NOW).outputs == serial


@settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")) * 5, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)
       | st.from_regex(r"[A-Za-z0-9_.~/%?# -]{0,20}", fullmatch=True))
def test_the_quick_path_quoting_equals_quote(path: str) -> None:
    from urllib.parse import quote

    from feedpub.entries.links import quoted_path

    assert quoted_path(path) == quote(path, safe="/")


def test_a_comment_that_cuts_an_unquoted_value_short_is_a_warning(site) -> None:
    text = ("---\ntitle: Fixed issue #42 in the parser\ndate: 2021-05-13\n"
            'summary: "Quoted #1 is kept" # a comment after quotes is meant\n'
            'colour: "#fff"\n# a comment line\n'
            "author:\n  name: Jane #1 fan\ntags:\n  - python\n  - issue #42\n  - c#\n"
            "---\nBody\n")
    entries, problems = load(site, {"a.md": text})
    e = entries["a.md"]
    assert (e.title, e.summary, e.tags) == ("Fixed issue", "Quoted #1 is kept",
                                             ("python", "issue", "c#"))
    assert problems == [
        "entries/a.md:2: warning: title was cut short: YAML reads '#42 in the parser' as a "
        "comment, leaving 'Fixed issue'\n  hint: put the whole value in quotes: "
        '"Fixed issue #42 in the parser" (or move a comment that is meant to its own line)',
        "entries/a.md:8: warning: author was cut short: YAML reads '#1 fan' as a comment, "
        "leaving 'Jane'\n  hint: put the whole value in quotes: \"Jane #1 fan\" "
        "(or move a comment that is meant to its own line)",
        "entries/a.md:11: warning: tags was cut short: YAML reads '#42' as a comment, "
        "leaving 'issue'\n  hint: put the whole value in quotes: \"issue #42\" "
        "(or move a comment that is meant to its own line)"]
    # Quoted, the value is whole and nothing is said; TOML strings are always quoted.
    entries, problems = load(site, {
        "a.md": entry('Fixed issue #42 in the parser', tags='["issue #42"]'),
        "b.md": '+++\ntitle = "Fixed #42" # comment\ndate = 2021-05-13\n+++\nBody\n'})
    assert problems == []
    assert entries["a.md"].title == "Fixed issue #42 in the parser"
    assert entries["b.md"].title == "Fixed #42"
    # In block scalars and quoted values that go on, '#' is text: nothing is cut.
    text = ("---\ntitle: T\ndate: 2021-05-13\nsummary: |\n  Fixed issue #42 today\n"
            'author: "Jane\n  #1 fan"\ntags:\n  - >\n    c #sharp\n---\nBody\n')
    entries, problems = load(site, {"a.md": text})
    assert problems == []
    assert entries["a.md"].summary == "Fixed issue #42 today"
    assert entries["a.md"].authors[0].name == "Jane #1 fan"
    assert entries["a.md"].tags == ("c #sharp",)


def test_a_tab_in_yaml_indentation_is_named(site) -> None:
    _, problems = load(site, {"a.md": "---\ntitle: T\ndate: 2021-05-13\ntags:\n\t- a\n---\n"})
    assert problems == [
        "entries/a.md:5: error: invalid YAML front matter: the line is indented with a tab, "
        "and YAML allows only spaces for indentation\n"
        "  hint: replace the tab at the start of the line with spaces"]


@pytest.mark.parametrize("shared", [False, True])
def test_files_read_in_batches_keep_their_order_and_their_own_problems(
        site, monkeypatch, shared: bool) -> None:
    """Files are read a batch at a time, then made into entries (loading.READ_BATCH):
    each result stays with its file, in order, unreadable and invalid ones among them,
    whether one process reads or two share the files."""
    from feedpub.entries import loading

    files: dict[str, str | bytes] = {
        f"p{i:02}.md": entry(f"P{i}", f"2021-05-{i % 28 + 1:02}T10:00:00Z", body=f"Body {i}.")
        for i in range(23)}
    files["p03.md"] = b"\xff\xfe\x00not utf"  # not UTF-8 (nor UTF-16 text)
    files["p04.md"] = "---\ntitle: [unclosed\n---\nBody.\n"  # front matter that does not parse
    files["p11.md"] = entry("P11", "not a date")
    files["p12.md"] = ""  # empty
    config = site(files)
    monkeypatch.setattr(loading, "READ_BATCH", 4)  # p03 and p04 end and begin batches
    if shared:
        _share_small_folders(monkeypatch)
    result = load_entries(config)
    assert [rel for rel, _, _ in result.files] == sorted(files)
    bad = {rel for rel, made, problems in result.files if made is None}
    assert bad == {"p03.md", "p04.md", "p11.md", "p12.md"}
    for rel, made, problems in result.files:
        assert (made is None) == any(p.severity == "error" for p in problems), rel
        assert all(p.path == f"entries/{rel}" for p in problems)
        if made is not None:
            assert made.title == "P" + str(int(rel[1:3])) and made.rel == rel
    # the stats of the files read whole (p11's fields are wrong, but it was read)
    assert set(result.stats) == set(files) - {"p03.md", "p04.md", "p12.md"}
