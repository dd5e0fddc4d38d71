"""A real browser: headless Chromium (Debian's `chromium`) loads the preview of
`feedpub serve`: the front page's autodiscovery links in the DOM, an entry page with
its image, and each feed turned into a readable page by its stylesheet; no console
errors; screenshots saved (to $FEEDPUB_ARTIFACTS, else tests/.artifacts/).

Without Chromium these tests are skipped, saying how to get it; with
FEEDPUB_REQUIRE_CHROMIUM=1 (as in .ci/run, which installs it) they fail instead.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import threading
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree

from feedpub.serve.watch import Serve
from tests.conftest import ROOT, entry, missing_tool, write_site

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Chromium 156 says this of every page made by XSLT (browsers mean to drop XSLT): a
# notice about the browser, not an error of the page. The day it goes, the pages
# here fail (the DOM is the raw feed), and the feeds need another way to look good.
XSLT_DEPRECATED = "XSLTProcessor and XSLT Processing Instructions have been deprecated"
# A real 2x2 PNG (a browser logs an image it cannot decode).
PNG = b"".join([
    b"\x89PNG\r\n\x1a\n",
    *(struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
      for body in (b"IHDR" + struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0),
                   b"IDAT" + zlib.compress(b"\x00" + b"\xff\x80\x00" * 2 + b"\x00"
                                           + b"\x00\x40\xff" * 2),
                   b"IEND"))])
ARTIFACTS = Path(os.environ.get("FEEDPUB_ARTIFACTS") or ROOT / "tests" / ".artifacts")


@pytest.fixture(scope="module")
def chromium() -> str:
    if CHROMIUM is None:
        missing_tool("headless Chromium is not installed: apt-get install chromium "
                     "(Debian), as .ci/run does", "FEEDPUB_REQUIRE_CHROMIUM")
    return CHROMIUM


@pytest.fixture(scope="module")
def preview(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serve]:
    folder = tmp_path_factory.mktemp("browser")
    config = write_site(folder, {
        "a.md": entry("Harbour lights", "2021-05-01T10:00:00Z",
                      body="Ships & *lights*.\n\n![The light at dusk](light.png)"),
        "b.md": entry("Tide tables", "2021-05-02T10:00:00Z", tags="[tides]")},
        extra="tag_feeds = true\n\n[site]\npages = true\n")
    (folder / "entries" / "light.png").write_bytes(PNG)  # beside the entry that shows it
    serving = Serve(config, "127.0.0.1", 0)
    serving.start()
    watcher = threading.Thread(target=serving.watch, daemon=True)
    watcher.start()
    assert serving.watching.wait(10)
    try:
        yield serving
    finally:
        serving.stop()


def browse(chromium: str, url: str, screenshot: str) -> tuple[etree._Element, str]:
    """The page's DOM once loaded, and what the page logged to the console (Chromium
    writes each message to stderr as an INFO:CONSOLE line)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    common = [chromium, "--headless", "--no-sandbox", "--disable-gpu",
              "--disable-dev-shm-usage", "--no-first-run", "--enable-logging=stderr",
              "--v=0", f"--user-data-dir={ARTIFACTS / 'profile'}"]
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True,
                         timeout=120)
    shot = subprocess.run([*common, "--window-size=1000,900",
                           f"--screenshot={ARTIFACTS / screenshot}", url],
                          capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0 and shot.returncode == 0, dom.stderr[-2000:]
    assert (ARTIFACTS / screenshot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    console = "\n".join(line for line in (dom.stderr + shot.stderr).splitlines()
                        if "CONSOLE" in line and XSLT_DEPRECATED not in line)
    return etree.HTML(dom.stdout), console


def test_the_front_page_has_autodiscovery_links(chromium: str, preview: Serve) -> None:
    page, console = browse(chromium, preview.url, "front.png")
    links = {(link.get("type"), link.get("href"))
             for link in page.iterfind(".//head/link[@rel='alternate']")}
    assert links == {("application/rss+xml", preview.url + "rss.xml"),
                     ("application/atom+xml", preview.url + "atom.xml"),
                     ("application/feed+json", preview.url + "feed.json")}
    assert console == ""  # nothing logged to the console: no error, no warning


def test_an_entry_page_shows_the_entry_and_its_image(chromium: str, preview: Serve) -> None:
    page, console = browse(chromium, preview.url + "a/", "entry.png")
    assert page.findtext(".//main//h1") == "Harbour lights"
    assert "".join(page.find(".//article/p[2]").itertext()) == "Ships & lights."
    image = page.find(".//article//img")
    assert image.get("src") == preview.url + "a/light.png"
    assert {link.get("href") for link in page.iterfind(".//head/link[@rel='alternate']")} \
        == {preview.url + name for name in ("rss.xml", "atom.xml", "feed.json")}
    # no console message: the image loaded (a 404 is logged as a failed resource)
    assert console == ""


@pytest.mark.parametrize("feed", ["rss.xml", "atom.xml", "tags/tides/rss.xml"])
def test_a_feed_reads_as_a_page_through_its_stylesheet(chromium: str, preview: Serve,
                                                       feed: str) -> None:
    page, console = browse(chromium, preview.url + feed,
                           feed.replace("/", "-").replace(".xml", ".png"))
    assert page.findtext(".//h1") == ("Test site: tides" if "tags" in feed else "Test site")
    assert "This is a web feed" in "".join(page.find(".//header/p").itertext())
    titles = [a.text.strip() for a in page.iterfind(".//ol/li/h3/a")]
    assert titles == (["Tide tables"] if "tags" in feed else ["Tide tables", "Harbour lights"])
    assert console == ""


def test_an_edit_reaches_the_browser(chromium: str, preview: Serve) -> None:
    source = preview.config_path.parent / "entries" / "a.md"
    source.write_text(entry("Harbour lights, again", "2021-05-01T10:00:00Z"))
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        page, _ = browse(chromium, preview.url + "atom.xml", "edited.png")
        if "Harbour lights, again" in [a.text.strip() for a in page.iterfind(".//ol/li/h3/a")]:
            return
        time.sleep(0.5)
    raise AssertionError("the edit never reached the page")
