"""[feed] from and the site's settings: which generator's settings are found, what is
read from them (never run), that feedpub.toml's values win, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedpub.base.problems import ConfigError
from feedpub.config.load import load_config


def site(tmp_path: Path, files: dict[str, str], toml: str = "") -> Path:
    for name, text in {"feedpub.toml": "[feed]\n" + toml, **files}.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "feedpub.toml"


HUGO = "baseURL = 'https://h.example/'\ntitle = 'H'\n"
ZOLA = "base_url = 'https://z.example'\ntitle = 'Z'\n"


@pytest.mark.parametrize(("files", "kind"), [
    ({"_config.yml": "title: J\nurl: https://j.example\n"}, "jekyll"),
    ({"hugo.toml": HUGO}, "hugo"),
    ({"hugo.yaml": "baseURL: https://h.example/\ntitle: H\n"}, "hugo"),
    ({"config/_default/hugo.toml": HUGO}, "hugo"),
    ({"config.toml": HUGO}, "hugo"),  # Hugo's older name: told apart by baseURL
    ({"config.toml": ZOLA}, "zola"),  # ... and Zola's by base_url
    ({"pelicanconf.py": "SITENAME = 'P'\nSITEURL = 'https://p.example'\n"}, "pelican"),
    ({"config.toml": "[other]\nx = 1\n"}, "plain"),  # neither
])
def test_the_generator_is_detected_from_its_settings_file(tmp_path, files, kind) -> None:
    own = 'description = "D"\n' + ('title = "T"\nurl = "https://x.example/"\n'
                                    if kind == "plain" else "")
    config = load_config(site(tmp_path, files, own))
    assert config.site.kind == kind
    assert config.site.detected == (kind != "plain")
    if kind != "plain":
        assert config.title in ("J", "H", "Z", "P")


def test_settings_above_the_entries_folder_are_found(tmp_path) -> None:
    # feedpub.toml elsewhere; the Hugo site two levels above its entries folder.
    (tmp_path / "blog" / "content" / "posts").mkdir(parents=True)
    (tmp_path / "blog" / "hugo.toml").write_text(HUGO)
    path = site(tmp_path / "feeds", {}, 'entries = "../blog/content/posts"\n')
    config = load_config(path)
    assert config.site.kind == "hugo"
    assert config.site.content == tmp_path / "blog" / "content"


def test_settings_far_above_the_entries_folder_are_not_taken(tmp_path) -> None:
    (tmp_path / "_config.yml").write_text("title: far away\n")
    deep = tmp_path / "a" / "b" / "c"
    (deep / "d" / "entries").mkdir(parents=True)
    config = load_config(site(deep / "d", {}, 'title = "T"\ndescription = "D"\n'
                                                'url = "https://x.example/"\n'))
    assert config.site.kind == "plain"


def test_from_plain_reads_no_settings_and_from_a_kind_without_its_file_uses_defaults(
        tmp_path) -> None:
    files = {"hugo.toml": HUGO}
    config = load_config(site(tmp_path, files, 'from = "plain"\ntitle = "T"\n'
                              'description = "D"\nurl = "https://x.example/"\n'))
    assert config.site.kind == "plain"
    config = load_config(site(tmp_path, {}, 'from = "jekyll"\ntitle = "T"\n'
                              'description = "D"\nurl = "https://x.example/"\n'))
    assert config.site.kind == "jekyll"  # hugo.toml is not Jekyll's: Jekyll's defaults
    assert config.site.file is None and config.site.permalinks == {"posts": "date"}


def test_an_unknown_from_is_an_error_naming_the_values(tmp_path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, {}, 'from = "gatsby"\ntitle = "T"\ndescription = "D"\n'
                         'url = "https://x.example/"\n'))
    assert "feed.from must be one of 'auto', 'jekyll', 'hugo', 'zola', 'pelican', " \
           "'plain', not 'gatsby'" in str(caught.value)


def test_feedpub_toml_values_win_over_the_sites_and_check_is_told(tmp_path) -> None:
    files = {"_config.yml": "title: Site title\nurl: https://j.example\nbaseurl: /blog\n"
                            "description: Site description\ntimezone: Asia/Tokyo\n"}
    config = load_config(site(tmp_path, files, 'title = "Mine"\n'))
    assert config.title == "Mine"
    assert config.url == "https://j.example/blog/"  # url + baseurl
    assert config.description == "Site description"
    assert str(config.timezone) == "Asia/Tokyo"
    assert "feed.title from feedpub.toml wins over _config.yml's title ('Site title')" \
        in config.origins
    assert "feed.url from _config.yml's url: 'https://j.example/blog/'" in config.origins


def test_a_site_without_a_description_is_described_by_its_title(tmp_path) -> None:
    config = load_config(site(tmp_path, {"hugo.toml": HUGO}))
    assert config.description == "H"
    assert "feed.description from hugo.toml's title (it has no description): 'H'" \
        in config.origins


def test_a_broken_settings_file_is_an_error_naming_it_and_its_line(tmp_path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, {"_config.yml": "title: ok\nurl: [unclosed\n"}))
    problem = caught.value.problems[0]
    assert (problem.path, problem.line) == ("_config.yml", 3)
    assert problem.message.startswith("invalid YAML")


def test_a_bad_value_from_the_site_names_the_sites_file(tmp_path) -> None:
    files = {"_config.yml": "title: T\nurl: https://j.example\ntimezone: Mars/Olympus\n"}
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, files))
    problem = caught.value.problems[0]
    assert problem.path == "_config.yml"
    assert "'Mars/Olympus' is not a known IANA time zone (the value is the site's, " \
           "from _config.yml)" in problem.message


def test_pelicanconf_is_read_never_run(tmp_path) -> None:
    marker = tmp_path / "ran"
    text = (f"import pathlib\npathlib.Path({str(marker)!r}).write_text('x')\n"
            "SITENAME = 'P'\nSITEURL = 'https://p.example'\nTIMEZONE = 'Europe/Paris'\n"
            "ARTICLE_URL = '{date:%Y}/{slug}/'\nCOMPUTED = SITEURL + '/x'\n")
    config = load_config(site(tmp_path, {"pelicanconf.py": text}))
    assert not marker.exists()
    assert config.site.permalinks == {"article": "{date:%Y}/{slug}/"}
    assert "COMPUTED" not in config.site.settings  # not a literal: ignored
    assert config.url == "https://p.example/"


def test_hugo_frontmatter_date_sources_are_read(tmp_path) -> None:
    text = HUGO + "[frontmatter]\ndate = [':filename', ':default', ':git']\n"
    config = load_config(site(tmp_path, {"hugo.toml": text}))
    assert config.date_sources == (":filename", "date", "publishDate", "lastmod")
    # :git is not read (a feed must not depend on commit times): a warning.
    assert [(w.severity, w.path, w.message.partition(": a feed")[0]) for w in config.warnings] == [
        ("warning", "hugo.toml", "[frontmatter] date source ':git' is not read")]


@pytest.mark.parametrize(("value", "message"), [
    ('"date"', "feed.date_sources must be a list of names"),
    ("[]", "feed.date_sources must be a list of names"),
    ('["date", ":mtime"]', "feed.date_sources has unknown source ':mtime'"),
])
def test_date_sources_are_checked(tmp_path, value, message) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, {}, 'title = "T"\ndescription = "D"\n'
                         f'url = "https://x.example/"\ndate_sources = {value}\n'))
    assert message in str(caught.value)


def test_date_sources_replace_the_default_order(tmp_path) -> None:
    config = load_config(site(tmp_path, {}, 'title = "T"\ndescription = "D"\n'
                              'url = "https://x.example/"\n'
                              'date_sources = ["publishDate", ":filename"]\n'))
    assert config.date_sources == ("publishDate", ":filename")


def test_editing_the_sites_settings_or_data_changes_the_cache_key(tmp_path) -> None:
    files = {"_config.yml": "title: T\nurl: https://j.example\n", "_data/nav.yml": "a: 1\n"}
    path = site(tmp_path, files)
    first = load_config(path).digest
    (tmp_path / "_data" / "nav.yml").write_text("a: 2\n")
    second = load_config(path).digest
    (tmp_path / "_config.yml").write_text("title: T2\nurl: https://j.example\n")
    assert len({first, second, load_config(path).digest}) == 3


@pytest.mark.parametrize(("pattern", "message"), [
    ("{year}/{slug}.html", "feed.permalink has unknown field {year} (Pelican's fields: "),
    ("{date:%Y}/index.html", "feed.permalink must contain {slug}"),
    ("{slug:>9}.html", "only {date} takes a format"),
])
def test_a_pelican_sites_permalink_is_checked_as_article_url(tmp_path, pattern,
                                                             message) -> None:
    files = {"pelicanconf.py": "SITENAME = 'P'\nSITEURL = 'https://p.example'\n"}
    with pytest.raises(ConfigError) as caught:
        load_config(site(tmp_path, files, f'permalink = "{pattern}"\n'))
    assert message in str(caught.value)
