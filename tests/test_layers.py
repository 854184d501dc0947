"""ceforge's imports go one way: the layers of CONTRIBUTING.md, each importing only from itself
and the layers beneath it, and no module reaching itself again through its imports.

The import graph is read from the sources (``ast``): every ``import`` and ``from … import``,
at module level or inside a function (or under ``TYPE_CHECKING``), and every
``importlib.import_module("ceforge…")`` with a literal name. ``from ceforge.x import y`` is an
edge to ``ceforge.x.y`` when that is a module, else to ``ceforge.x``.
"""

from __future__ import annotations

import ast
import fnmatch
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "src"
CONTRIBUTING = ROOT / "CONTRIBUTING.md"


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted((SOURCES / "ceforge").rglob("*.py")):
        parts = path.relative_to(SOURCES).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The ceforge modules ``name`` (the module in ``path``) imports."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.add(submodule if submodule in known else source)
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute | ast.Name)
            and (getattr(node.func, "attr", None) or getattr(node.func, "id", None))
            == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            found.add(str(node.args[0].value))
    return {m for m in found if m in known and m != name}


def graph() -> dict[str, set[str]]:
    known = modules()
    return {name: imports(name, path, known) for name, path in known.items()}


def layers() -> list[tuple[str, list[str]]]:
    """CONTRIBUTING.md's layers, bottom first: (name, module patterns relative to ceforge)."""
    text = CONTRIBUTING.read_text(encoding="utf-8")
    block = re.search(r"<!-- layers -->\n```text\n(.*?)```", text, re.S)
    assert block, "CONTRIBUTING.md has no layer table (<!-- layers --> and a text block)"
    rows = [line.split() for line in block[1].splitlines() if line.strip()]
    return [(row[0], row[1:]) for row in reversed(rows)]


def layer_of(module: str, table: list[tuple[str, list[str]]]) -> int | None:
    short = "ceforge" if module == "ceforge" else module.removeprefix("ceforge.")
    for number, (_name, patterns) in enumerate(table):
        if any(fnmatch.fnmatchcase(short, pattern) for pattern in patterns):
            return number
    return None


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles: each strongly connected component of more than one module (or a
    module importing itself), as a path that closes on its first module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(_path_through(sorted(component), edges))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def _path_through(component: list[str], edges: dict[str, set[str]]) -> list[str]:
    """A cycle inside ``component`` that starts and ends at its first module."""
    start = component[0]
    members = set(component)
    paths = [[start]]
    while paths:
        path = paths.pop(0)
        for target in sorted(edges[path[-1]] & members):
            if target == start:
                return [*path, start]
            if target not in path:
                paths.append([*path, target])
    return component


def test_the_import_graph_has_no_cycle() -> None:
    found = cycles(graph())
    assert found == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_every_module_belongs_to_one_layer() -> None:
    table = layers()
    for module in graph():
        short = "ceforge" if module == "ceforge" else module.removeprefix("ceforge.")
        matching = [name for name, patterns in table
                    if any(fnmatch.fnmatchcase(short, p) for p in patterns)]
        assert len(matching) == 1, f"{module} is in the layers {matching} of CONTRIBUTING.md"


def test_no_layer_imports_from_a_layer_above_it() -> None:
    table = layers()
    upward = []
    for module, targets in sorted(graph().items()):
        mine = layer_of(module, table)
        assert mine is not None
        for target in sorted(targets):
            theirs = layer_of(target, table)
            assert theirs is not None
            if theirs > mine:
                upward.append(f"{module} ({table[mine][0]}) imports {target} ({table[theirs][0]})")
    assert upward == [], "imports that point up:\n" + "\n".join(upward)


def test_the_checks_see_what_they_must_refuse(tmp_path: Path) -> None:
    """The reading of the graph itself: a function-level import, a relative import and an
    import by name are edges; a cycle through them is found."""
    known = {name: Path() for name in ("ceforge.a", "ceforge.b", "ceforge.c", "ceforge.pkg",
                                       "ceforge.pkg.d")}
    source = (
        "import os\n"
        "def late():\n"
        "    from ceforge.b import thing\n"
        "    import importlib\n"
        "    importlib.import_module('ceforge.c')\n"
        "from ceforge.pkg import d\n"
    )
    path = tmp_path / "a.py"
    path.write_text(source, encoding="utf-8")
    assert imports("ceforge.a", path, known) == {"ceforge.b", "ceforge.c", "ceforge.pkg.d"}
    path.write_text("from . import b\nfrom .pkg import d\n", encoding="utf-8")
    assert imports("ceforge.a", path, known) == {"ceforge.b", "ceforge.pkg.d"}
    edges = {"ceforge.a": {"ceforge.b"}, "ceforge.b": {"ceforge.c"}, "ceforge.c": {"ceforge.a"},
             "ceforge.d": set()}
    assert cycles(edges) == [["ceforge.a", "ceforge.b", "ceforge.c", "ceforge.a"]]
