"""The layout's promises: no import cycles inside probkit, cli/ -> probkit only."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path, known: set[str]) -> set[str]:
    """Every probkit module ``path`` imports: at the top, inside functions, or for typing."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        for name in names:
            if name in known:
                found.add(name)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(p): p for p in (ROOT / "probkit").rglob("*.py")}
    known = set(files)
    graph = {name: _imports(path, known) - {name} for name, path in files.items()}
    # a package's __init__ is imported with any of its modules: no edge to itself needed
    return graph


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


def test_no_import_cycle_in_probkit() -> None:
    cycles = _cycles(_graph())
    assert cycles == [], cycles


def test_the_cycle_check_finds_a_planted_cycle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycles(graph) == [["a", "b", "c", "a"]]


def test_solver_paths_depend_on_the_protocol_not_the_model() -> None:
    graph = _graph()
    for solver in ("probkit.models.dual", "probkit.models.primal"):
        assert "probkit.models.base" not in graph[solver], solver
        assert "probkit.models.protocol" in graph[solver], solver


def test_probkit_never_imports_the_cli() -> None:
    for path in (ROOT / "probkit").rglob("*.py"):
        assert "probkit_cli" not in path.read_text(encoding="utf-8"), path
