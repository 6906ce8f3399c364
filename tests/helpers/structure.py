"""The project's structure read from its source: modules, their imports, their functions' sizes.

What ``tests/core/test_layers.py`` checks (and ``/work/shared/tools/arch-check`` prints): an
import may point only to the same layer or a lower one, no two modules import each other
through any path, and modules and functions stay short. Every import counts, those inside a
function or under ``TYPE_CHECKING`` too: a cycle through them is still a cycle for a reader.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Final, NamedTuple

ROOT: Final = Path(__file__).resolve().parents[2]
TOPS: Final = ("core", "desktop", "resources")
# The layers, lowest first (design.md): an import points to the same rank or a lower one.
RANK: Final = {
    "core.rules": 0,
    "core.store": 1,
    "core.mail": 2,
    "core.crm": 3,
    "core.preview": 3,
    "core.cli": 4,
    "desktop": 5,
    "resources": 5,
}


class Function(NamedTuple):
    module: str
    name: str
    line: int
    size: int  # its lines, its docstring left out


@functools.cache
def modules() -> dict[str, Path]:
    """Every module of the production packages, by dotted name."""
    found: dict[str, Path] = {}
    for top in TOPS:
        for path in sorted((ROOT / top).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
            found[name.removesuffix(".__init__")] = path
    return found


@functools.cache
def _tree(module: str) -> ast.Module:
    path = modules()[module]
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _known(name: str) -> str | None:
    """The project module an imported name lives in (a name may be a module's attribute)."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


def _targets(module: str, node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    package = module if modules()[module].name == "__init__.py" else module.rpartition(".")[0]
    base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
    stem = ".".join(base + ([node.module] if node.module else []))
    yield from (f"{stem}.{alias.name}" for alias in node.names)
    yield stem


@functools.cache
def imports() -> dict[str, frozenset[str]]:
    """Module -> the project modules it imports, anywhere in it."""
    graph: dict[str, frozenset[str]] = {}
    for module in modules():
        found = set()
        for node in ast.walk(_tree(module)):
            if isinstance(node, ast.Import | ast.ImportFrom):
                found.update(_known(name) for name in _targets(module, node))
        found.discard(None)
        found.discard(module)
        graph[module] = frozenset(m for m in found if m is not None)
    return graph


def layer(module: str) -> str | None:
    """The layer of RANK a module belongs to, or None (core.auth, top-level core modules)."""
    for name in sorted(RANK, key=len, reverse=True):
        if module == name or module.startswith(name + "."):
            return name
    return None


@functools.cache
def ranks() -> dict[str, int]:
    """Each module's rank: its layer's, or for a module outside the layers the highest rank
    of what it imports (as ``arch-check`` counts it)."""
    graph = imports()
    rank = {m: RANK[layer(m)] if layer(m) else 0 for m in graph}  # type: ignore[index]
    for _ in graph:
        for module in graph:
            if layer(module) is None:
                rank[module] = max([rank[m] for m in graph[module]] + [0])
    return rank


def package(module: str) -> str:
    """What a test reports a module under: its layer, else its package (``core`` for the
    modules at the top of core: core.mailbox, core.gcpause...)."""
    found = layer(module)
    if found is not None:
        return found
    names = module.split(".")
    return ".".join(names[:2]) if len(names) > 2 else names[0]


def cycles() -> list[list[str]]:
    """The strongly connected groups of two or more modules (Tarjan), each sorted."""
    graph = imports()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
            if len(group) > 1:
                found.append(sorted(group))

    for v in graph:
        if v not in index:
            visit(v)
    return found


def lines(module: str) -> int:
    return len(modules()[module].read_text(encoding="utf-8").splitlines())


def functions(module: str) -> list[Function]:
    """Every function and method of a module, nested ones included."""
    found = []
    for node in ast.walk(_tree(module)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            size = (node.end_lineno or node.lineno) - node.lineno + 1
            first = node.body[0]
            value = first.value if isinstance(first, ast.Expr) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):  # a docstring
                size -= (first.end_lineno or first.lineno) - first.lineno + 1
            found.append(Function(module, node.name, node.lineno, size))
    return found
