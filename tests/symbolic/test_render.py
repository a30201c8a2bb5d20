"""The four output formats: text marks, LaTeX align*, Hugo-safe Markdown, parsable JSON."""

from __future__ import annotations

import json
import re

import pytest
import sympy as sp

from probkit.errors import InputError
from probkit.symbolic import build, names
from probkit.symbolic.catalogue import _ENTRIES as REGISTRY_ENTRIES
from probkit.symbolic.model import Derivation, Given, Math, Prose, formulas, plain
from probkit.symbolic.printing import to_latex, to_text
from probkit.symbolic.render import FORMATS, MARKDOWN_FLAVORS, render
from probkit.symbolic.render_json import parse
from probkit.symbolic.render_markdown import escape_latex
from probkit.symbolic.render_shared import check_counts, derivative_notation
from probkit.symbolic.step_verifier import scalar_step


def registry_entries():  # type: ignore[no-untyped-def]
    return REGISTRY_ENTRIES


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


# ------------------------------------------------------- pages that publish


def _displays(markdown: str) -> list[str]:
    return re.findall(r"^\$\$\n(.*?)\n\$\$$", markdown, flags=re.MULTILINE | re.DOTALL)


def _named_but_not_shown(derivation: Derivation) -> list[str]:
    """Formulas the words of a step name (Math.of) that its display does not show."""
    notation = derivative_notation(derivation)
    missing = []
    for step in (*derivation.steps, *derivation.results):
        shown = " ".join(to_latex(e, derivation.latex_names, derivative=notation)
                         for e in (step.before, step.after))
        for formula in (*formulas(step.rule), *formulas(step.explanation)):
            if formula.expr is not None:
                named = to_latex(formula.expr, derivation.latex_names, derivative=notation)
                if named != formula.latex or named not in shown:
                    missing.append(f"{plain(step.rule)}: {formula.latex}")
    return missing


@pytest.mark.parametrize("name", names())
def test_the_display_shows_what_the_words_name(
    derivations: dict[str, Derivation], name: str
) -> None:
    assert _named_but_not_shown(derivations[name]) == []


def test_a_step_whose_words_name_another_form_is_caught() -> None:
    """Negative control: words naming the factor 1 - alpha lambda/m over a display without it."""
    alpha, lam, m = sp.symbols("alpha lamda m", positive=True)
    w = sp.Symbol("w", real=True)
    factor = 1 - alpha * lam / m
    right = scalar_step("decay", w - alpha * lam / m * w, factor * w,
                        Prose.of("shrinks by ", Math.of(factor)))
    wrong = scalar_step("decay", w - alpha * lam / m * w, w - alpha * lam * w / m,
                        Prose.of("shrinks by ", Math.of(factor)))
    assert _named_but_not_shown(Derivation("x", "x", "x", (), (right,), ())) == []
    assert _named_but_not_shown(Derivation("x", "x", "x", (), (wrong,), ())) == [
        r"decay: 1 - \frac{\alpha \lambda}{m}"]


def test_the_three_displays_the_issue_named(derivations: dict[str, Derivation]) -> None:
    l2 = _displays(render([derivations["l2"]], "markdown"))
    assert r"\left(1 - \frac{\alpha \lambda}{m}\right) w" in l2[-3]  # step 4, before results
    base_rate = derivations["base-rate"].steps[1]
    step2 = to_latex(base_rate.after, derivations["base-rate"].latex_names)
    assert "^{-1}" not in step2 and not re.search(r"\\frac\{[^{}]*\\frac", step2)
    assert step2 == r"\frac{p}{1 - p} \frac{1 - \pi}{\pi}"
    cross = derivations["cross-entropy"].steps[1]
    assert "a = 1" not in plain(cross.explanation) and "a = sigma(z)" in plain(cross.explanation)
    assert to_text(cross.after) == "a*(1 - a)"


@pytest.mark.parametrize("name", names())
def test_one_derivative_notation_per_derivation(
    derivations: dict[str, Derivation], name: str
) -> None:
    for fmt in ("markdown", "latex"):
        out = render([derivations[name]], fmt)
        assert not (r"\frac{d}{d " in out and r"\frac{\partial}{\partial " in out), (name, fmt)
    expected = {"sigmoid": "d", "cross-entropy": "partial", "two-layer": "partial"}
    if name in expected:
        assert derivative_notation(derivations[name]) == expected[name]


def test_the_sigmoid_writes_d_dx_throughout(derivations: dict[str, Derivation]) -> None:
    markdown = render([derivations["sigmoid"]], "markdown")
    assert r"\partial" not in markdown and markdown.count(r"\frac{d}{d x}") >= 4


_ASCII_MATHS = re.compile(r"exp\(|\^|sigma|lambda|lamda|alpha|d/d|/\(|\bpi\b|\bx_|\bw\.x")


@pytest.mark.parametrize("name", names())
def test_prose_formulas_are_typeset_in_markdown_and_ascii_in_text(
    derivations: dict[str, Derivation], name: str
) -> None:
    derivation = derivations[name]
    markdown = render([derivation], "markdown")
    for line in _prose_outside_math(markdown):
        if line.startswith(("title:", "math:")):
            continue
        assert not _ASCII_MATHS.search(line), line
    text = render([derivation], "text")
    assert "\\(" not in text and "\\frac" not in text
    for step in derivation.steps:
        assert plain(step.explanation) in text


def test_text_keeps_the_sigmoid_in_ascii(derivations: dict[str, Derivation]) -> None:
    text = render([derivations["sigmoid"]], "text")
    assert "(1/u)' = -u'/u^2 with u = 1 + exp(-a x)." in text
    markdown = render([derivations["sigmoid"]], "markdown")
    assert r"\(\left(\frac{1}{u}\right)' = -\frac{u'}{u^2}\)" in markdown


def test_registry_summaries_say_the_same_in_ascii_and_typeset() -> None:
    for entry in registry_entries():
        if entry.typeset is not None:
            assert plain(entry.typeset) == entry.summary, entry.name


@pytest.mark.parametrize("name", names())
def test_names_in_the_notes_appear_on_the_page(
    derivations: dict[str, Derivation], name: str
) -> None:
    derivation = derivations[name]
    markdown = render([derivation], "markdown")
    shown = "\n".join(_displays(markdown))
    text = render([derivation], "text")
    shown_text = text.split("  Note: ")[0]
    for note in derivation.notes:
        for formula in formulas(note):
            if "=" not in formula.latex and r"\frac" not in formula.latex:
                assert formula.latex in shown, (name, formula.latex)
        for token in re.findall(r"\b(?:[A-Za-z]+\d+|[A-Z][a-z]+[A-Z]\w*|ones)\b", plain(note)):
            assert token in shown_text, (name, token)
    assert "HadamardProduct" not in markdown and "G1" not in markdown


def test_relu_slope_is_the_codes_convention(derivations: dict[str, Derivation]) -> None:
    import numpy as np

    from probkit.classifier.models.activations import RELU
    from probkit.symbolic.two_layer import RELU_SLOPE_AT_ZERO, relu_derivative_check

    step = next(s for s in derivations["two-layer"].steps if "ReLU" in plain(s.rule))
    z = sp.Symbol("z", real=True)
    assert step.after == sp.Heaviside(z, 0) and step.check.passed
    zero = np.zeros(1)
    assert float(RELU.local_gradient(zero, RELU.forward(zero))[0]) == RELU_SLOPE_AT_ZERO
    assert not relu_derivative_check(sp.Heaviside(z)).passed  # SymPy's 1/2 at 0
    assert not relu_derivative_check(sp.Heaviside(-z, 0)).passed  # wrong side
    assert "[z > 0]" in render([derivations["two-layer"]], "markdown").replace(r"\left", "") \
        .replace(r"\right", "")


@pytest.mark.parametrize("name", names())
def test_counts_count_each_distinct_check_once(
    derivations: dict[str, Derivation], name: str
) -> None:
    derivation = derivations[name]
    own = {id(s.check) for s in derivation.steps} | {id(r.check) for r in derivation.results}
    counts = check_counts(derivation)
    assert counts.total == len(own) == len(derivation.checks)
    assert counts.steps == len(derivation.steps)
    sentence = counts.sentence()
    for fmt in ("text", "latex", "markdown"):
        assert sentence in render([derivation], fmt), fmt
    payload = json.loads(render([derivation], "json"))
    assert payload["checks"] == counts.to_dict()
    reused = [r["check_of_step"] for r in payload["result"] if r["check_of_step"]]
    assert len(reused) == len(derivation.results) - counts.results


def test_derive_all_counts_46_distinct_checks(derivations: dict[str, Derivation]) -> None:
    counts = check_counts(list(derivations.values()))
    assert (counts.steps, counts.results) == (38, 8)
    payload = json.loads(render(list(derivations.values()), "json"))
    assert payload["checks"]["distinct"] == 46 == counts.total


def test_a_failed_result_is_counted_once(broken: Derivation) -> None:
    counts = check_counts(broken)
    assert (counts.steps_passed, counts.steps) == (8, 9)
    assert "1 FAILED" in counts.sentence() and counts.sentence() in render([broken], "markdown")


def test_a_formula_line_never_starts_a_markdown_block() -> None:
    x, y = sp.symbols("x y", real=True)
    step = scalar_step("negation", -x - y, -(x + y), "A sum with a minus in front.")
    given = (Given(sp.Symbol("u"), -x, "minus x"), Given(sp.Symbol("v"), x + 1, "x plus one"))
    derivation = Derivation("t", "Signs", "Signs at the start.", given, (step,), ())
    for flavour in ("passthrough", "escaped"):
        markdown = render([derivation], "markdown", markdown_flavor=flavour)
        for display in _displays(markdown):
            for line in display.splitlines():
                assert not re.match(r"(?:[-+*>]|\d+[.)])(?:\s|$)", line), (flavour, line)
    assert "\n{-}x - y = " in render([derivation], "markdown")


def test_escaped_flavour_unescapes_to_the_passthrough_latex(
    derivations: dict[str, Derivation],
) -> None:
    """CommonMark turns a backslash before ASCII punctuation into that character."""
    for derivation in derivations.values():
        meant = _displays(render([derivation], "markdown"))
        escaped = _displays(render([derivation], "markdown", markdown_flavor="escaped"))
        assert [re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", e) for e in escaped] == meant
    assert escape_latex(r"f'(a_{1}) \\ b") == r"f\'(a\_{1}) \\\\ b"


def test_unknown_markdown_flavour_is_an_input_error(derivations: dict[str, Derivation]) -> None:
    with pytest.raises(InputError, match="'github'"):
        render([derivations["sigmoid"]], "markdown", markdown_flavor="github")
    assert MARKDOWN_FLAVORS == ("passthrough", "escaped")


def test_notebook_display_uses_the_same_renderers(derivations: dict[str, Derivation]) -> None:
    derivation = derivations["sigmoid"]
    page = derivation._repr_markdown_()
    assert page.startswith(f"## {derivation.title}\n") and "---" not in page.splitlines()[0]
    assert _displays(page) == _displays(render([derivation], "markdown"))
    assert r"$\left(\frac{1}{u}\right)' = -\frac{u'}{u^2}$" in page and r"\(" not in page
    latex = derivation._repr_latex_()
    assert latex.startswith("$$\n\\begin{align*}") and latex.endswith("\\end{align*}\n$$")
    fragment = [line.split(" %")[0] for line in render([derivation], "latex").splitlines()
                if not line.startswith("%")]
    assert latex.splitlines()[1:-1] == fragment
