"""The package reads as the pipeline: each stage imports only the stages before it
(ARCHITECTURE.md), feedgen is imported in one package, and each sub-package says
what it holds and what it may import."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "feedpub"

# Stages in pipeline order, then the commands over them; each may import itself and
# what is listed (imports inside functions and under TYPE_CHECKING count too).
ALLOWED = {
    "base": set(),
    "runtime": {"base"},
    "config": {"base"},
    "content": {"base", "config"},
    "entries": {"base", "runtime", "config", "content"},
    "render": {"base", "runtime", "config", "content", "entries"},
    "outputs": {"base", "config", "entries", "render"},
    "publish": {"base", "runtime", "config", "content", "entries"},
    "notes": {"base", "config", "content", "entries", "render"},
    "against": {"base", "config", "content", "entries", "outputs"},
    "check": {"base", "runtime", "config", "content", "entries", "render", "outputs",
              "notes", "against"},
    "fragments": {"base", "runtime", "config", "content", "entries", "render", "outputs",
                  "publish", "notes"},
    "pages": {"base", "runtime", "config", "entries", "outputs", "render", "fragments"},
    "build": {"base", "runtime", "config", "content", "entries", "render", "outputs",
              "publish", "notes", "fragments", "pages"},
    "on_disk": {"base", "config", "entries", "outputs", "publish", "build"},
    "author": {"base", "config", "content", "entries"},
    "serve": {"base", "config", "outputs", "publish", "build"},
    "cli": {"base", "runtime", "config", "build", "on_disk", "check", "author", "serve"},
    "__main__": {"cli"},
    "__init__": set(),
}
# A library, and the one stage that may import it (build asks only feedgen's version).
ONLY_IN = {"feedgen": "outputs"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def stage(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return parts[0]


def imported(path: Path) -> set[str]:
    """Every module name this file imports, anywhere in it, absolute."""
    names = set()
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against this module's package
                base = here[:len(here) - node.level]
                module = ".".join(base + ((node.module,) if node.module else ()))
            else:
                module = node.module or ""
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_each_stage_imports_only_the_stages_before_it(path: Path) -> None:
    own = stage(path)
    assert own in ALLOWED, f"{own} is not in ARCHITECTURE.md's map (and ALLOWED here)"
    stages = {name.split(".")[1] for name in imported(path)
              if name.startswith("feedpub.") and len(name.split(".")) > 1}
    stages = {s for s in stages if s in ALLOWED and s != "__version__"} - {own}
    assert stages <= ALLOWED[own], f"{path.name} imports {sorted(stages - ALLOWED[own])}"


@pytest.mark.parametrize("library", sorted(ONLY_IN))
def test_a_library_is_imported_by_one_stage(library: str) -> None:
    users = {stage(path) for path in modules()
             if any(n == library or (n.startswith(library + ".") and n != f"{library}.version")
                    for n in imported(path))}
    assert users == {ONLY_IN[library]}


def test_every_sub_package_says_what_it_holds_and_may_import() -> None:
    for init in sorted(PACKAGE.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "import" in doc.lower() and len(doc.split()) >= 20, init


def test_the_checker_sees_imports_inside_functions(tmp_path: Path) -> None:
    """A lazy import is still an import: the test above must not miss one."""
    names = imported(PACKAGE / "fragments.py")
    assert "feedpub.render.entry" in names  # imported inside a function there


MAX_FUNCTION_LINES = 50  # the "no function over ~50 lines"
MAX_MODULE_LINES = 400  # "no module over ~400"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_functions_and_modules_stay_small(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_MODULE_LINES, f"{path.name}: split it by subject"
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(text))
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []
