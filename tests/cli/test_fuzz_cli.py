"""Fuzzing the command line: every command keeps the contract on any argument list.

Hypothesis builds argument lists for every command of the app -- found by
introspection, so a new command is fuzzed too -- from pools of malformed and
extreme values (numbers beyond floats, zero-padded exponents, non-ASCII digits,
empty and junk text, missing, empty, damaged and wrong-kind files). Every run must:

* exit with 0, 1 or 2;
* never print "Traceback" nor a raw Python warning;
* with ``--json`` and exit 0, print one strict JSON object on stdout (no NaN);
* otherwise, on failure, end stderr with exactly one ``error: ...`` line;
* finish within :data:`TIME_BOUND` seconds.

Work-size options (``--iterations``, ``--mc``, ``--folds`` ...) get small or invalid
values only: a huge count is a legitimate request for much work, not bad input.

The quick loop runs a small budget in-process through the console script's own
runner (:func:`probkit_cli.common.run`, which turns click's parsing errors into one
line); the ``slow`` tests run a larger budget, and a few runs of the installed
script in a subprocess check the real entry point.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import signal
import stat
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from probkit.classifier.data.datasets import make_synthetic, write_dataset
from probkit.classifier.modelfile import save_model
from probkit.classifier.models import LogisticRegression
from probkit.classifier.pipeline import Classifier
from probkit_cli.app import app, app_for
from probkit_cli.common import run

TIME_BOUND = 20.0
"""Seconds any one run may take (generous: the test machine is shared and slow)."""

def _command_paths(group: Any, prefix: tuple[str, ...] = ()) -> list[str]:
    """Every runnable command, as its words (``"bayes"``, ``"data check"``)."""
    paths = []
    for name, command in sorted(group.commands.items()):
        if hasattr(command, "commands"):  # a group such as ``probkit data``
            paths += _command_paths(command, (*prefix, name))
        else:
            paths.append(" ".join((*prefix, name)))
    return paths


@functools.cache
def _whole_app() -> Any:
    """The app as click commands, converted once (typer converts every command anew on each
    call, ~60 ms, and the strategies below look a command up for every example)."""
    return typer.main.get_command(app)


def _command(path: str) -> Any:
    command: Any = _whole_app()
    for word in path.split():
        command = command.commands[word]
    return command


COMMANDS = _command_paths(_whole_app())

# ---------------------------------------------------------------- value pools

NUMBER_TEXT = [
    "0", "1", "0.5", "1/3", "99%", "1e-3", "2", "-1", "-0", "+.5", "1_000",
    "1e400", "-1e400", "1e-400", "1e4000", "1e-3999", "1e-00000000000000000000001000000",
    "nan", "inf", "-inf", "", " ", "abc", "1/0", "0/0", "5%%", "0x10", "1e", "--1", "½",
    "٠.٥", "１/２", "１／２", "10²", "1" * 4500, "0." + "0" * 3990 + "1",
]
INT_TEXT = ["0", "1", "2", "3", "-1", "abc", "1e3", "2.5", "", "٣", "nan",
            "99999999999999999999999"]
WORK_INT_TEXT = ["1", "2", "3", "0", "-1", "abc", "2.5", "", "٢"]  # counts of work
FLOAT_TEXT = ["0.1", "0.01", "0", "-1", "1e400", "1e-400", "nan", "inf", "abc", "", "1e300"]
NAMES = ["A", "B", "C", "", "A B", "é", "=", "x" * 300]
COLOURS = ["white", "black", "red", ""]

#: option (or "command option") -> the strings to choose from; None: use the type's pool
CHOICES: dict[str, list[str]] = {
    "--model": ["logistic", "two-layer", "forest", ""],
    "--activation": ["relu", "tanh", "sigmoid"],
    "--solver": ["gd", "lbfgs", "adam"],
    "--preprocessing": ["scale", "standardize", "whiten"],
    "--flip": ["no", "yes", "both", "maybe"],
    "--rule": ["min-log-loss", "one-se", "best"],
    "--calibrate": ["temperature", "none", "platt"],
    "--method": ["rejection", "importance", "gibbs"],
    "--format": ["text", "latex", "json", "markdown", "html"],
    "--result": ["positive", "negative", "maybe", "+"],
    "--fit": ["crop", "pad", "squash", "stretch"],
    "--grid": ["quick", "everything"],
    "derive name": ["sigmoid", "cross-entropy", "l2", "base-rate", "softmax", ""],
    "--split": ["train", "test", "tst", ""],
    # the cost bombs (each ran for minutes) beside ordinary expressions
    "--expr": ["x**2", "1/(1+exp(-a*x))", "tanh(x)", "",
               "+".join(f"sin({k}*x)" for k in range(1, 100)),
               "*".join(f"tanh({k}*x)" for k in range(1, 80))],
    "--chain": ["y = sigmoid(z)", "z = w*x + b", "q0 = x*sin(x) + cos(x)",
                *[f"q{i + 1} = q{i}*sin(q{i}) + cos(q{i})" for i in range(6)], "y =", "y"],
    # contradictory pairs are drawn when --assume repeats
    "--assume": ["x>0", "x<0", "x>=0", "x<=0", "positive", "negative", "a>0", "a<0",
                 "real", "x nonzero", "q0 positive", ""],
    "--wrt": ["x", "a", "w", "z", ""],
}
#: options whose values are counts of work (small values only)
WORK = {"--iterations", "--hidden", "--folds", "--repeats", "--seeds", "--workers"}
#: options too slow for the quick loop, left out of it
SLOW_ONLY = {"--plot", "--gradcheck", "--workers"}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, list[str]]:
    """The files runs may name: good, empty, damaged and of the wrong kind."""
    d = tmp_path_factory.mktemp("fuzz")
    write_dataset(d / "train.h5", make_synthetic(16, size=3, seed=1))
    write_dataset(d / "test.h5", make_synthetic(8, size=3, seed=2), split="test")
    write_dataset(d / "other-size.h5", make_synthetic(8, size=4, seed=2), split="test")
    import h5py

    with h5py.File(d / "empty.h5", "w") as h5:
        h5.create_dataset("test_set_x", data=np.zeros((0, 3, 3, 3), np.uint8))
        h5.create_dataset("test_set_y", data=np.zeros((0,), np.int64))
    (d / "junk.h5").write_text("not hdf5")
    clf = Classifier(estimator=LogisticRegression(max_iter=5)).fit(
        make_synthetic(16, size=3, seed=1))
    save_model(d / "model.npz", clf)
    with np.load(d / "model.npz") as npz:
        arrays = {k: npz[k] for k in npz.files}
    arrays["temperature"] = np.array(1e-300)
    with (d / "bad-model.npz").open("wb") as fh:
        np.savez(fh, **arrays)
    from PIL import Image

    Image.fromarray(np.full((5, 9, 3), 120, np.uint8)).save(d / "photo.png")
    Image.fromarray(np.full((4, 4), 255.0, np.float32)).save(d / "float255.tif")
    (d / "junk.png").write_bytes(b"\x89PNG not really")
    (d / "outputs").mkdir()
    _both_splits(d / "both.h5")
    specials = _special_files(d / "specials")
    inputs = [str(d / n) for n in ("train.h5", "test.h5", "other-size.h5", "empty.h5",
                                   "junk.h5", "model.npz", "missing.h5", "both.h5")] + [str(d)]
    return {
        "data": inputs,
        "model": [str(d / n) for n in ("model.npz", "bad-model.npz", "train.h5",
                                       "missing.npz")],
        "photo": [str(d / n) for n in ("photo.png", "float255.tif", "junk.png",
                                       "missing.jpg")] + [str(d)],
        "out": [str(d / "outputs" / f"out{i}.npz") for i in range(3)]
               + [str(d / "train.h5"), str(d / "no-such-dir" / "m.npz"), str(d), ""]
               + [str(p) for p in specials],
        "plot": [str(d / "plots"), str(d / "train.h5"), ""] + [str(p) for p in specials],
        "annotate": [str(d / "outputs" / "post.md"), ""] + [str(p) for p in specials],
        "specials": [str(p) for p in specials],
    }


def _both_splits(path: Path) -> None:
    """A file holding train_set_* and test_set_*: --data must not guess which to read."""
    import h5py

    write_dataset(path, make_synthetic(16, size=3, seed=1))
    test = make_synthetic(8, size=3, seed=2)
    with h5py.File(path, "a") as h5:
        h5["test_set_x"] = test.images
        h5["test_set_y"] = test.labels


def _special_files(folder: Path) -> list[Path]:
    """Outputs that are not regular files: a FIFO, a socket, a device node (as root), a
    link to the FIFO and a dangling-free link to a folder. Writing must refuse them all."""
    import socket

    folder.mkdir()
    made = [folder / "fifo.png"]
    os.mkfifo(made[0])
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "socket.png"))
    sock.close()
    made.append(folder / "socket.png")
    try:
        os.mknod(folder / "null.png", 0o666 | stat.S_IFCHR, os.makedev(1, 3))
        made.append(folder / "null.png")
    except PermissionError:
        pass
    (folder / "link-to-fifo.png").symlink_to(made[0])
    (folder / "link-to-folder.png").symlink_to(folder)
    return [*made, folder / "link-to-fifo.png", folder / "link-to-folder.png"]


def _kinds(paths: list[str]) -> list[tuple[str, int, int]]:
    """(path, file type, inode) of each path, links not followed."""
    return [(p, stat.S_IFMT(os.lstat(p).st_mode), os.lstat(p).st_ino) for p in paths]


def _pool(command: str, param: Any, files: dict[str, list[str]], quick: bool) -> list[str]:
    """The values one option or argument of one command may take."""
    opt = param.opts[0] if param.opts else param.name
    if f"{command} {opt}" in CHOICES:
        return CHOICES[f"{command} {opt}"]
    kind = param.type.name
    if opt in ("--prior", "--likelihood"):
        return [f"{n}={v}" for n in NAMES[:3] for v in ("1/2", "1/3", "0")] + [
            f"{n}={v}" for n in NAMES for v in NUMBER_TEXT[::3]] + ["A", "=1/2", ""]
    if opt == "--urn":
        return ["A=white:1,black:1", "B=white:2,black:1", "C=white:1e400,black:1",
                "A=white:0,black:0", "A=white:-1", "A=white", "A=", "white:1",
                "A=white:1,white:2", "B=red:1e-00000000000000000000001000000"]
    if opt == "--draw":
        return COLOURS
    if opt == "--mc":
        return ["10", "200", "1e2", "0", "-5", "1.5", "abc", "1e400", "nan", ""]
    if opt in WORK:
        return WORK_INT_TEXT
    if opt in ("--train", "--test", "--data"):
        return files["data"]
    if opt == "--model" and kind == "path":
        return files["model"]
    if opt == "images":
        return files["photo"]
    if opt == "--out":
        return files["out"]
    if opt == "--plot":
        return files["plot"]
    if opt == "--annotate":
        return files["annotate"]
    if opt == "--grid" and not quick:
        return ["quick", "default", "everything"]
    if opt in CHOICES:
        return CHOICES[opt]
    if kind in ("integer", "int", "int range"):
        return INT_TEXT
    if kind == "float":
        return FLOAT_TEXT
    if kind == "path":
        return files["data"] + files["photo"]
    return NUMBER_TEXT


def _tune_is_small(args: list[str]) -> bool:
    """tune without --grid quick or its own small lists searches 48+ candidates: too slow
    for the quick loop (it is fuzzed with the larger budget)."""
    own = {"--model", "--l2", "--preprocessing", "--iterations", "--flip", "--seeds"}
    return "quick" in args or bool(own & set(args))


@st.composite
def invocations(draw: Any, command: str, files: dict[str, list[str]], quick: bool) -> list[str]:
    cmd = _command(command)
    args = command.split()
    for param in cmd.params:
        opt = param.opts[0] if param.opts else param.name
        if quick and opt in SLOW_ONLY:
            continue
        if getattr(param, "is_flag", False):
            if draw(st.booleans()):
                args.append(opt)
            continue
        # required options usually present (else the run stops at parsing)
        present = draw(st.integers(0, 9)) < (8 if param.required else 4)
        if not present:
            continue
        pool = _pool(command, param, files, quick)
        repeats = draw(st.integers(1, 3)) if getattr(param, "multiple", False) or (
            not param.opts and param.nargs == -1) else 1
        for _ in range(repeats):
            value = draw(st.sampled_from(pool))
            if param.opts:
                args += [opt, value]
            else:
                args.append(value)
    if command == "tune" and quick and not _tune_is_small(args):
        args += ["--grid", "quick"]
    if command == "derive" and quick:  # building a derivation takes seconds
        args = [a for a in args if a not in ("sigmoid", "cross-entropy", "l2", "base-rate")]
        args.insert(1, draw(st.sampled_from(["softmax", "", "--list"])))
    return args


# ---------------------------------------------------------------- running


class TookTooLong(BaseException):
    """Raised by the alarm when an in-process run passes the time bound."""


@contextlib.contextmanager
def _time_bound(seconds: float) -> Iterator[None]:
    def alarm(signum: int, frame: Any) -> None:
        raise TookTooLong(f"a run took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_in_process(args: list[str]) -> tuple[int, str, str, float]:
    """Run the console script's code in this process; return code, stdout, stderr, seconds."""
    out, err = io.StringIO(), io.StringIO()

    def show(message: Any, category: Any, filename: str, lineno: int, file: Any = None,
             line: Any = None) -> None:  # raw warnings go where the user would see them
        err.write(warnings.formatwarning(message, category, filename, lineno, line))

    start = time.perf_counter()
    with warnings.catch_warnings(), contextlib.redirect_stdout(out), \
            contextlib.redirect_stderr(err), _time_bound(TIME_BOUND):
        warnings.simplefilter("default")
        warnings.showwarning = show
        try:
            code = run(app_for(args), args=args)
        except SystemExit as exc:  # what the console script would exit with
            code = exc.code if isinstance(exc.code, int) else 1
        except TookTooLong:
            raise
        except BaseException as exc:  # anything else would be a traceback for the user
            import traceback

            err.write("Traceback (most recent call last):\n" + "".join(
                traceback.format_exception(exc)))
            code = 1
    return code, out.getvalue(), err.getvalue(), time.perf_counter() - start


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> None:
        raise ValueError(f"non-strict JSON constant {name}")

    return json.loads(text, parse_constant=refuse)


def check_outcome(args: list[str], code: int, stdout: str, stderr: str,
                  seconds: float) -> None:
    """The contract every run keeps (see the module docstring)."""
    shown = f"probkit {' '.join(repr(a) if ' ' in a or not a else a for a in args)}"
    context = f"{shown}\nexit {code}\n--- stdout\n{stdout[-2000:]}\n--- stderr\n{stderr[-3000:]}"
    assert code in (0, 1, 2), context
    assert "Traceback" not in stdout + stderr, context
    for raw in ("Warning: ", "warnings.warn("):
        assert raw not in stderr, context
    assert "━" not in stderr, context  # off a terminal: plain lines, not a drawn bar
    assert seconds < TIME_BOUND, context
    lines = stderr.splitlines()
    errors = [i for i, line in enumerate(lines) if line.startswith("error: ")]
    if code == 0:
        assert not errors, context
        if "--json" in args and "--help" not in args:
            payload = _strict_json(stdout)
            assert isinstance(payload, dict), context
    else:
        assert len(errors) == 1 and errors[0] == len(lines) - 1, context
        assert len(lines[-1]) < 2000, context


# ---------------------------------------------------------------- the tests

QUICK = settings(max_examples=4, deadline=None, derandomize=True, database=None,
                 suppress_health_check=list(HealthCheck))
LARGE = settings(max_examples=60, deadline=None,
                 suppress_health_check=list(HealthCheck))


def check_run(args: list[str], files: dict[str, list[str]]) -> None:
    """Run ``args`` in process, check the contract, and check that no special file was
    replaced (a FIFO, socket or device given as an output must stay what it was)."""
    before = _kinds(files["specials"])
    check_outcome(args, *run_in_process(args))
    assert _kinds(files["specials"]) == before, args


@pytest.mark.parametrize("command", COMMANDS)
def test_fuzz_every_command_quick(files, command) -> None:
    @QUICK
    @given(invocations(command, files, quick=True))
    def check(args: list[str]) -> None:
        check_run(args, files)

    check()


@pytest.mark.parametrize("command", COMMANDS)
def test_fuzz_every_command_larger_budget(files, command) -> None:
    @LARGE
    @given(invocations(command, files, quick=False))
    def check(args: list[str]) -> None:
        check_run(args, files)

    check()


HOSTILE = {
    "special-file outputs": lambda d, s: [
        *[["derive", "sigmoid", "-o", p] for p in s],
        *[["train", "--train", f"{d}/train.h5", "--out", p, "--iterations", "2"] for p in s],
        *[["check", "-", "--annotate", p] for p in s],
        *[["bayes", "--values", "0:1:11", "--family", "binomial", "--data", "3/10",
           "--plot", p] for p in s],
        *[["evaluate", "--model", f"{d}/model.npz", "--data", f"{d}/test.h5", "--plot", p]
          for p in s if not p.endswith("link-to-folder.png")]],  # a folder, as --plot asks
    "inconsistent assumptions": lambda d, s: [
        ["derive", "--expr", "x", "--assume", a, "--assume", b] for a, b in (
            ("x>0", "x<0"), ("positive", "negative"), ("x>=0", "x<=0"), ("positive", "x<0"))
    ] + [["derive", "--chain", "y = x**2", "--assume", a, "--assume", b]
         for a, b in (("x>0", "x<0"), ("positive", "negative"))],
    "cost bombs": lambda d, s: [
        ["derive", "--expr", "+".join(f"sin({k}*x)" for k in range(1, 100))],
        ["derive", "--expr", "*".join(f"tanh({k}*x)" for k in range(1, 80))],
        ["derive", "--chain", "q0 = x*sin(x) + cos(x)",
         *[f"--chain=q{i + 1} = q{i}*sin(q{i}) + cos(q{i})" for i in range(29)]]],
    "split confusion": lambda d, s: [
        ["evaluate", "--model", f"{d}/model.npz", "--data", f"{d}/both.h5"],
        ["compare", "--model", f"{d}/model.npz", "--model", f"{d}/model.npz", "--data",
         f"{d}/both.h5"],
        ["predict", "--model", f"{d}/model.npz", "--data", f"{d}/both.h5", "--json"],
        ["evaluate", "--model", f"{d}/model.npz", "--data", f"{d}/both.h5", "--split", "x"]],
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_cases_are_refused_by_name(files, kind) -> None:
    """The hostile cases of issue 23, each run through the contract: every one is refused
    with exit 2 and one error line, and no special file is replaced."""
    d = Path(files["data"][0]).parent
    cases = HOSTILE[kind](d, files["specials"])
    for args in cases:
        before = _kinds(files["specials"])
        code, out, err, seconds = run_in_process(args)  # check - stops before reading stdin
        check_outcome(args, code, out, err, seconds)
        assert code == 2, (args, err)
        assert _kinds(files["specials"]) == before, args


def test_the_checker_catches_what_it_must(files) -> None:
    """Negative controls: each broken outcome fails the contract."""
    good = (["bayes", "--json"], 0, '{"a": 1}', "", 0.1)
    check_outcome(*good)
    broken = [
        (["bayes"], 3, "", "error: x\n", 0.1),                           # exit code
        (["bayes"], 1, "", "Traceback (most recent call last):\n", 0.1),  # traceback
        (["bayes", "--json"], 0, '{"a": NaN}', "", 0.1),                   # not strict
        (["bayes", "--json"], 0, '{"a": 1}\n{"b": 2}', "", 0.1),           # two objects
        (["bayes"], 2, "", "error: one\nerror: two\n", 0.1),              # two errors
        (["bayes"], 2, "", "oops\n", 0.1),                                 # no error line
        (["bayes"], 0, "", "x.py:1: UserWarning: raw\n", 0.1),            # raw warning
        (["bayes"], 0, "", "", TIME_BOUND + 1),                            # too slow
    ]
    for case in broken:
        with pytest.raises((AssertionError, ValueError)):
            check_outcome(*case)


# ---------------------------------------------------------------- the real entry point


def _script() -> Path:
    script = Path(sys.executable).with_name("probkit")
    if not script.exists():
        pytest.skip("the probkit console script is not installed next to this interpreter")
    return script


def run_script(args: list[str]) -> tuple[int, str, str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    start = time.perf_counter()
    try:
        done = subprocess.run([str(_script()), *args], capture_output=True, text=True,
                              env=env, check=False, timeout=TIME_BOUND)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"probkit {' '.join(args)} took more than {TIME_BOUND} s: {exc}")
    return done.returncode, done.stdout, done.stderr, time.perf_counter() - start


def test_installed_script_keeps_the_contract(files) -> None:
    """A few known-nasty runs of the installed console script (subprocesses, so slow-ish)."""
    d = Path(files["data"][0]).parent
    cases = [
        ["diagnostic", "--prevalence", "1e-00000000000000000000001000000", "--sensitivity",
         "0.9", "--specificity", "0.9"],
        ["train", "--features", "pixels",
         "--train", str(d / "train.h5"), "--out", str(d / "outputs" / "s.npz"),
         "--l2", "1e400", "--json"],
    ]
    for args in cases:
        code, out, err, seconds = run_script(args)
        check_outcome(args, code, out, err, seconds)
        assert code == 2, (args, err)


def test_installed_script_more_known_cases(files) -> None:
    d = Path(files["data"][0]).parent
    for args in (["evaluate", "--model", str(d / "model.npz"), "--data", str(d / "empty.h5")],
                 ["predict", "--model", str(d / "bad-model.npz"), str(d / "photo.png"),
                  "--json"],
                 []):
        code, out, err, seconds = run_script(args)
        check_outcome(args, code, out, err, seconds)


def test_installed_script_fuzzed(files) -> None:
    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.sampled_from(COMMANDS).flatmap(lambda c: invocations(c, files, quick=True)))
    def check(args: list[str]) -> None:
        check_outcome(args, *run_script(args))

    check()
