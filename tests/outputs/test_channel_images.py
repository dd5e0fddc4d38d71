"""[feed] icon, logo and copyright in every format: Atom icon/logo/rights, RSS <image>
(with the title and link RSS requires) and <copyright>, JSON Feed icon/favicon."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from feedpub.base.problems import ConfigError
from feedpub.build import build
from tests.conftest import NOW, entry

ATOM = "{http://www.w3.org/2005/Atom}"
EXTRA = ('icon = "/favicon.png"\nlogo = "img/logo.png"\n'
         'copyright = "© 2024 Test & Co"\n')


def outputs(site, extra: str) -> tuple[etree._Element, etree._Element, dict]:
    config = site({"a.md": entry("A")}, extra)
    out = build(config, now=NOW).outputs
    return (etree.fromstring(out[config.output_dir / "rss.xml"]).find("channel"),
            etree.fromstring(out[config.output_dir / "atom.xml"]),
            json.loads(out[config.output_dir / "feed.json"]))


def test_icon_logo_and_copyright_in_every_format(site) -> None:
    rss, atom, feed = outputs(site, EXTRA)
    # A path is on the site: "/..." from the host's root, else under feed.url.
    icon, logo = "https://example.org/favicon.png", "https://example.org/blog/img/logo.png"
    assert (atom.findtext(f"{ATOM}icon"), atom.findtext(f"{ATOM}logo"),
            atom.findtext(f"{ATOM}rights")) == (icon, logo, "© 2024 Test & Co")
    image = rss.find("image")
    assert (image.findtext("url"), image.findtext("title"), image.findtext("link")) == (
        logo, "Test site", "https://example.org/blog/")
    assert rss.findtext("copyright") == "© 2024 Test & Co"
    assert (feed["icon"], feed["favicon"]) == (icon, icon)


def test_without_them_nothing_is_written(site) -> None:
    rss, atom, feed = outputs(site, "")
    assert rss.find("image") is None and rss.find("copyright") is None
    assert atom.find(f"{ATOM}icon") is None and atom.find(f"{ATOM}rights") is None
    assert "icon" not in feed and "favicon" not in feed


@pytest.mark.parametrize("value", ['"javascript:alert(1)"', '"ftp://example.org/a.png"', "42"])
def test_an_image_that_is_no_url_is_an_error(site, value: str) -> None:
    with pytest.raises(ConfigError) as raised:
        site({"a.md": entry("A")}, f"logo = {value}\n")
    assert "feed.logo" in str(raised.value)


def test_the_validator_kit_accepts_them(site, feedcheck, tmp_path) -> None:
    config = site({"a.md": entry("A")}, EXTRA)
    out = tmp_path / "out"
    out.mkdir()
    for path, data in build(config, now=NOW).outputs.items():
        (out / path.name).write_bytes(data)
    feedcheck(*sorted(out.iterdir()))
