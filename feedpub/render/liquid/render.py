"""`render_liquid`: a post's Liquid rendered before its Markdown, as Jekyll does.

One environment is made per `LiquidSite` (kept in the site) and each body is parsed
once. The render never raises. What it cannot do becomes warnings:

- A syntax error leaves the whole body unrendered (its text is kept as it is) with
  one warning: the line, what is wrong, and the fix (`{% raw %}` if the text is not
  meant as Liquid). Jekyll would stop the build.
- An unknown tag (a Jekyll plugin's) is left out; an unknown filter is passed over.
  One warning lists each.
- A failing tag or filter (a missing include, an unknown post, a bad date) renders as
  nothing, with a warning naming its line.
- An undefined variable renders as nothing (Liquid's lax mode, Jekyll's default); one
  warning names all of them. `site.time` is not given: a feed must not change with
  the moment it is built.
- Past a bound (loop iterations, output, assigned values, nesting), the body is left
  unrendered with a warning.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from liquid.exceptions import LiquidError, ResourceLimitError

from feedpub.render.liquid import arrays, dates, filters, includes, tags
from feedpub.render.liquid.environment import (
    MAX_LISTED,
    JekyllEnvironment,
    RenderState,
    rendering,
)
from feedpub.render.liquid.site import LiquidSite

_RAW_HINT = ("if this text is not meant as Liquid, put it between {% raw %} and "
             "{% endraw %}")


def environment(site: LiquidSite) -> JekyllEnvironment:
    """The site's environment: made on first use, then kept in the site."""
    env = site._memo.get("environment")
    if env is None:
        env = site._memo["environment"] = _make(site)
    return env  # type: ignore[no-any-return]


def _make(site: LiquidSite) -> JekyllEnvironment:
    env = JekyllEnvironment(site)
    for name in ("render", "echo", "liquid"):  # Liquid 5's: Jekyll 4 has Liquid 4
        del env.tags[name]
    for tag in (tags.HighlightTag, tags.LinkTag, tags.PostUrlTag, includes.IncludeTag,
                includes.IncludeRelativeTag):
        env.add_tag(tag)
    variables = site.variables
    for name, func in {**filters.text_filters(variables), **arrays.array_filters(),
                       **dates.date_filters(site.timezone)}.items():
        env.add_filter(name, func)
    for name, func in list(env.filters.items()):
        env.add_filter(name, filters.bounded(name, func))
    site_values = {key: value for key, value in variables.items() if key != "time"}
    env.caches["site"] = {**site_values, "data": site.data}
    return env


def render_liquid(body: str, page: Mapping[str, Any], site: LiquidSite, *,
                  path: str) -> tuple[str, list[str]]:
    """`body` with its Liquid rendered, and the warnings (see the module's docstring;
    line numbers count from the body's first line). feedpub.render.liquid's
    `render_liquid` calls this when `has_liquid(body)`."""
    env = environment(site)
    state = RenderState(body, path, env.caches["names"])
    with rendering(state):
        try:
            return _render(env, body, _page(page, site, path), state)
        except Exception as err:  # never raises: the body stays as it is
            return body, [f"Liquid could not be rendered ({type(err).__name__}: {err}); "
                          "the body is used without Liquid"]


def _render(env: JekyllEnvironment, body: str, page: dict[str, Any],
            state: RenderState) -> tuple[str, list[str]]:
    state.parsing = True
    try:
        template = env.from_string(body)
    except LiquidError as err:
        where, message = state.syntax_error(body, err)
        return body, [f"{where}: Liquid syntax error: {message}. "
                      f"The body is used without Liquid; {_RAW_HINT}"]
    state.parsing = False
    try:
        text = template.render(site=env.caches["site"], page=page)
    except ResourceLimitError as err:
        return body, [f"{state.where(err.token)}: {err.message}: the body is used "
                      "without Liquid"]
    except LiquidError as err:
        return body, [f"{state.where(err.token)}: Liquid error: {err.message}. The body "
                      "is used without Liquid"]
    return text, warnings(state)


def _page(page: Mapping[str, Any], site: LiquidSite, path: str) -> dict[str, Any]:
    """page.*, its dates in the site's zone and shown as Jekyll shows them."""
    values = {key: dates.ruby_time(value, site.timezone) if isinstance(value, datetime)
              else value for key, value in page.items()}
    values.setdefault("path", path)
    return values


def warnings(state: RenderState) -> list[str]:
    """What the render noticed, a few messages at most."""
    found = list(state.problems)
    if state.unlisted:
        found.append(f"and {state.unlisted} more Liquid problems like these")
    if state.unknown_tags:
        found.append("unknown Liquid tags left out (a Jekyll plugin's? feedpub runs "
                     f"Jekyll's own tags only): {_listed(state.unknown_tags)}")
    if state.unknown_filters:
        found.append("unknown Liquid filters passed over (the value is kept as it is): "
                     f"{_listed(state.unknown_filters)}")
    undefined = [name for name in state.undefined if name != "site.time"]
    if "site.time" in state.undefined:
        found.append("site.time is not provided (a feed must not change with the moment "
                     "it is built): rendered empty")
    if undefined:
        more = len(undefined) - MAX_LISTED
        found.append("undefined Liquid variables, rendered empty: "
                     + ", ".join(undefined[:MAX_LISTED])
                     + (f" and {more} more" if more > 0 else ""))
    return found


def _listed(first_seen: Mapping[str, str]) -> str:
    return ", ".join(f"{name} ({where})" for name, where in first_seen.items())
