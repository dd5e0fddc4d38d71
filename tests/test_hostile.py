"""Hostile inputs to `check --against` and `--config` (issue 9, points 7 and 11).

Point 7: a slow server, a FIFO, /dev/zero and malformed HTTP answers end in a clear
error, within a deadline. Point 11: file names and what a published feed says are
shown with their control characters escaped, so no output line can be forged.
Every server here listens on 127.0.0.1 only, serves a bounded number of connections
and is stopped when its test ends.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from feedpub.against import published
from feedpub.against.published import PublishedFeedError, read_published
from feedpub.base.problems import Problem, error, shown
from feedpub.cli import cli

from .conftest import entry, write_site

EPOCH = {"SOURCE_DATE_EPOCH": "1893456000"}  # 2030-01-01
URL = "https://example.org/blog/"
# What must never reach a terminal raw: C0, DEL, C1, the line and paragraph separators,
# the bidirectional controls. Output is split on "\n" before looking for them.
CONTROLS = frozenset([*map(chr, range(0x20)), *map(chr, range(0x7F, 0xA0)), "\u061c",
                      "\u200e", "\u200f", "\u2028", "\u2029",
                      *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A))])
# The ones XML (hence a published feed) can carry; a file name can carry all but NUL.
XML_CONTROLS = sorted(c for c in CONTROLS if c in "\t\n\r" or c >= "\x7f")
NAME_CONTROLS = sorted(CONTROLS - {"\0"})
FORGED = "\nfeedpub: 0 errors, 0 warning(s)\n"


def check(config: Path, *args: str) -> Result:
    """`feedpub check --config CONFIG ARGS...`, in this process."""
    result = CliRunner().invoke(cli, ["check", "--config", str(config), *args], env=EPOCH)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result


SUMMARY = re.compile(r"feedpub: \d+ errors?(?:, \d+ warning(?:s|\(s\))?)?(?:, \d+ notes?)?")


def assert_unforgeable(output: str) -> None:
    """No raw control character on any line; the real summary is the one such line."""
    lines = output.rstrip("\n").split("\n")
    for line in lines:
        assert not CONTROLS.intersection(line), repr(line)
    # (a line that only starts like it, such as a problem in a file named "feedpub", is
    # no summary: a problem's line always says ": error: ", ": warning: " or ": note: ")
    assert [line for line in lines if SUMMARY.fullmatch(line)] == lines[-1:]


# -- servers ------------------------------------------------------------------------------

Answer = Callable[[socket.socket, threading.Event], None]


@contextmanager
def raw_server(answer: Answer, connections: int = 3) -> Iterator[str]:
    """A server on 127.0.0.1 that reads each request and then lets `answer` write
    (anything: it need not be HTTP). At most `connections`, one at a time; stopped and
    joined on exit. Yields a URL on it."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        served = 0
        while served < connections and not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            served += 1
            with conn:
                conn.settimeout(5)
                try:
                    read_request(conn)
                    answer(conn, stop)
                except OSError:  # the client gave up: what these tests want
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed.xml"
    finally:
        stop.set()
        thread.join(10)
        listener.close()
    assert not thread.is_alive()


def read_request(conn: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data and len(data) < 65536:
        chunk = conn.recv(4096)
        if not chunk:
            return
        data += chunk


def sending(data: bytes) -> Answer:
    return lambda conn, stop: conn.sendall(data)


def dripping(head: bytes, data: bytes, every: float = 0.5) -> Answer:
    """Sends `head` at once, then `data` a byte at a time, `every` seconds apart."""
    def answer(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head)
        for byte in data:
            if stop.wait(every):
                return
            conn.sendall(bytes([byte]))
    return answer


FEED = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
        b"</channel></rss>")
OK_HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\n"


def site(root: Path) -> Path:
    return write_site(root, {"a.md": entry("A")})


# -- point 7: one deadline for a download ---------------------------------------------------


@pytest.mark.parametrize("head, data", [
    (b"", OK_HEAD + b"Content-Length: %d\r\n\r\n" % len(FEED) + FEED),  # the status line too
    (OK_HEAD + b"Content-Length: %d\r\n\r\n" % len(FEED), FEED),
], ids=["from the status line", "the body"])
def test_a_server_that_drips_bytes_is_given_up_at_the_deadline(monkeypatch, head: bytes,
                                                                data: bytes) -> None:
    monkeypatch.setattr(published, "DEADLINE", 1.0)
    with raw_server(dripping(head, data)) as url:
        start = time.monotonic()
        with pytest.raises(PublishedFeedError,
                           match=r"^cannot fetch it: no complete answer within 1 seconds$"):
            read_published(url)
        assert time.monotonic() - start < 2.5


def test_the_deadline_through_the_command(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(published, "DEADLINE", 1.0)
    config = site(tmp_path)
    with raw_server(dripping(OK_HEAD + b"Content-Length: 1000\r\n\r\n", b"x" * 1000)) as url:
        result = check(config, "--against", url)
    assert result.exit_code == 1
    assert (f"feedpub.toml: error: --against {url}: cannot fetch it: no complete answer "
            "within 1 seconds") in result.output.split("\n")


def test_retries_are_made_only_within_the_deadline(monkeypatch) -> None:
    monkeypatch.setattr(published, "DEADLINE", 1.0)
    monkeypatch.setattr(published, "RETRY_DELAYS", (0.0, 5.0))  # the second would pass it
    requests = []

    def unavailable(conn: socket.socket, stop: threading.Event) -> None:
        requests.append(1)
        conn.sendall(b"HTTP/1.1 503 Busy\r\nContent-Length: 0\r\n\r\n")

    with raw_server(unavailable) as url:
        start = time.monotonic()
        with pytest.raises(PublishedFeedError, match=r"^cannot fetch it: HTTP Error 503: Busy$"):
            read_published(url)
        assert time.monotonic() - start < 1.0
    assert len(requests) == 2


# -- point 7: malformed answers -------------------------------------------------------------

MALFORMED = {
    "bad status line": (b"HTTX/1.1 200 OK\r\n\r\n" + FEED,
                        "the answer does not start with an HTTP status line: "
                        "'HTTX/1.1 200 OK\\r\\n'"),
    "HTTP/0.9 body": (FEED, "the answer does not start with an HTTP status line: "
                            f"{FEED[:80].decode()!r}"),  # (its first 80 characters)
    "101 headers": (OK_HEAD + b"".join(b"X-%d: y\r\n" % n for n in range(101)) + b"\r\n" + FEED,
                    "malformed HTTP answer: got more than 100 headers"),
    "70 KB header line": (OK_HEAD + b"X-Long: " + b"y" * 70_000 + b"\r\n\r\n" + FEED,
                          "malformed HTTP answer: got more than 65536 bytes when reading "
                          "header line"),
    "70 KB status line": (b"HTTP/1.1 200 " + b"O" * 70_000 + b"\r\n\r\n" + FEED,
                          "malformed HTTP answer: got more than 65536 bytes when reading "
                          "status line"),
    "bad chunk size": (OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n" + FEED,
                       "the answer was cut short, or its chunked encoding is broken"),
    "chunk cut short": (OK_HEAD + b"Transfer-Encoding: chunked\r\n\r\n1000\r\n" + FEED,
                        "the answer was cut short, or its chunked encoding is broken"),
}


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_http_answer_is_a_clear_error(tmp_path: Path, name: str) -> None:
    answer, why = MALFORMED[name]
    config = site(tmp_path)
    with raw_server(sending(answer)) as url:
        result = check(config, "--against", url)
    assert result.exit_code == 1
    assert result.output.split("\n") == [
        f"feedpub.toml: error: --against {url}: cannot fetch it: {why}",
        "feedpub: 1 error, 0 warning(s)", ""]


# -- point 7: FIFOs, devices and large files ------------------------------------------------


def run_feedpub(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`python -m feedpub ARGS...` in root, killed after 60 s (a hang fails the test)."""
    return subprocess.run([sys.executable, "-m", "feedpub", *args], cwd=root, text=True,
                          capture_output=True, timeout=60, env={**os.environ, **EPOCH})


def special_file(tmp_path: Path, kind: str) -> Path:
    if kind == "/dev/zero":
        return Path("/dev/zero")
    fifo = tmp_path / "feed.fifo"
    os.mkfifo(fifo)
    return fifo


WHAT = {"FIFO": "a FIFO (named pipe)", "/dev/zero": "a character device"}


@pytest.mark.parametrize("kind", WHAT)
def test_a_fifo_or_a_device_is_refused_as_the_published_feed(tmp_path: Path, kind: str) -> None:
    site(tmp_path)
    path = special_file(tmp_path, kind)
    proc = run_feedpub(tmp_path, "check", "--against", str(path))
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stdout.split("\n") == [
        f"feedpub.toml: error: --against {path}: it is {WHAT[kind]}, not a regular file",
        "feedpub: 1 error, 0 warning(s)", ""]


@pytest.mark.parametrize("kind", WHAT)
def test_a_fifo_or_a_device_is_refused_as_the_config(tmp_path: Path, kind: str) -> None:
    path = special_file(tmp_path, kind)
    for command in ("check", "build"):
        proc = run_feedpub(tmp_path, command, "--config", str(path))
        assert proc.returncode == 1, proc.stderr
        assert "Traceback" not in proc.stderr + proc.stdout
        shown_at = proc.stdout if command == "check" else proc.stderr
        assert (f"error: cannot read {path}: it is {WHAT[kind]}, not a regular file"
                in shown_at.split("\n"))


def test_files_larger_than_a_download_may_be_are_refused(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setattr(published, "MAX_BYTES", 100)
    (tmp_path / "big.xml").write_bytes(FEED + b" " * 100)
    with pytest.raises(PublishedFeedError, match=r"^it is larger than 100 bytes$"):
        read_published(str(tmp_path / "big.xml"))
    (tmp_path / "small.xml").write_bytes(FEED)
    assert read_published(str(tmp_path / "small.xml")).kind == "rss"


def test_a_config_over_a_megabyte_is_refused(tmp_path: Path) -> None:
    config = write_site(tmp_path, {}, extra="# " + "x" * 1024 * 1024 + "\n")
    result = check(config)
    assert result.exit_code == 1
    assert (f"error: cannot read {config}: it is larger than 1,048,576 bytes"
            in result.output.split("\n"))


def test_a_folder_given_as_the_published_feed(tmp_path: Path) -> None:
    with pytest.raises(PublishedFeedError, match=r"^it is a folder, not a regular file$"):
        read_published(str(tmp_path))


# -- point 11: what is shown -----------------------------------------------------------------


def test_control_characters_are_shown_escaped() -> None:
    assert shown("a\x1b[31mb\nc\td\x7f\x85\u2028\u202e\u2066\udcff") == (
        "a\\x1b[31mb\\nc\\td\\x7f\\x85\\u2028\\u202e\\u2066\\udcff")
    plain = "plain, é, 中文, \\x1b, emoji \U0001f600"
    assert shown(plain) == plain
    problem = error("bad\nfeedpub: 0 errors", "entries/\x1b]0;x\x07.md", 3,
                    hint="first line\nsecond line \x1b[2J")
    assert str(problem) == ("entries/\\x1b]0;x\\x07.md:3: error: bad\\nfeedpub: 0 errors\n"
                            "  hint: first line\nsecond line \\x1b[2J")


@settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")) * 5, deadline=None)
@given(path=st.text(), message=st.text(), outside=st.text())
def test_a_problem_is_shown_on_its_own_lines(path: str, message: str, outside: str) -> None:
    hint = f"feedpub's first line\nand its second, with {shown(outside)}"
    text = str(Problem("warning", message, path or None, 2, hint))
    assert text.count("\n") == 2
    assert_unforgeable(text + "\nfeedpub: 0 errors")
    assert str(Problem("error", message, path or None)).count("\n") == 0


def rss(items: list[dict[str, str]], self_link: str | None = None) -> bytes:
    """An RSS feed with these items (each field's text as it is, even a line break)."""
    root = etree.Element("rss", version="2.0", nsmap={"atom": "http://www.w3.org/2005/Atom"})
    channel = etree.SubElement(root, "channel")
    etree.SubElement(channel, "title").text = "Published"
    if self_link is not None:
        etree.SubElement(channel, "{http://www.w3.org/2005/Atom}link", rel="self",
                         href=self_link)
    for fields in items:
        item = etree.SubElement(channel, "item")
        for name, value in fields.items():
            etree.SubElement(item, name).text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


MAY_13 = "Thu, 13 May 2021 10:00:00 +0000"  # entry()'s date


def test_a_hostile_file_name_and_feed_cannot_forge_output(tmp_path: Path) -> None:
    evil = "\x1b[31mevil\x1b[0m.md"
    config = write_site(tmp_path, {"a.md": entry("A"), evil: "no front matter\n"})
    feed = tmp_path / "published.xml"
    feed.write_bytes(rss([{"title": "Gone \x9b31m", "link": f"{URL}gone/{FORGED}x",
                           "guid": "urn:x:gone"}]))
    result = check(config, "--against", str(feed))
    assert result.exit_code == 1
    assert_unforgeable(result.output)
    lines = result.output.split("\n")
    assert lines[0].startswith("entries/\\x1b[31mevil\\x1b[0m.md:1: error: ")
    gone = ("feedpub.toml: warning: a published item is gone: 'Gone \\x9b31m' "
            f"({URL}gone/\\nfeedpub: 0 errors, 0 warning(s)\\nx)")
    assert gone in lines
    assert lines[-2:] == ["feedpub: 1 error, 1 warning(s)", ""]

    as_json = check(config, "--against", str(feed), "--format", "json")
    problems = [json.loads(line) for line in as_json.output.splitlines()]
    assert [p["file"] for p in problems] == ["entries/\\x1b[31mevil\\x1b[0m.md", "feedpub.toml"]
    assert f"{problems[1]['file']}: warning: {problems[1]['message']}" == gone


@pytest.mark.parametrize("guid", [
    "tag:example.org,2021-05-13:a\ndraft: true",  # a second front-matter key
    "tag:example.org,2021-05-13:a\u2028draft: true",
    "tag:example.org,2021-05-13:a\u00a0b",  # a space that does not look like one
    "tag:example.org,2021-05-13:a\u202eeurt:tfard",  # reads backwards from there
    "tag:example.org,2021-05-13:a\u200bb",  # a zero-width space
    "tag:example.org,2021-05-13:a\x9b2J",  # C1: a terminal's CSI
])
def test_no_id_line_is_suggested_for_an_id_with_space_or_controls(tmp_path: Path,
                                                                  guid: str) -> None:
    config = write_site(tmp_path, {"a.md": entry("A")})
    feed = tmp_path / "published.xml"
    feed.write_bytes(rss([{"title": "A", "pubDate": MAY_13, "guid": guid,
                           "link": f"{URL}a/"}]))
    result = check(config, "--against", str(feed), "--format", "json")
    assert result.exit_code == 0  # nothing the user could fix: a warning
    [problem] = [json.loads(line) for line in result.output.splitlines()]
    assert (problem["severity"], problem["line"]) == ("warning", None)
    assert problem["hint"].endswith("cannot be kept: readers will show the entry as new once")
    assert "id:" not in problem["hint"]
    assert not CONTROLS.intersection(problem["hint"] + problem["message"])


@pytest.mark.parametrize("link, hint", [
    (f"{URL}a\u202e/", f"redirect {URL}a\\u202e/ to {URL}a-new/"),
    (f"{URL}a/\ndraft: true", f"redirect {URL}a/\\ndraft: true to {URL}a-new/"),
    # a slug that would be two lines: the link line keeps the address instead
    (f"{URL}a%0Adraft:%20true/", "keep the old address with the front-matter line link: "
                                 f"{URL}a%0Adraft:%20true/, or redirect {URL}a%0Adraft:%20true/"
                                 f" to {URL}a-new/"),
])
def test_a_link_line_is_suggested_only_for_a_plain_link(tmp_path: Path, link: str,
                                                         hint: str) -> None:
    config = write_site(tmp_path, {"a-new.md": entry("A", id="urn:x:a")})
    feed = tmp_path / "published.xml"
    feed.write_bytes(rss([{"title": "A", "guid": "urn:x:a", "link": link}]))
    result = check(config, "--against", str(feed), "--format", "json")
    [problem] = [json.loads(line) for line in result.output.splitlines()]
    assert problem["hint"] == hint


def control_text(controls: list[str]) -> st.SearchStrategy[str]:
    pieces = st.one_of(st.sampled_from(controls),
                       st.sampled_from(["a", " ", ":", "feedpub: 0 errors", "\\x1b"]))
    return st.lists(pieces, min_size=1, max_size=8).map("".join)


@settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")), deadline=None)
@given(names=st.lists(control_text(NAME_CONTROLS), min_size=3, max_size=3),
       fields=st.lists(control_text(XML_CONTROLS), min_size=7, max_size=7),
       output=st.sampled_from(["text", "json"]))
def test_nothing_from_outside_reaches_the_output_raw(names: list[str], fields: list[str],
                                                      output: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = write_site(Path(folder), {
            f"a{names[0]}.md": entry("Weekly notes"),  # two that fit one item equally well
            f"b{names[1]}.md": entry("Weekly notes"),
            f"c{names[2]}.md": "no front matter\n",
            "keep.md": entry("Kept", "2021-05-14T10:00:00Z"),
        })
        feed = Path(folder) / "published.xml"
        feed.write_bytes(rss([
            {"title": "Weekly notes", "pubDate": MAY_13, "guid": fields[0], "link": fields[1]},
            {"title": fields[2], "guid": fields[3], "link": fields[4]},
            {"title": "Kept", "pubDate": "Fri, 14 May 2021 10:00:00 +0000",
             "guid": f"tag:example.org,2021:{fields[5]}", "link": f"{URL}{fields[6]}"},
        ], self_link=f"{URL}{fields[6]}"))
        result = check(config, "--against", str(feed), "--format", output)
    if output == "text":
        assert_unforgeable(result.output)
        return
    for line in result.output.splitlines():
        problem = json.loads(line)
        for key in ("file", "message", "hint"):  # (these hints are one line each)
            assert not CONTROLS.intersection(problem[key] or ""), problem
