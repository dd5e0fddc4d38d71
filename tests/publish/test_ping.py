"""WebSub: hub links in every format, and pings sent to a real HTTP hub on 127.0.0.1
started by the test (feedpub/publish/ping.py, `build --ping`, `feedpub ping`)."""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from click.testing import CliRunner
from lxml import etree

from feedpub.build import build
from feedpub.cli import cli
from feedpub.publish.ping import ping
from tests.conftest import NOW, entry

ATOM = "{http://www.w3.org/2005/Atom}"


class Hub:
    """A hub that records each publish request; `answers` are the status codes it
    gives, in turn (then 204)."""

    def __init__(self, answers: list[int] | None = None) -> None:
        self.answers = list(answers or [])
        self.pings: list[dict[str, list[str]]] = []
        hub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                form = urllib.parse.parse_qs(self.rfile.read(length).decode())
                hub.pings.append(form)
                self.send_response(hub.answers.pop(0) if hub.answers else 204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hub"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def hub() -> Iterator[Hub]:
    running = Hub()
    yield running
    running.close()


def closed_port_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}/hub"


def test_every_format_names_the_hubs(site) -> None:
    config = site({"a.md": entry("A")}, '\n[websub]\nhubs = ["https://hub.example/", '
                                        '"https://other.example/hub"]\n')
    out = build(config, now=NOW).outputs
    atom = etree.fromstring(out[config.output_dir / "atom.xml"])
    assert [link.get("href") for link in atom.findall(f"{ATOM}link[@rel='hub']")] == [
        "https://hub.example/", "https://other.example/hub"]
    channel = etree.fromstring(out[config.output_dir / "rss.xml"]).find("channel")
    assert [link.get("href") for link in channel.findall(f"{ATOM}link[@rel='hub']")] == [
        "https://hub.example/", "https://other.example/hub"]
    assert channel.findtext("link") == "https://example.org/blog/"  # still the home page
    feed = json.loads(out[config.output_dir / "feed.json"])
    assert feed["hubs"] == [{"type": "WebSub", "url": "https://hub.example/"},
                            {"type": "WebSub", "url": "https://other.example/hub"}]


@pytest.mark.parametrize(("table", "message"), [
    ('hubs = "https://hub.example/"', "websub.hubs must be a list of URLs"),
    ('hubs = ["ftp://hub.example/"]', "websub.hubs: 'ftp://hub.example/' is not an http(s) URL"),
    ('hub = ["https://hub.example/"]', "[websub] takes one key, hubs"),
])
def test_hubs_are_checked(site, table: str, message: str) -> None:
    from feedpub.base.problems import ConfigError

    with pytest.raises(ConfigError) as raised:
        site({"a.md": entry("A")}, f"\n[websub]\n{table}\n")
    assert message in str(raised.value)


def test_a_ping_tells_the_hub_of_each_feed(hub: Hub) -> None:
    results = ping([hub.url], ["https://example.org/rss.xml", "https://example.org/atom.xml"])
    assert [r.line() for r in results] == [f"pinged {hub.url}: 2 feed(s) accepted"]
    assert hub.pings == [{"hub.mode": ["publish"], "hub.url": ["https://example.org/rss.xml"]},
                         {"hub.mode": ["publish"], "hub.url": ["https://example.org/atom.xml"]}]


def test_5xx_is_tried_again_with_backoff_and_4xx_is_final() -> None:
    flaky, refusing = Hub([503, 502]), Hub([400])
    waits: list[float] = []
    try:
        results = ping([flaky.url, refusing.url], ["https://example.org/rss.xml"],
                       backoff=0.01, sleep=waits.append)
    finally:
        flaky.close()
        refusing.close()
    assert [r.ok for r in results] == [True, False]
    assert len(flaky.pings) == 3 and waits == [0.01, 0.02]  # tried 3 times, waits doubled
    assert len(refusing.pings) == 1  # a 4xx is not asked again
    assert results[1].failures == ("https://example.org/rss.xml: HTTP 400 Bad Request",)


def test_a_hub_that_never_answers_fails_after_the_last_try() -> None:
    (result,) = ping([closed_port_url()], ["https://example.org/rss.xml"], timeout=2,
                     attempts=2, sleep=lambda _: None)
    assert not result.ok
    assert result.failures[0].endswith(", after 2 tries")
    assert "no answer" in result.failures[0]


def test_build_ping_tells_the_hub_of_changed_feeds_only(tmp_path, hub: Hub) -> None:
    from tests.conftest import write_site

    path = write_site(tmp_path / "site", {"a.md": entry("A")},
                      extra=f'\n[websub]\nhubs = ["{hub.url}"]\n')
    runner = CliRunner()
    first = runner.invoke(cli, ["build", "--ping", "--config", str(path)])
    assert first.exit_code == 0, first.output
    assert sorted(p["hub.url"][0] for p in hub.pings) == [
        "https://example.org/blog/atom.xml", "https://example.org/blog/feed.json",
        "https://example.org/blog/rss.xml"]
    assert f"pinged {hub.url}: 3 feed(s) accepted" in first.output
    hub.pings.clear()
    again = runner.invoke(cli, ["build", "--ping", "--config", str(path)])
    assert again.exit_code == 0 and hub.pings == []  # nothing changed: nobody told
    assert "ping: no feed changed: no hub told" in again.output
    every = runner.invoke(cli, ["ping", "--config", str(path)])
    assert every.exit_code == 0 and len(hub.pings) == 3  # `ping`: every feed there is


def test_a_failed_ping_exits_3_with_the_feeds_written(tmp_path) -> None:
    from tests.conftest import write_site

    refusing = Hub([403, 403, 403])
    try:
        path = write_site(tmp_path / "site", {"a.md": entry("A")},
                          extra=f'\n[websub]\nhubs = ["{refusing.url}"]\n')
        result = CliRunner().invoke(cli, ["build", "--ping", "--config", str(path)])
    finally:
        refusing.close()
    assert result.exit_code == 3
    assert (tmp_path / "site" / "public" / "rss.xml").is_file()
    assert "HTTP 403 Forbidden" in result.output


def test_ping_without_hubs_is_a_usage_error(tmp_path) -> None:
    from tests.conftest import write_site

    path = write_site(tmp_path / "site", {"a.md": entry("A")})
    result = CliRunner().invoke(cli, ["ping", "--config", str(path)])
    assert result.exit_code == 2
    assert "add [websub] hubs = [...] to the config" in result.output
