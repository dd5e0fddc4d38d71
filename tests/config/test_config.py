"""feedpub.toml: found like git finds .git, validated key by key."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feedpub.base.problems import ConfigError
from feedpub.config.load import find_config, load_config
from feedpub.outputs.registry import by_name

from ..conftest import BASE_CONFIG, entry, write_site


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feedpub.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text))
    return [str(p) for p in caught.value.problems]


def test_valid_config_and_defaults(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, '[feed]\ntitle = "T"\ndescription = "D"\n'
                                         'url = "https://example.org/blog"\n'))
    assert config.url == "https://example.org/blog/"  # a trailing slash is added
    assert by_name(config, "rss").url(config) == "https://example.org/blog/rss.xml"
    assert by_name(config, "atom").url(config) == "https://example.org/blog/atom.xml"
    assert config.limit == 20
    assert config.content == "full"
    assert config.timezone.utcoffset(None) == timedelta(0)  # UTC
    assert config.entries_dir == (tmp_path / "entries").resolve()
    assert config.output_dir == (tmp_path / "public").resolve()
    assert config.author is None and config.language is None


def test_config_is_frozen(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, BASE_CONFIG))
    with pytest.raises(AttributeError):
        config.title = "changed"  # type: ignore[misc]


def test_found_in_nearest_parent(tmp_path: Path) -> None:
    path = write(tmp_path, BASE_CONFIG)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) == path.resolve()


def test_missing_config_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        find_config(tmp_path)
    text = str(caught.value)
    assert "no feedpub.toml" in text and "[feed]" in text and "--config" in text


@pytest.mark.parametrize("key", ["title", "description", "url"])
def test_required_keys(tmp_path: Path, key: str) -> None:
    text = "\n".join(line for line in BASE_CONFIG.splitlines()
                     if not line.startswith(f"{key} ="))
    (message,) = problems(tmp_path, text)
    assert f"feed.{key} is required" in message


def test_unknown_key_is_an_error_with_did_you_mean(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, BASE_CONFIG + 'titel = "x"\n')
    assert "unknown key feed.titel" in message
    assert "did you mean 'title'" in message
    assert "feedpub.toml:8:" in message  # the line of the bad key


def test_unknown_table(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, BASE_CONFIG + "[feeds]\nx = 1\n")
    assert "[feeds]" in message and "did you mean [feed]" in message


def test_invalid_toml_names_the_line(tmp_path: Path) -> None:
    (message,) = problems(tmp_path, '[feed]\ntitle = "x"\ndescription = oops\n')
    assert message.startswith("feedpub.toml:3: error: invalid TOML")


@pytest.mark.parametrize(("line", "expected"), [
    ('url = "/blog/"', "must be an absolute http(s) URL"),
    ('url = "ftp://example.org/"', "must be an absolute http(s) URL"),
    ('timezone = "Mars/Olympus"', "not a known IANA time zone"),
    ('limit = -1', "feed.limit must be a whole number"),
    ('limit = "20"', "feed.limit must be a whole number"),
    ('content = "excerpt"', 'feed.content must be "full" or "summary"'),
    ('language = "english language"', "is not a language tag"),
    ('title = 5', "feed.title must be text, not a number (5)"),
    ('output = ""', "feed.output is empty"),
    ('author = { name = "A", email = "not-an-email" }', "is not an e-mail address"),
    ('author = { name = "A", mail = "a@example.org" }', "unknown key(s) mail"),
    ('output = "entries/out"', "must not be the entries folder or inside it"),
    ('output = "entries"', "must not be the entries folder or inside it"),
    ('permalink = "/{year}/{title}/"', "unknown field {title}"),
    ('permalink = "/{year}/"', "must contain {name} or {slug}"),
])
def test_invalid_values(tmp_path: Path, line: str, expected: str) -> None:
    key = line.split(" =")[0]
    text = "\n".join(ln for ln in BASE_CONFIG.splitlines() if not ln.startswith(f"{key} ="))
    messages = problems(tmp_path, text + "\n" + line + "\n")
    assert any(expected in m for m in messages), messages


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    messages = problems(tmp_path, '[feed]\nurl = "nope"\nlimit = -3\ncolour = 1\n')
    assert len(messages) == 5  # title, description, url, limit, colour


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "feedpub.toml"
    path.write_bytes(b'[feed]\ntitle = "caf\xe9"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(
        "feedpub.toml:2: error: is not UTF-8 (bad byte at offset 19)")


@pytest.mark.parametrize("pattern", ["/\t/\t/evil.example/{name}/", "/{year}/\n/{name}/",
                                     "/ /{name}/", "/{name}/\u200b", "/{name}\x00/"])
def test_white_space_and_control_characters_in_a_permalink_are_errors(
        tmp_path, pattern: str) -> None:
    # "/\t/\t/evil.example/..." was read as "///evil.example/..." by urljoin: another host.
    toml_value = "".join(c if c.isprintable() and c != "\\" else f"\\u{ord(c):04x}"
                         for c in pattern)
    with pytest.raises(ConfigError, match="control characters"):
        load_config(write_site(tmp_path, {}, extra=f'permalink = "{toml_value}"\n'))


def test_a_link_made_by_the_permalink_pattern_never_leaves_the_site(tmp_path,
                                                                     monkeypatch) -> None:
    # The config refuses what could do it; this is the last guard, per entry.
    import feedpub.entries.fields as fields_module
    from feedpub.entries.loading import load_entries

    config = load_config(write_site(tmp_path, {"a.md": entry()},
                                    extra='permalink = "{name}/"\n'))
    monkeypatch.setattr(fields_module, "permalink", lambda *args: "https://evil.example/a/")
    result = load_entries(config)
    assert result.entries == ()
    assert [str(p) for p in result.problems] == [
        "entries/a.md: error: the permalink pattern makes this entry's link "
        "https://evil.example/a/, which is not on the site\n"
        "  hint: check feed.permalink and this entry's slug"]


@settings(max_examples=int(os.environ.get("FEEDPUB_EXAMPLES", "60")) * 3, deadline=None)
@given(st.lists(st.sampled_from([*"/{}.:@?#% \t\n\r\x0b\x0c\\ab-", "{name}", "{slug}",
                                  "{year}", "{folder}", "//", "evil.example", "\u2028",
                                  "\u00a0", "\x00"]), min_size=1, max_size=12)
       .map(lambda parts: "".join(parts) + "{name}"))
def test_any_permalink_is_refused_or_keeps_every_link_on_the_site(tmp_path_factory,
                                                                   pattern: str) -> None:
    from feedpub.entries.loading import load_entries

    root = tmp_path_factory.mktemp("p")
    toml_value = "".join(c if c.isprintable() and c not in '\\"' else f"\\u{ord(c):04x}"
                         for c in pattern)
    try:
        config = load_config(write_site(root, {"a/b.md": entry()},
                                        extra=f'permalink = "{toml_value}"\n'))
    except ConfigError:
        return
    for item in load_entries(config).entries:
        assert item.link.startswith("https://example.org/"), (pattern, item.link)
