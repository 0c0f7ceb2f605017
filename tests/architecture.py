"""Reading the package as a maintainer would: its import graph and where Chinese words are spelled.

Pure functions over source text (ast), so the tests in `test_architecture.py` can also run them on
a planted tree and show that they fail.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: the project's importable packages, in layer order
PACKAGES = ("form", "connectors", "expectations", "warehouse", "mail", "synth", "outputs", "flows")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass(frozen=True)
class Import:
    module: str
    target: str
    names: tuple[str, ...]
    line: int


def modules(root: Path = ROOT, packages: Iterable[str] = PACKAGES) -> dict[str, Path]:
    """Dotted module name → file, for every module of the packages."""
    out: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = list(path.relative_to(root).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join(parts)] = path
    return out


def _absolute(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if node.level == 0:
        return node.module or ""
    base = module.split(".") if is_package else module.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def imports(known: dict[str, Path]) -> Iterator[Import]:
    """Every import of a project module, wherever it is written (lazy imports in functions too)."""
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        is_package = path.name == "__init__.py"
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in {m.split(".")[0] for m in known}:
                        yield Import(module, alias.name, (), node.lineno)
            elif isinstance(node, ast.ImportFrom):
                target = _absolute(module, node, is_package)
                names = tuple(a.name for a in node.names)
                # `from pkg import mod` imports the module pkg.mod
                submodules = [f"{target}.{n}" for n in names if f"{target}.{n}" in known]
                if submodules:
                    for sub in submodules:
                        yield Import(module, sub, (), node.lineno)
                    names = tuple(n for n in names if f"{target}.{n}" not in known)
                    if not names:
                        continue
                if target in known:
                    yield Import(module, target, names, node.lineno)


def cycles(edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {}
    for a, b in edges:
        if a != b:
            graph.setdefault(a, set()).add(b)
            graph.setdefault(b, set())
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def private_imports(found: Iterable[Import]) -> list[str]:
    """`from a import _name` where a is another module: a private name crossing a module boundary."""
    return [
        f"{i.module}:{i.line} imports {i.target}.{name}"
        for i in found
        for name in i.names
        if name.startswith("_") and not name.startswith("__") and i.target != i.module
    ]


def _docstring_nodes(tree: ast.AST) -> set[int]:
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = getattr(node, "body", [])
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                out.add(id(body[0].value))
    return out


def chinese_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every string literal holding Chinese, docstrings and comments aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = _docstring_nodes(tree)
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and CJK.search(node.value)
    )
