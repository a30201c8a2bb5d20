"""Model files: a :class:`~probkit.classifier.pipeline.Classifier` as a plain ``.npz`` archive.

Each part of the classifier writes and reads its own arrays
(:func:`~probkit.classifier.models.storage.model_arrays`,
:func:`~probkit.classifier.features.registry.representation_arrays`,
:func:`~probkit.classifier.evaluation.typicality.typicality_arrays`,
:meth:`~probkit.classifier.data.audit.Fingerprints.to_model_arrays`); this module holds the
format's marker and version, the classifier's own values (class names, base rate,
temperature, metadata) and the file itself: atomic writing, size limits, no pickles.

A model file holds only numeric and string arrays (no pickles), and is read
with ``numpy.load(..., allow_pickle=False)``. Format version 1 contains:

============================  ==============================================
array                         meaning
============================  ==============================================
``format``                    the string ``"probkit-classifier"``
``format_version``            the integer 1
``model_type``                ``"logistic"`` or ``"two-layer"``
``hyperparameters``           JSON object of the model's ``get_params()``
``param_<name>``              one float64 array per model parameter
``preprocessing_method``      ``"scale"`` or ``"standardize"``
``input_shape``               (height, width, channels)
``preprocessing_<name>``      the representation's learned arrays (pixels:
                              ``preprocessing_mean``, the per-feature mean
                              subtracted, and ``preprocessing_scale``, the
                              per-feature divisor)
``representation``            optional: the feature step's name in
                              :mod:`probkit.classifier.features.registry`
                              (``"pixels"`` when absent)
``representation_params``     optional: JSON of its ``get_params()``
``class_names``               names of labels 0 and 1
``training_base_rate``        share of label 1 in the training data
``temperature``               logits are divided by it (1.0 by default)
``cost_history``              training cost per iterate
``typicality_<name>``         optional: the out-of-distribution score
                              (:class:`~probkit.classifier.evaluation.typicality.TypicalityScore`
                              ``to_arrays()``: mean, basis, noise_variance,
                              shrinkage, training_scores, alpha); the basis,
                              (features x training images) and most of the
                              file, as float32 (scores agree with float64 to
                              about 1e-7); float64 files load too
``image_typicality_<name>``   optional, only with ``typicality_*``: the same
                              score on the four image statistics of
                              :mod:`probkit.classifier.features.statistics`, the
                              second view; files without it (written before it
                              existed) are read with the feature view alone
``photo_typicality_<name>``   optional, only with ``typicality_*``: the
                              photograph-or-not view that replaces
                              ``image_typicality_*`` in files written now
                              (:class:`~probkit.classifier.evaluation.photo_typicality.PhotoTypicality`
                              ``to_arrays()``: mean, precision, training_scores,
                              alpha); a reader that predates it ignores it and
                              uses the feature view alone
``fingerprint_<name>``        optional: digests (n, 16) uint8, thumbnails
                              (n, 256) and labels (n,) of the training images
                              (:class:`~probkit.classifier.data.audit.Fingerprints`), so
                              ``evaluate`` names test images that copy them
``metadata``                  JSON object: training facts and metrics
============================  ==============================================

Files are written atomically; :func:`load_model` checks every array and
raises :class:`~probkit.errors.ModelFileError` naming the file and problem.
"""

from __future__ import annotations

import math
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from probkit import __version__
from probkit._atomic import atomic_output
from probkit._paths import existing_file
from probkit._stored_arrays import (
    Arrays,
    array_kind,
    json_array,
    problem,
    stored_json_object,
    stored_real,
    stored_string,
)
from probkit.classifier.data.audit import Fingerprints
from probkit.classifier.evaluation.photo_typicality import (
    photo_typicality_arrays,
    photo_typicality_from_arrays,
)
from probkit.classifier.evaluation.typicality import typicality_arrays, typicality_from_arrays
from probkit.classifier.features.registry import (
    representation_arrays,
    representation_from_arrays,
    required_arrays,
)
from probkit.classifier.models import storage
from probkit.classifier.pipeline import Classifier
from probkit.errors import InputError, ModelFileError

FORMAT = "probkit-classifier"
FORMAT_VERSION = 1
REQUIRED = ("format", "format_version", *storage.REQUIRED, "class_names",
            "training_base_rate", "temperature", "metadata")
"""The arrays every model file holds besides the representation's (:func:`required_arrays`)
and the model's parameters."""


def save_model(path: str | os.PathLike[str], classifier: Classifier) -> None:
    """Write ``classifier`` to ``path`` (an ``.npz`` file), atomically.

    Raises
    ------
    ModelFileError
        If the classifier is not fitted or the file cannot be written.
    """
    if not hasattr(classifier.estimator, "params_") or \
            not hasattr(classifier.preprocessor, "input_shape_"):
        raise ModelFileError("cannot save a classifier that has not been fitted")
    arrays: dict[str, Any] = {
        "format": np.array(FORMAT),
        "format_version": np.array(FORMAT_VERSION, dtype=np.int64),
        **storage.model_arrays(classifier.estimator),
        **representation_arrays(classifier.preprocessor),
        "class_names": np.array([str(c) for c in classifier.class_names]),
        "training_base_rate": np.array(float(classifier.training_base_rate)),
        "temperature": np.array(float(classifier.temperature)),
        "metadata": json_array({"probkit_version": __version__, **classifier.metadata}),
        **typicality_arrays(classifier.typicality_, classifier.image_typicality_),
        **photo_typicality_arrays(classifier.photo_typicality_),
    }
    if classifier.training_fingerprints_ is not None:
        arrays.update(classifier.training_fingerprints_.to_model_arrays())
    with atomic_output(path, error=ModelFileError) as tmp:
        with tmp.open("wb") as fh:
            # deflated: the typicality basis (features x training images, float32) is most
            # of a file, and compresses by about a tenth (the default model: 2.02 -> 1.86 MB)
            np.savez_compressed(fh, **arrays)


# ---------------------------------------------------------------- reading

MAX_ARRAY_BYTES = 1 << 28
"""Most bytes one array of a model file may take once read (256 MiB); a 64x64 two-layer
net with 1,000 hidden units takes 98 MB. Checked from the array headers before reading,
so a small compressed file cannot expand into gigabytes."""

MAX_TOTAL_BYTES = 1 << 29
"""Most bytes all arrays of a model file may take together (512 MiB)."""

TEMPERATURE_RANGE = (0.01, 100.0)
"""Temperatures a model file may carry. probkit fits them within [0.25, 20]; far outside,
the probabilities are all but 0/1 or 1/2 and e.g. T = 1e-300 gives a 300-digit log loss."""

def _check_headers(p: Path, source: str) -> None:
    """Refuse arrays too big (or not plain) from their .npy headers, before reading them."""
    try:
        with zipfile.ZipFile(p) as archive:
            members = archive.infolist()
            if len(members) > 1000:
                raise ModelFileError(f"model file {source} holds {len(members)} arrays; "
                                     "a probkit model holds about twenty")
            total = 0
            for info in members:
                with archive.open(info) as fh:
                    version = np.lib.format.read_magic(fh)
                    read_header = (np.lib.format.read_array_header_1_0 if version == (1, 0)
                                   else np.lib.format.read_array_header_2_0)
                    shape, _, dtype = read_header(fh)
                size = math.prod(shape) * dtype.itemsize
                total += size
                name = info.filename.removesuffix(".npy")
                if size > MAX_ARRAY_BYTES or total > MAX_TOTAL_BYTES:
                    raise ModelFileError(
                        f"model file {source}: {name} would take {size / 2**20:,.0f} MiB "
                        f"(shape {shape}); model files are limited to "
                        f"{MAX_ARRAY_BYTES >> 20} MiB per array and {MAX_TOTAL_BYTES >> 20} "
                        "MiB in all"
                    )
    except ModelFileError:
        raise
    except (OSError, EOFError, ValueError, zipfile.BadZipFile, KeyError) as exc:
        raise ModelFileError(
            f"model file {source} cannot be read (not an .npz, or truncated): {exc}"
        ) from None


def _read_arrays(p: Path, source: str) -> dict[str, np.ndarray]:
    try:
        with p.open("rb") as fh:
            magic = fh.read(6)
    except OSError as exc:
        raise ModelFileError(f"model file {source} cannot be read: {exc.strerror or exc}") from None
    if magic.startswith(b"\x80"):
        raise ModelFileError(
            f"model file {source} is a Python pickle; refusing to load it "
            "(probkit model files hold plain arrays only)"
        )
    if not magic.startswith(b"PK") and not magic.startswith(b"\x93NUMPY"):
        raise ModelFileError(f"model file {source} is not a probkit model file (.npz)")
    if magic.startswith(b"PK"):
        _check_headers(p, source)
    try:
        loaded = np.load(p, allow_pickle=False)
        if not isinstance(loaded, np.lib.npyio.NpzFile):
            raise ModelFileError(
                f"model file {source} is a single .npy array, not a probkit model (.npz)"
            )
        with loaded as npz:
            return {key: npz[key] for key in npz.files}
    except ModelFileError:
        raise
    except ValueError as exc:
        if "pickle" in str(exc).lower():
            raise ModelFileError(
                f"model file {source} contains pickled Python objects; refusing to load it "
                "(probkit model files hold plain arrays only)"
            ) from None
        raise ModelFileError(f"model file {source} is not a probkit model file: {exc}") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise ModelFileError(
            f"model file {source} cannot be read (not an .npz, or truncated): {exc}"
        ) from None


def load_model(path: str | os.PathLike[str]) -> Classifier:
    """Read and validate a model file written by :func:`save_model`.

    Every array is checked for its type, shape and range before it is used
    (the constants of this module state the ranges), so a damaged or crafted
    file is refused by name instead of misread.

    Raises
    ------
    ModelFileError
        If the file is missing, not an ``.npz``, contains pickles, has an unknown
        format version, lacks arrays, or holds values of the wrong type, shape or
        range, or values that contradict each other.
    """
    p = existing_file(path, what="model file", error=ModelFileError)
    source = str(p)
    arrays = _read_arrays(p, source)
    if "format" not in arrays or "format_version" not in arrays:
        raise ModelFileError(f"model file {source} is not a probkit model file (no format marker)")
    try:
        _check_format(arrays, source)
        missing = [k for k in REQUIRED + required_arrays(arrays) if k not in arrays]
        if missing:
            raise ModelFileError(f"model file {source} lacks arrays: {', '.join(missing)}")
        return _classifier(arrays)
    except ModelFileError:
        raise
    except InputError as exc:
        raise ModelFileError(f"model file {source}: {exc}") from None


def _check_format(arrays: Arrays, source: str) -> None:
    if stored_string(arrays, "format") != FORMAT:
        raise ModelFileError(f"model file {source} is not a probkit classifier")
    version = arrays["format_version"]
    if version.dtype.kind not in "iuf" or version.shape != ():
        raise problem("format_version", f"must be an integer; got {array_kind(version)}")
    if version.item() != FORMAT_VERSION:
        raise ModelFileError(
            f"model file {source} has unknown format version {version.item()!r} "
            f"(this probkit reads version {FORMAT_VERSION})"
        )


def _class_names(arrays: Arrays) -> tuple[str, ...]:
    names = arrays["class_names"]
    if names.dtype.kind != "U" or names.shape != (2,):
        raise problem("class_names", f"must be two strings; got {array_kind(names)}")
    class_names = tuple(str(c) for c in names)
    for name in class_names:
        if not name.strip() or len(name) > 100 or not name.isprintable():
            raise problem("class_names", f"{name[:40]!r} is not a usable name "
                          "(1-100 printable characters)")
    if class_names[0] == class_names[1]:
        raise problem("class_names", f"are both {class_names[0]!r}")
    return class_names


def _classifier(arrays: Arrays) -> Classifier:
    """The classifier from arrays that passed the format checks: each part reads its own."""
    preprocessor = representation_from_arrays(arrays)
    n_features = preprocessor.n_features_
    estimator = storage.model_from_arrays(arrays, n_features=n_features)
    typicality, image_typicality = typicality_from_arrays(arrays, n_features)
    photo_typicality = photo_typicality_from_arrays(arrays)
    if photo_typicality is not None and typicality is None:
        raise InputError("photo_typicality_* arrays without typicality_* arrays")
    if photo_typicality is not None and typicality is not None \
            and photo_typicality.alpha != typicality.alpha:
        raise InputError(f"typicality_alpha {typicality.alpha} and photo_typicality_alpha "
                             f"{photo_typicality.alpha} differ")
    return Classifier(
        preprocessor=preprocessor,
        estimator=estimator,
        class_names=_class_names(arrays),
        training_base_rate=stored_real(arrays, "training_base_rate", 0.0, 1.0),
        temperature=stored_real(arrays, "temperature", *TEMPERATURE_RANGE),
        metadata=stored_json_object(arrays, "metadata"),
        typicality_=typicality,
        image_typicality_=image_typicality,
        photo_typicality_=photo_typicality,
        training_fingerprints_=Fingerprints.from_model_arrays(arrays),
    )


__all__ = ["FORMAT", "FORMAT_VERSION", "load_model", "save_model"]
