"""``probkit check`` on vectorized backprop posts: the corpus tests/vectorized_corpus/ read by
check, line by line (its manifest says where each slip is, of which kind, and how a checker
should diagnose it).

The invariant holds for every pair: no correct line is called wrong, and no slip passes
silently (it is caught on its line, or its line is undecided). The pairs check does not
yet decide are listed in :data:`NOT_DECIDED` with the reason, as strict xfails.
"""

from __future__ import annotations

import functools
import re
import tomllib
from pathlib import Path

import pytest

from probkit.errors import InputError
from probkit.symbolic.lint import check_file, check_text
from probkit.symbolic.lint.report import CheckReport
from probkit.symbolic.lint.vectorized import declared_shapes, is_vectorized, parse_shapes

CORPUS = Path(__file__).parent / "vectorized_corpus"
PAIRS = tomllib.loads((CORPUS / "manifest.toml").read_text(encoding="utf-8"))["pair"]
BY_ID = {pair["id"]: pair for pair in PAIRS}

NOT_DECIDED = {
    "en/softmax_output": "the cost's double sum over examples and classes "
                         r"(\sum_{k=1}^{n_y} y^{(i)}_k ...) is not read",
    "en/leaky_relu_layer_sizes": "the activation g is defined by cases in the prose "
                                 r"(\max(0.01 z, z), g'(z) = \begin{cases}...), not read",
    "ja/relu_dA": r"the activation g^{[1]} and its derivative g^{[1]\prime} are named, not read",
    "ja/l2": r"the L2 term is written with indices (\sum_l \sum_k \sum_j (W^{[l]}_{kj})^2)",
}
"""Pairs whose backward lines check leaves undecided (never wrong), and why."""

SLIP_WORDS = {
    "missing-transpose": r"(?:\^(?:\{\[\d\])?T\}?|\)\^T) was meant",
    "missing-1/m": "the 1/m is missing",
    "sign": "the sign is flipped",
    "matmul-for-elementwise": r"the elementwise product \\odot",
    "l2-missing-1/m": "its 1/m is missing",
}
"""The words of the likely slip check names, by the manifest's slip_class (the classes found
by trying candidate repairs; a wrong derivative or a missing g' is named generically)."""


def _cli_shapes(pair: dict) -> list[str]:
    return [f"{name}={rows},{cols}" for name, (rows, cols) in pair.get("cli_shapes", {}).items()]


@functools.cache
def _report(relative: str, shapes: tuple[str, ...] = ()) -> CheckReport:
    return check_file(CORPUS / relative, shapes=shapes)


def _backward_lines(pair: dict, report: CheckReport) -> set[int]:
    return {r.line for r in report.equalities}


def _decided(pair: dict) -> tuple[str, ...]:
    return tuple(_cli_shapes(pair)) if pair["expected_without_shapes"] == "undecided" else ()


@pytest.mark.parametrize("pair_id", sorted(BY_ID))
def test_no_correct_line_is_wrong_and_no_slip_passes_silently(pair_id: str) -> None:
    pair = BY_ID[pair_id]
    for shapes in {(), _decided(pair)}:
        correct = _report(pair["correct"], shapes)
        assert not [f for f in correct.findings if f.status == "wrong"], correct
        slip = _report(pair["slip"], shapes)
        assert not [f for f in slip.findings
                    if f.status == "wrong" and f.source_line != pair["slip_line"]], slip
        on_line = {f.status for f in slip.findings if f.source_line == pair["slip_line"]}
        assert on_line & {"wrong", "undecided"}, slip


def _decided_ids() -> list[object]:
    return [pytest.param(i, marks=pytest.mark.xfail(strict=True, reason=NOT_DECIDED[i]))
            if i in NOT_DECIDED else i for i in sorted(BY_ID)]


@pytest.mark.parametrize("pair_id", _decided_ids())
def test_every_backward_line_of_the_correct_post_is_verified(pair_id: str) -> None:
    pair = BY_ID[pair_id]
    report = _report(pair["correct"], _decided(pair))
    claims = {claim["line"] for claim in pair["claims"]}
    verified = {r.line for r in report.equalities if r.status == "verified"}
    assert claims <= verified, report
    assert not [f for f in report.findings if f.source_line in claims], report


@pytest.mark.parametrize("pair_id", _decided_ids())
def test_the_slip_is_caught_on_its_line_with_its_kind(pair_id: str) -> None:
    pair = BY_ID[pair_id]
    report = _report(pair["slip"], _decided(pair))
    found = [f for f in report.findings if f.source_line == pair["slip_line"]]
    assert [f.status for f in found] == ["wrong"], report
    words = "shape error" if pair["slip_kind"] == "shape" else "right shape, wrong value"
    assert words in found[0].reason, found[0].reason
    if pair["slip_kind"] == "value":  # a counterexample: sizes and the entry furthest off
        assert re.search(r"counterexample at .*m = \d.*\[\d+, \d+\] = \S+ by the formula",
                         found[0].reason), found[0].reason
    assert not report.passed
    slip_words = SLIP_WORDS.get(pair["slip_class"])
    if slip_words:
        assert re.search(slip_words, found[0].suggestion or ""), found[0]


@pytest.mark.parametrize("pair_id", [i for i in sorted(BY_ID)
                                     if BY_ID[i]["expected_without_shapes"] == "undecided"])
def test_a_post_without_declarations_is_undecided_not_guessed(pair_id: str) -> None:
    pair = BY_ID[pair_id]
    for post in (pair["correct"], pair["slip"]):
        report = _report(post)
        claims = {claim["line"] for claim in BY_ID[pair_id]["claims"]} or \
            {r.line for r in report.equalities}
        statuses = {f.source_line: f.status for f in report.findings}
        assert claims and all(statuses.get(line) == "undecided" for line in claims), report
        assert "--shape" in report.findings[0].reason


def test_shape_error_names_the_product_and_the_transpose_meant() -> None:
    report = _report(BY_ID["en/two_layer_tanh"]["slip"])
    (finding,) = report.findings
    assert finding.source_line == 39
    assert "(1, m) @ (n_h, m): not defined" in finding.reason
    assert finding.suggestion == "likely slip: A^{[1]T} was meant"


def test_declarations_are_read_in_every_spelling_of_the_corpus() -> None:
    for pair in PAIRS:
        text = (CORPUS / pair["correct"]).read_text(encoding="utf-8")
        want = parse_shapes([f"{n}={','.join(shape or ['1', '1'])}"
                             for n, shape in pair["declared_shapes"].items()])
        assert declared_shapes(text) == want, pair["id"]


def test_a_scalar_post_is_not_read_as_vectorized() -> None:
    assert not is_vectorized(r"$$f(x) = x^2 \qquad f'(x) = 2x$$")
    assert is_vectorized(r"$W^{[1]} \in \mathbb{R}^{n_h \times n_x}$")


def test_a_wrong_shape_option_is_refused_by_name() -> None:
    with pytest.raises(InputError) as caught:
        check_text(r"$$dZ^{[2]} = A^{[2]} - Y$$", shapes=["W1"])
    assert caught.value.parameter == "shapes"


def test_a_line_with_an_unread_function_is_undecided_not_wrong() -> None:
    post = (r"$$X \in \mathbb{R}^{n_x \times m}, \quad Y \in \mathbb{R}^{1 \times m}, \quad"
            r" w \in \mathbb{R}^{n_x \times 1}, \quad b \in \mathbb{R}$$" "\n"
            r"$$\begin{aligned} Z &= w^T X + b \\ A &= \sigma(Z) \\"
            r" J &= -\frac{1}{m} \sum_{i=1}^{m} \left( y^{(i)} \log a^{(i)} + (1 - y^{(i)})"
            r" \log(1 - a^{(i)}) \right) \end{aligned}$$" "\n"
            r"$$\begin{aligned} dZ &= A - Y \\ dw &= \frac{1}{m} X dZ^T \\"
            r" db &= \frac{1}{m} \mathrm{foo}(dZ) \end{aligned}$$" "\n")
    report = check_text(post, source="post.md")
    assert [f.status for f in report.findings] == ["undecided"], report
    assert report.equalities_verified == 2
    slipped = check_text(post.replace(r"X dZ^T", r"X dZ"), source="post.md")
    assert [f.status for f in slipped.findings] == ["wrong", "undecided"], slipped
