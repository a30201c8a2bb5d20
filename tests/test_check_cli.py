"""The ``probkit check`` command: exit codes, --json, --annotate, stdin."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from probkit_cli.app import app

GOOD = "# Post\n\n$$\n(x+1)^2 = x^2 + 2x + 1\n$$\n"
BAD = "# Post\n\n$$\n(x+1)^2 = x^2 + 1\n$$\n"


def test_exit_codes_and_linter_lines(tmp_path: Path, runner: CliRunner) -> None:
    good, bad = tmp_path / "good.md", tmp_path / "bad.md"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")
    ok = runner.invoke(app, ["check", str(good)])
    assert ok.exit_code == 0 and "all verified" in ok.stdout
    wrong = runner.invoke(app, ["check", str(bad)])
    assert wrong.exit_code == 1
    assert wrong.stdout.startswith(f"{bad}:4:11: wrong step: (x+1)^2 ≠ x^2 + 1 (at x = ")
    empty = tmp_path / "empty.md"
    empty.write_text("no maths", encoding="utf-8")
    none = runner.invoke(app, ["check", str(empty)])
    assert none.exit_code == 2 and none.stderr.startswith("error: ")
    missing = runner.invoke(app, ["check", str(tmp_path / "nope.md")])
    assert missing.exit_code == 2


def test_json_is_the_report(tmp_path: Path, runner: CliRunner) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(BAD, encoding="utf-8")
    done = runner.invoke(app, ["check", str(bad), "--json"])
    payload = json.loads(done.stdout)
    assert payload["passed"] is False and payload["equalities_checked"] == 1
    assert payload["findings"][0]["source_line"] == 4


def test_stdin(runner: CliRunner) -> None:
    done = runner.invoke(app, ["check", "-"], input=GOOD)
    assert done.exit_code == 0, done.stdout + done.stderr


def test_annotate_writes_a_marked_copy_and_never_the_post(tmp_path: Path,
                                                          runner: CliRunner) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(BAD, encoding="utf-8")
    out = tmp_path / "marked.md"
    done = runner.invoke(app, ["check", str(bad), "--annotate", str(out)])
    assert done.exit_code == 1
    marked = out.read_text(encoding="utf-8").splitlines()
    assert "% probkit: ✗" in marked[3]
    refused = runner.invoke(app, ["check", str(bad), "--annotate", str(bad)])
    assert refused.exit_code == 2 and "post itself" in refused.stderr
    assert bad.read_text(encoding="utf-8") == BAD


def test_other_commands_do_not_import_the_latex_parser() -> None:
    import os
    import subprocess
    import sys

    script = Path(sys.executable).with_name("probkit")
    if not script.exists():
        import pytest

        pytest.skip("the probkit console script is not installed next to this interpreter")
    env = {**os.environ, "PYTHONPROFILEIMPORTTIME": "1"}
    done = subprocess.run([str(script), "check", "--help"], capture_output=True, text=True,
                          env=env, check=False, timeout=120)
    modules = {line.rsplit("|", 1)[1].strip().split(".")[0]
               for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert done.returncode == 0 and "typer" in modules
    assert not modules & {"sympy", "antlr4", "numpy"}, sorted(modules & {"sympy", "antlr4"})


def test_check_shape_is_for_one_post(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text("$$x = x$$\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "a.md"), str(tmp_path / "b.md"),
                                      "--shape", "W1=n_h,n_x"])
    assert result.exit_code == 2
    assert "--shape" in result.output


def test_check_shape_cannot_be_read_is_refused_by_flag(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("$$dZ^{[2]} = A^{[2]} - Y$$\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(tmp_path / "a.md"), "--shape", "W1"])
    assert result.exit_code == 2
    assert "--shape" in result.output and "Traceback" not in result.output


def test_maths_findings_name_the_column_of_the_blamed_term(tmp_path: Path,
                                                           runner: CliRunner) -> None:
    post = tmp_path / "post.md"
    post.write_text("# Post\n\n$$\n(x+1)^2 = x^2 + 1\n$$\n\n$$\n  f(x) = x^2 \\qquad "
                    "f'(x) = 3x\n$$\n\nand $\\frac{1}{3} \\approx 0.34$ inline.\n",
                    encoding="utf-8")
    done = runner.invoke(app, ["check", str(post)])
    assert done.exit_code == 1, done.output
    lines = done.stdout.splitlines()
    # 1-based columns in characters, of the first character of the blamed term
    assert lines[0].startswith(f"{post}:4:11: wrong step: (x+1)^2 ≠ x^2 + 1")
    assert lines[1].startswith(f"{post}:8:29: wrong step: f'(x) ≠ 3x")
    assert lines[2].startswith(f"{post}:11:26: wrong approximation")
    report = json.loads(runner.invoke(app, ["check", str(post), "--json"]).stdout)
    assert [(f["source_line"], f["column"]) for f in report["findings"]] == [
        (4, 11), (8, 29), (11, 26)]
