"""probkit.bayes has no import cycle, lazy imports (inside functions) included.

TYPE_CHECKING imports are left out (they never run). The detector is checked on a
planted cycle first, so a broken detector cannot pass the real check.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "probkit"


def import_graph(files: dict[str, str]) -> dict[str, set[str]]:
    """module -> modules of ``files`` it imports anywhere (TYPE_CHECKING blocks excluded)."""
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, source in files.items():
        tree = ast.parse(source)
        skipped = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.dump(node.test) for n in ast.walk(node)}
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            graph[name].update(t for t in targets if t in files and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Each cycle found by depth-first search, as the path that closes it."""
    found, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                found.append([*path[path.index(nxt):], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def bayes_sources() -> dict[str, str]:
    out = {}
    for path in (ROOT / "bayes").glob("*.py"):
        name = "probkit.bayes" if path.stem == "__init__" else f"probkit.bayes.{path.stem}"
        out[name] = path.read_text(encoding="utf-8")
    return out


def test_cycle_detector_finds_a_planted_lazy_cycle():
    files = {"a": "import b\n", "b": "def f():\n    from a import x\n",
             "c": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import a\n"}
    assert cycles(import_graph(files)) == [["a", "b", "a"]]


def test_bayes_has_no_import_cycle_not_even_through_lazy_imports():
    graph = import_graph({k: v for k, v in bayes_sources().items() if k != "probkit.bayes"})
    assert cycles(graph) == []


def test_plotting_knows_no_result_type():
    source = (ROOT / "bayes" / "plotting.py").read_text(encoding="utf-8")
    assert "isinstance" not in source
    assert not import_graph({"probkit.bayes.plotting": source, **{
        k: "" for k in bayes_sources() if k != "probkit.bayes.plotting"}})[
        "probkit.bayes.plotting"]
