"""Options a named grid overrides are applied or refused, never ignored."""

from __future__ import annotations

import pytest

from probkit.classifier.selection.candidates import named_grid, search_grid
from probkit.errors import InputError


def test_solver_is_applied_to_a_named_grid() -> None:
    assert {c.solver for c in named_grid("quick")} == {"lbfgs"}  # negative control
    assert {c.solver for c in search_grid("quick", solver="gd")} == {"gd"}
    assert {c.solver for c in search_grid("full", solver="gd")} == {"gd"}


def test_hidden_is_applied_to_the_nets_of_the_full_grid() -> None:
    grid = search_grid("full", hidden=3)
    nets = [c for c in grid if c.model == "two-layer"]
    assert nets and {c.hidden for c in nets} == {3}
    assert {c.hidden for c in named_grid("full") if c.model == "two-layer"} == {7}


@pytest.mark.parametrize(("grid", "hidden", "words"), [
    ("full", 0, "hidden must be a positive integer, got 0"),
    ("quick", 0, "hidden must be a positive integer, got 0"),
    ("quick", 5, "the quick grid has none"),
    ("default", 5, "the default grid has none"),
])
def test_hidden_that_cannot_apply_is_refused_at_once(grid, hidden, words) -> None:
    with pytest.raises(InputError, match=words) as info:
        search_grid(grid, solver="gd", hidden=hidden)
    assert info.value.parameter == "hidden"


@pytest.mark.parametrize("option", ["models", "l2", "preprocessing", "max_iter", "flip",
                                    "seeds"])
def test_a_named_grid_with_its_own_values_is_refused(option) -> None:
    value = {"models": ["logistic"], "l2": [1.0], "preprocessing": ["scale"],
             "max_iter": [10], "flip": "no", "seeds": [1]}[option]
    with pytest.raises(InputError, match="give either a named grid or your own values"):
        search_grid("quick", **{option: value})
    assert search_grid(**{option: value})  # negative control: without --grid it is a grid


def test_custom_grid_applies_every_value() -> None:
    grid = search_grid(models=["two-layer"], l2=[3.0], preprocessing=["standardize"],
                       max_iter=[7], flip="yes", seeds=[2], solver="gd", hidden=4)
    assert [(c.model, c.l2, c.preprocessing, c.max_iter, c.flip, c.seeds, c.solver, c.hidden)
            for c in grid] == [("two-layer", 3.0, "standardize", 7, True, 2, "gd", 4)]
    with pytest.raises(InputError, match="hidden=4 applies to two-layer nets"):
        search_grid(models=["logistic"], hidden=4)
    with pytest.raises(InputError, match="'maybe' is not one of no, yes, both"):
        search_grid(l2=[1.0], flip="maybe")


def test_the_quick_grid_is_a_short_version_of_the_default_path() -> None:
    """--grid quick searches the default model's representation and flips (not raw pixels,
    whose winner is no better than the constant model on the real file), with λ around
    the default's."""
    from probkit.classifier.selection.candidates import DEFAULT_FEATURES, DEFAULT_FLIP, DEFAULT_L2

    quick = named_grid("quick")
    assert {c.representation_params for c in quick} == {(("features", DEFAULT_FEATURES),)}
    assert {c.flip for c in quick} == {DEFAULT_FLIP} and {c.model for c in quick} == {"logistic"}
    assert DEFAULT_L2 in {c.l2 for c in quick} and 2 <= len(quick) < len(named_grid("default"))
