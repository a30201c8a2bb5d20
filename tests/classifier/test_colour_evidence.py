"""Per-pixel evidence of a colour-histogram model: it adds up to the model's logit, it sits on
the pixels of the colours the weights favour, and only models it describes are accepted."""

from __future__ import annotations

import numpy as np
import pytest

from probkit.classifier.data.datasets import make_synthetic
from probkit.classifier.evaluation.colour_evidence import colour_evidence, histogram_weights
from probkit.classifier.features import SquareRoot, parse_features
from probkit.classifier.features.representation import ImageFeatures
from probkit.classifier.models.logistic import LogisticRegression
from probkit.classifier.models.two_layer import TwoLayerNet
from probkit.classifier.pipeline import Classifier
from probkit.errors import InputError


@pytest.fixture(scope="module")
def data():
    return make_synthetic(60, size=8, seed=3)


def _fit(data, features, method="scale", l2=0.1, temperature=1.0):
    clf = Classifier(preprocessor=ImageFeatures(features=features, method=method),
                     estimator=LogisticRegression(l2=l2, solver="lbfgs", max_iter=300))
    clf.fit(data)
    clf.temperature = temperature
    return clf


@pytest.mark.parametrize(("features", "method"), [
    ("hsv:4x2x2", "scale"), ("hsv:4x2x2", "standardize"), ("sqrt(hsv:8x4x4)", "scale"),
    ("sqrt(hsv:8x4x4)", "standardize"), ("sqrt(rgb:2x2x2)", "standardize"),
])
def test_the_maps_and_baseline_add_up_to_the_calibrated_logit(data, features, method):
    clf = _fit(data, features, method, temperature=0.8)
    evidence = colour_evidence(clf, data.images)
    total = evidence.baseline + evidence.maps.sum(axis=(1, 2))
    assert np.allclose(total, clf.decision_function(data.images), atol=1e-10)
    # negative control: the uncalibrated logit (T = 1) is a different number
    assert not np.allclose(total, clf.decision_function(data.images, calibrated=False))


def test_cell_contributions_are_measured_from_the_average_training_image(data):
    clf = _fit(data, "sqrt(hsv:4x2x2)", "standardize", temperature=1.3)
    evidence = colour_evidence(clf, data.images)
    z = clf.decision_function(data.images)
    assert np.allclose(evidence.weights.reference_logit
                       + evidence.cell_contributions.sum(axis=1), z, atol=1e-10)
    # an image whose rooted shares equal the training means gets the reference logit
    assert evidence.weights.mean is not None
    assert np.allclose(evidence.cell_contributions.mean(axis=0), 0.0, atol=1e-12)
    # negative control: without standardization the reference is the empty histogram
    plain = colour_evidence(_fit(data, "sqrt(hsv:4x2x2)"), data.images)
    assert plain.weights.mean is None and plain.weights.reference_logit == plain.baseline


def test_the_contributions_plot_draws(data, tmp_path):
    pytest.importorskip("matplotlib")
    from probkit.classifier.evaluation.plots import plot_colour_contributions, save_figure

    clf = _fit(data, "sqrt(hsv:4x2x2)", "standardize")
    evidence = colour_evidence(clf, data.images)
    p = 1 / (1 + np.exp(-clf.decision_function(data.images)))
    path = save_figure(plot_colour_contributions(evidence, data.labels, p, k=3),
                       tmp_path / "c.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 5000
    with pytest.raises(InputError, match="at least one image"):
        colour_evidence(clf, data.images[:0])


def test_evidence_sits_on_the_pixels_of_a_favoured_colour(data):
    clf = _fit(data, "sqrt(rgb:2x2x2)")
    weights = np.zeros((1, 8))
    weights[0, 4] = 2.0  # the cell of reds: R high, G and B low
    clf.estimator.params_ = {"W": weights, "b": np.array([-1.0])}
    image = np.zeros((1, 8, 8, 3), dtype=np.uint8)
    image[0, :4, :4] = (250, 10, 10)  # a quarter of the pixels are red
    evidence = colour_evidence(clf, image)
    red = np.zeros((8, 8), dtype=bool)
    red[:4, :4] = True
    # oracle by hand: the cell adds 2 * sqrt(16/64) = 1 logit, shared by its 16 pixels
    assert np.allclose(evidence.maps[0][red], 1.0 / 16)
    assert np.all(evidence.maps[0][~red] == 0)
    assert evidence.baseline == pytest.approx(-1.0)
    assert clf.decision_function(image)[0] == pytest.approx(0.0)


def test_the_weights_grid_has_the_histogram_shape(data):
    clf = _fit(data, "hsv:4x2x2", "standardize")
    weights = histogram_weights(clf)
    assert weights.grid().shape == (4, 2, 2) and weights.space == "hsv" and not weights.root
    assert histogram_weights(_fit(data, "sqrt(hsv:4x2x2)")).root


@pytest.mark.parametrize("features", ["pixels", "hog:4,4,1", "hsv:4x2x2+hog:4,4,1"])
def test_other_representations_are_refused_by_name(data, features):
    clf = _fit(data, features, "standardize", l2=10.0)
    with pytest.raises(InputError, match="colour histogram"):
        colour_evidence(clf, data.images[:2])


def test_a_two_layer_net_is_refused(data):
    clf = Classifier(preprocessor=ImageFeatures(features="hsv:4x2x2"),
                     estimator=TwoLayerNet(hidden=3, solver="lbfgs", max_iter=20)).fit(data)
    with pytest.raises(InputError, match="logistic"):
        histogram_weights(clf)


def test_images_of_another_size_are_refused(data):
    clf = _fit(data, "hsv:4x2x2")
    with pytest.raises(InputError, match="8x8"):
        colour_evidence(clf, np.zeros((1, 16, 16, 3), dtype=np.uint8))


def test_square_root_refuses_centred_features_and_matches_numpy():
    images = np.random.default_rng(0).integers(0, 256, (3, 8, 8, 3), dtype=np.uint8)
    rooted = parse_features("sqrt(hsv:4x2x2)").fit(images)
    assert isinstance(rooted, SquareRoot)
    plain = parse_features("hsv:4x2x2").fit(images)
    assert np.allclose(rooted.transform(images) ** 2, plain.transform(images))
    with pytest.raises(InputError, match="centred"):
        SquareRoot(features=parse_features("std(hsv:4x2x2)")).fit(images)
    with pytest.raises(InputError, match="sqrt"):
        parse_features("sqrt(hsv:4x2x2 + hog)")  # the root goes around one part


def test_a_rooted_model_round_trips_through_its_file(data, tmp_path):
    from probkit.classifier.modelfile import load_model, save_model

    clf = _fit(data, "sqrt(hsv:4x2x2)", "standardize")
    save_model(tmp_path / "m.npz", clf)
    again = load_model(tmp_path / "m.npz")
    assert again.preprocessor.label == "sqrt(hsv-hist 4x2x2) std"
    assert np.array_equal(again.decision_function(data.images), clf.decision_function(data.images))
