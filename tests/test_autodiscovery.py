"""Issue 13 end to end: a new user following only the README runs `feedpub init`,
`feedpub new`, `feedpub serve`, then `feedpub build` and deploys the output folder as
it is (here: to a plain static server); a feed reader given the *site's* address,
not a feed's, finds the feeds by autodiscovery and reads them. All over loopback.

newsboat 2.21 (Debian's) does no autodiscovery: given a page's address in its urls
file it fetches the page and gives up ("unsupported feed format": its parser takes
only an <rss>, <rdf:RDF> or <feed> root; finding feeds in a page is newsboat issue
#55, still open). So the discovery is done here the way the readers that do it do
it (the RSS Board's and WHATWG's autodiscovery: each <link> in the page's head whose
rel has the token "alternate" and whose type is a feed's, its href resolved against
the page's base URL), and newsboat then reads the RSS and Atom feeds found, by the
addresses found. newsboat is a Debian package: without it these tests are skipped,
or fail under FEEDPUB_REQUIRE_NEWSBOAT=1 (as in .ci/run).
"""

from __future__ import annotations

import http.client
import json
import os
import queue
import re
import sqlite3
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import lxml.html
import pytest
from click.testing import CliRunner
from lxml import etree

INIT, POST, LATER = 1893456000, 1893459600, 1893463200  # 2030-01-01 00:00, 01:00, 02:00
TITLE = "Harbour Notes"
WELCOME, FIRST = f"Welcome to {TITLE}", "First real post"
# The feed media types a reader looks for in a page's <link rel="alternate">, and the
# name each advertised feed is fetched and parsed as.
FEED_TYPES = {"application/rss+xml": "rss", "application/atom+xml": "atom",
              "application/feed+json": "json", "application/json": "json"}
ATOM = "{http://www.w3.org/2005/Atom}"
SERVING = re.compile(r"feedpub serve: (http://127\.0\.0\.1:\d+/) \(built into (.+)\); "
                     r"Ctrl-C stops")


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def host(tmp_path: Path) -> Iterator[str]:
    """Where the site is deployed: a plain static server (Python's http.server, no
    feedpub in it) on a free loopback port, serving my-site/public/ as it is. Its
    address, known before `init`, is the one the new user gives `init`."""
    handler = partial(_Quiet, directory=str(tmp_path / "my-site" / "public"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def feedpub(folder: Path, *args: str, at: int) -> str:
    """`feedpub ARGS...` run in `folder` at the time `at` (SOURCE_DATE_EPOCH); its
    output. It must succeed."""
    from feedpub.cli import cli

    old = Path.cwd()
    os.chdir(folder)
    try:
        result = CliRunner().invoke(cli, list(args), env={"SOURCE_DATE_EPOCH": str(at)})
    finally:
        os.chdir(old)
    assert result.exit_code == 0, f"feedpub {' '.join(args)}:\n{result.output}"
    return result.output


def turn_pages_on(config: Path) -> None:
    """What the README says to add for the site's pages: `[site] pages = true` (put
    in whether or not `init` wrote a [site] table, and whatever the default is)."""
    text = config.read_text("utf-8")
    site = tomllib.loads(text).get("site")
    if site is None:
        text += "\n[site]\npages = true\n"
    elif "pages" in site:
        head, _, rest = text.partition("\n[site]\n")
        rest = re.sub(r"(?m)^pages\s*=.*$", "pages = true", rest, count=1)
        text = head + "\n[site]\n" + rest
    else:
        text = text.replace("\n[site]\n", "\n[site]\npages = true\n", 1)
    config.write_text(text, "utf-8")
    assert tomllib.loads(config.read_text("utf-8"))["site"]["pages"] is True


@pytest.fixture
def my_site(tmp_path: Path, host: str) -> Path:
    """The README's "Start a site, write entries", as a new user types it."""
    said = feedpub(tmp_path, "init", "my-site", "--yes", "--title", TITLE, "--url", host,
                   at=INIT)
    assert "next: cd my-site && feedpub build" in said
    folder = tmp_path / "my-site"
    turn_pages_on(folder / "feedpub.toml")
    said = feedpub(folder, "new", FIRST, "--tag", "news", at=POST)
    assert said.splitlines()[0] == "entries/2030-01-01-first-real-post.md"
    listed = json.loads(feedpub(folder, "list", "--format", "json", at=LATER))
    assert [(e["title"], e["status"]) for e in listed] == [(FIRST, "published"),
                                                          (WELCOME, "published")]
    return folder


@pytest.fixture
def preview(my_site: Path) -> Iterator[str]:
    """`feedpub serve --port 0` (any free port) in the site's folder, as a process;
    the address it prints, which the user pastes into a reader. Stopped by SIGTERM,
    after which its temporary folder must be gone."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(LATER), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "feedpub", "serve", "--port", "0"],
                            cwd=my_site, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)  # (it stopped)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    said: list[str] = []
    try:
        found = None
        while found is None:
            try:
                line = lines.get(timeout=30)
            except queue.Empty:
                line = None
            if line is None:
                pytest.fail("feedpub serve said no address:\n" + "".join(said))
            said.append(line)
            found = SERVING.fullmatch(line.strip())
        built_into = Path(found.group(2))
        yield found.group(1)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            pytest.fail("feedpub serve did not stop on SIGTERM")
        finally:
            reader.join(timeout=5)
            proc.stdout.close()
            said += [line for line in lines.queue if line is not None]
    assert proc.returncode == 0, "".join(said)
    assert not built_into.exists(), "feedpub serve left its temporary folder"


def fetch(url: str) -> tuple[int, str, bytes]:
    """GET `url` as a feed reader does (curl's, and so newsboat's, Accept: */*):
    status, media type (without parameters), body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path or "/", headers={"Accept": "*/*"})
        response = connection.getresponse()
        kind = (response.getheader("Content-Type") or "").split(";")[0].strip().lower()
        return response.status, kind, response.read()
    finally:
        connection.close()


def discover(page: bytes, page_url: str) -> list[tuple[str, str, str]]:
    """(type, absolute URL, title) of each feed a page advertises, in order, found as
    feed readers find them: each <link> in the head whose rel, split on white space,
    has the token "alternate" (in any case; not with "stylesheet": an alternate style
    sheet) and whose type, less its parameters, is a feed's; its href resolved
    against the document's base URL (its <base href>, else the page's address)."""
    head = lxml.html.document_fromstring(page).find("head")
    assert head is not None, "the page has no head"
    base = page_url
    for element in head.iter("base"):
        if element.get("href"):
            base = urljoin(page_url, element.get("href").strip())
            break
    found = []
    for link in head.iter("link"):
        rel = {token.lower() for token in (link.get("rel") or "").split()}
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and "stylesheet" not in rel and kind in FEED_TYPES and href:
            found.append((kind, urljoin(base, href), link.get("title") or ""))
    return found


def read_feed(kind: str, data: bytes) -> tuple[str, list[str], str | None]:
    """The feed's title, its items' titles in order, and its self link."""
    if FEED_TYPES[kind] == "json":
        feed = json.loads(data)
        return feed["title"], [item["title"] for item in feed["items"]], feed.get("feed_url")
    root = etree.fromstring(data)
    if FEED_TYPES[kind] == "rss":
        channel = root.find("channel")
        self_link = channel.find(f"{ATOM}link[@rel='self']")
        return (channel.findtext("title"), [i.findtext("title") for i in channel.iter("item")],
                self_link.get("href") if self_link is not None else None)
    self_link = root.find(f"{ATOM}link[@rel='self']")
    return (root.findtext(f"{ATOM}title"),
            [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")],
            self_link.get("href") if self_link is not None else None)


def read_with_newsboat(newsboat: str, url: str, folder: Path) -> tuple[tuple, set[str]]:
    """What newsboat stores after reloading `url` over HTTP: the feed's (address,
    title, site link), and its items' titles. (One feed per cache: newsboat keeps
    one row per guid, and the RSS and Atom feeds share their ids.)"""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "urls").write_text(url + "\n")
    cache = folder / "cache.db"
    proc = subprocess.run([newsboat, "-u", str(folder / "urls"), "-c", str(cache),
                           "-C", "/dev/null", "-x", "reload"], capture_output=True,
                          timeout=60, env={**os.environ, "HOME": str(folder)})
    assert proc.returncode == 0, proc.stderr
    with sqlite3.connect(cache) as db:
        feeds = db.execute("SELECT rssurl, title, url FROM rss_feed").fetchall()
        items = {title for (title,) in db.execute("SELECT title FROM rss_item")}
    assert len(feeds) == 1, feeds
    return feeds[0], items


def reader_finds_and_reads(site_url: str, newsboat: str,
                           folder: Path) -> dict[str, tuple[str, str, bytes]]:
    """A reader given `site_url` finds the three feeds on its page, each at the
    server the page came from, fetches them, and reads both entries in each; newsboat
    reads the RSS and Atom feeds found. Returns, by each feed's URL, the media type
    its link gives, the one it was served with, and its body."""
    status, page_type, page = fetch(site_url)
    assert (status, page_type) == (200, "text/html")
    found = discover(page, site_url)
    assert [(advertised, url) for advertised, url, _ in found] == [
        ("application/rss+xml", site_url + "rss.xml"),  # the main feed first
        ("application/atom+xml", site_url + "atom.xml"),
        ("application/feed+json", site_url + "feed.json")]
    titles = [title for _, _, title in found]
    assert all(TITLE in title for title in titles) and len(set(titles)) == 3, titles
    fetched = {}
    for kind, url, _ in found:
        status, served, body = fetch(url)
        assert status == 200, url
        assert read_feed(kind, body) == (TITLE, [FIRST, WELCOME], url), url
        fetched[url] = (kind, served, body)
    for kind, url, _ in found:
        if FEED_TYPES[kind] == "json":
            continue  # newsboat 2.21 reads no JSON Feed
        feed, items = read_with_newsboat(newsboat, url, folder / FEED_TYPES[kind])
        assert feed == (url, TITLE, site_url), kind
        assert items == {FIRST, WELCOME}, kind
    return fetched


def test_a_reader_given_the_preview_address_finds_and_reads_the_feeds(
        preview: str, newsboat: str, tmp_path: Path) -> None:
    fetched = reader_finds_and_reads(preview, newsboat, tmp_path / "reader")
    for url, (advertised, served, _) in fetched.items():
        assert served == advertised, url  # feedpub's server: the type its link says


def test_a_reader_given_the_deployed_address_finds_and_reads_the_feeds(
        my_site: Path, host: str, newsboat: str, tmp_path: Path) -> None:
    said = feedpub(my_site, "build", at=LATER)
    public = my_site / "public"
    assert {"index.html", "rss.xml", "atom.xml", "feed.json"} <= \
        {p.name for p in public.iterdir()}, said
    fetched = reader_finds_and_reads(host, newsboat, tmp_path / "reader")
    # The deployed files, as built. (A plain static host serves them by their suffix,
    # application/xml or application/json here, not as the link says: readers take
    # them all the same, as newsboat did.)
    for url, (_, _, body) in fetched.items():
        assert body == (public / urlsplit(url).path.lstrip("/")).read_bytes(), url
