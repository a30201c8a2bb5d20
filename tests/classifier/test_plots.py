"""Each plot is a valid PNG of sensible size with drawn content; clear error without matplotlib."""

from __future__ import annotations

import builtins
import struct
import zlib

import numpy as np
import pytest

from probkit.classifier.evaluation.calibration import reliability_table
from probkit.classifier.evaluation.plots import (
    most_confident,
    most_confident_mistakes,
    plot_colour_evidence,
    plot_confident_mistakes,
    plot_confident_verdicts,
    plot_cv_curve,
    plot_histogram_weights,
    plot_learning_curve,
    plot_reliability_diagram,
    save_figure,
)
from probkit.errors import DataError, MissingExtraError

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(path) -> tuple[int, int]:
    """Width and height read from the IHDR chunk (independent of matplotlib and PIL)."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert kind == b"IHDR" and length == 13
    width, height = struct.unpack(">II", data[16:24])
    crc = struct.unpack(">I", data[29:33])[0]
    assert crc == zlib.crc32(data[12:29]) & 0xFFFFFFFF
    return width, height


def assert_drawn(path) -> None:
    from PIL import Image

    width, height = png_size(path)
    assert 200 <= width <= 3000 and 200 <= height <= 3000
    with Image.open(path) as im:
        pixels = np.asarray(im.convert("L"), dtype=np.float64)
    assert pixels.shape == (height, width)
    assert pixels.std() > 5.0  # not a blank canvas
    # more than two grey levels: lines, text and fills were drawn
    assert len(np.unique(pixels)) > 10


def test_learning_curve_png(tmp_path):
    fig = plot_learning_curve(np.linspace(1, 0.2, 50), np.linspace(1, 0.5, 50),
                              best_iteration=20)
    assert_drawn(save_figure(fig, tmp_path / "lc.png"))


def test_cv_curve_png(tmp_path):
    curves = {"logistic /255": ([0.0, 1.0, 10.0, 100.0], [0.7, 0.6, 0.55, 0.64],
                                [0.05, 0.04, 0.03, 0.01]),
              "logistic std": ([1.0, 10.0, 100.0], [0.8, 0.62, 0.6], [0.06, 0.03, 0.02])}
    fig = plot_cv_curve(curves, chosen=("logistic /255", 10.0), baseline=0.64)
    assert_drawn(save_figure(fig, tmp_path / "cv.png"))
    with pytest.raises(DataError):
        plot_cv_curve({})


def test_reliability_diagram_png(tmp_path):
    rng = np.random.default_rng(0)
    p = rng.random(300)
    y = (rng.random(300) < p).astype(int)
    fig = plot_reliability_diagram(reliability_table(y, p), ece=0.03)
    assert_drawn(save_figure(fig, tmp_path / "rel.png"))


def test_confident_mistakes_png_and_selection(tmp_path):
    rng = np.random.default_rng(1)
    images = rng.integers(0, 255, size=(10, 8, 8, 3), dtype=np.uint8)
    labels = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
    p = np.array([0.01, 0.98, 0.6, 0.2, 0.9, 0.55, 0.25, 0.1, 0.8, 0.7])
    # oracle: wrong are indices 0 (|0.01-0.5|=0.49), 1 (0.48), 5 (0.05), 6 (0.25), 9 (0.2)
    assert most_confident_mistakes(labels, p, k=3).tolist() == [0, 1, 6]
    fig = plot_confident_mistakes(images, labels, p, k=8)
    assert_drawn(save_figure(fig, tmp_path / "wrong.png"))


def test_confident_verdicts_evidence_and_weights_pngs(tmp_path):
    from probkit.classifier.evaluation.colour_evidence import HistogramWeights

    rng = np.random.default_rng(2)
    images = rng.integers(0, 255, size=(10, 8, 8, 3), dtype=np.uint8)
    labels = np.array([1, 0, 1, 0, 1, 0, 1, 0, 1, 0])
    p = np.array([0.01, 0.99, 0.6, 0.2, 0.95, 0.55, 0.3, 0.1, 0.85, 0.7])
    # oracle: right are 2 (|p - 0.5| = 0.1), 3 (0.3), 4 (0.45), 7 (0.4), 8 (0.35)
    assert most_confident(labels, p, k=3, right=True).tolist() == [4, 7, 8]
    assert most_confident(labels, p, k=3, right=False).tolist() == [0, 1, 6]
    assert_drawn(save_figure(plot_confident_verdicts(images, labels, p, k=3),
                             tmp_path / "verdicts.png"))
    maps = rng.normal(size=(10, 8, 8))
    assert_drawn(save_figure(plot_colour_evidence(maps, labels, p, k=3), tmp_path / "ev.png"))
    weights = HistogramWeights(space="hsv", bins=(8, 4, 4), root=True,
                               cell_weights=rng.normal(size=128), baseline=0.0)
    assert_drawn(save_figure(plot_histogram_weights(weights), tmp_path / "w.png"))
    with pytest.raises(DataError, match="same images"):
        plot_confident_verdicts(images[:3], labels, p)


def test_no_half_written_file_on_failure(tmp_path):
    with pytest.raises(DataError):
        plot_learning_curve([])

    class Broken:
        def savefig(self, path, **kwargs):
            with open(path, "wb") as fh:
                fh.write(b"\x89PNG half")
            raise OSError("disk on fire")

    with pytest.raises(OSError, match="disk on fire"):
        save_figure(Broken(), tmp_path / "half.png")
    assert list(tmp_path.iterdir()) == []


def test_missing_matplotlib_is_a_clear_error(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def blocked(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", blocked)
    with pytest.raises(MissingExtraError, match=r"probkit\[plot\]"):
        plot_learning_curve([1.0, 0.5])


def test_blank_image_fails_the_content_check(tmp_path):
    # negative control for assert_drawn: a uniform white PNG of the same size
    from PIL import Image

    blank = tmp_path / "blank.png"
    Image.new("RGB", (640, 420), "white").save(blank)
    png_size(blank)
    with pytest.raises(AssertionError):
        assert_drawn(blank)


def test_plot_files_get_ordinary_permissions(tmp_path):
    import os

    out = save_figure(plot_learning_curve([1.0, 0.5, 0.25]), tmp_path / "lc.png")
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask


def test_plots_return_figures_and_leave_the_backend_alone(tmp_path):
    import matplotlib
    from matplotlib.figure import Figure

    before = matplotlib.get_backend()
    fig = plot_learning_curve([1.0, 0.5, 0.25])
    assert isinstance(fig, Figure)
    assert matplotlib.get_backend() == before
    # drawing on a given Axes: the caller's figure gets the lines
    host = Figure()
    ax = host.add_subplot()
    assert plot_learning_curve([1.0, 0.5], ax=ax) is host
    assert len(ax.lines) == 1
    rng = np.random.default_rng(0)
    p = rng.random(50)
    other = Figure().add_subplot()
    assert plot_reliability_diagram(reliability_table((p > 0.5).astype(int), p),
                                    ax=other) is other.figure
    assert len(other.figure.axes) == 1  # no count panel on a given Axes
