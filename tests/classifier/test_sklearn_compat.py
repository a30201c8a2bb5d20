"""The models and the feature transformers are real scikit-learn estimators (scikit-learn
is a test-only dependency).

scikit-learn's own estimator checks run on both models; they all pass but for the two
that this environment cannot run (named in EXPECTED_SKIPS with the reason). They run on
the feature transformers too, in their flattened-row form (``image_shape``); the checks
that fail there are listed in EXPECTED_FAILED with the one reason, and each property they
test is tested here on rows of the right length (test_transformer_contract_on_image_rows).
"""

from __future__ import annotations

import doctest
import pickle
import re
import sys
import warnings
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import pytest

sklearn = pytest.importorskip("sklearn")

from sklearn.base import clone, is_classifier  # noqa: E402
from sklearn.calibration import CalibratedClassifierCV  # noqa: E402
from sklearn.exceptions import NotFittedError as SklearnNotFittedError  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402
from sklearn.utils.estimator_checks import check_estimator, parametrize_with_checks  # noqa: E402
from sklearn.utils.validation import check_is_fitted  # noqa: E402

from probkit.classifier.features import (  # noqa: E402
    HOG,
    ColourHistogram,
    Concatenate,
    FeatureTransformer,
    ImageStatistics,
    LocalBinaryPattern,
    RawPixels,
    SpatialColour,
    SquareRoot,
    Standardize,
)
from probkit.classifier.features.representation import ImageFeatures  # noqa: E402
from probkit.classifier.models import LogisticRegression, TwoLayerNet  # noqa: E402
from probkit.errors import DataError, InputError, NotFittedError, ProbkitError  # noqa: E402

# Checks that do not run here, and why (they are skipped by scikit-learn itself, not by us):
EXPECTED_SKIPS = {
    "check_array_api_input": "needs SCIPY_ARRAY_API=1 and an array-API library",
    "check_classifier_data_not_an_array": "its pandas half needs pandas, not a test dependency",
}


def _blobs(n: int = 80, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    X = rng.normal(size=(n, 3)) + 1.5 * y[:, None]
    return X, y


@parametrize_with_checks([LogisticRegression(), TwoLayerNet(hidden=4)])
def test_scikit_learn_estimator_checks(estimator, check) -> None:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check(estimator)


def test_the_expected_skips_are_the_only_ones() -> None:
    from sklearn.utils.estimator_checks import check_estimator

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(LogisticRegression(), on_fail=None)
    not_passed = {r["check_name"]: r["status"] for r in results if r["status"] != "passed"}
    assert set(not_passed) <= set(EXPECTED_SKIPS)
    assert all(status == "skipped" for status in not_passed.values())


@pytest.mark.parametrize("cls", [LogisticRegression, TwoLayerNet])
def test_clone_and_deep_params(cls) -> None:  # type: ignore[no-untyped-def]
    model = cls(l2=0.5, max_iter=7)
    copy = clone(model)
    assert copy is not model and copy.get_params(deep=True) == model.get_params(deep=False)
    assert is_classifier(model)


def test_any_two_labels_are_classes() -> None:
    X, y = _blobs()
    labels = np.where(y == 1, "cat", "dog")
    model = LogisticRegression(solver="lbfgs", max_iter=200).fit(X, labels)
    assert model.classes_.tolist() == ["cat", "dog"]
    coded = LogisticRegression(solver="lbfgs", max_iter=200).fit(X, 1 - y)
    # "dog" (the second sorted label) is class 1 exactly as 1 - y == 1 is
    np.testing.assert_allclose(model.predict_proba(X), coded.predict_proba(X), atol=1e-12)
    assert set(model.predict(X)) <= {"cat", "dog"}
    assert model.score(X, labels) == coded.score(X, 1 - y) > 0.8
    signed = LogisticRegression(solver="lbfgs", max_iter=200).fit(X, 2 * y - 1)
    assert signed.classes_.tolist() == [-1, 1]
    assert set(signed.predict(X).tolist()) == {-1, 1}


def test_grid_search_pipeline_and_calibration_drive_the_models() -> None:
    X, y = _blobs(120)
    scores = cross_val_score(LogisticRegression(solver="lbfgs", max_iter=100), X, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.75
    search = GridSearchCV(make_pipeline(StandardScaler(), TwoLayerNet(hidden=3, max_iter=300)),
                          {"twolayernet__l2": [0.0, 1.0]}, cv=3).fit(X, y)
    assert search.best_params_["twolayernet__l2"] in (0.0, 1.0)
    calibrated = CalibratedClassifierCV(LogisticRegression(solver="lbfgs"), cv=3).fit(X, y)
    proba = calibrated.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_not_fitted_error_is_probkit_and_scikit_learn_alike() -> None:
    model = LogisticRegression()
    with pytest.raises(NotFittedError) as info:
        model.predict(np.zeros((2, 3)))
    error = info.value
    assert isinstance(error, ProbkitError | ValueError) and isinstance(error, AttributeError)
    # scikit-learn is loaded in this test, so the error is its NotFittedError too
    assert isinstance(error, SklearnNotFittedError)


def test_not_fitted_error_without_scikit_learn_loaded() -> None:
    import subprocess

    code = ("import sys\nfrom probkit.classifier.models import LogisticRegression\n"
            "from probkit.classifier.features import HOG\n"
            "from probkit.errors import NotFittedError\n"
            "for unfitted in (lambda: LogisticRegression().predict([[0.0]]),\n"
            "                 lambda: HOG(image_shape=(8, 8, 3)).transform([[0.0] * 192])):\n"
            "    try:\n        unfitted()\n"
            "    except NotFittedError as e:\n"
            "        assert isinstance(e, ValueError) and isinstance(e, AttributeError)\n"
            "        print(type(e) is NotFittedError, 'sklearn' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "False", "True", "False"]


def test_sparse_complex_and_single_class_are_refused_by_name() -> None:
    from scipy.sparse import csr_matrix

    X, y = _blobs(20)
    with pytest.raises(InputError, match="sparse matrix.*toarray"):
        LogisticRegression().fit(csr_matrix(X), y)
    with pytest.raises(InputError, match="Complex data not supported"):
        LogisticRegression().fit(X + 1j, y)
    with pytest.raises(InputError, match="holds 1 class"):
        LogisticRegression().fit(X, np.ones_like(y))


def test_fitted_model_pickles_for_scikit_learn_but_model_files_do_not() -> None:
    # scikit-learn tools (joblib, n_jobs) pickle estimators; probkit's own model files never do
    X, y = _blobs(30)
    model = LogisticRegression(solver="lbfgs").fit(X, y)
    again = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(again.predict_proba(X), model.predict_proba(X))


# ---- the feature transformers ---------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[2]
PIXEL = (1, 1, 3)  # a row is one RGB pixel: the 3 columns most of scikit-learn's checks feed
TINY = (8, 8, 3)  # HOG needs at least a cell: 8x8 images, 192 columns


def _transformers() -> list[FeatureTransformer]:
    return [
        ColourHistogram(image_shape=PIXEL),
        ColourHistogram(space="rgb", bins=(2, 2, 2), image_shape=PIXEL),
        RawPixels(image_shape=PIXEL),
        HOG(orientations=4, cell_size=4, block_size=1, image_shape=TINY),
        Concatenate(parts=(ColourHistogram(bins=(2, 2, 2)), RawPixels()), image_shape=PIXEL),
        Standardize(features=ColourHistogram(space="rgb", bins=(2, 2, 2)), image_shape=PIXEL),
        SquareRoot(features=ColourHistogram(space="rgb", bins=(2, 2, 2)), image_shape=PIXEL),
        ImageStatistics(image_shape=PIXEL),
        LocalBinaryPattern(radii=(1, 2), image_shape=TINY),
        SpatialColour(bins=(2, 2, 2), image_shape=TINY),
    ]


# The one reason checks fail on the transformers: scikit-learn's check makes its own X, with a
# number of columns that is not a row of image_shape (h*w*3 pixel values), and the transformer
# refuses it by name -- the right answer for an image, not a bug. check -> columns of its X.
WRONG_LENGTH_FOR_ANY_IMAGE = {
    "check_estimators_overwrite_params": 2,
    "check_estimators_fit_returns_self": 2,
    "check_readonly_memmap_input": 2,
    "check_fit_idempotent": 2,
    "check_fit_check_is_fitted": 2,
    "check_n_features_in": 2,
    "check_n_features_in_after_fitting": 4,
    "check_estimators_dtypes": 5,
    "check_dtype_object": 10,
    "check_fit2d_1sample": 10,
}
# ... and the rows of HOG, LBP and colour per region (8x8 images) are 192 long, so the
# checks that feed 3 columns fail on them too
WRONG_LENGTH_FOR_HOG = dict.fromkeys((
    "check_fit_score_takes_y", "check_dont_overwrite_parameters", "check_pipeline_consistency",
    "check_estimators_nan_inf", "check_estimators_pickle", "check_f_contiguous_array_estimator",
    "check_transformer_data_not_an_array", "check_transformer_general",
    "check_transformer_preserve_dtypes", "check_methods_sample_order_invariance",
    "check_methods_subset_invariance", "check_dict_unchanged", "check_fit2d_predict1d"), 3)


def EXPECTED_FAILED(transformer: FeatureTransformer) -> dict[str, str]:  # noqa: N802
    """check name -> reason, for the checks that fail on ``transformer`` (and only those)."""
    h, w, c = transformer.image_shape
    columns = dict(WRONG_LENGTH_FOR_ANY_IMAGE)
    if transformer.image_shape == TINY:
        columns.update(WRONG_LENGTH_FOR_HOG)
    return {name: f"its X has {k} columns, not a row of image_shape={transformer.image_shape} "
                  f"({h}*{w}*{c} pixel values); refused by name, as it should be"
            for name, k in columns.items()}


def _check_name(check: Any) -> str:
    while isinstance(check, partial):
        check = check.func
    return str(check.__name__)


def _run_check(estimator: FeatureTransformer, check: Any) -> None:
    """Run one of scikit-learn's checks; an expected failure must fail, and for its reason."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if _check_name(check) not in EXPECTED_FAILED(estimator):
            check(estimator)
            return
        # (not pytest's xfail: rendering each traceback costs half a second)
        with pytest.raises((DataError, AssertionError)) as info:
            check(estimator)
    assert re.search(r"X has \d+ feature\(s\) per row.*image_shape", str(info.value))


# two of the transformers in the quick loop, the rest with the slow tests
@parametrize_with_checks(_transformers()[::3])
def test_scikit_learn_checks_on_colour_histogram_and_hog(estimator, check) -> None:  # type: ignore[no-untyped-def]
    _run_check(estimator, check)


@parametrize_with_checks([t for i, t in enumerate(_transformers()) if i % 3])
def test_scikit_learn_checks_on_the_other_transformers(estimator, check) -> None:  # type: ignore[no-untyped-def]
    _run_check(estimator, check)


@pytest.mark.parametrize("transformer", _transformers(), ids=repr)
def test_the_expected_failures_are_exactly_what_fails(transformer) -> None:  # type: ignore[no-untyped-def]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        results = check_estimator(clone(transformer), on_fail=None)
    status: dict[str, set[str]] = {}
    for r in results:
        status.setdefault(r["check_name"], set()).add(r["status"])
    failed = {name for name, s in status.items() if "failed" in s}
    skipped = {name for name, s in status.items() if "skipped" in s}
    assert failed == set(EXPECTED_FAILED(transformer))
    assert skipped == {"check_array_api_input"}
    # the failures are the refusal of the row length, not something else going wrong
    for r in results:
        if r["status"] == "failed":
            assert re.search(r"X has \d+ feature\(s\) per row.*image_shape", str(r["exception"]))
    passed = sum(r["status"] == "passed" for r in results)
    assert passed == (22 if transformer.image_shape == TINY else 37) and len(results) == 48


def _rows(transformer: FeatureTransformer, n: int = 12, seed: int = 0) -> np.ndarray:
    h, w, c = transformer.image_shape
    return np.random.default_rng(seed).integers(0, 256, (n, h * w * c)).astype(np.float64)


@pytest.mark.parametrize("transformer", _transformers(), ids=repr)
def test_transformer_contract_on_image_rows(transformer) -> None:  # type: ignore[no-untyped-def]
    """What the failing checks test, on rows that are images."""
    X = _rows(transformer)
    before = repr(transformer.get_params(deep=True))
    with pytest.raises(SklearnNotFittedError):
        check_is_fitted(transformer)
    fitted = transformer.fit(X)
    assert fitted is transformer  # fit returns self
    check_is_fitted(transformer)
    assert repr(transformer.get_params(deep=True)) == before  # parameters left as given
    for inner in transformer._nested():
        assert not hasattr(inner, "input_shape_")  # the ones given stay unfitted
    assert transformer.n_features_in_ == X.shape[1]
    expected = transformer.transform(X)
    assert expected.dtype == np.float64 and expected.shape == (12, transformer.n_features_out_)
    np.testing.assert_allclose(clone(transformer).fit_transform(X), expected)  # idempotent
    np.testing.assert_allclose(transformer.fit(X).transform(X), expected)
    for dtype in (np.uint8, np.int32, np.int64, np.float32):
        np.testing.assert_allclose(clone(transformer).fit(X.astype(dtype)).transform(
            X.astype(dtype)), expected, atol=1e-6)
    np.testing.assert_allclose(clone(transformer).fit(X.astype(object)).transform(X), expected)
    readonly = X.copy()
    readonly.flags.writeable = False
    np.testing.assert_allclose(clone(transformer).fit(readonly).transform(readonly), expected)
    np.testing.assert_allclose(transformer.transform(np.asfortranarray(X)), expected)
    state = dict(vars(transformer))
    transformer.transform(X)
    assert set(vars(transformer)) == set(state)  # transform changes nothing
    order = np.random.default_rng(1).permutation(12)
    np.testing.assert_allclose(transformer.transform(X[order]), expected[order])
    np.testing.assert_allclose(np.vstack([transformer.transform(X[:5]),
                                          transformer.transform(X[5:])]), expected)
    np.testing.assert_allclose(pickle.loads(pickle.dumps(transformer)).transform(X), expected)
    clone(transformer).fit(X[:1])  # one image is enough
    with pytest.raises(DataError, match=f"X has {X.shape[1] - 1} feature.*image_shape"):
        transformer.transform(X[:, :-1])
    with pytest.raises(DataError, match="Negative values"):
        clone(transformer).fit(-X - 1)
    with pytest.raises(DataError, match="NaN"):
        clone(transformer).fit(np.where(X > 128, np.nan, X))
    with pytest.raises(InputError, match="must hold numbers"):
        clone(transformer).fit(np.full(X.shape, "a", dtype=object))


def test_rows_and_images_give_the_same_features() -> None:
    images = np.random.default_rng(3).integers(0, 256, (6, 16, 12, 3), dtype=np.uint8)
    rows = images.reshape(6, -1)
    for template in (ColourHistogram(), HOG(cell_size=4), RawPixels(),
                     Standardize(features=Concatenate(parts=(SquareRoot(
                         features=ColourHistogram(space="rgb")), HOG(cell_size=4))))):
        on_images = clone(template).fit_transform(images)
        flat = clone(template).set_params(image_shape=(16, 12, 3))
        np.testing.assert_array_equal(flat.fit_transform(rows), on_images)
        np.testing.assert_array_equal(flat.transform(images), on_images)  # images still work
        # negative control: the right length read as the wrong geometry changes HOG's features
        if isinstance(template, HOG):
            transposed = clone(template).set_params(image_shape=(12, 16, 3)).fit_transform(rows)
            assert transposed.shape != on_images.shape or not np.allclose(transposed, on_images)


def test_a_row_of_the_wrong_length_or_2d_without_image_shape_is_refused_by_name() -> None:
    hist = ColourHistogram(image_shape=(4, 4, 3)).fit(np.zeros((2, 48)))
    with pytest.raises(DataError, match=r"X has 47 feature\(s\) per row, but ColourHistogram "
                                        r"is expecting 48.*image_shape=\(4, 4, 3\)") as info:
        hist.transform(np.zeros((2, 47)))
    assert info.value.parameter == "image_shape"
    with pytest.raises(DataError, match="set image_shape=\\(height, width, 3\\)"):
        HOG().fit(np.zeros((2, 192)))
    with pytest.raises(DataError, match=r"shape \(8, 8, 3\) but image_shape is \(4, 4, 3\)"):
        hist.transform(np.zeros((2, 8, 8, 3)))
    with pytest.raises(DataError, match="0, 255"):
        hist.transform(np.full((2, 48), 256.0))
    with pytest.raises(InputError, match="image_shape=\\(4, 4, 1\\) is invalid"):
        ColourHistogram(image_shape=(4, 4, 1)).fit(np.zeros((2, 16)))
    with pytest.raises(DataError, match="sparse"):
        from scipy.sparse import csr_matrix

        hist.transform(csr_matrix(np.zeros((2, 48))))


def test_clone_deep_params_and_nested_set_params() -> None:
    inner = HOG(cell_size=4)
    std = Standardize(features=inner)
    params = std.get_params(deep=True)
    assert params["features"] is inner and params["features__cell_size"] == 4
    assert set(std.get_params(deep=False)) == {"features", "image_shape"}
    copy = clone(std)
    assert copy.features is not inner and copy.features == inner
    own = std.clone()
    assert own.features is not inner and own == std
    std.set_params(features__cell_size=2, image_shape=(8, 8, 3))
    assert inner.cell_size == 2 and std.image_shape == (8, 8, 3)

    both = Concatenate(parts=(ColourHistogram(bins=(2, 2, 2)), HOG()))
    deep = both.get_params(deep=True)
    assert deep["parts__0"] is both.parts[0] and deep["parts__1__orientations"] == 9
    both.set_params(parts__0__bins=(4, 1, 1), parts__1=RawPixels())
    assert both.parts[0].bins == (4, 1, 1) and isinstance(both.parts[1], RawPixels)
    assert isinstance(both.parts, tuple)
    copy = clone(both)
    assert all(a is not b and a == b for a, b in zip(copy.parts, both.parts, strict=True))
    # negative controls: unknown names, at any depth, are refused by name
    with pytest.raises(InputError, match="no hyperparameter 'sigma'"):
        std.set_params(features__sigma=1.0)
    with pytest.raises(InputError, match=r"\(positions 0 to 1\); there is no parts__2__bins"):
        both.set_params(parts__2__bins=(1, 1, 1))
    with pytest.raises(InputError, match="holds no estimator"):
        both.set_params(image_shape__height=3)
    with pytest.raises(InputError, match="no hyperparameter 'bins'"):
        HOG().set_params(bins=(1, 1, 1))


def test_composites_fit_copies_and_leave_their_parts_unfitted() -> None:
    images = np.random.default_rng(4).integers(0, 256, (5, 8, 8, 3), dtype=np.uint8)
    part = ColourHistogram(bins=(2, 2, 2))
    both = Concatenate(parts=(part, RawPixels())).fit(images)
    assert not hasattr(part, "input_shape_") and both.parts_[0] is not part
    np.testing.assert_array_equal(both.transform(images)[:, :8], part.fit_transform(images))
    std = Standardize(features=HOG(cell_size=4)).fit(images)
    assert not hasattr(std.features, "input_shape_") and hasattr(std.features_, "input_shape_")
    hist = ColourHistogram(space="rgb", bins=(2, 2, 2))
    root = SquareRoot(features=hist).fit(images)
    assert not hasattr(hist, "input_shape_") and root.features_ is not hist
    np.testing.assert_allclose(root.transform(images) ** 2, hist.fit_transform(images))


@pytest.mark.parametrize("unfitted", [HOG(), Standardize(features=RawPixels()),
                                      ImageFeatures(features="hsv:2x2x2")], ids=repr)
def test_unfitted_transformers_raise_not_fitted_error(unfitted) -> None:  # type: ignore[no-untyped-def]
    images = np.zeros((2, 16, 16, 3), dtype=np.uint8)
    with pytest.raises(NotFittedError, match="not fitted yet") as info:
        unfitted.transform(images)
    error = info.value
    assert isinstance(error, ValueError) and isinstance(error, AttributeError)
    assert isinstance(error, SklearnNotFittedError) and isinstance(error, ProbkitError)
    with pytest.raises(SklearnNotFittedError):
        check_is_fitted(unfitted)
    check_is_fitted(unfitted.fit(images))


def test_image_features_is_an_estimator_with_the_model_file_params() -> None:
    rep = ImageFeatures(features="std(hsv:2x2x2)", method="scale")
    assert rep.get_params(deep=True) == {"features": "std(hsv:2x2x2)", "method": "scale"}
    assert clone(rep).set_params(method="standardize").method == "standardize"
    with pytest.raises(InputError, match="features='sift' is invalid.*unknown features"):
        ImageFeatures(features="sift").fit(np.zeros((2, 4, 4, 3)))
    with pytest.raises(InputError, match="preprocessing: 'bogus' is not one of") as info:
        ImageFeatures(method="bogus").fit(np.zeros((2, 4, 4, 3)))
    assert info.value.parameter == "preprocessing"  # what the CLI calls it


def _stripes(n: int = 40, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """8x8 images: class 1 horizontal stripes, class 0 vertical, same colours, plus noise."""
    y = np.arange(n) % 2
    stripes = np.arange(8) // 2 % 2 * 200
    images = np.where(y[:, None, None, None] == 1, stripes[None, :, None, None],
                      stripes[None, None, :, None])
    noise = np.random.default_rng(seed).integers(0, 50, (n, 8, 8, 3))
    return (images + noise).astype(np.uint8), y


def _tinted(n: int = 40, seed: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """8x8 noise images; class 1 has its red channel raised."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % 2
    images = rng.integers(0, 160, (n, 8, 8, 3))
    images[y == 1, :, :, 0] += 90
    return images.astype(np.uint8), y


def test_pipeline_of_a_transformer_and_logistic_regression_in_cross_val_score() -> None:
    images, y = _tinted()
    rows = images.reshape(len(images), -1)
    pipe = make_pipeline(ColourHistogram(space="rgb", bins=(2, 2, 2), image_shape=(8, 8, 3)),
                         LogisticRegression(solver="lbfgs"))
    assert cross_val_score(pipe, rows, y, cv=4).mean() > 0.9
    # negative control: with the labels shuffled the same pipeline is near chance
    shuffled = np.random.default_rng(0).permutation(y)
    assert cross_val_score(pipe, rows, shuffled, cv=4).mean() < 0.75


def test_grid_search_over_a_transformer_parameter_and_a_nested_one() -> None:
    images, y = _tinted()
    rows = images.reshape(len(images), -1)
    pipe = make_pipeline(ColourHistogram(space="rgb", image_shape=(8, 8, 3)),
                         LogisticRegression(solver="lbfgs"))
    search = GridSearchCV(pipe, {"colourhistogram__bins": [(1, 1, 1), (2, 2, 2)]}, cv=4)
    search.fit(rows, y)
    assert search.best_params_ == {"colourhistogram__bins": (2, 2, 2)}
    scores = search.cv_results_["mean_test_score"]
    assert scores[0] == 0.5 and scores[1] > 0.9  # one cell holds every pixel: no information
    # a nested parameter through the pipeline: Concatenate's first part
    stripes, ys = _stripes()
    both = make_pipeline(Concatenate(parts=(ColourHistogram(bins=(2, 1, 1)),
                                            HOG(cell_size=4, block_size=1)),
                                     image_shape=(8, 8, 3)),
                         LogisticRegression(solver="lbfgs"))
    grid = {"concatenate__parts__1__orientations": [1, 4]}
    found = GridSearchCV(both, grid, cv=4).fit(stripes.reshape(40, -1), ys)
    assert found.best_params_ == {"concatenate__parts__1__orientations": 4}
    assert found.best_score_ == 1.0


def _pycon_blocks(path: Path) -> list[str]:
    return re.findall(r"```pycon\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_the_scikit_learn_example_in_the_docs_is_true() -> None:
    blocks = _pycon_blocks(ROOT / "docs" / "classifier.md")
    assert len(blocks) == 1
    parser = doctest.DocTestParser()
    test = parser.get_doctest(blocks[0], {}, "classifier.md", "docs/classifier.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.attempted >= 10 and result.failed == 0
