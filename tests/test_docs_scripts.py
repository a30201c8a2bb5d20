"""Scripts shown in the docs run as scripts, and the docs show them as they are."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DASK_SCRIPT = ROOT / "docs" / "examples" / "dask_monte_carlo.py"


def test_monte_carlo_page_shows_the_dask_script_verbatim():
    page = (ROOT / "docs" / "monte-carlo.md").read_text(encoding="utf-8")
    assert f"```python\n{DASK_SCRIPT.read_text(encoding='utf-8')}```" in page


def test_dask_script_runs_as_a_script(tmp_path):
    pytest.importorskip("distributed")
    done = subprocess.run([sys.executable, str(DASK_SCRIPT), "2e6"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    estimate, stderr = map(float, done.stdout.split())
    exact = 363 / 1288  # 0.001 * 0.99^2 / (0.001 * 0.99^2 + 0.999 * 0.05^2)
    assert abs(estimate - exact) < 5 * stderr


def test_dask_script_without_the_main_guard_fails_negative_control(tmp_path):
    pytest.importorskip("distributed")
    text = DASK_SCRIPT.read_text(encoding="utf-8")
    unguarded = text.replace('if __name__ == "__main__":\n    main(', "main(\n    ")
    assert unguarded != text
    script = tmp_path / "unguarded.py"
    script.write_text(unguarded, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), "2e6"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 or "Traceback" in done.stderr


def test_bayes_page_python_examples_run_as_shown():
    """The ``>>>`` examples of docs/bayes.md (the Distribution section) print what they show."""
    import doctest

    page = (ROOT / "docs" / "bayes.md").read_text(encoding="utf-8")
    start = page.index("## A distribution you can hold")
    text = page[start:page.index("\n## ", start)]
    test = doctest.DocTestParser().get_doctest(text, {}, "bayes.md", "docs/bayes.md", 0)
    assert len(test.examples) >= 15
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


BANDIT_SCRIPT = ROOT / "docs" / "examples" / "thompson_bandit.py"


def _bandit():
    import importlib.util

    spec = importlib.util.spec_from_file_location("thompson_bandit", BANDIT_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bayes_page_shows_the_bandit_script_verbatim_and_its_real_output():
    page = (ROOT / "docs" / "bayes.md").read_text(encoding="utf-8")
    assert f"```python\n{BANDIT_SCRIPT.read_text(encoding='utf-8')}```" in page
    pytest.importorskip("numpy")
    done = subprocess.run([sys.executable, str(BANDIT_SCRIPT)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("\n") == 3
    assert f"```text\n{done.stdout}```" in page


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_thompson_sampling_plays_the_best_arm_and_learns_every_rate(seed):
    pytest.importorskip("numpy")
    bandit = _bandit()
    rounds = 400
    pulls, wins, beliefs = bandit.play(rounds, seed)
    assert sum(pulls) == rounds
    best = max(range(3), key=lambda arm: bandit.TRUE_RATES[arm])
    assert pulls[best] > 0.55 * rounds  # a uniform random player would give it a third
    for arm in range(3):
        # the grid posterior is the conjugate Beta(1 + w, 1 + n - w) one, up to the grid
        conjugate = (wins[arm] + 1) / (pulls[arm] + 2)
        assert float(beliefs[arm].mean()) == pytest.approx(conjugate, abs=0.006)
        swapped = (pulls[arm] - wins[arm] + 1) / (pulls[arm] + 2)  # wins read as losses
        if abs(swapped - conjugate) > 0.05:
            assert float(beliefs[arm].mean()) != pytest.approx(swapped, abs=0.006)
    belief = beliefs[best]
    assert abs(float(belief.mean()) - bandit.TRUE_RATES[best]) < 4 * belief.sd()
    assert belief.sd() < 0.05  # many pulls: a tight posterior


def test_thompson_sampling_follows_the_rates_not_the_arm_order():
    # negative control for the test above: with the best rate on arm 0, arm 0 gets the pulls
    pytest.importorskip("numpy")
    pulls, _, _ = _bandit().play(400, 0, true_rates=(0.6, 0.5, 0.25))
    assert pulls[0] > 0.55 * 400 and pulls[2] < pulls[0]


PHOTO_SCRIPT = ROOT / "docs" / "examples" / "photo_flag_rates.py"


@pytest.mark.realdata
def test_photo_flag_rates_page_shows_what_the_script_prints(cat_data_dir):
    pytest.importorskip("skimage.data")
    pytest.importorskip("sklearn.datasets")
    page = (ROOT / "docs" / "probabilities.md").read_text(encoding="utf-8")
    command = "$ python docs/examples/photo_flag_rates.py $PROBKIT_CAT_DATA --test\n"
    start = page.index(command) + len(command)
    shown = page[start:page.index("```", start)]
    done = subprocess.run([sys.executable, str(PHOTO_SCRIPT), str(cat_data_dir), "--test"],
                          capture_output=True, text=True, timeout=600, cwd=ROOT,
                          env={**os.environ, "OPENBLAS_NUM_THREADS": "1"})
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout == shown
