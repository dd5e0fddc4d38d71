"""Jekyll's filters over arrays (lib/jekyll/filters.rb, grouping_filters.rb): where,
where_exp, find, find_exp, group_by, group_by_exp, sort, push, pop, shift, unshift
and sample. They replace python-liquid's `where`, `find` and `sort`, which follow
Shopify's Liquid rather than Jekyll.

`sample` is random in Jekyll; here it is the first item(s), so that a feed is the same
whenever it is built. The `_exp` filters parse their expression with python-liquid's
own parser (the `if` tag's), once per expression and site.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from liquid import RenderContext, Undefined
from liquid.builtin.expressions import BooleanExpression, FilteredExpression, tokenize
from liquid.exceptions import FilterArgumentError
from liquid.expression import Expression
from liquid.filter import with_context
from liquid.stream import TokenStream
from liquid.token import TOKEN_EXPRESSION, Token

from feedpub.render.liquid.environment import note_undefined
from feedpub.render.liquid.filters import ruby_str, to_integer

_INTEGER_LIKE = re.compile(r"\A\s*-?\d+\s*\Z")
_FLOAT_LIKE = re.compile(r"\A\s*-?(?:\d+\.?\d*|\.\d+)\s*\Z")


def _items(value: Any) -> list[Any] | None:
    """An array's items (a hash's values, as Jekyll takes them); None for anything else."""
    if isinstance(value, Mapping) and not isinstance(value, Undefined):
        return list(value.values())
    if isinstance(value, list | tuple | range):
        return list(value)
    return None


def _sort_input(value: Any) -> Any:
    """Jekyll's parse_sort_input: a number written as text is a number."""
    if not isinstance(value, str) or len(value) > 400:
        return value
    if _INTEGER_LIKE.match(value):
        return int(value)
    return float(value) if _FLOAT_LIKE.match(value) else value


def item_property(item: Any, prop: Any) -> Any:
    """A property of an item, a dotted name read step by step (Jekyll's item_property)."""
    value = item
    for key in ruby_str(prop).split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return _sort_input(value)


def _matches(value: Any, target: Any) -> bool:
    """Jekyll's compare_property_vs_target."""
    if target is None or isinstance(target, Undefined):
        return value is None
    target = ruby_str(target)
    if isinstance(value, str):
        return value == target
    values = value if isinstance(value, list | tuple) else [] if value is None else [value]
    return any(ruby_str(one) == target for one in values)


def where(value: Any, prop: Any = None, target: Any = None) -> Any:
    items = _items(value)
    if not prop or items is None or isinstance(target, list | dict):
        return value
    return [item for item in items if _matches(item_property(item, prop), target)]


def find(value: Any, prop: Any = None, target: Any = None) -> Any:
    items = _items(value)
    if not prop or items is None or isinstance(target, list | dict):
        return value
    return next((item for item in items if _matches(item_property(item, prop), target)),
                None)


def group_by(value: Any, prop: Any) -> Any:
    items = _items(value)
    if items is None:
        return value
    return _grouped((ruby_str(item_property(item, prop)), item) for item in items)


def _grouped(pairs: Iterable[tuple[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[Any]] = {}
    for name, item in pairs:
        groups.setdefault(name, []).append(item)
    return [{"name": name, "items": items, "size": len(items)}
            for name, items in groups.items()]


def _compare(a: Any, b: Any) -> int:
    """Ruby's `a <=> b || a.to_s <=> b.to_s`."""
    try:
        return (a > b) - (a < b)
    except TypeError:
        a, b = ruby_str(a), ruby_str(b)
        return (a > b) - (a < b)


def sort(value: Any, prop: Any = None, nils: Any = "first") -> Any:
    """Jekyll's sort: by a property if given, items without it first (or last)."""
    if value is None or isinstance(value, Undefined):
        note_undefined(value)
        raise FilterArgumentError("cannot sort a null object", token=None)
    items = _items(value) if not isinstance(value, Mapping) else list(map(list, value.items()))
    if items is None:
        return value
    if prop is None or isinstance(prop, Undefined):
        return sorted(items, key=functools.cmp_to_key(_compare))
    if nils not in ("first", "last"):
        raise FilterArgumentError(f"invalid nils order: '{nils}' is not a valid nils "
                                  "order; it must be 'first' or 'last'", token=None)
    order = -1 if nils == "first" else 1
    keyed = [(item_property(item, prop), item) for item in items]

    def compare(a: tuple[Any, Any], b: tuple[Any, Any]) -> int:
        if (a[0] is None) != (b[0] is None):
            return order if a[0] is None else -order
        return _compare(a[0], b[0])

    return [item for _, item in sorted(keyed, key=functools.cmp_to_key(compare))]


def _copy_of(value: Any) -> list[Any] | None:
    return list(value) if isinstance(value, list | tuple) else None


def push(value: Any, item: Any) -> Any:
    items = _copy_of(value)
    return value if items is None else [*items, item]


def unshift(value: Any, item: Any) -> Any:
    items = _copy_of(value)
    return value if items is None else [item, *items]


def pop(value: Any, count: Any = 1) -> Any:
    items, n = _copy_of(value), _count(count)
    return value if items is None else items[:len(items) - n] if n else items


def shift(value: Any, count: Any = 1) -> Any:
    items, n = _copy_of(value), _count(count)
    return value if items is None else items[n:]


def _count(count: Any) -> int:
    n = to_integer(count)
    if n < 0:
        raise FilterArgumentError(f"negative array size ({n})", token=None)
    return n


def sample(value: Any, count: Any = 1) -> Any:
    """The first item (or the first `count`): Jekyll's is random, a feed must not be."""
    items = _copy_of(value)
    if items is None:
        return value
    n = to_integer(count)
    return (items[0] if items else None) if n == 1 else items[:max(n, 0)]


# --- Filters with a Liquid expression --------------------------------------------------


def _parsed(context: RenderContext, text: Any, boolean: bool) -> Expression:
    """The expression `text`, parsed once per environment (python-liquid's own parser)."""
    cache = context.env.caches.setdefault("expressions", {})  # type: ignore[attr-defined]
    key = (ruby_str(text), boolean)
    if key not in cache:
        source = key[0]
        tokens = TokenStream(tokenize(source, Token(TOKEN_EXPRESSION, source, 0, source)))
        kind = BooleanExpression if boolean else FilteredExpression
        cache[key] = kind.parse(context.env, tokens)
    return cache[key]  # type: ignore[no-any-return]


def _each(context: RenderContext, items: list[Any], variable: Any,
          expression: Expression, first: bool) -> list[tuple[Any, Any]]:
    """(item, the expression's value with `variable` set to the item) for each item;
    with `first`, only for the first item whose value is true."""
    context.raise_for_loop_limit(len(items))
    name, pairs = ruby_str(variable), []
    for item in items:
        with context.extend({name: item}):
            pairs.append((item, expression.evaluate(context)))
        if first and pairs[-1][1]:
            return pairs[-1:]
    return [] if first else pairs


def _with_expression(kind: str) -> Callable[..., Any]:
    @with_context
    def filter_(value: Any, variable: Any, expression: Any, *, context: RenderContext) -> Any:
        items = _items(value)
        if items is None:
            return value
        parsed = _parsed(context, expression, kind != "group_by_exp")
        pairs = _each(context, items, variable, parsed, kind == "find_exp")
        if kind == "where_exp":
            return [item for item, true in pairs if true]
        if kind == "find_exp":
            return pairs[0][0] if pairs else None
        return _grouped((ruby_str(key), item) for item, key in pairs)

    return filter_


def array_filters() -> dict[str, Callable[..., object]]:
    return {"where": where, "find": find, "group_by": group_by, "sort": sort,
            "push": push, "pop": pop, "shift": shift, "unshift": unshift,
            "sample": sample, "where_exp": _with_expression("where_exp"),
            "find_exp": _with_expression("find_exp"),
            "group_by_exp": _with_expression("group_by_exp")}
