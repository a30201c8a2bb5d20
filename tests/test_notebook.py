"""docs/tutorial.md run as a notebook in a real Jupyter kernel (nbclient + ipykernel).

Each ``>>>`` statement of the tutorial becomes a code cell of a fresh notebook, run
in a fresh kernel with no ``%matplotlib`` magic. Figures must come out as pictures
(``image/png``), reports and data sets as HTML tables (``text/html``) beside a short
plain-text form: what a person in a notebook sees, not what a doctest compares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TUTORIAL = Path(__file__).resolve().parents[1] / "docs" / "tutorial.md"


def statements(markdown: str) -> list[str]:
    """The ``>>>`` statements of the ``pycon`` blocks, continuation lines joined, in order.

    >>> statements("```pycon\\n>>> a = (1,\\n...      2)\\n>>> a\\n(1, 2)\\n```\\n")
    ['a = (1,\\n     2)', 'a']
    """
    found: list[str] = []
    for block in re.findall(r"```pycon\n(.*?)```", markdown, flags=re.S):
        for line in block.splitlines():
            if line.startswith(">>> "):
                found.append(line[4:])
            elif line.startswith("... ") and found:
                found[-1] += "\n" + line[4:]
    return [re.sub(r"\s*# doctest:.*$", "", source) for source in found]


def _run(cells: list[str]) -> list[list[dict]]:
    # imported here, not at collection: the quick loop deselects the kernel's tests
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in cells]
    client = nbclient.NotebookClient(notebook, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(TUTORIAL.parent)}})
    client.execute()
    return [cell.outputs for cell in notebook.cells]


def _shown(outputs: list[dict]) -> dict:
    """What a cell displayed as its value (the ``execute_result`` bundle)."""
    results = [o for o in outputs if o["output_type"] == "execute_result"]
    assert len(results) == 1, outputs
    return results[0]["data"]


@pytest.fixture(scope="module")
def executed() -> dict[str, dict]:
    cells = statements(TUTORIAL.read_text(encoding="utf-8"))
    # negative control, run in the same kernel: a bare matplotlib Figure is only text there
    cells.append("from matplotlib.figure import Figure\nFigure()")
    outputs = _run(cells)
    for source, out in zip(cells, outputs, strict=True):
        errors = [o for o in out if o["output_type"] == "error"]
        assert not errors, (source, errors)
    return {source: _shown(out) for source, out in zip(cells, outputs, strict=True)
            if any(o["output_type"] == "execute_result" for o in out)}


def test_the_tutorial_has_the_cells_this_test_looks_at() -> None:
    cells = statements(TUTORIAL.read_text(encoding="utf-8"))
    for source in ("figure", "report", "evaluation", "train_set", "tuned.result", "result"):
        assert source in cells, source


def test_figures_are_pictures_in_a_fresh_kernel(executed) -> None:
    shown = executed["figure"]
    assert shown["image/png"]  # base64 PNG
    assert shown["text/plain"] == "<InlineFigure size 550x600 with 2 Axes>"
    control = executed["from matplotlib.figure import Figure\nFigure()"]
    assert "image/png" not in control  # the bare Figure the issue saw: text only


@pytest.mark.parametrize("source", ["report", "evaluation", "train_set", "tuned.result",
                                    "result"])
def test_reports_are_html_tables_with_a_short_plain_form(executed, source) -> None:
    shown = executed[source]
    assert "<table>" in shown["text/html"], source
    assert len(shown["text/plain"]) < 1000, shown["text/plain"]  # a summary, not a dump
