"""A damaged build cache is never trusted (issue 9, point 1).

Every cache file carries its length and SHA-256 (the fragment cache: of its index,
which holds each fragment's CRC-32); a file that does not verify, is not a regular
file or is implausibly large is ignored (with a note) and written anew. A feed
assembled from cached fragments checks each fragment's CRC-32 first.
Whatever happens to the cache, a build publishes what a build without it would.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from feedpub.build import build, build_and_publish
from feedpub.cli import cli
from feedpub.config.load import load_config
from feedpub.publish import cache
from feedpub.publish.cache import Reuse
from feedpub.publish.cache.files import Unusable
from feedpub.publish.cache.fragments import known_fragments

from ..conftest import NS, entry, write_site

EPOCH = "1893456000"  # 2030-01-01, as NOW
NOW = datetime(2030, 1, 1, tzinfo=UTC)
OLD = 1_600_000_000  # modification times well in the past: not "racy"
NAMES = (cache.STATE, cache.PARSED, cache.FRAGMENTS)
COUNT = 20  # more than fragments.MIN_TO_RENDER_SHARED: rendering again forks a child
SETTINGS = settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def cache_file(root: Path, name: str) -> Path:
    return root / cache.FOLDER / f"feedpub.{name}"


def run(root: Path, *args: str) -> tuple[int, str]:
    """`feedpub build` in this process; its exit code and output."""
    old = Path.cwd()
    os.chdir(root)
    try:
        result = CliRunner().invoke(cli, ["build", *args], env={"SOURCE_DATE_EPOCH": EPOCH})
    finally:
        os.chdir(old)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exc_info
    return result.exit_code, result.output


def run_process(root: Path, *args: str, command: str = "build") -> subprocess.CompletedProcess:
    """feedpub in a process of its own, killed if it hangs."""
    return subprocess.run([sys.executable, "-m", "feedpub", command, *args], cwd=root,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH})


def outputs(root: Path) -> dict[str, bytes]:
    return {name: (root / "public" / name).read_bytes() for name in ("rss.xml", "atom.xml")}


def remove_outputs(root: Path) -> None:
    """Without its outputs, a build cannot stop at "unchanged": it uses the cache."""
    shutil.rmtree(root / "public", ignore_errors=True)


def age(root: Path) -> None:
    for path in root.rglob("*.md"):
        os.utime(path, (OLD, OLD))
    time.sleep(2 * cache.RACY_FINE_NS / 1e9)  # past the racy window of the change times


def assert_cache_verifies(root: Path) -> None:
    """Every cache file is a regular file whose length and checksum match, and every
    cached fragment has the CRC-32 it is indexed with."""
    for name in NAMES:
        assert cache_file(root, name).is_file() and not cache_file(root, name).is_symlink()
        cache.read_verified(cache_file(root, name), indexed=name == cache.FRAGMENTS)
    _, index, blob = split_fragments(cache_file(root, cache.FRAGMENTS).read_bytes())
    assert index["outputs"] == ["rss", "atom", "json"]
    for _, start, sizes, _, checks in index["items"].values():
        assert len(sizes) == len(checks) == 3
        for size, check in zip(sizes, checks, strict=True):
            assert zlib.crc32(blob[start:start + size]) == check
            start += size


def assert_whole_feeds(root: Path, count: int = COUNT) -> None:
    rss = etree.fromstring(outputs(root)["rss.xml"])
    atom = etree.fromstring(outputs(root)["atom.xml"])
    assert len(rss.findall("channel/item")) == count
    assert len(atom.findall("atom:entry", NS)) == count


# --- The cache file layout --------------------------------------------------------

def split_fragments(data: bytes) -> tuple[int, dict, bytes]:
    """The fragment file's index and blob (after the header and the index's size)."""
    payload = data[cache.HEADER_SIZE:]
    size = int.from_bytes(payload[:8], "big")
    return size, json.loads(payload[8:8 + size]), payload[8 + size:]


def signed(payload: bytes) -> bytes:
    """A cache file for this payload, with a header that verifies (as a bug would
    write wrong content: the file-level check passes)."""
    digest = hashlib.sha256(payload).hexdigest()
    return b'{"check":"sha256 %016d %s",' % (len(payload), digest.encode()) + payload


def fragments_file(index: dict, blob: bytes) -> bytes:
    text = json.dumps(index, separators=(",", ":")).encode()
    return signed(len(text).to_bytes(8, "big") + text + blob)


# --- A site with a warm cache, and what a build without the cache publishes --------

class Warm:
    """A site; each cache file as a warm rebuild left it; the outputs of a build
    without the cache."""

    def __init__(self, root: Path, cache: dict[str, bytes], expected: dict[str, bytes]):
        self.root, self.cache, self.expected = root, cache, expected

    def __repr__(self) -> str:  # short, as hypothesis shows it with a failing example
        return f"Warm({str(self.root)!r})"

    def restore(self) -> None:
        for name, data in self.cache.items():
            path = cache_file(self.root, name)
            if path.is_symlink() or path.exists():
                path.unlink()
            path.write_bytes(data)
        remove_outputs(self.root)


def make_warm(root: Path) -> Warm:
    write_site(root, {f"p{i:02}.md": entry(f"Post {i}", f"2021-05-{i + 1:02}T10:00:00Z",
                                           body=f"Body {i} with *some* text.\n\n- a\n- b")
                      for i in range(COUNT)})
    age(root)
    assert run(root)[0] == 0  # a one-off build: the state only
    (root / "entries" / "p00.md").write_text(entry("Post 0", "2021-05-01T10:00:00Z",
                                                   body="Edited."))
    age(root)
    assert run(root)[0] == 0  # a rebuild: the parsed entries and fragments are kept too
    warm = {name: cache_file(root, name).read_bytes() for name in NAMES}
    assert run(root, "--no-cache")[0] == 0
    expected = outputs(root)
    assert_whole_feeds(root)
    return Warm(root, warm, expected)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Warm:
    """One warm site for the generated tests (each example restores it)."""
    return make_warm(tmp_path_factory.mktemp("warm"))


@pytest.fixture
def warm(tmp_path: Path) -> Warm:
    return make_warm(tmp_path / "site")


def test_every_cache_file_carries_its_length_and_checksum(warm: Warm) -> None:
    for name in NAMES:
        data = cache_file(warm.root, name).read_bytes()
        header = data[:cache.HEADER_SIZE].decode("ascii")
        kind = "index" if name == cache.FRAGMENTS else "check"
        assert header.startswith(f'{{"{kind}":"sha256 ') and header.endswith('",')
        length, digest = header[len('{"check":"sha256 '):-2].split(" ")
        if name == cache.FRAGMENTS:  # the checksum covers the index (with its size)
            size, _, _ = split_fragments(data)
            assert int(length) == 8 + size
        else:
            assert int(length) == len(data) - cache.HEADER_SIZE
        covered = data[cache.HEADER_SIZE:cache.HEADER_SIZE + int(length)]
        assert digest == hashlib.sha256(covered).hexdigest()
        if name.endswith(".json"):  # still JSON: the header is the first member
            assert json.loads(data)["check"] == f"sha256 {length} {digest}"
    assert_cache_verifies(warm.root)


class Unchanged:
    """A snapshot in which every file is as cached."""

    def reusable(self, rel: str, stat: object) -> bool:
        return True


def test_only_the_fragment_cache_may_verify_its_index_alone(warm: Warm) -> None:
    """An "index" header is taken where the reader checks the rest (the fragments,
    by their CRC-32s), nowhere else; and the part it covers must be the whole index."""
    data = cache_file(warm.root, cache.FRAGMENTS).read_bytes()
    assert cache.read_verified(cache_file(warm.root, cache.FRAGMENTS), indexed=True) == data
    with pytest.raises(Unusable):
        cache.read_verified(cache_file(warm.root, cache.FRAGMENTS))
    state = cache_file(warm.root, cache.STATE)
    payload = state.read_bytes()[cache.HEADER_SIZE:]
    digest = hashlib.sha256(payload[:10]).hexdigest()
    state.write_bytes(b'{"index":"sha256 %016d %s",' % (10, digest.encode()) + payload)
    with pytest.raises(Unusable):
        cache.read_verified(state)
    # an index header that covers less than the index: not used, whatever it verifies
    config = load_config(warm.root / "feedpub.toml")
    _, index, blob = split_fragments(data)
    text = json.dumps(index, separators=(",", ":")).encode()
    payload = len(text).to_bytes(8, "big") + text + blob
    short = b'{"index":"sha256 %016d %s",' % (
        len(text), hashlib.sha256(payload[:len(text)]).hexdigest().encode())
    cache_file(warm.root, cache.FRAGMENTS).write_bytes(short + payload)
    assert known_fragments(config, index["key"], index["outputs"], Unchanged()) is None
    cache_file(warm.root, cache.FRAGMENTS).write_bytes(data)  # (as written: all usable)
    assert len(known_fragments(config, index["key"], index["outputs"], Unchanged())) == COUNT
    cache_file(warm.root, cache.FRAGMENTS).write_bytes(short + payload)
    remove_outputs(warm.root)
    code, output = run(warm.root)
    assert code == 0 and outputs(warm.root) == warm.expected, output
    assert_cache_verifies(warm.root)  # written anew


# --- The reproduction: half a fragment cache, then an edit --------------------------

def test_a_truncated_fragment_cache_is_not_trusted(warm: Warm) -> None:
    path = cache_file(warm.root, cache.FRAGMENTS)
    os.truncate(path, path.stat().st_size // 2)
    (warm.root / "entries" / "p07.md").write_text(entry("Post 7 again", "2021-05-08T10:00:00Z"))
    time.sleep(2 * cache.RACY_FINE_NS / 1e9)
    code, output = run(warm.root)
    assert code == 0 and "wrote public/rss.xml (20 of 20 entries)" in output, output
    assert_whole_feeds(warm.root)
    assert b"Post 7 again" in outputs(warm.root)["atom.xml"]
    assert_cache_verifies(warm.root)
    built = outputs(warm.root)
    code, output = run(warm.root)
    assert code == 0 and output.startswith("unchanged public/rss.xml"), output
    assert outputs(warm.root) == built
    assert run(warm.root, "--no-cache")[0] == 0
    assert outputs(warm.root) == built  # what a build without the cache publishes


def test_a_damaged_cache_file_gives_a_note_that_is_not_repeated(warm: Warm) -> None:
    config = load_config(warm.root / "feedpub.toml")
    for name in NAMES:
        warm.restore()
        data = bytearray(cache_file(warm.root, name).read_bytes())
        data[len(data) // 2] ^= 0x20
        cache_file(warm.root, name).write_bytes(data)
        result, _ = build_and_publish(config, now=NOW)
        notes = [p for p in result.warnings if cache.is_cache_note(p)]
        assert [(p.severity, p.path) for p in notes] == [
            ("note", f"{cache.FOLDER}/feedpub.{name}")], result.warnings
        # (the middle of the fragment cache is a fragment: its CRC-32 catches it)
        assert ("1 cached feed fragment did not verify" if name == cache.FRAGMENTS
                else "checksum does not match") in notes[0].message
        assert outputs(warm.root) == warm.expected
        again, written = build_and_publish(config, now=NOW)
        assert not any(item.changed for item in written)  # unchanged, and without the note
        assert not any(cache.is_cache_note(p) for p in again.warnings)


# --- Generated damage: truncated or flipped at random offsets ----------------------

damage = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1, exclude_max=True)),
    st.tuples(st.just("flip"), st.lists(st.tuples(st.floats(0, 1, exclude_max=True),
                                                  st.integers(1, 255)),
                                        min_size=1, max_size=4)))


def damaged(data: bytes, how: tuple) -> bytes:
    kind, where = how
    if kind == "truncate":
        return data[:int(where * len(data))]
    out = bytearray(data)
    for at, mask in where:
        out[int(at * len(out))] ^= mask
    return bytes(out)


@pytest.mark.parametrize("name", NAMES)
@SETTINGS
@given(how=damage)
def test_a_damaged_cache_file_changes_nothing_published(shared: Warm, name: str,
                                                        how: tuple) -> None:
    shared.restore()
    cache_file(shared.root, name).write_bytes(damaged(shared.cache[name], how))
    code, output = run(shared.root)
    assert code == 0, output
    assert outputs(shared.root) == shared.expected
    assert_cache_verifies(shared.root)


@SETTINGS
@given(flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)),
                      min_size=1, max_size=4))
def test_fragments_that_changed_under_a_valid_checksum_are_made_again(shared: Warm,
                                                                      flips: list) -> None:
    """The last line of defence: a fragment cache that verifies but holds other bytes
    than were saved (as a bug would write it) still publishes the right feeds."""
    shared.restore()
    _, index, blob = split_fragments(shared.cache[cache.FRAGMENTS])
    changed = bytearray(blob)
    for at, mask in flips:
        changed[int(at * len(changed))] ^= mask
    cache_file(shared.root, cache.FRAGMENTS).write_bytes(fragments_file(index, bytes(changed)))
    code, output = run(shared.root)
    assert code == 0, output
    assert outputs(shared.root) == shared.expected
    assert_cache_verifies(shared.root)


# --- The last line of defence, each way it can be reached --------------------------

def test_misplaced_fragments_are_caught_when_the_feed_is_assembled(warm: Warm) -> None:
    config = load_config(warm.root / "feedpub.toml")
    _, index, blob = split_fragments(warm.cache[cache.FRAGMENTS])
    first = min(index["items"].values(), key=lambda item: item[1])
    first[2][0] -= 9  # the RSS item ends 9 bytes early, the Atom entry starts there
    first[2][1] += 9
    cache_file(warm.root, cache.FRAGMENTS).write_bytes(fragments_file(index, blob))
    remove_outputs(warm.root)
    result, _ = build_and_publish(config, now=NOW)
    assert outputs(warm.root) == warm.expected
    notes = [p for p in result.warnings if cache.is_cache_note(p)]
    assert len(notes) == 1 and notes[0].message.startswith("1 cached feed fragment did not")
    assert_cache_verifies(warm.root)  # written anew at once, however few were made again
    remove_outputs(warm.root)
    again, _ = build_and_publish(config, now=NOW)
    assert not any(cache.is_cache_note(p) for p in again.warnings)
    assert outputs(warm.root) == warm.expected


def test_fragments_given_without_a_checksum_must_be_whole(site) -> None:
    config = site({"a.md": entry("A"), "b.md": entry("B", "2021-05-14T10:00:00Z")})
    fresh = build(config, now=NOW)
    broken = {"a.md": ((b"    <item>\n      <title>A</title>\n", b"  <entry/>\n", b"    {"), ()),
              "b.md": fresh.fragments["b.md"]}
    result = build(config, now=NOW, reuse=Reuse(fragments=broken))
    assert result.outputs == fresh.outputs
    assert [p.message for p in result.warnings if cache.is_cache_note(p)] == [
        "1 cached feed fragment did not verify (not one whole <item> and <entry> and JSON "
        "Feed item as saved): made again from the entries, and the cache written anew"]


# --- --no-cache writes the cache anew -----------------------------------------------

def test_no_cache_rewrites_a_damaged_cache(warm: Warm) -> None:
    for name in NAMES:
        path = cache_file(warm.root, name)
        os.truncate(path, path.stat().st_size // 3)
    os.unlink(cache_file(warm.root, cache.FRAGMENTS))
    os.mkfifo(cache_file(warm.root, cache.FRAGMENTS))
    proc = run_process(warm.root, "--no-cache")
    assert proc.returncode == 0, proc.stderr
    assert outputs(warm.root) == warm.expected
    assert_cache_verifies(warm.root)
    remove_outputs(warm.root)  # and the next build uses it
    code, output = run(warm.root)
    assert code == 0 and outputs(warm.root) == warm.expected, output


def test_no_cache_in_a_one_off_folder_writes_only_the_state(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry("A")})
    cache_file(tmp_path, cache.STATE).parent.mkdir()
    cache_file(tmp_path, cache.STATE).write_bytes(b'{"format": 8}')  # an old, bad one
    assert run(tmp_path, "--no-cache")[0] == 0
    cache.read_verified(cache_file(tmp_path, cache.STATE))
    assert not cache_file(tmp_path, cache.PARSED).exists()
    assert not cache_file(tmp_path, cache.FRAGMENTS).exists()


# --- Not regular files: never opened for reading ------------------------------------

@pytest.mark.parametrize("kind", ["fifo", "link to /dev/zero"])
@pytest.mark.parametrize("name", NAMES)
def test_a_cache_file_that_is_no_regular_file_is_ignored(warm: Warm, name: str,
                                                         kind: str) -> None:
    path = cache_file(warm.root, name)
    path.unlink()
    os.mkfifo(path) if kind == "fifo" else path.symlink_to("/dev/zero")
    remove_outputs(warm.root)
    started = time.monotonic()
    proc = run_process(warm.root)  # a hang would be killed after 60 s, and fail
    assert proc.returncode == 0, proc.stderr
    assert time.monotonic() - started < 30
    assert outputs(warm.root) == warm.expected
    assert_cache_verifies(warm.root)  # replaced by a regular file


def test_check_works_whatever_the_cache_holds(warm: Warm) -> None:
    os.truncate(cache_file(warm.root, cache.FRAGMENTS), 10)
    cache_file(warm.root, cache.PARSED).unlink()
    os.mkfifo(cache_file(warm.root, cache.PARSED))
    cache_file(warm.root, cache.STATE).unlink()
    cache_file(warm.root, cache.STATE).symlink_to("/dev/zero")
    proc = run_process(warm.root, command="check")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "0 errors" in proc.stdout


def test_a_cache_file_larger_than_plausible_is_not_read(warm: Warm, monkeypatch) -> None:
    monkeypatch.setattr("feedpub.publish.cache.files.MAX_FILE_BYTES", 1000)
    opened: list[str] = []
    real = os.open
    monkeypatch.setattr(os, "open", lambda path, *a, **k: opened.append(str(path)) or real(
        path, *a, **k))
    config = load_config(warm.root / "feedpub.toml")
    remove_outputs(warm.root)
    result, _ = build_and_publish(config, now=NOW)
    notes = [p for p in result.warnings if cache.is_cache_note(p)]
    assert {p.path for p in notes} == {f"{cache.FOLDER}/feedpub.{name}" for name in NAMES}
    assert all("larger than 1,000 bytes" in p.message for p in notes)
    assert not [path for path in opened if cache.FOLDER in path and path.endswith(NAMES)]
    assert outputs(warm.root) == warm.expected
    # Nor is a cache that large written: no stale one stays in its place.
    assert not cache_file(warm.root, cache.FRAGMENTS).exists()
