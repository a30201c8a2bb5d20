"""``import probkit`` offers what a notebook needs, lazily (the exact path stays numpy-free)."""

from __future__ import annotations

import subprocess
import sys

import pytest

import probkit


def _modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(','.join(sorted(m.split('.')[0] for m in sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    return set(done.stdout.strip().split(","))


def test_public_names_are_the_library_objects() -> None:
    from probkit.bayes import diagnostic_posterior, posterior, urn_posterior
    from probkit.bayes.montecarlo import monte_carlo
    from probkit.classifier.data.datasets import load_dataset
    from probkit.classifier.models import LogisticRegression, TwoLayerNet
    from probkit.classifier.pipeline import Classifier
    from probkit.gradient_check.learner import gradcheck
    from probkit.symbolic import build
    from probkit.symbolic.lint import check_text

    expected = {"posterior": posterior, "urn_posterior": urn_posterior,
                "diagnostic_posterior": diagnostic_posterior, "monte_carlo": monte_carlo,
                "derive": build, "check": check_text, "load_dataset": load_dataset,
                "Classifier": Classifier, "gradcheck": gradcheck,
                "LogisticRegression": LogisticRegression, "TwoLayerNet": TwoLayerNet}
    for name, obj in expected.items():
        assert getattr(probkit, name) is obj, name
        assert name in probkit.__all__ and name in dir(probkit)
    import probkit.classifier.workflows as workflows

    assert probkit.classifier.workflows is workflows  # the package reached from ``probkit``
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        probkit.nope  # noqa: B018


def test_import_probkit_and_the_exact_path_load_no_numpy() -> None:
    heavy = {"numpy", "scipy", "sympy", "h5py"}
    assert not _modules_after("import probkit") & heavy
    exact = _modules_after("import probkit\nprobkit.posterior({'A': 1}, {'A': 1})")
    assert not exact & heavy
    # negative control: the classifier does load numpy
    assert "numpy" in _modules_after("import probkit\nprobkit.Classifier")


def test_derive_builds_a_checked_derivation() -> None:
    derivation = probkit.derive("sigmoid")
    assert derivation.name == "sigmoid"


def test_help_probkit_lists_every_public_name() -> None:
    """help(probkit) named neither derive_expression, derive_chain nor compare."""
    import pydoc

    from probkit.classifier.workflows import compare
    from probkit.symbolic import derive_chain, derive_expression

    text = pydoc.render_doc(probkit, renderer=pydoc.plaintext)
    for name, obj in (("derive_expression", derive_expression), ("derive_chain", derive_chain),
                      ("compare", compare)):
        assert getattr(probkit, name) is obj and f"``{name}``" in text, name
    for name in probkit.__all__:
        assert name.startswith("_") or name == "ProbkitError" or f"``{name}``" in text, name
