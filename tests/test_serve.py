"""`feedpub serve` (feedpub/serve/): a real server on a free loopback port, fetched
over HTTP: media types, conditional requests, no path outside the folder, rebuilds
on edits, and the last good build kept (with the errors shown) when one fails."""

from __future__ import annotations

import http.client
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from feedpub.serve.watch import Serve
from tests.conftest import entry, run_cli, write_site

ENTRIES = {"a.md": entry("First", "2021-05-01T10:00:00Z"),
           "b.md": entry("Second", "2021-05-02T10:00:00Z")}


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Serve]:
    config = write_site(tmp_path, ENTRIES)
    serving = Serve(config, "127.0.0.1", 0)
    serving.start()
    watcher = threading.Thread(target=serving.watch, daemon=True)
    watcher.start()
    assert serving.watching.wait(10)  # (an edit made before it would go unseen)
    try:
        yield serving
    finally:
        serving.stop()
        watcher.join(timeout=5)


def get(serving: Serve, path: str, headers: dict | None = None):
    host, port = serving.server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection.request("GET", path, headers=headers or {})  # (sent as is: no normalising)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def wait_for(condition, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("the preview did not rebuild in time")


def test_it_listens_on_loopback_and_serves_feeds_with_their_types(preview: Serve) -> None:
    assert preview.server.server_address[0] == "127.0.0.1"
    for path, kind in (("/rss.xml", "application/rss+xml; charset=utf-8"),
                       ("/atom.xml", "application/atom+xml; charset=utf-8"),
                       ("/feed.json", "application/feed+json; charset=utf-8")):
        response, data = get(preview, path)
        assert response.status == 200 and response.getheader("Content-Type") == kind
        assert data  # the feed itself:
    rss = etree.fromstring(get(preview, "/rss.xml")[1])
    assert rss.find("channel/{http://www.w3.org/2005/Atom}link").get("href") == \
        preview.url + "rss.xml"  # built for the server's own address


def test_the_front_page_lists_the_feeds_with_autodiscovery(preview: Serve) -> None:
    response, data = get(preview, "/")
    assert response.status == 200
    page = etree.HTML(data)
    links = {(link.get("type"), link.get("href")) for link in page.iterfind(".//head/link")}
    assert links == {("application/rss+xml", preview.url + "rss.xml"),
                     ("application/atom+xml", preview.url + "atom.xml"),
                     ("application/feed+json", preview.url + "feed.json")}
    assert b"/__feedpub/generation" in data  # it reloads itself after a build


def test_a_repeated_conditional_request_gets_304(preview: Serve) -> None:
    first, _ = get(preview, "/atom.xml")
    tag, modified = first.getheader("ETag"), first.getheader("Last-Modified")
    assert tag and modified
    again, data = get(preview, "/atom.xml", {"If-None-Match": tag})
    assert again.status == 304 and data == b""
    since, _ = get(preview, "/atom.xml", {"If-Modified-Since": modified})
    assert since.status == 304
    other, _ = get(preview, "/atom.xml", {"If-None-Match": '"something else"'})
    assert other.status == 200


@pytest.mark.parametrize("path", ["/../feedpub.toml", "/%2e%2e/feedpub.toml",
                                  "/..%2Ffeedpub.toml", "/nothing-here.xml", "/a\\b"])
def test_nothing_outside_the_folder_is_served(preview: Serve, path: str) -> None:
    assert get(preview, path)[0].status == 404


def test_a_link_out_of_the_folder_is_not_followed(preview: Serve, tmp_path: Path) -> None:
    (preview.root / "out.xml").symlink_to(tmp_path / "feedpub.toml")
    assert get(preview, "/out.xml")[0].status == 404


def test_an_edit_is_rebuilt_and_served(preview: Serve, tmp_path: Path) -> None:
    generation = preview.preview.generation
    (tmp_path / "entries" / "b.md").write_text(entry("Second, edited", "2021-05-02T10:00:00Z"))
    wait_for(lambda: b"Second, edited" in get(preview, "/rss.xml")[1])
    assert preview.preview.generation > generation
    assert get(preview, "/__feedpub/generation")[1] == str(preview.preview.generation).encode()


def test_a_broken_entry_keeps_the_last_good_build_and_shows_why(preview: Serve,
                                                               tmp_path: Path) -> None:
    good = get(preview, "/rss.xml")[1]
    (tmp_path / "entries" / "b.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    wait_for(lambda: preview.preview.problems)
    assert get(preview, "/rss.xml")[1] == good
    page = get(preview, "/")[1].decode()
    assert "The last build failed" in page and "entries/b.md:2: error" in page
    (tmp_path / "entries" / "b.md").write_text(entry("Fixed", "2021-05-02T10:00:00Z"))
    wait_for(lambda: not preview.preview.problems)
    assert b"Fixed" in get(preview, "/rss.xml")[1]


def test_the_real_output_folder_is_never_written(preview: Serve, tmp_path: Path) -> None:
    assert not (tmp_path / "public").exists()
    assert not (tmp_path / ".feedpub-cache").exists()
    assert (preview.root / "rss.xml").is_file()


def test_a_port_in_use_is_a_clear_error(tmp_path: Path) -> None:
    write_site(tmp_path, ENTRIES)
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    try:
        result = run_cli(tmp_path, "serve", "--port", str(taken.getsockname()[1]))
    finally:
        taken.close()
    assert result.exit_code == 2
    assert "feedpub serve: cannot listen on 127.0.0.1:" in result.output


def test_a_browser_gets_a_feed_as_xml_to_style_it_and_a_reader_its_own_type(
        preview: Serve) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response, _ = get(preview, "/rss.xml", {"Accept": browser})
    assert response.getheader("Content-Type") == "application/xml; charset=utf-8"
    reader = "application/rss+xml, application/atom+xml;q=0.9, */*;q=0.1"
    response, _ = get(preview, "/rss.xml", {"Accept": reader})
    assert response.getheader("Content-Type") == "application/rss+xml; charset=utf-8"
    response, _ = get(preview, "/feed.json", {"Accept": browser})
    assert response.getheader("Content-Type") == "application/feed+json; charset=utf-8"


def test_a_very_long_path_is_a_404_not_a_dropped_request(preview: Serve) -> None:
    assert get(preview, "/" + "a" * 5000)[0].status == 404
    assert get(preview, "/a" * 3000)[0].status == 404
    assert get(preview, "/rss.xml/")[0].status == 404  # a file is not a folder


def test_a_weak_etag_still_gets_304(preview: Serve) -> None:
    tag = get(preview, "/atom.xml")[0].getheader("ETag")
    assert get(preview, "/atom.xml", {"If-None-Match": "W/" + tag})[0].status == 304


def test_a_rebuild_that_breaks_unexpectedly_keeps_the_preview(preview: Serve, tmp_path: Path,
                                                             monkeypatch) -> None:
    import feedpub.build

    def broken(*args, **kwargs):
        raise PermissionError(13, "Permission denied", "somewhere")

    monkeypatch.setattr(feedpub.build, "build", broken)
    (tmp_path / "entries" / "a.md").write_text(entry("First, edited", "2021-05-01T10:00:00Z"))
    wait_for(lambda: preview.preview.problems)
    assert "the build stopped: PermissionError" in str(preview.preview.problems[0])
    monkeypatch.undo()
    (tmp_path / "entries" / "a.md").write_text(entry("First, again", "2021-05-01T10:00:00Z"))
    wait_for(lambda: b"First, again" in get(preview, "/rss.xml")[1])


def test_a_config_saved_by_rename_is_still_watched(preview: Serve, tmp_path: Path) -> None:
    config = tmp_path / "feedpub.toml"
    for title in ("Renamed once", "Renamed twice"):
        temporary = tmp_path / "feedpub.toml.tmp"
        temporary.write_text(re.sub(r"(?m)^title = .*$", f'title = "{title}"',
                                    config.read_text(), count=1))
        temporary.replace(config)  # what many editors do
        wait_for(lambda title=title: title.encode() in get(preview, "/rss.xml")[1])


@pytest.fixture
def site_preview(tmp_path: Path) -> Iterator[Serve]:
    """The preview of a site with its pages (on by default), an image beside an entry."""
    config = write_site(tmp_path, {**ENTRIES, "c.md": entry(
        "Third", "2021-05-03T10:00:00Z", body="![A map](map.png)")},
        extra="[site]\npages = true\n")
    (tmp_path / "entries" / "map.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    serving = Serve(config, "127.0.0.1", 0)
    serving.start()
    watcher = threading.Thread(target=serving.watch, daemon=True)
    watcher.start()
    assert serving.watching.wait(10)
    try:
        yield serving
    finally:
        serving.stop()
        watcher.join(timeout=5)


def test_an_entry_page_and_the_image_beside_it_are_served(site_preview: Serve) -> None:
    response, data = get(site_preview, "/c/")
    assert response.status == 200
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    page = etree.HTML(data)
    assert page.findtext(".//main//h1") == "Third"
    src = page.find(".//article//img").get("src")
    assert src == site_preview.url + "c/map.png"
    image, body = get(site_preview, "/c/map.png")
    assert image.status == 200 and image.getheader("Content-Type") == "image/png"
    assert body == b"\x89PNG\r\n\x1a\nnot really"
    moved, _ = get(site_preview, "/c")  # a folder asked for without its slash: redirected
    assert moved.status == 301 and moved.getheader("Location") == "/c/"


def test_a_failed_build_is_shown_on_the_sites_own_pages(site_preview: Serve,
                                                        tmp_path: Path) -> None:
    (tmp_path / "entries" / "b.md").write_text("---\ntitle: [unclosed\n---\nBody\n")
    wait_for(lambda: site_preview.preview.problems)
    for path in ("/", "/a/"):
        page = get(site_preview, path)[1].decode()
        assert "The last build failed" in page and "entries/b.md:2: error" in page
        assert page.index("The last build failed") < page.index("<h1>")  # first in view
    (tmp_path / "entries" / "b.md").write_text(entry("Fixed", "2021-05-02T10:00:00Z"))
    wait_for(lambda: not site_preview.preview.problems)
    assert "The last build failed" not in get(site_preview, "/")[1].decode()
    assert b"<h1>Fixed</h1>" in get(site_preview, "/b/")[1]


def test_listening_on_every_interface_is_said_with_what_it_means(tmp_path: Path) -> None:
    write_site(tmp_path, ENTRIES)
    proc = subprocess.Popen([sys.executable, "-m", "feedpub", "serve", "--host", "0.0.0.0",
                             "--port", "0"], cwd=tmp_path, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in proc.stdout:  # (until it says where it serves, and what that means)
            lines.append(line)
            if "warning: listening on every interface" in line:
                break
        said = "".join(lines)
        assert "feedpub serve: http://0.0.0.0:" in said
        assert "give --host this machine's address on the network" in said
    finally:
        proc.terminate()
        proc.wait(timeout=10)
