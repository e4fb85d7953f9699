"""The modules of each package import one another one way only: no cycle, whether the import is at the top of a
module, inside a function or under `TYPE_CHECKING` (an import moved into a function to dodge a cycle is still a
module that leans on one that leans on it). The three packages are read as installed: the generated client, the
client people import, and the conformance kit."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Mapping
from pathlib import Path

import pytest

# Each package, with one import it is known to make: proof that its modules were found and read.
PACKAGES = {
    "llamacloud_extract_api": ("llamacloud_extract_api", "llamacloud_extract_api.client"),
    "llamacloud_extract": ("llamacloud_extract._pagination", "llamacloud_extract._pages"),
    "llamacloud_conformance": ("llamacloud_conformance.suite.measure", "llamacloud_conformance.run"),
}


def modules(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package, by its dotted name (a package by its `__init__`)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported(name: str, path: Path, known: Mapping[str, Path]) -> set[str]:
    """The modules of the package that the module `name` imports, wherever the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            targets |= {f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names}
    return {target for target in targets if target in known and target != name}


def graph(root: Path, package: str) -> dict[str, set[str]]:
    known = modules(root, package)
    return {name: imported(name, path, known) for name, path in known.items()}


def installed(package: str) -> dict[str, set[str]]:
    """The import graph of an installed package, read from its files."""
    module = importlib.import_module(package)
    assert module.__file__ is not None
    return graph(Path(module.__file__).parent, package)


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_the_package_has_no_import_cycle(package: str) -> None:
    edges = installed(package)
    assert len(edges) > 20, "every module of the package is read"
    importer, known = PACKAGES[package]
    assert known in edges[importer]
    assert not cycles(edges), f"modules that import each other, directly or through others: {cycles(edges)}"


def test_the_listing_modes_and_the_pager_share_types_but_not_each_other() -> None:
    """The pager takes a `fetch(token)`; the parallel and split modes wrap its walk: none imports another."""
    edges = installed("llamacloud_extract")
    modes = {"llamacloud_extract._pagination", "llamacloud_extract._parallel", "llamacloud_extract._split"}
    for mode in modes:
        assert "llamacloud_extract._pages" in edges[mode]
        assert not edges[mode] & modes, f"{mode} imports {sorted(edges[mode] & modes)}"


def test_a_cycle_is_found_however_it_is_imported(tmp_path: Path) -> None:
    """The check itself: a cycle through a function-level import and a `TYPE_CHECKING` one, across a subpackage."""
    root = tmp_path / "pkg"
    (root / "sub").mkdir(parents=True)
    (root / "__init__.py").write_text("")
    (root / "a.py").write_text("from .sub import b\n")
    (root / "sub" / "__init__.py").write_text("")
    (root / "sub" / "b.py").write_text("def f():\n    from ..c import thing\n")
    (root / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import pkg.a\n")
    (root / "d.py").write_text("from . import a\n")
    edges = graph(root, "pkg")
    assert edges["pkg.a"] == {"pkg.sub.b"}
    assert edges["pkg.d"] == {"pkg.a"}
    assert cycles(edges) == [["pkg.a", "pkg.c", "pkg.sub.b"]]
