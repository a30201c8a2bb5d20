"""The four output formats: text marks, LaTeX align*, Hugo-safe Markdown, parsable JSON."""

from __future__ import annotations

import json
import re

import pytest
import sympy as sp

from probkit.errors import InputError
from probkit.symbolic import build, names
from probkit.symbolic.checks import scalar_step
from probkit.symbolic.common import check_counts
from probkit.symbolic.model import Derivation
from probkit.symbolic.render import FORMATS, render
from probkit.symbolic.render_json import parse


@pytest.fixture(scope="module")
def derivations() -> dict[str, Derivation]:
    return {name: build(name) for name in names()}


@pytest.fixture(scope="module")
def broken() -> Derivation:
    """The sigmoid derivation with one deliberately wrong step appended."""
    good = build("sigmoid")
    a, x = sp.Symbol("a", positive=True), sp.Symbol("x", real=True)
    f = sp.Function("f")
    wrong = scalar_step("wrong on purpose", sp.Derivative(f(x), x), a * f(x) ** 2,
                        "This step is wrong.", definitions={f(x): 1 / (1 + sp.exp(-a * x))})
    return Derivation(good.name, good.title, good.summary, good.given,
                      (*good.steps, wrong), good.results)


def test_unknown_format_is_rejected(derivations: dict[str, Derivation]) -> None:
    with pytest.raises(InputError, match="html"):
        render([derivations["sigmoid"]], "html")


# ------------------------------------------------------------------------ text


@pytest.mark.parametrize("name", names())
def test_text_marks_every_step_verified(derivations: dict[str, Derivation], name: str) -> None:
    derivation = derivations[name]
    text = render([derivation], "text")
    marks = re.findall(r"^\s*\d+\. (✓|✗) ", text, flags=re.MULTILINE)
    assert marks == ["✓"] * len(derivation.steps)
    assert "✗" not in text
    counts = check_counts(derivation)
    assert counts.passed == counts.total == len(derivation.checks)
    assert f"Checks: {counts.sentence()}.\n" in text and "FAILED" not in text


def test_text_shows_a_failed_step_with_a_cross(broken: Derivation) -> None:
    text = render([broken], "text")
    assert re.search(r"^\s*\d+\. ✗ wrong on purpose", text, flags=re.MULTILINE)
    assert "FAILED" in text
    assert text.endswith("Checks: 8 of 9 steps and 1 result verified, 1 FAILED.\n")


# ----------------------------------------------------------------------- LaTeX


def _balanced(text: str) -> bool:
    depth = 0
    for char in re.sub(r"\\[{}]", "", text):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0


@pytest.mark.parametrize("name", names())
def test_latex_is_one_align_star_fragment(derivations: dict[str, Derivation], name: str) -> None:
    derivation = derivations[name]
    latex = render([derivation], "latex")
    code = [line.split(" %")[0] for line in latex.splitlines() if not line.startswith("%")]
    assert code[0] == r"\begin{align*}" and code[-1] == r"\end{align*}"
    rows = code[1:-1]
    assert len(rows) == len(derivation.given) + len(derivation.steps) + len(derivation.results)
    assert all("&" in row for row in rows)
    assert all(row.endswith(r"\\") for row in rows[:-1]) and not rows[-1].endswith(r"\\")
    assert _balanced("\n".join(code))
    assert r"\documentclass" not in latex and "$" not in latex


def test_latex_comments_report_failures(broken: Derivation) -> None:
    assert "% FAILED: symbolic" in render([broken], "latex")


def test_latex_shows_the_display_form_of_the_sigmoid(derivations: dict[str, Derivation]) -> None:
    latex = render([derivations["sigmoid"]], "latex")
    assert r"a f{\left(x \right)} \left(1 - f{\left(x \right)}\right)" in latex
    assert "cosh" not in latex


# -------------------------------------------------------------------- Markdown

_FORBIDDEN_IN_PROSE = set("_\\$`<[]*")


def _prose_outside_math(markdown: str) -> list[str]:
    """Lines outside front matter, $$ blocks and code fences, with inline math removed."""
    lines = markdown.splitlines()
    assert lines[0] == "---"
    end = lines.index("---", 1)
    prose, in_math, in_code = [], False, False
    for line in lines[end + 1:]:
        if line.startswith("```"):
            in_code = not in_code
            continue
        if line == "$$":
            in_math = not in_math
            continue
        if in_math or in_code:
            continue
        line = re.sub(r"\\\(.*?\\\)", "", line)  # inline math
        line = re.sub(r"^\*\*(.*?)\*\*", r"\1", line)  # the bold step label
        prose.append(line)
    assert not in_math and not in_code
    return prose


@pytest.mark.parametrize("name", names())
def test_markdown_is_ready_for_hugo(derivations: dict[str, Derivation], name: str) -> None:
    markdown = render([derivations[name]], "markdown")
    lines = markdown.splitlines()
    end = lines.index("---", 1)
    front = lines[1:end]
    assert "math: true" in front and any(line.startswith("title: ") for line in front)
    # every $$ block: the delimiters alone on their lines, blank lines around, no blank inside
    opened = None
    for index, line in enumerate(lines):
        if line.strip() == "$$" and line != "$$":
            pytest.fail(f"indented $$ on line {index}")
        if line == "$$":
            if opened is None:
                opened = index
                assert lines[index - 1] == "", f"no blank line before $$ at {index}"
            else:
                assert all(lines[opened + 1:index]), "blank line inside a $$ block"
                assert index + 1 == len(lines) or lines[index + 1] == ""
                opened = None
        elif "$$" in line:
            pytest.fail(f"$$ sharing a line with text: {line!r}")
    assert opened is None
    n_blocks = markdown.count("\n$$\n") // 2
    assert n_blocks >= len(derivations[name].steps)
    for line in _prose_outside_math(markdown):
        assert not (_FORBIDDEN_IN_PROSE & set(line)), line
        assert not line.startswith(("    ", "\t", ">", "#!", "- ", "+ ")), line
        assert not re.match(r"^\d+[.)] ", line), line


def test_markdown_uses_inline_math_delimiters(derivations: dict[str, Derivation]) -> None:
    markdown = render([derivations["vectorized"]], "markdown")
    assert r"\( 3.5 \times 10^{-31} \)" in markdown or r"\times 10^{" in markdown
    assert r"\(" in markdown and r"\)" in markdown


def test_markdown_document_of_all_derivations_has_one_front_matter(
    derivations: dict[str, Derivation],
) -> None:
    markdown = render(list(derivations.values()), "markdown")
    assert markdown.count("\nmath: true\n") == 1
    assert "passthrough" in markdown and "[markup.goldmark.extensions.passthrough]" in markdown
    assert r"inline = [['\(', '\)']]" in markdown
    for derivation in derivations.values():
        assert f"## {derivation.title}\n" in markdown
    _prose_outside_math(markdown)


# ------------------------------------------------------------------------ JSON


@pytest.mark.parametrize("name", names())
def test_json_steps_parse_back_into_sympy(derivations: dict[str, Derivation], name: str) -> None:
    derivation = derivations[name]
    payload = json.loads(render([derivation], "json"))
    assert payload["name"] == name and payload["verified"] is True
    assert len(payload["steps"]) == len(derivation.steps)
    symbols = payload["symbols"]
    for step, original in zip(payload["steps"], derivation.steps, strict=True):
        assert set(step) >= {"rule", "before", "after", "explanation", "check"}
        assert set(step["check"]) >= {"method", "passed", "residual"}
        assert step["check"]["passed"] is True
        for key in ("before", "after"):
            parsed = parse(step[key], symbols)
            expected = getattr(original, key)
            if isinstance(expected, sp.MatrixExpr):
                assert parsed.shape == expected.shape
                assert parsed.free_symbols == expected.free_symbols
            else:
                assert sp.simplify(sp.sympify(parsed) - expected) == 0, (key, step[key])
    assert payload["result"] and all(r["check"]["passed"] for r in payload["result"])


def test_json_residuals_are_strings_or_numbers(derivations: dict[str, Derivation]) -> None:
    payload = json.loads(render([derivations["vectorized"]], "json"))
    kinds = {s["check"]["method"]: type(s["check"]["residual"]) for s in payload["steps"]}
    assert kinds == {"symbolic": str, "numeric": float}


def test_json_of_several_derivations(derivations: dict[str, Derivation]) -> None:
    payload = json.loads(render(list(derivations.values()), "json"))
    assert [d["name"] for d in payload["derivations"]] == list(names())
    assert payload["verified"] is True


def test_json_reports_a_failed_step(broken: Derivation) -> None:
    payload = json.loads(render([broken], "json"))
    assert payload["verified"] is False
    last = payload["steps"][-1]
    assert last["check"]["passed"] is False and last["check"]["residual"] != "0"


def test_formats_constant() -> None:
    assert FORMATS == ("text", "latex", "markdown", "json")
