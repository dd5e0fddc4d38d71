"""Reading entry files: encodings, line endings, the front matter formats."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from feedpub.build import build
from feedpub.config.load import load_config
from feedpub.content.files import discover
from feedpub.content.source import Source, SourceError, read_source

from ..conftest import NOW, write_site


def read(tmp_path: Path, data: bytes | str, name: str = "post.md") -> Source:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return read_source(path, tmp_path, name)


def fails(tmp_path: Path, data: bytes | str) -> str:
    with pytest.raises(SourceError) as caught:
        read(tmp_path, data)
    return str(caught.value.problem)


def test_yaml(tmp_path: Path) -> None:
    source = read(tmp_path, "---\ntitle: Hi\ntags: [a, b]\n---\n\nBody\n")
    assert source.metadata == {"title": "Hi", "tags": ["a", "b"]}
    assert source.body == "Body\n"
    assert source.body_line == 6
    assert source.key_lines == {"title": 2, "tags": 3}


def test_toml(tmp_path: Path) -> None:
    source = read(tmp_path, '+++\ntitle = "Hi"\ndate = 2021-05-13\n+++\nBody\n')
    assert source.metadata["title"] == "Hi"
    assert str(source.metadata["date"]) == "2021-05-13"
    assert source.body == "Body\n"


def test_json(tmp_path: Path) -> None:
    source = read(tmp_path, '{\n"title": "Hi",\n"tags": ["a"]\n}\nBody\n')
    assert source.metadata == {"title": "Hi", "tags": ["a"]}
    assert source.body.strip() == "Body"


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    source = read(tmp_path, b"\xef\xbb\xbf---\r\ntitle: Hi\r\n---\r\nLine one\r\nLine two\r\n")
    assert source.metadata == {"title": "Hi"}
    assert source.body == "Line one\nLine two\n"


def test_yaml_is_loaded_safely(tmp_path: Path) -> None:
    message = fails(tmp_path, "---\ntitle: !!python/object/apply:os.system ['echo hi']\n---\n")
    assert "invalid YAML" in message


def test_invalid_yaml_names_the_line(tmp_path: Path) -> None:
    message = fails(tmp_path, "---\ntitle: ok\ndate: 2021-05-13\ntags: [a, b\n---\nBody\n")
    assert message.startswith("post.md:4: error: invalid YAML front matter")  # where [ opened


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    message = fails(tmp_path, '+++\ntitle = "ok"\n\ndate = tomorrow\n+++\n')
    assert message.startswith("post.md:4: error: invalid TOML front matter")


def test_invalid_json_names_the_line(tmp_path: Path) -> None:
    message = fails(tmp_path, '{\n"title": "ok",\n"tags": [,]\n}\n')
    assert message.startswith("post.md:3: error: invalid JSON front matter")


def test_unclosed_front_matter(tmp_path: Path) -> None:
    message = fails(tmp_path, "---\ntitle: Hi\n\nBody without an end\n")
    assert "never closed" in message and "post.md:1:" in message


def test_yaml_front_matter_may_end_with_yamls_document_end_marker(tmp_path: Path) -> None:
    """'...' closes YAML front matter, as in Jekyll (YAML_FRONT_MATTER_REGEXP)."""
    source = read(tmp_path, "---\ntitle: Hi\ntags: [a]\n...\n\nBody\n---\nmore\n")
    assert source.metadata == {"title": "Hi", "tags": ["a"]}
    assert (source.body, source.body_line) == ("Body\n---\nmore\n", 6)
    assert read(tmp_path, "---\ntitle: Hi\n...  \nBody\n").body == "Body\n"


def test_dots_after_a_dashes_closing_stay_in_the_body(tmp_path: Path) -> None:
    source = read(tmp_path, "---\ntitle: Hi\n---\nWait for it\n...\nthere.\n")
    assert source.metadata == {"title": "Hi"}
    assert source.body == "Wait for it\n...\nthere.\n"


@pytest.mark.parametrize("text", [
    "---\ntitle: Hi\n\nBody without an end\n",
    "---\ntitle: Hi\n....\nFour dots close nothing\n",
])
def test_unclosed_front_matter_message_is_unchanged(tmp_path: Path, text: str) -> None:
    assert fails(tmp_path, text) == (
        "post.md:1: error: the YAML front matter opened on line 1 is never closed\n"
        "  hint: add a line with --- where the front matter ends")


def test_dots_do_not_open_front_matter(tmp_path: Path) -> None:
    assert "has no front matter" in fails(tmp_path, "...\ntitle: Hi\n...\nBody\n")


def test_an_entry_closed_by_dots_reaches_the_feeds(tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {
        "dots.md": "---\ntitle: Closed by dots\ndate: 2021-05-12T10:00:00Z\n...\nBody.\n"}))
    outputs = build(config, now=NOW).outputs
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse(outputs[config.output_dir / name])
        assert [e.title for e in feed.entries] == ["Closed by dots"], name
        assert "Body." in feed.entries[0].description, name
        assert "..." not in feed.entries[0].description, name


@pytest.mark.parametrize(("text", "kind"), [
    ("---\n- a\n- b\n---\n", "list"),
    ("---\njust text\n---\n", "str"),
])
def test_front_matter_must_be_a_mapping(tmp_path: Path, text: str, kind: str) -> None:
    assert f"not a {kind}" in fails(tmp_path, text)


def test_empty_file(tmp_path: Path) -> None:
    assert "the file is empty" in fails(tmp_path, "  \n\n")


def test_body_only(tmp_path: Path) -> None:
    message = fails(tmp_path, "# Just a heading\n\nSome text.\n")
    assert "has no front matter" in message and "hint:" in message


def test_not_utf8_names_the_offset(tmp_path: Path) -> None:
    message = fails(tmp_path, b"---\ntitle: caf\xe9\n---\n")
    assert message.startswith("post.md:2: error: is not UTF-8: byte 0xe9 at offset 14")


UTF16_BOMS = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}


def utf16(text: str, encoding: str) -> bytes:
    """`text` as Windows editors save "Unicode" text: a byte order mark, then UTF-16."""
    return UTF16_BOMS[encoding] + text.encode(encoding)


@pytest.mark.parametrize("encoding", list(UTF16_BOMS))
def test_utf16_with_a_byte_order_mark_is_transcoded(tmp_path: Path, encoding: str) -> None:
    source = read(tmp_path, utf16("---\r\ntitle: Café 😀\r\ntags: [a]\r\n---\r\n\r\n"
                                  "Grüße\r\n", encoding))
    assert source.metadata == {"title": "Café 😀", "tags": ["a"]}
    assert source.body == "Grüße\n"
    assert (source.body_line, source.key_lines, source.warnings) == (
        6, {"title": 2, "tags": 3}, ())


@pytest.mark.parametrize("encoding", list(UTF16_BOMS))
def test_utf16_files_have_the_right_lines_in_messages(tmp_path: Path, encoding: str) -> None:
    message = fails(tmp_path, utf16("---\ntitle: ok\ntags: [a, b\n---\nBody\n", encoding))
    assert message.startswith("post.md:3: error: invalid YAML front matter")
    source = read(tmp_path, utf16("---\ntitle: a\x1bb\n---\n\nx\x00y\n", encoding))
    assert (source.metadata, source.body) == ({"title": "ab"}, "xy\n")
    assert [(w.line, w.message.rpartition(" from ")[2]) for w in source.warnings] == [
        (2, "field 'title'"), (5, "the body")]


@pytest.mark.parametrize("encoding", list(UTF16_BOMS))
def test_utf16_entries_reach_the_feeds_with_their_lines(tmp_path: Path,
                                                         encoding: str) -> None:
    config = load_config(write_site(tmp_path, {
        "unicode.md": utf16("---\r\ntitle: Grüße aus Wien\r\ndate: 2021-05-12T10:00:00Z"
                            "\r\ntgas: a\r\n---\r\n\r\nSchöne Grüße.\r\n", encoding)}))
    result = build(config, now=NOW)
    assert [(p.line, p.message) for p in result.warnings] == [
        (4, "unknown key 'tgas' is ignored")]
    for name in ("rss.xml", "atom.xml"):
        feed = feedparser.parse(result.outputs[config.output_dir / name])
        assert feed.bozo == 0, name
        assert feed.entries[0].title == "Grüße aus Wien", name
        assert "Schöne Grüße." in feed.entries[0].description, name


def test_utf16_without_a_byte_order_mark_is_still_not_utf8(tmp_path: Path) -> None:
    message = fails(tmp_path, "---\ntitle: café\n---\n".encode("utf-16-le"))
    assert message == (
        "post.md:2: error: is not UTF-8: byte 0xe9 at offset 28 cannot be decoded\n"
        "  hint: re-save the file as UTF-8 (most editors have 'Save with encoding')")


def test_utf32_is_not_taken_for_utf16(tmp_path: Path) -> None:
    # UTF-32's little-endian mark starts with UTF-16's: FF FE 00 00.
    message = fails(tmp_path, "---\ntitle: x\n---\n".encode("utf-32"))
    assert message.startswith("post.md:1: error: is not UTF-8: byte 0xff at offset 0 ")


@pytest.mark.parametrize(("data", "line", "problem"), [
    (utf16("---\ntitle: x\n---\nab\n", "utf-16-le") + b"\x00", 5,
     "the bytes at offset 42 are not UTF-16 (truncated data)"),
    (utf16("---\ntitle: x\n", "utf-16-be") + b"\xdc\x00" + "---\n".encode("utf-16-be"), 3,
     "the bytes at offset 28 are not UTF-16 (illegal encoding)"),
])
def test_broken_utf16_names_its_line_and_offset(tmp_path: Path, data: bytes, line: int,
                                                problem: str) -> None:
    assert fails(tmp_path, data) == (
        f"post.md:{line}: error: starts with a UTF-16 byte order mark, but {problem}\n"
        "  hint: re-save the file as UTF-8 (most editors have 'Save with encoding')")


def test_control_characters_removed_with_a_warning_per_line(tmp_path: Path) -> None:
    source = read(tmp_path, "---\ntitle: a\x00b\n---\nx\x1by\n")
    assert source.metadata == {"title": "ab"}
    assert source.body == "xy\n"
    assert [(w.line, w.severity) for w in source.warnings] == [(2, "warning"), (4, "warning")]
    assert "from field 'title'" in source.warnings[0].message
    assert "from the body" in source.warnings[1].message


def test_discover_is_sorted_recursive_and_skips_hidden(tmp_path: Path) -> None:
    for name in ["b.md", "a/z.md", "a/b.md", ".git/x.md", "a/.hidden.md", "notes.txt"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [f.rel for f in discover(tmp_path)]
    assert found == ["a/b.md", "a/z.md", "b.md"]


def test_hugo_and_zola_section_pages_are_skipped(tmp_path: Path) -> None:
    for name in ["_index.md", "posts/_index.md", "posts/first.md", "posts/index.md"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    found = [f.rel for f in discover(tmp_path)]
    assert found == ["posts/first.md", "posts/index.md"]


def test_short_reads_and_a_growing_file_are_read_whole(tmp_path: Path, monkeypatch) -> None:
    import os

    from feedpub.content import source as sources

    text = "---\ntitle: Long\n---\n" + "word " * 500
    real_read = os.read
    monkeypatch.setattr(sources.os, "read", lambda fd, n: real_read(fd, min(n, 7)))
    assert read(tmp_path, text).body == "word " * 500
    real_fstat = os.fstat

    class Smaller:  # the file grew after fstat: the rest is read too, up to the limit
        def __init__(self, fd: int) -> None:
            info = real_fstat(fd)
            self.st_mode, self.st_size = info.st_mode, info.st_size - 100
            self.st_mtime_ns, self.st_ino, self.st_ctime_ns = (
                info.st_mtime_ns, info.st_ino, info.st_ctime_ns)

    monkeypatch.setattr(sources.os, "fstat", Smaller)
    assert read(tmp_path, text).body == "word " * 500
    # fstat says 2,420 bytes, under the limit; reading finds more than the limit
    with pytest.raises(SourceError, match="over the limit of 2,450 bytes"):
        read_source(tmp_path / "post.md", tmp_path, "post.md", max_size=2450)


def test_symlink_out_of_the_entries_folder_is_refused(tmp_path: Path) -> None:
    entries, outside = tmp_path / "entries", tmp_path / "secret"
    entries.mkdir()
    outside.mkdir()
    (outside / "passwd.md").write_text("---\ntitle: secret\n---\n")
    (entries / "inside.md").write_text("---\ntitle: inside\n---\n")
    (entries / "leak.md").symlink_to(outside / "passwd.md")
    (entries / "alias.md").symlink_to(entries / "inside.md")
    with pytest.raises(SourceError) as caught:
        read_source(entries / "leak.md", entries, "entries/leak.md")
    assert "outside the entries folder" in str(caught.value.problem)
    assert read_source(entries / "alias.md", entries, "alias.md").metadata == {"title": "inside"}


def test_files_over_the_size_limit_are_refused_with_their_size(tmp_path: Path) -> None:
    path = tmp_path / "big.md"
    path.write_text("---\ntitle: big\n---\n" + "x" * 5000)
    with pytest.raises(SourceError) as caught:
        read_source(path, tmp_path, "big.md", max_size=4096)
    assert "is 5,019 bytes, over the limit of 4,096 bytes" in str(caught.value.problem)
    assert read_source(path, tmp_path, "big.md", max_size=10_000).metadata == {"title": "big"}


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    bomb = "---\ntitle: lol\n" + "\n".join(lines) + "\ntags: *j\n---\n"
    message = fails(tmp_path, bomb)
    assert "expands to over 100,000 values" in message and "post.md:1:" in message


def test_recursive_yaml_alias_is_refused(tmp_path: Path) -> None:
    assert "expands to over" in fails(tmp_path, "---\ntitle: x\nloop: &l [*l]\n---\n")


def test_a_few_yaml_aliases_are_fine(tmp_path: Path) -> None:
    source = read(tmp_path, "---\ntitle: &t Hello\nsummary: *t\ntags: [a, b]\n---\n")
    assert source.metadata["summary"] == "Hello"
