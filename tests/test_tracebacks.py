"""Odd values get a message, never a traceback (issue 9, point 10)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.base.problems import ConfigError
from feedpub.config.load import load_config, validate_config
from feedpub.entries.dates import DateError, parse_date
from feedpub.entries.loading import load_entries

from .conftest import BASE_CONFIG, entry, write_site

EXAMPLES = int(os.environ.get("FEEDPUB_EXAMPLES", "60"))


@pytest.mark.parametrize("value", [
    '"Thu, 13 May 2021 14:30:00 +99999999999999999999"',
    '"99999999999999999999-01-01"',
    '"Thu, 13 May 99999999999999999999 14:30:00 +0200"',
])
def test_dates_out_of_every_range_are_errors(tmp_path: Path, value: str) -> None:
    config = load_config(write_site(tmp_path, {"a.md": entry(date=value)}))
    result = load_entries(config)
    assert result.entries == ()
    assert "error: date" in str(result.problems[0])


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(st.one_of(
    st.text(max_size=60),
    st.from_regex(r"\A[A-Z][a-z]{2}, \d{1,2} [A-Z][a-z]{2} \d{1,25} \d\d:\d\d(:\d\d)? "
                  r"[+-]\d{1,25}\Z"),
    st.from_regex(r"\A\d{1,25}-\d{1,3}-\d{1,3}([T ]\d{1,3}:\d{1,3}(:\d{1,3})?)?"
                  r"([+-]\d{1,4}(:\d{1,3})?|Z)?\Z")))
def test_any_date_text_parses_or_raises_a_date_error(text: str) -> None:
    try:
        parsed = parse_date(text, UTC)
    except DateError as exc:
        assert str(exc)  # a message to show
        return
    assert parsed.utcoffset() is not None and 1000 <= parsed.year <= 9999
    assert parsed.isoformat()  # writable in a feed


@pytest.mark.parametrize("url", ["https://[::1/", "https://example.org:99999/",
                                 "https://:80/", "http://[/"])
def test_urls_that_cannot_be_split_are_config_errors(tmp_path: Path, url: str) -> None:
    path = write_site(tmp_path, {}, config=BASE_CONFIG.replace(
        'url = "https://example.org/blog/"', f'url = "{url}"'))
    with pytest.raises(ConfigError, match="must be an absolute http"):
        load_config(path)


@settings(max_examples=EXAMPLES * 5, deadline=None)
@given(st.one_of(st.text(max_size=40),
                 st.from_regex(r"\Ahttps?://[\[\]:0-9a-z.%@/ -]{0,30}\Z")))
def test_any_url_is_taken_or_refused_with_a_config_error(url: str) -> None:
    data = {"feed": {"title": "T", "description": "D", "url": url, "author": {"name": "N"}}}
    try:
        config = validate_config(data, Path("/nonexistent/feedpub.toml"), source_text="")
    except ConfigError as exc:
        assert exc.problems and all(p.severity == "error" for p in exc.problems)
        return
    parts = urlsplit(config.url)  # what was taken is a usable, ASCII site address
    assert parts.scheme in ("http", "https") and parts.hostname and config.url.isascii()
    assert config.url.endswith("/") and config.host


def test_json_front_matter_with_a_date_without_offset_takes_the_time_zone(
        tmp_path: Path) -> None:
    config = load_config(write_site(tmp_path, {
        "a.md": '{\n"title": "A",\n"date": "2021-05-13 10:00",\n'
                '"updated": "2021-05-13T12:00:00"\n}\nBody\n'},
        config=BASE_CONFIG.replace('timezone = "UTC"', 'timezone = "Europe/Berlin"')))
    (e,) = load_entries(config).entries
    assert e.published.isoformat() == "2021-05-13T10:00:00+02:00"
    assert e.updated.isoformat() == "2021-05-13T12:00:00+02:00"


def test_a_full_standard_output_after_the_feeds_are_written(tmp_path: Path) -> None:
    write_site(tmp_path, {"a.md": entry()})
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "feedpub", "build"], cwd=tmp_path,
                              stdout=full, stderr=subprocess.PIPE, text=True,
                              env={**os.environ, "SOURCE_DATE_EPOCH": "1893456000"})
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert proc.stderr.strip() == ("feedpub: cannot write to standard output: No space left "
                                   "on device (what was built is in place)")
    assert (tmp_path / "public" / "rss.xml").exists()
