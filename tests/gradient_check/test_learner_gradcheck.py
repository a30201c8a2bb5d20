"""``probkit gradcheck FILE.py`` and ``probkit.gradcheck``: a learner's own gradients.

tests/gradient_check/learner_files/ holds a correct course-style two-layer network and one
file per classic slip; each slip must be caught on the right parameter with the right
diagnosis, and the correct file must pass.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import probkit
from probkit.errors import InputError
from probkit.gradient_check.learner import gradcheck_file
from probkit.gradient_check.sandbox import LearnerCodeError
from probkit_cli.app import app

FILES = Path(__file__).resolve().parent / "learner_files"
runner = CliRunner()

#: file -> (the parameters that must fail, words the diagnosis of each must contain)
SLIPS = {
    "slip_missing_1_over_m_in_dW1": ({"dW1"}, ["factor m = 5", "1/m is missing"]),
    "slip_db2_wrong_axis": ({"db2"}, ["wrong axis", "(1, 5)"]),
    "slip_tanh_derivative": ({"dW1", "db1"}, ["activation derivative", "(1 - A1)",
                                              "1 - A1**2"]),
    "slip_sign_of_dZ2": ({"dW1", "db1", "dW2", "db2"}, ["sign is flipped"]),
    "slip_missing_transpose": ({"dW2"}, ["transpose", "(4, 1) where W2 is (1, 4)"]),
    "slip_keepdims_dropped": ({"db1"}, ["keepdims=True", "values are right"]),
    "slip_l2_without_1_over_m": ({"dW1"}, ["L2 term lacks its 1/m", "λ = 0.7"]),
}


def test_a_correct_course_style_implementation_passes() -> None:
    report = gradcheck_file(FILES / "course_correct.py")
    assert report.passed
    assert [p.name for p in report.parameters] == ["dW1", "db1", "dW2", "db2"]
    assert all(p.relative_error < 1e-7 and p.diagnosis is None for p in report.parameters)
    assert dict(report.sizes) == {"n_x": 3, "n_h": 4, "n_y": 1, "m": 5}
    assert "initialize_parameters" in " ".join(report.notes)


@pytest.mark.parametrize("name", sorted(SLIPS))
def test_each_planted_slip_is_caught_on_its_parameter_with_its_diagnosis(name: str) -> None:
    wrong, words = SLIPS[name]
    report = gradcheck_file(FILES / f"{name}.py")
    assert not report.passed
    assert {p.name for p in report.failed} == wrong
    for p in report.failed:
        assert p.diagnosis is not None
        for word in words:
            assert word in p.diagnosis, (p.name, p.diagnosis)
    for p in report.parameters:
        if p.name not in wrong:
            assert p.passed and p.relative_error < 1e-6


def test_all_signs_flipped_is_traced_to_dZ2() -> None:
    report = gradcheck_file(FILES / "slip_sign_of_dZ2.py")
    assert any("dZ2 = Y - A2" in note for note in report.notes)
    assert all(p.relative_error > 0.99 for p in report.parameters)


def test_a_non_conformable_product_is_reported_with_the_learners_own_line() -> None:
    source = (FILES / "slip_missing_transpose_not_conformable.py").read_text()
    line = next(i for i, text in enumerate(source.splitlines(), 1) if "np.dot(dZ1, X)" in text)
    with pytest.raises(LearnerCodeError) as caught:
        gradcheck_file(FILES / "slip_missing_transpose_not_conformable.py")
    error = caught.value
    assert "ValueError" in str(error) and "missing .T" in str(error)
    assert error.traceback[0] == (f'  File "slip_missing_transpose_not_conformable.py", '
                                  f"line {line}, in backward_propagation")
    assert "np.dot(dZ1, X)" in error.traceback[1]
    assert all("probkit" not in text for text in error.traceback)


def test_sizes_come_from_shape_options() -> None:
    report = gradcheck_file(FILES / "course_correct.py", shape=["n_x=2", "n_h=6", "m=7"])
    assert report.passed and dict(report.sizes)["m"] == 7
    assert [p.expected_shape for p in report.parameters] == [(6, 2), (6, 1), (1, 6), (1, 1)]
    slip = gradcheck_file(FILES / "slip_missing_1_over_m_in_dW1.py", shape=["m=7"])
    assert "factor m = 7" in (slip.failed[0].diagnosis or "")


def test_the_l2_value_reaches_the_learners_lambd() -> None:
    report = gradcheck_file(FILES / "slip_l2_without_1_over_m.py", l2=2.5)
    assert "λ = 2.5" in (report.failed[0].diagnosis or "")


def test_the_python_api_checks_functions_in_process() -> None:
    def cost(p, X, Y):  # type: ignore[no-untyped-def]
        return float(np.sum((p["W"] @ X - Y) ** 2) / (2 * X.shape[1]))

    def right(p, X, Y):  # type: ignore[no-untyped-def]
        return {"dW": (p["W"] @ X - Y) @ X.T / X.shape[1]}

    def transposed(p, X, Y):  # type: ignore[no-untyped-def]
        return {"dW": ((p["W"] @ X - Y) @ X.T / X.shape[1]).T}

    rng = np.random.default_rng(3)
    X, Y = rng.normal(size=(3, 6)), rng.normal(size=(3, 6))
    params = {"W": rng.normal(size=(3, 3))}
    assert probkit.gradcheck(cost, right, params, X, Y).passed
    bad = probkit.gradcheck(cost, transposed, params, X, Y)
    assert not bad.passed and "transpose" in (bad.parameters[0].diagnosis or "")
    assert "<table>" in bad._repr_html_() and "transpose" in bad._repr_html_()


def test_only_some_entries_wrong_points_at_an_index() -> None:
    def cost(p, X, Y):  # type: ignore[no-untyped-def]
        return float(np.sum(np.tanh(p["W"] @ X)) / X.shape[1])

    def one_row_wrong(p, X, Y):  # type: ignore[no-untyped-def]
        g = ((1 - np.tanh(p["W"] @ X) ** 2) @ X.T) / X.shape[1]
        g[1] *= 3
        return {"dW": g}

    rng = np.random.default_rng(4)
    report = probkit.gradcheck(cost, one_row_wrong, {"W": rng.normal(size=(3, 4))},
                               rng.normal(size=(4, 5)), np.zeros((1, 5)))
    assert "row(s) 1 entirely" in (report.parameters[0].diagnosis or "")


def test_a_missing_function_names_what_was_looked_for(tmp_path: Path) -> None:
    learner = tmp_path / "mine.py"
    learner.write_text("def forward_propagation(X, parameters):\n    return X, {}\n")
    with pytest.raises(InputError) as caught:
        gradcheck_file(learner)
    message = str(caught.value)
    for name in ("cost", "gradients", "compute_cost", "backward_propagation",
                 "forward_propagation"):
        assert name in message


def test_nothing_of_the_learners_is_written(tmp_path: Path) -> None:
    (tmp_path / "helpers.py").write_text("import numpy as np\n\n\ndef slope(A):\n"
                                         "    return 1 - np.power(A, 2)\n")
    learner = tmp_path / "net.py"
    learner.write_text((FILES / "course_correct.py").read_text().replace(
        "import numpy as np", "import numpy as np\nfrom helpers import slope").replace(
        "(1 - np.power(A1, 2))", "slope(A1)"))
    before = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert gradcheck_file(learner).passed
    after = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    assert after == before  # no __pycache__, nothing changed


def test_an_endless_loop_is_stopped_by_the_time_limit(tmp_path: Path) -> None:
    learner = tmp_path / "loop.py"
    learner.write_text("def cost(params, X, Y):\n    while True:\n        pass\n\n\n"
                       "def gradients(params, X, Y):\n    return {}\n")
    started = time.monotonic()
    with pytest.raises(LearnerCodeError, match="did not finish in 1 s|CPU"):
        gradcheck_file(learner, time_limit=1.0)
    assert time.monotonic() - started < 10


def test_memory_is_limited(tmp_path: Path) -> None:
    learner = tmp_path / "hungry.py"
    learner.write_text("import numpy as np\n\n\ndef cost(params, X, Y):\n"
                       "    return float(np.ones(10**10).sum())\n\n\n"
                       "def gradients(params, X, Y):\n    return {}\n")
    with pytest.raises(LearnerCodeError, match="memory"):
        gradcheck_file(learner, memory_limit=512)


def test_an_exception_at_import_shows_the_learners_line(tmp_path: Path) -> None:
    learner = tmp_path / "broken.py"
    learner.write_text("import numpy as np\n\nscale = 1 / 0\n")
    with pytest.raises(LearnerCodeError) as caught:
        gradcheck_file(learner)
    assert "ZeroDivisionError" in str(caught.value)
    assert caught.value.traceback == ('  File "broken.py", line 3, in <module>',
                                      "    scale = 1 / 0")


def test_cli_exit_codes_and_json() -> None:
    good = runner.invoke(app, ["gradcheck", str(FILES / "course_correct.py")])
    assert good.exit_code == 0 and "all gradients agree" in good.stdout
    bad = runner.invoke(app, ["gradcheck", str(FILES / "slip_db2_wrong_axis.py"), "--json"])
    assert bad.exit_code == 1
    payload = json.loads(bad.stdout)
    assert payload["passed"] is False
    entries = {p["name"]: p for p in payload["parameters"]}
    assert set(entries) == {"dW1", "db1", "dW2", "db2"}
    assert entries["db2"]["passed"] is False and "wrong axis" in entries["db2"]["diagnosis"]
    assert isinstance(entries["dW1"]["relative_error"], float)
    assert entries["dW1"]["diagnosis"] is None
    usage = runner.invoke(app, ["gradcheck", str(FILES / "course_correct.py"),
                                "--shape", "n_q=3"])
    assert usage.exit_code == 2 and usage.stderr.startswith("error: --shape")


def test_cli_shows_the_learners_traceback_lines() -> None:
    result = runner.invoke(app, ["gradcheck",
                                 str(FILES / "slip_missing_transpose_not_conformable.py")])
    assert result.exit_code == 1
    assert "np.dot(dZ1, X)" in result.stderr
    assert result.stderr.strip().splitlines()[-1].startswith("error: ")


def test_sigterm_leaves_no_orphan(tmp_path: Path) -> None:
    marker = tmp_path / "child.pid"
    learner = tmp_path / "slow.py"
    learner.write_text(textwrap.dedent(f"""\
        import os
        import time

        def cost(params, X, Y):
            with open({str(marker)!r}, "w") as fh:
                fh.write(str(os.getpid()))
            time.sleep(600)
            return 0.0

        def gradients(params, X, Y):
            return {{}}
        """))
    parent = subprocess.Popen([sys.executable, "-m", "probkit", "gradcheck", str(learner)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while not marker.exists() or not marker.read_text():
        assert time.monotonic() < deadline and parent.poll() is None
        time.sleep(0.05)
    child = int(marker.read_text())
    parent.send_signal(signal.SIGTERM)
    assert parent.wait(timeout=10) != 0
    for _ in range(100):
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        pytest.fail("the learner's subprocess outlived probkit")


def test_real_images_as_inputs(cat_data_dir: Path) -> None:
    """--data: m real images (12,288 features); W1 is checked on a seeded sample of entries."""
    data = cat_data_dir / "train_catvnoncat.h5"
    report = gradcheck_file(FILES / "course_correct.py", data=data, shape=["m=8"])
    assert report.passed and dict(report.sizes) == {"n_x": 12288, "n_h": 4, "n_y": 1, "m": 8}
    assert any("W1 (100 of 49152)" in note for note in report.notes)
    slip = gradcheck_file(FILES / "slip_missing_1_over_m_in_dW1.py", data=data, shape=["m=8"])
    assert [p.name for p in slip.failed] == ["dW1"]
    assert "factor m = 8" in (slip.failed[0].diagnosis or "")


def test_a_cost_that_is_not_finite_is_reported(tmp_path: Path) -> None:
    learner = tmp_path / "nan.py"
    learner.write_text("import numpy as np\n\n\ndef cost(params, X, Y):\n"
                       "    return float(np.sum(np.log(params['W1'] - 100)))\n\n\n"
                       "def gradients(params, X, Y):\n    return {'dW1': params['W1']}\n")
    with pytest.raises(LearnerCodeError, match="the cost is nan"):
        gradcheck_file(learner, shape=["W1=2,2"])


def test_other_function_names_by_cost_and_gradients(tmp_path: Path) -> None:
    learner = tmp_path / "mine.py"
    learner.write_text(textwrap.dedent("""\
        import numpy as np

        def loss(params, X, Y):
            return float(np.sum((params["W"] @ X - Y) ** 2) / X.shape[1])

        def loss_gradient(params, X, Y):
            return {"W": 2 * (params["W"] @ X - Y) @ X.T}
        """))
    report = gradcheck_file(learner, cost="loss", gradients="loss_gradient",
                            shape=["W=1,3"])
    assert report.convention == "loss and loss_gradient"
    assert [(p.name, p.passed) for p in report.parameters] == [("W", False)]
    assert "factor m = 5" in (report.parameters[0].diagnosis or "")
    with pytest.raises(InputError, match="does not define grad"):
        gradcheck_file(learner, cost="loss", gradients="grad")
