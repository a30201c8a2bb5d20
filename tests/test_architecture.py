"""The layout's promises (docs/architecture.md): who may import whom.

* ``cli/`` imports the library only, and never numpy, SciPy, SymPy or h5py;
  the library never imports the CLI;
* no import cycle anywhere in ``probkit/``, counting lazy imports (inside functions), imports
  for typing, and modules named by string for ``importlib`` -- except the few edges of
  :data:`ALLOWED`, each a Jupyter display hook, and the :data:`TEMPORARY` ones;
* inside ``probkit/classifier/`` arrows only go down :data:`CLASSIFIER_LAYERS`, and
  ``classifier/models/`` (the leaf) imports nothing of the classifier outside itself;
* the core (``probkit/*.py``) imports no product.

A module importing its own parent package (``probkit.bayes.exact`` -> ``probkit.bayes``) is
not counted: a package's ``__init__`` re-exporting its modules is not a cycle of ideas.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest
from python_sources import ROOT, parsed, probkit_files

#: edges a cycle may use: a Jupyter display hook drawing an object with a renderer that
#: itself reads the object's module (name the method; the test checks it is a ``_repr_*_``)
ALLOWED: dict[tuple[str, str], str] = {
    ("probkit.symbolic.model", "probkit.symbolic.render_markdown"):
        "Derivation._repr_markdown_",
    ("probkit.symbolic.model", "probkit.symbolic.render_latex"): "Derivation._repr_latex_",
}

#: TEMPORARY exceptions: none left (the Bayes engine's cycles closed through lazy imports
#: until each result drew itself and the log-space helpers got one module). A stale entry
#: fails test_every_allowed_edge_is_still_needed.
TEMPORARY: frozenset[tuple[str, str]] = frozenset()

#: the classifier's layers, top first: a module imports only from its own layer or below
CLASSIFIER_LAYERS: tuple[tuple[str, ...], ...] = (
    ("workflows",),
    ("selection",),
    ("pipeline", "modelfile"),
    ("evaluation", "base_rate", "label_shift"),
    ("features", "models", "data"),
)
PRODUCTS = ("probkit.bayes", "probkit.symbolic", "probkit.classifier", "probkit.gradient_check")
HEAVY = ("numpy", "scipy", "sympy", "h5py", "matplotlib", "PIL")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imported_names(tree: ast.AST) -> list[tuple[str, ast.AST]]:
    """Every absolute module name ``tree`` imports or names as a string, with its node."""
    found: list[tuple[str, ast.AST]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [(node.module, node)]
            found += [(f"{node.module}.{alias.name}", node) for alias in node.names]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and node.value.startswith("probkit."):
            found.append((node.value.partition(":")[0], node))  # importlib by name
    return found


def _imports(tree: ast.AST, known: set[str]) -> set[str]:
    return {name for name, _ in _imported_names(tree) if name in known}


@functools.cache
def _graph() -> dict[str, set[str]]:
    """probkit's import graph, every kind of import (callers only read it)."""
    files = {_module_name(p): p for p in probkit_files()}
    known = set(files)
    return {name: _imports(parsed(path), known) - {name} for name, path in files.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per back edge of a depth-first search (parent-package edges skipped)."""
    cycles, state = [], {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = "active"
        for nxt in sorted(graph[node]):
            if node.startswith(nxt + "."):
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


def _without(graph: dict[str, set[str]], edges: set[tuple[str, str]]) -> dict[str, set[str]]:
    return {a: {b for b in deps if (a, b) not in edges} for a, deps in graph.items()}


def _layer(module: str) -> int | None:
    """The classifier layer of ``module`` (0 = top), None outside the classifier."""
    if not module.startswith("probkit.classifier."):
        return None
    part = module.split(".")[2]
    return next(i for i, layer in enumerate(CLASSIFIER_LAYERS) if part in layer)


def test_no_import_cycle_in_probkit() -> None:
    graph = _without(_graph(), set(ALLOWED) | TEMPORARY)
    assert _cycles(graph) == []


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        fresh = {n for n in graph[node] if not node.startswith(n + ".")} - seen
        seen |= fresh
        todo += fresh
    return False


def test_every_allowed_edge_is_still_needed() -> None:
    """Each allowed edge is imported and lies on a cycle; the permanent ones in a display hook."""
    graph = _graph()
    for source, target in set(ALLOWED) | TEMPORARY:
        assert target in graph[source], f"{source} no longer imports {target}: delete the entry"
        assert _reaches(graph, target, source), \
            f"{source} -> {target} is on no cycle any more: delete the entry"
    for (source, target), method in ALLOWED.items():
        cls, name = method.split(".")
        tree = parsed(ROOT / (source.replace(".", "/") + ".py"))
        body = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == cls)
        hook = next(n for n in body.body if isinstance(n, ast.FunctionDef) and n.name == name)
        assert name.startswith("_repr_") and name.endswith("_"), method
        assert target in {m for m, _ in _imported_names(hook)}, (method, target)


def test_the_architecture_page_names_every_cycle_still_allowed() -> None:
    """docs/architecture.md may not promise "no cycle" while TEMPORARY lists some."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    for module in sorted({m for edge in TEMPORARY for m in edge}):
        assert f"`{module.rsplit('.', 1)[-1]}.py`" in page, module
    for method in ALLOWED.values():
        assert method.rsplit(".", 1)[-1] in page, method


def test_the_classifier_arrows_only_go_down() -> None:
    graph = _graph()
    upward = [(a, b) for a, deps in graph.items() for b in deps
              if _layer(a) is not None and _layer(b) is not None and _layer(b) < _layer(a)]
    assert upward == []
    every = {m.split(".")[2] for m in graph if m.startswith("probkit.classifier.")}
    assert every == {part for layer in CLASSIFIER_LAYERS for part in layer}


def test_the_models_leaf_imports_nothing_else_of_the_classifier() -> None:
    graph = _graph()
    leaf = "probkit.classifier.models"
    outside = {(a, b) for a, deps in graph.items() if a.startswith(leaf)
               for b in deps if b.startswith("probkit.classifier") and not b.startswith(leaf)}
    assert outside == set()


def test_the_core_imports_no_product() -> None:
    """The core: the modules directly in probkit/ (not its packages, not the lazy facade)."""
    graph = _graph()
    core = [_module_name(p) for p in probkit_files()
            if p.parent == ROOT / "probkit" and p.stem not in ("__init__", "__main__")]
    assert "probkit.intervals" in core and "probkit.errors" in core
    assert not any(m.startswith(PRODUCTS) for m in core)
    products = [m for m in graph if m.startswith("probkit.") and m not in core
                and m.count(".") >= 1 and m != "probkit.__main__"]
    assert {(a, b) for a in core for b in graph[a] if b in products} == set()


#: the one module of another product the derivations may use: central differences, a leaf
#: (held by test_the_derivations_use_only_the_leaf_of_gradient_checking)
CENTRAL_DIFFERENCES = "probkit.gradient_check.numeric"


def _product_crossings(graph: dict[str, set[str]]) -> set[tuple[str, str]]:
    """Imports from Bayes or the derivations into any other product (they import the core;
    the derivations also :data:`CENTRAL_DIFFERENCES`)."""
    def product(module: str) -> str | None:
        return next((p for p in PRODUCTS if module == p or module.startswith(p + ".")), None)

    return {(a, b) for a, deps in graph.items() for b in deps
            if product(a) in ("probkit.bayes", "probkit.symbolic")
            and product(b) not in (None, product(a))
            and not (product(a) == "probkit.symbolic" and b == CENTRAL_DIFFERENCES)}


def test_the_bayes_and_symbolic_products_import_only_the_core() -> None:
    assert _product_crossings(_graph()) == set()
    planted = {"probkit.bayes.exact": {"probkit.symbolic.model", "probkit.errors"},
               "probkit.symbolic.model": {"probkit.classifier.models"},
               "probkit.symbolic.explicit": {CENTRAL_DIFFERENCES},  # allowed: the leaf
               "probkit.symbolic.chain": {"probkit.gradient_check.model_check"},
               "probkit.bayes.numeric": {CENTRAL_DIFFERENCES},
               "probkit.classifier.base_rate": {"probkit.bayes"}}  # allowed: the classifier
    assert _product_crossings(planted) == {
        ("probkit.bayes.exact", "probkit.symbolic.model"),
        ("probkit.symbolic.model", "probkit.classifier.models"),
        ("probkit.symbolic.chain", "probkit.gradient_check.model_check"),
        ("probkit.bayes.numeric", CENTRAL_DIFFERENCES)}


def test_the_derivations_use_only_the_leaf_of_gradient_checking() -> None:
    """symbolic may use central differences (gradient_check.numeric), which imports nothing of
    probkit; nothing else of gradient_check, which itself imports symbolic and the models."""
    graph = _graph()
    used = {b for a, deps in graph.items() for b in deps
            if a.startswith("probkit.symbolic") and b.startswith("probkit.gradient_check")}
    assert used <= {CENTRAL_DIFFERENCES}
    assert graph[CENTRAL_DIFFERENCES] == set()


def test_the_checks_find_planted_faults() -> None:
    """Negative controls: a cycle, an upward arrow, a string-named import are all seen."""
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c", "a"]]
    assert _cycles({"p.x": {"p"}, "p": {"p.x"}}) == []
    assert _layer("probkit.classifier.models.losses") > _layer("probkit.classifier.pipeline")
    tree = ast.parse("import importlib\ndef f():\n    importlib.import_module('probkit.x.y')")
    assert _imports(tree, {"probkit.x.y"}) == {"probkit.x.y"}
    tree = ast.parse("def f():\n    from probkit.x import y")
    assert _imports(tree, {"probkit.x.y", "probkit.x"}) == {"probkit.x.y", "probkit.x"}


def test_solver_paths_depend_on_the_protocol_not_the_model() -> None:
    graph = _graph()
    for solver in ("probkit.classifier.models.dual", "probkit.classifier.models.primal"):
        assert "probkit.classifier.models.base" not in graph[solver], solver
        assert "probkit.classifier.models.protocol" in graph[solver], solver


def test_the_library_never_imports_the_cli() -> None:
    for path in probkit_files():
        for name, _ in _imported_names(parsed(path)):
            assert not name.startswith(("probkit_cli", "cli.")), f"{path} imports {name}"


@pytest.mark.parametrize("path", sorted((ROOT / "cli").rglob("*.py")), ids=lambda p: p.name)
def test_the_cli_imports_the_library_and_no_numerics(path: Path) -> None:
    for name, node in _imported_names(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant):
            continue
        assert name.split(".")[0] not in HEAVY, f"{path.name}:{node.lineno} imports {name}"


def test_the_architecture_page_names_every_bayes_module() -> None:
    """The page's map of probkit/bayes stays true: a new module is named there (and a removed
    one leaves it)."""
    page = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = page[page.index("**Bayes**"):page.index("**Checked derivations**")]
    modules = {p.name for p in (ROOT / "probkit" / "bayes").glob("*.py")} - {"__init__.py"}
    named = set(re.findall(r"`(\w+\.py)`", section))
    assert modules - named == set()
    assert named - modules == set()
    assert "numeric_result.py" in named and "distribution.py" in named  # the check reads names
