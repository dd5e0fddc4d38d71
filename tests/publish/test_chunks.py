"""A feed written from its parts, unjoined (base/chunks.py): the same bytes as joined,
in as few system calls as writev allows, whatever a short write leaves."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from lxml import etree

from feedpub.base import chunks as chunks_module
from feedpub.base.chunks import Chunks, joined, write_chunks
from feedpub.build import build, build_and_publish
from feedpub.config.load import load_config
from feedpub.publish.copies import same_content

from ..conftest import entry, write_site

NOW = datetime(2030, 1, 1, tzinfo=UTC)


def parts(count: int) -> list[bytes | memoryview]:
    """Parts of many sizes, some empty, some views into one buffer."""
    blob = bytes(range(256)) * 40
    return [b"<head>", *(memoryview(blob)[i % 97:i % 97 + i % 13] if i % 3 else
                         f"<item {i}/>".encode() for i in range(count)), b"</tail>"]


def written(path: Path, data: Chunks) -> bytes:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        write_chunks(fd, data)
    finally:
        os.close(fd)
    return path.read_bytes()


def test_chunks_join_to_their_parts_and_count_their_bytes() -> None:
    data = Chunks(parts(50))
    whole = b"".join(parts(50))
    assert bytes(data) == joined(data) == whole and len(data) == len(whole)
    assert joined(whole) is whole
    assert data.equals(whole)
    assert not data.equals(whole[:-1] + b"!") and not data.equals(whole + b"!")
    assert not data.equals(b"!" + whole[1:])


@pytest.mark.parametrize("count", [0, 1, 1023, 1024, 1025, 5000])
def test_every_part_is_written_in_order(tmp_path: Path, count: int) -> None:
    data = Chunks(parts(count))
    assert written(tmp_path / "out", data) == bytes(data)


def test_a_short_write_goes_on_where_it_ended(tmp_path: Path, monkeypatch) -> None:
    """writev may write less than asked (a signal, a full pipe): the rest follows, from
    the middle of a part where it stopped there."""
    calls = []
    real = os.writev

    def short(fd: int, buffers: list) -> int:
        calls.append(len(buffers))
        budget, taken = 700, []  # at most 700 bytes a call
        for buffer in buffers:
            taken.append(buffer[:budget])
            budget -= len(taken[-1])
            if not budget:
                break
        return real(fd, taken)

    monkeypatch.setattr(chunks_module.os, "writev", short)
    data = Chunks(parts(3000))
    assert written(tmp_path / "out", data) == bytes(data)
    assert len(calls) > 1 and max(calls) <= 1024


def test_a_file_with_the_same_bytes_is_the_same_content(tmp_path: Path) -> None:
    data = Chunks(parts(200))
    path = tmp_path / "feed.xml"
    path.write_bytes(bytes(data))
    assert same_content(path, data)
    path.write_bytes(bytes(data)[:-1] + b"?")  # same size, one byte differs
    assert not same_content(path, data)
    assert not same_content(tmp_path / "missing.xml", data)


def test_published_feeds_are_the_bytes_build_joins(tmp_path: Path) -> None:
    root = tmp_path / "site"
    write_site(root, {f"p{i:03}.md": entry(f"Post {i}",
                                           f"2021-05-{i % 28 + 1:02}T10:{i % 60:02}:00Z")
                      for i in range(120)}, extra="limit = 0\n")
    config = load_config(root / "feedpub.toml")
    unjoined = build(config, now=NOW, unjoined=True).outputs
    assert {type(data) for path, data in unjoined.items()
            if path.name in ("rss.xml", "atom.xml", "feed.json")} == {Chunks}
    expected = build(config, now=NOW).outputs
    build_and_publish(config, now=NOW)
    for path, data in expected.items():
        assert isinstance(data, bytes) and path.read_bytes() == data
    items = etree.fromstring((config.output_dir / "rss.xml").read_bytes()).findall(
        "channel/item")
    assert len(items) == 120
