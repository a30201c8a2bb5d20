"""The layout's promises: no import cycles inside probkit, cli/ -> probkit only."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

from python_sources import ROOT, parsed, probkit_files


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _import_time_nodes(tree: ast.Module) -> list[ast.AST]:
    """The statements run when the module is imported (not in functions, not for typing)."""
    nodes: list[ast.AST] = []
    for node in tree.body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            if isinstance(node, ast.ClassDef):  # class bodies run, their methods do not
                nodes += [n for n in node.body
                          if not isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
            continue
        nodes.append(node)
    return nodes


def _imports(path: Path, known: set[str], *, import_time_only: bool = False) -> set[str]:
    """The probkit modules ``path`` imports: everywhere (at the top, inside functions, for
    typing), or only when it is imported."""
    tree = parsed(path)
    found: set[str] = set()
    roots = _import_time_nodes(tree) if import_time_only else [tree]
    for node in (n for root in roots for n in ast.walk(root)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if name in known:
                found.add(name)
    return found


@functools.cache
def _graph(*, import_time_only: bool = False) -> dict[str, set[str]]:
    """probkit's import graph, computed once a session per kind (callers only read it)."""
    files = {_module_name(p): p for p in probkit_files()}
    known = set(files)
    return {name: _imports(path, known, import_time_only=import_time_only) - {name}
            for name, path in files.items()}


#: the classifier side and the shared pieces: no cycle even through lazy or typing imports
STRICT = ("probkit.classifier", "probkit.bridges", "probkit.options", "probkit.display",
          "probkit._arrays")


def _cycles(graph: dict[str, set[str]], ignore_packages: bool = True) -> list[list[str]]:
    def is_package_edge(a: str, b: str) -> bool:  # importing a package from inside it
        return ignore_packages and a.startswith(b + ".")

    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "active"
        for nxt in sorted(graph[node]):
            if is_package_edge(node, nxt):
                continue
            if state.get(nxt) == "active":
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for start in sorted(graph):
        if start not in state:
            visit(start, [start])
    return cycles


def test_no_import_time_cycle_in_probkit() -> None:
    cycles = _cycles(_graph(import_time_only=True))
    assert cycles == [], cycles


def test_no_cycle_at_all_on_the_classifier_side() -> None:
    graph = _graph()
    strict = {name: {m for m in deps if m.startswith(STRICT)} for name, deps in graph.items()
              if name.startswith(STRICT)}
    cycles = _cycles(strict)
    assert cycles == [], cycles


def test_the_cycle_check_finds_a_planted_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycles(graph) == [["a", "b", "c", "a"]]


def test_solver_paths_depend_on_the_protocol_not_the_model() -> None:
    graph = _graph()
    for solver in ("probkit.classifier.models.dual", "probkit.classifier.models.primal"):
        assert "probkit.classifier.models.base" not in graph[solver], solver
        assert "probkit.classifier.models.protocol" in graph[solver], solver


def test_probkit_never_imports_the_cli() -> None:
    for path in probkit_files():
        assert "probkit_cli" not in path.read_text(encoding="utf-8"), path
