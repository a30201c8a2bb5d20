"""Option-parsing errors (caught by click before a command runs) are one line too,
on the installed console script: ``error: ...`` naming the bad value, exit 2."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _probkit(*args: str) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("probkit")
    if not script.exists():
        pytest.skip("the probkit console script is not installed next to this interpreter")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    return subprocess.run([str(script), *args], capture_output=True, text=True, env=env,
                          check=False, timeout=120)


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("train", "--features", "pixels",
          "--train", "t.h5", "--out", "m.npz", "--iterations", "abc"), "abc"),
        (("bayes", "--bogus"), "--bogus"),
        (("nosuch",), "nosuch"),
        (("train", "--out", "m.npz", "--json"), "--train"),
        (("tune", "--train", "t.h5", "--out", "m.npz", "--folds", "2.5"), "2.5"),
    ],
)
def test_usage_errors_are_one_line_with_exit_2(args: tuple[str, ...], named: str) -> None:
    done = _probkit(*args)
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1, done.stderr
    assert named in done.stderr


def test_help_version_and_no_arguments_still_work() -> None:
    helped = _probkit("bayes", "--help")
    assert helped.returncode == 0 and "--prior" in helped.stdout
    version = _probkit("--version")
    assert version.returncode == 0 and version.stdout.startswith("probkit ")
    bare = _probkit()  # like git and pip: the help on stdout, exit 0
    assert bare.returncode == 0 and bare.stderr == "", bare.stderr
    assert "Commands" in bare.stdout and "tune" in bare.stdout
    assert bare.stdout == _probkit("--help").stdout
    ok = _probkit("bayes", "--prior", "A=1", "--likelihood", "A=1/2", "--json")
    assert ok.returncode == 0 and ok.stdout.lstrip().startswith("{")
    bad = _probkit("bayes", "--prior", "A=nan", "--likelihood", "A=1")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    module = subprocess.run([sys.executable, "-m", "probkit", "bayes", "--bogus"],
                            capture_output=True, text=True, check=False, timeout=120)
    assert module.returncode == 2 and module.stderr.startswith("error: ")


def test_a_huge_unexpected_argument_gives_a_short_error_line() -> None:
    # found by the slow fuzz test: click quoted a 4,569-character argument in full
    import contextlib
    import io

    from probkit_cli.app import app
    from probkit_cli.common import run

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = run(app, args=["derive", "sigmoid", "1" * 5000])
    lines = err.getvalue().splitlines()
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith("error: ") and len(lines[0]) < 200
    assert "[5,002 characters]" in lines[0]  # the argument and its parentheses


def test_errors_speak_in_options_and_name_the_file(tmp_path) -> None:
    """One voice: a one-class training file is named, tune's grid conflict names options
    (it said max_iter), and one image is "1 image"."""
    from typer.testing import CliRunner

    from probkit.classifier.data.datasets import make_synthetic, write_dataset
    from probkit.classifier.workflows._common import small_sample_note
    from probkit_cli.app import app

    one_class = tmp_path / "cats-only.h5"
    write_dataset(one_class, make_synthetic(10, size=4, cat_fraction=1.0))
    cli = CliRunner()
    for command in (["train"], ["tune", "--grid", "quick"]):
        result = cli.invoke(app, [*command, "--train", str(one_class), "--out",
                                  str(tmp_path / "m.npz")])
        assert result.exit_code == 2, result.output
        assert result.stderr == (f"error: --train: the training data {one_class} holds only one "
                                 "class ('cat', all 10 images); a classifier needs images of "
                                 "both\n")
    result = cli.invoke(app, ["tune", "--train", str(one_class), "--out", str(tmp_path / "m.npz"),
                              "--grid", "quick", "--iterations", "5"])
    assert result.stderr.startswith("error: --grid 'quick' fixes --iterations; ")
    assert "max_iter" not in result.stderr and "(--model, --l2, --preprocessing" in result.stderr
    note = small_sample_note({"n": 1, "accuracy_ci": [0.0, 1.0]}, "test")
    assert note is not None and "only 1 image," in note


def test_a_huge_post_name_gives_a_short_error_line() -> None:
    # `check` takes several posts, so a second argument is a post; its name is still cut
    import contextlib
    import io

    from probkit_cli.app import app
    from probkit_cli.common import run

    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = run(app, args=["check", "1" * 5000, "2" * 5000])
    lines = err.getvalue().splitlines()
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith("error: ") and len(lines[0]) < 200
    assert "[5,000 characters]" in lines[0] and "no such file or folder" in lines[0]
