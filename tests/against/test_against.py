"""`feedpub check --against`: the published items matched to today's entries (issue 8)."""

from __future__ import annotations

import http.server
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import ClassVar

import pytest
import yaml
from lxml import etree

from feedpub.against import published
from feedpub.against.compare import front_matter_line
from feedpub.against.published import PublishedFeedError, parse_published, read_published
from feedpub.build import build

from ..conftest import NOW, entry, run_cli, write_site

URL = "https://example.org/blog/"
OLD_ID = "tag:example.org,2024-03-10:bike-trip"
NEW_ID = "tag:example.org,2024-03-10:2024-03-10-bike-trip"
BIKE = {
    "YAML": '---\ntitle: "Bike trip"\ndate: 2024-03-10\n---\n\nWe rode.\n',
    "TOML": '+++\ntitle = "Bike trip"\ndate = 2024-03-10\n+++\n\nWe rode.\n',
    "JSON": '{\n  "title": "Bike trip",\n  "date": "2024-03-10"\n}\n\nWe rode.\n',
}



def check_against(root: Path, feed: str | Path) -> tuple[int, list[dict]]:
    """`feedpub check --against FEED --format json`: the exit code and the problems."""
    result = run_cli(root, "check", "--against", str(feed), "--format", "json")
    assert "Traceback" not in result.output
    return result.exit_code, [json.loads(line) for line in result.output.splitlines()]


def built(root: Path) -> Path:
    """`feedpub build` in root; returns the output folder."""
    result = run_cli(root, "build")
    assert result.exit_code == 0, result.output
    return root / "public"


def rename(root: Path, old: str, new: str) -> Path:
    entries = root / "entries"
    (entries / old).rename(entries / new)
    return entries / new


def insert_line(path: Path, number: int, line: str) -> None:
    lines = path.read_text("utf-8").split("\n")
    lines.insert(number - 1, line)
    path.write_text("\n".join(lines), "utf-8")


FEEDS = ("rss.xml", "atom.xml")


@pytest.mark.parametrize("fmt", ["YAML", "TOML", "JSON"])
def test_a_renamed_file_is_an_id_change_with_the_line_that_undoes_it(tmp_path: Path,
                                                                      fmt: str) -> None:
    write_site(tmp_path, {"bike-trip.md": BIKE[fmt], "other.md": entry("Other")})
    public = built(tmp_path)
    for name in FEEDS:
        (tmp_path / name).write_bytes((public / name).read_bytes())  # as published
    moved = rename(tmp_path, "bike-trip.md", "2024-03-10-bike-trip.md")
    line = {"YAML": f"id: {OLD_ID}", "TOML": f'id = "{OLD_ID}"',
            "JSON": f'"id": "{OLD_ID}",'}[fmt]

    for name in FEEDS:
        code, problems = check_against(tmp_path, tmp_path / name)
        assert code == 1
        errors = [p for p in problems if p["severity"] == "error"]
        assert errors == [{
            "severity": "error", "file": "entries/2024-03-10-bike-trip.md", "line": 2,
            "message": f"the id changed: published as {OLD_ID!r}, now {NEW_ID!r}; readers "
                       "will show it as new again (the published item was matched by its "
                       "title and date)",
            "hint": f"keep the published id: add this line after line 1: {line}"}]

    insert_line(moved, 2, line)
    for name in FEEDS:
        code, problems = check_against(tmp_path, tmp_path / name)
        assert code == 0
        assert [(p["severity"], p["file"], p["message"]) for p in problems] == [(
            "warning", "entries/2024-03-10-bike-trip.md",
            f"the link changed from {URL}bike-trip/ to {URL}2024-03-10-bike-trip/: "
            "bookmarks and shared links to the old address break")]
        slug = front_matter_line(fmt, "slug", "bike-trip")
        assert problems[0]["hint"] == (
            f"keep the old address with the front-matter line {slug}, or redirect "
            f"{URL}bike-trip/ to {URL}2024-03-10-bike-trip/")


def test_the_slug_line_of_the_link_hint_keeps_both_the_link_and_the_id(tmp_path: Path) -> None:
    write_site(tmp_path, {"bike-trip.md": BIKE["YAML"]})
    public = built(tmp_path)
    feed = tmp_path / "published-atom.xml"
    feed.write_bytes((public / "atom.xml").read_bytes())
    moved = rename(tmp_path, "bike-trip.md", "2024-03-10-bike-trip.md")
    _, problems = check_against(tmp_path, feed)
    link_hint = next(p["hint"] for p in problems if p["severity"] == "warning")
    assert link_hint.startswith("keep the old address with the front-matter line "
                                "slug: bike-trip, or redirect")
    insert_line(moved, 2, "slug: bike-trip")
    assert check_against(tmp_path, feed) == (0, [])


def test_a_changed_explicit_id_names_the_line_to_replace(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry("A", id="urn:uuid:1111")})
    public = built(tmp_path)
    feed = tmp_path / "published.xml"
    feed.write_bytes((public / "rss.xml").read_bytes())
    write_site(tmp_path, {"a.md": entry("A", id="urn:uuid:2222")})
    code, problems = check_against(tmp_path, feed)
    assert code == 1
    assert [(p["line"], p["hint"]) for p in problems] == [
        (4, "keep the published id: replace line 4 with id: urn:uuid:1111")]
    path = tmp_path / "entries" / "a.md"
    lines = path.read_text().split("\n")
    lines[3] = "id: urn:uuid:1111"
    path.write_text("\n".join(lines))
    assert check_against(tmp_path, feed) == (0, [])


def test_the_same_id_under_a_new_link_is_a_warning(tmp_path: Path) -> None:
    write_site(tmp_path, {"trip.md": entry("Trip", "2021-05-13")})
    public = built(tmp_path)
    write_site(tmp_path, {}, extra='permalink = "{year}/{slug}/"\n')  # the same entries
    for name in FEEDS:
        code, problems = check_against(tmp_path, public / name)
        assert code == 0
        assert problems == [{
            "severity": "warning", "file": "entries/trip.md", "line": None,
            "message": f"the link changed from {URL}trip/ to {URL}2021/trip/: bookmarks "
                       "and shared links to the old address break",
            "hint": f"keep the old address with the front-matter line link: {URL}trip/, "
                    f"or redirect {URL}trip/ to {URL}2021/trip/"}]


def test_the_link_is_matched_before_title_and_date(tmp_path: Path) -> None:
    write_site(tmp_path, {"moved.md": entry("Moved", "2021-05-12")})
    public = built(tmp_path)
    # A new title and date (so a new id) at the same link; and another entry that now
    # has the old title and date.
    write_site(tmp_path, {"moved.md": entry("Moved house", "2021-05-13"),
                          "decoy.md": entry("Moved", "2021-05-12")})
    for name in FEEDS:
        code, problems = check_against(tmp_path, public / name)
        assert code == 1
        assert [(p["severity"], p["file"], p["message"]) for p in problems] == [(
            "error", "entries/moved.md",
            "the id changed: published as 'tag:example.org,2021-05-12:moved', now "
            "'tag:example.org,2021-05-13:moved'; readers will show it as new again "
            "(the published item was matched by its link)")]


def test_two_entries_that_fit_equally_are_no_match(tmp_path: Path) -> None:
    write_site(tmp_path, {"notes.md": entry("Weekly notes", "2021-05-13T10:00:00Z")})
    public = built(tmp_path)
    (tmp_path / "entries" / "notes.md").unlink()
    write_site(tmp_path, {"notes-a.md": entry("Weekly  notes", "2021-05-13T10:00:00Z"),
                          "notes-b.md": entry("Weekly notes", "2021-05-13T12:00:00+02:00")})
    for name in FEEDS:
        code, problems = check_against(tmp_path, public / name)
        assert code == 0
        assert problems == [{
            "severity": "warning", "file": "feedpub.toml", "line": None,
            "message": f"a published item is gone: 'Weekly notes' ({URL}notes/)",
            "hint": "it fits entries/notes-a.md, entries/notes-b.md equally well, so none "
                    "was taken for it; if one of them is this item, give that one the "
                    "published id tag:example.org,2021-05-13:notes"}]


def test_an_entry_matches_one_published_item_at_most(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry("Notes", "2021-05-13"),
                          "b.md": entry("Notes", "2021-05-13")})
    public = built(tmp_path)
    for name in ("a.md", "b.md"):
        (tmp_path / "entries" / name).unlink()
    write_site(tmp_path, {"c.md": entry("Notes", "2021-05-13")})
    code, problems = check_against(tmp_path, public / "atom.xml")
    assert code == 0
    assert sorted(p["message"] for p in problems) == [
        f"a published item is gone: 'Notes' ({URL}a/)",
        f"a published item is gone: 'Notes' ({URL}b/)"]


def without_guids(rss: bytes) -> bytes:
    root = etree.fromstring(rss)
    for guid in root.iter("guid"):
        guid.getparent().remove(guid)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def test_rss_items_without_guid_are_matched_by_link_or_title_and_date(tmp_path: Path) -> None:
    write_site(tmp_path, {"bike-trip.md": BIKE["YAML"], "same.md": entry("Same")})
    public = built(tmp_path)
    feed = tmp_path / "old-rss.xml"
    feed.write_bytes(without_guids((public / "rss.xml").read_bytes()))
    assert [i.id for i in read_published(str(feed)).items] == [None, None]
    rename(tmp_path, "bike-trip.md", "2024-03-10-bike-trip.md")
    code, problems = check_against(tmp_path, feed)
    assert code == 0
    assert [(p["severity"], p["file"], p["message"]) for p in problems] == [(
        "warning", "entries/2024-03-10-bike-trip.md",
        f"the link changed from {URL}bike-trip/ to {URL}2024-03-10-bike-trip/: bookmarks "
        "and shared links to the old address break")]


def test_a_published_id_that_is_not_a_uri_cannot_be_put_back(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry("A")})
    root = etree.fromstring((built(tmp_path) / "rss.xml").read_bytes())
    root.find("channel/item/guid").text = "12345"
    feed = tmp_path / "wordpress.xml"
    feed.write_bytes(etree.tostring(root))
    code, problems = check_against(tmp_path, feed)
    assert code == 0  # nothing the user could fix: a warning, not an error
    assert [(p["severity"], p["line"], p["hint"]) for p in problems] == [
        ("warning", None, "feedpub ids are URIs, so '12345' cannot be kept: readers will "
                          "show the entry as new once")]


def test_vanished_items_are_warnings_and_renamed_ones_are_not(tmp_path: Path) -> None:
    write_site(tmp_path, {"keep.md": entry("Keep"), "gone.md": entry("Gone", "2021-05-11"),
                          "bike-trip.md": BIKE["YAML"]})
    public = built(tmp_path)
    (tmp_path / "entries" / "gone.md").unlink()
    rename(tmp_path, "bike-trip.md", "2024-03-10-bike-trip.md")
    for name in FEEDS:
        code, problems = check_against(tmp_path, public / name)
        assert code == 1
        assert sorted((p["severity"], p["file"], p["message"][:30]) for p in problems) == [
            ("error", "entries/2024-03-10-bike-trip.md", "the id changed: published as '"),
            ("warning", "entries/2024-03-10-bike-trip.md", "the link changed from https://"),
            ("warning", "feedpub.toml", "a published item is gone: 'Gon")]
        gone = next(p for p in problems if p["message"].startswith("a published item"))
        assert gone["message"] == f"a published item is gone: 'Gone' ({URL}gone/)"
        assert gone["hint"] == "restore it, or accept that readers keep their copy"


# -- reading the published feed -----------------------------------------------------------


def test_item_dates_are_read_from_feedpubs_own_feeds(site) -> None:
    config = site({"a.md": entry("A", "2024-03-10T09:30:00+02:00", updated="2024-04-01"),
                   "b.md": entry("B", "2024-03-09")})
    outputs = build(config, now=NOW).outputs
    rss = parse_published(outputs[config.output_dir / "rss.xml"])
    atom = parse_published(outputs[config.output_dir / "atom.xml"])
    a_published = datetime(2024, 3, 10, 7, 30, tzinfo=UTC)
    b_published = datetime(2024, 3, 9, tzinfo=UTC)
    assert [(i.title, i.published, i.updated) for i in rss.items] == [
        ("A", a_published, None), ("B", b_published, None)]
    assert [(i.title, i.published, i.updated) for i in atom.items] == [
        ("A", a_published, datetime(2024, 4, 1, tzinfo=UTC)),
        ("B", b_published, b_published)]
    assert [i.id for i in atom.items] == [i.id for i in rss.items] == [
        "tag:example.org,2024-03-10:a", "tag:example.org,2024-03-09:b"]


ATOM = """<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><id>x</id>{}</feed>"""


def atom_entry(title: str, **dates: str) -> str:
    return f"<entry><id>urn:x:{title}</id><title>{title}</title>" + "".join(
        f"<{k}>{v}</{k}>" for k, v in dates.items()) + "</entry>"


def test_atom_dates_with_z_a_bare_day_or_nonsense() -> None:
    feed = parse_published(ATOM.format("".join([
        atom_entry("z", published="2024-03-10T09:30:00Z", updated="2024-03-11T00:00:00z"),
        atom_entry("offset", updated="2024-03-10T09:30:00-05:00"),
        atom_entry("day", published="2024-03-10"),
        atom_entry("bad", published="the tenth of March", updated="2024-02-30T00:00:00Z"),
    ])).encode())
    assert [(i.published, i.updated) for i in feed.items] == [
        (datetime(2024, 3, 10, 9, 30, tzinfo=UTC), datetime(2024, 3, 11, tzinfo=UTC)),
        (None, datetime(2024, 3, 10, 9, 30, tzinfo=timezone(timedelta(hours=-5)))),
        (date(2024, 3, 10), None),
        (None, None)]


def test_rss_dates_without_an_offset_or_broken() -> None:
    items = "".join(f"<item><title>{n}</title><pubDate>{d}</pubDate></item>" for n, d in [
        ("utc", "Sun, 10 Mar 2024 09:30:00 -0000"), ("bad", "Sun, 45 Mar 2024 09:30:00 GMT"),
        ("no time", "Sun, 10 Mar 2024")])
    feed = parse_published(f"<rss><channel>{items}</channel></rss>".encode())
    assert [i.published for i in feed.items] == [datetime(2024, 3, 10, 9, 30, tzinfo=UTC),
                                                 None, None]


def test_an_atom_day_without_time_matches_the_entrys_calendar_day(site) -> None:
    from feedpub.check import check

    # 2024-03-09 in UTC, but the 10th where it was written
    config = site({"2024-03-10-bike-trip.md": entry("Bike trip", "2024-03-10T00:30:00+01:00")})
    feed = config.path.parent / "old.xml"
    feed.write_text(ATOM.format(
        f"<entry><id>{OLD_ID}</id><title>Bike trip</title><published>2024-03-10</published>"
        f"<link href='{URL}bike-trip/'/></entry>"))
    problems = check(config, now=NOW, against=str(feed)).problems
    assert [(p.severity, p.message.split(";")[0]) for p in problems
            if not p.message.startswith("the link")] == [
        ("error", f"the id changed: published as {OLD_ID!r}, now "
                  "'tag:example.org,2024-03-10:2024-03-10-bike-trip'")]


# -- front matter lines -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["tag:example.org,2024:a", "a: b", "x #y", "12", "true",
                                   "@at", "2024-03-10", "'quoted'", 'say "hi"', "é:ü"])
def test_yaml_lines_read_back_as_the_same_text(value: str) -> None:
    line = front_matter_line("YAML", "id", value)
    assert yaml.safe_load(line) == {"id": value}
    assert line.startswith("id: ")


def test_toml_and_json_lines() -> None:
    import tomllib

    assert tomllib.loads(front_matter_line("TOML", "id", 'a "b" \\ c')) == {"id": 'a "b" \\ c'}
    line = front_matter_line("JSON", "id", "tag:x,2024:y")
    assert line == '"id": "tag:x,2024:y",'
    assert json.loads("{" + line.rstrip(",") + "}") == {"id": "tag:x,2024:y"}
    assert front_matter_line("JSON", "id", "u", comma=False) == '"id": "u"'


# -- the feed itself: files, URLs and things that are not feeds -----------------------------


def test_against_a_url_served_on_loopback(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry("A")})
    public = built(tmp_path)
    with serving(public) as base:
        url = f"{base}/atom.xml"
        code, problems = check_against(tmp_path, url)
    assert code == 0
    assert [p["message"] for p in problems] == [
        f"the feed was read from {url}, but its self link will be {URL}atom.xml"]


@pytest.mark.parametrize("content", [b"not xml", b"<html><body/></html>", b""])
def test_against_something_that_is_not_a_feed(tmp_path: Path, content: bytes) -> None:
    write_site(tmp_path, {"a.md": entry()})
    (tmp_path / "old.xml").write_bytes(content)
    code, problems = check_against(tmp_path, tmp_path / "old.xml")
    assert code == 1
    assert [(p["severity"], p["message"].split(": ")[0]) for p in problems] == [
        ("error", f"--against {tmp_path / 'old.xml'}")]


class Flaky(http.server.BaseHTTPRequestHandler):
    """Answers with the statuses in `plan`, one per request, then 200 and a feed."""

    plan: ClassVar[list[int]] = []
    seen: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.seen.append(self.path)
        status = self.plan.pop(0) if self.plan else 200
        body = ATOM.format(atom_entry("A")).encode() if status == 200 else b"no"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def flaky(monkeypatch) -> Iterator[tuple[str, type[Flaky]]]:
    monkeypatch.setattr(published, "RETRY_DELAYS", (0.0, 0.0))
    handler = type("Handler", (Flaky,), {"plan": [], "seen": []})
    with serving(None, handler) as base:
        yield base + "/feed.xml", handler


def test_a_5xx_answer_is_tried_again_twice_at_most(flaky) -> None:
    url, handler = flaky
    handler.plan[:] = [503, 502]
    assert [i.title for i in read_published(url).items] == ["A"]
    assert len(handler.seen) == 3
    handler.plan[:], handler.seen[:] = [500, 503, 504], []
    with pytest.raises(PublishedFeedError, match="cannot fetch it: HTTP Error 504"):
        read_published(url)
    assert len(handler.seen) == 3


def test_a_4xx_answer_is_not_tried_again(flaky) -> None:
    url, handler = flaky
    handler.plan[:] = [404]
    with pytest.raises(PublishedFeedError, match="cannot fetch it: HTTP Error 404"):
        read_published(url)
    assert handler.seen == ["/feed.xml"]


def test_a_refused_connection_is_tried_again(monkeypatch) -> None:
    monkeypatch.setattr(published, "RETRY_DELAYS", (0.0, 0.0))
    server = http.server.HTTPServer(("127.0.0.1", 0), Flaky)
    port = server.server_port
    server.server_close()  # nothing listens there now
    calls = []
    real = published._get
    monkeypatch.setattr(published, "_get", lambda url: calls.append(url) or real(url))
    with pytest.raises(PublishedFeedError, match=r"cannot fetch it: .*refused"):
        read_published(f"http://127.0.0.1:{port}/feed.xml")
    assert len(calls) == 3


class QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


@contextmanager
def serving(folder: Path | None,
            handler: Callable[..., http.server.BaseHTTPRequestHandler] | None = None,
            ) -> Iterator[str]:
    """An HTTP server on loopback (files from `folder`, or `handler`); yields its base URL."""
    handler = handler or (lambda *a, **k: QuietFiles(*a, directory=str(folder), **k))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
