"""Property tests: no input makes feedpub crash, and valid input round-trips."""

from __future__ import annotations

import os
import string
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import feedparser
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedpub.base.problems import InputError
from feedpub.base.text import clean_text
from feedpub.build import build
from feedpub.config.load import load_config
from feedpub.entries.loading import load_entries

from .conftest import BASE_CONFIG, NOW

SETTINGS = settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def site_with(tmp_path: Path, files: dict[str, bytes]) -> Path:
    root = tmp_path / "site"
    if root.exists():
        for path in sorted(root.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
    (root / "entries").mkdir(parents=True)
    (root / "feedpub.toml").write_text(BASE_CONFIG + "limit = 0\n")
    for name, data in files.items():
        (root / "entries" / name).write_bytes(data)
    return root / "feedpub.toml"


def front_matter_prefixes() -> st.SearchStrategy[bytes]:
    return st.sampled_from([b"", b"---\n", b"+++\n", b"{\n", b"\xef\xbb\xbf---\n",
                            b"---\ntitle: x\n", b"---\ntitle: x\ndate: 2021-01-01\n---\n"])


@SETTINGS
@given(prefix=front_matter_prefixes(), data=st.binary(max_size=400))
def test_arbitrary_bytes_never_crash(tmp_path: Path, prefix: bytes, data: bytes) -> None:
    config = load_config(site_with(tmp_path, {"post.md": prefix + data}))
    result = load_entries(config)  # must not raise
    assert len(result.entries) + sum(p.severity == "error" for p in result.problems) >= 1
    try:
        build(config, now=NOW)
    except InputError as exc:
        assert all(p.path == "entries/post.md" for p in exc.problems if p.severity == "error")


text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
markdown = st.lists(st.one_of(
    text, st.just("# Heading"), st.just("- item"), st.just("> quote"),
    st.just("[rel](../x/)"), st.just("![alt](i.png)"), st.just("<b>raw</b>"),
    st.just("<script>x</script>"), st.just("```\ncode\n```"), st.just("<!--more-->"),
    st.just("| a |\n|---|\n| 1 |"), st.just("&amp; &lt; & <")), max_size=8)
aware = st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2029, 1, 1),
                     timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)),
                                                timezone(timedelta(hours=-8))]))
name = st.text(alphabet=string.ascii_letters + " .'-" + "éüßłøñ漢字", min_size=1,
               max_size=20).filter(lambda s: s.strip())


def mojibake(value: str) -> bool:
    """Text that is UTF-8 read as Latin-1 ('Â¡'): feedparser 'repairs' it on purpose."""
    for codec in ("latin-1", "cp1252"):
        try:
            if value.encode(codec).decode("utf-8") != value:
                return True
        except UnicodeError:
            pass
    return False


entry_data = st.fixed_dictionaries({
    "title": text.filter(lambda s: s.strip() and not mojibake(" ".join(clean_text(s)[0].split()))),
    "date": aware,
    "tags": st.lists(text.filter(lambda s: s.strip() and "," not in s), max_size=4),
    "author": st.one_of(name, st.lists(name, min_size=1, max_size=3)),
    "body": markdown,
}, optional={"summary": text, "lang": st.sampled_from(["de", "pt-BR", "ja"])})


@SETTINGS
@given(entries=st.lists(entry_data, min_size=1, max_size=5))
def test_valid_entries_round_trip_through_both_feeds(tmp_path: Path, entries: list) -> None:
    files = {}
    for index, data in enumerate(entries):
        meta = {k: v for k, v in data.items() if k != "body"}
        meta["date"] = meta["date"].replace(microsecond=0).isoformat()
        body = "\n\n".join(data["body"])
        files[f"e{index}.md"] = ("---\n" + yaml.safe_dump(meta, allow_unicode=True)
                                 + "---\n" + body).encode()
    config = load_config(site_with(tmp_path, files))
    try:
        result = build(config, now=NOW)
    except InputError as exc:  # only whitespace-only, control or invisible characters
        assert all("missing or empty" in p.message or "no name" in p.message
                   or "is empty" in p.message or "shows nothing" in p.message
                   for p in exc.problems if p.severity == "error")
        return
    loaded = {e.id: e for e in load_entries(config).entries}
    for path in (config.output_dir / "rss.xml", config.output_dir / "atom.xml"):
        parsed = feedparser.parse(result.outputs[path])
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert len(parsed.entries) == len(loaded)
        for item in parsed.entries:
            entry = loaded[item.id]
            assert item.title == entry.title
            assert item.link == entry.link
            published = datetime(*item.published_parsed[:6], tzinfo=UTC)
            assert published == entry.published.astimezone(UTC)


@settings(max_examples=500, deadline=None)
@given(value=st.text())
def test_the_byte_precheck_never_misses_a_control_character(value: str) -> None:
    from feedpub.base.text import may_hold_control_characters

    try:
        raw = value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates cannot come from a UTF-8 file
        return
    if not may_hold_control_characters(raw):
        assert clean_text(value)[1] == 0
