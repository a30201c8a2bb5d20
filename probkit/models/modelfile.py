"""Model files: a :class:`~probkit.models.classifier.Classifier` as a plain ``.npz`` archive.

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
                              :mod:`probkit.data.representations`
                              (``"pixels"`` when absent)
``representation_params``     optional: JSON of its ``get_params()``
``class_names``               names of labels 0 and 1
``training_base_rate``        share of label 1 in the training data
``temperature``               logits are divided by it (1.0 by default)
``cost_history``              training cost per iterate
``typicality_<name>``         optional: the out-of-distribution score
                              (:class:`~probkit.evaluation.typicality.TypicalityScore`
                              ``to_arrays()``: mean, basis, noise_variance,
                              shrinkage, training_scores, alpha)
``image_typicality_<name>``   optional, only with ``typicality_*``: the same
                              score on the four image statistics of
                              :mod:`probkit.evaluation.image_statistics`, the
                              second view; files without it (written before it
                              existed) are read with the feature view alone
``metadata``                  JSON object: training facts and metrics
============================  ==============================================

Files are written atomically; :func:`load_model` checks every array and
raises :class:`~probkit.errors.ModelFileError` naming the file and problem.
"""

from __future__ import annotations

import json
import math
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from probkit import __version__
from probkit._atomic import atomic_output
from probkit._paths import existing_file
from probkit.data.representations import restore_representation
from probkit.errors import InputError, ModelFileError
from probkit.models.classifier import Classifier
from probkit.models.registry import build_estimator

FORMAT = "probkit-classifier"
FORMAT_VERSION = 1
REQUIRED = (
    "format",
    "format_version",
    "model_type",
    "hyperparameters",
    "preprocessing_method",
    "input_shape",
    "class_names",
    "training_base_rate",
    "temperature",
    "cost_history",
    "metadata",
)
#: the learned arrays of the default representation (required when it is pixels)
PIXEL_ARRAYS = ("preprocessing_mean", "preprocessing_scale")


def _json_ready(value: Any) -> Any:
    """Replace nan/inf by None and numpy scalars by Python ones, recursively."""
    if isinstance(value, dict):
        return {str(k): _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def save_model(path: str | os.PathLike[str], classifier: Classifier) -> None:
    """Write ``classifier`` to ``path`` (an ``.npz`` file), atomically.

    Raises
    ------
    ModelFileError
        If the classifier is not fitted or the file cannot be written.
    """
    est = classifier.estimator
    pre = classifier.preprocessor
    if not hasattr(est, "params_") or not hasattr(pre, "input_shape_"):
        raise ModelFileError("cannot save a classifier that has not been fitted")
    rep_params = pre.get_params()
    arrays: dict[str, Any] = {
        "format": np.array(FORMAT),
        "format_version": np.array(FORMAT_VERSION, dtype=np.int64),
        "model_type": np.array(est.model_type),
        "hyperparameters": np.array(json.dumps(_json_ready(est.get_params()))),
        "preprocessing_method": np.array(str(rep_params.get("method", "scale"))),
        "input_shape": np.array(pre.input_shape_, dtype=np.int64),
        "representation": np.array(pre.name),
        "representation_params": np.array(json.dumps(_json_ready(rep_params))),
        **{f"preprocessing_{key}": np.asarray(value, dtype=np.float64)
           for key, value in pre.state().items()},
        "class_names": np.array([str(c) for c in classifier.class_names]),
        "training_base_rate": np.array(float(classifier.training_base_rate)),
        "temperature": np.array(float(classifier.temperature)),
        "cost_history": np.asarray(est.cost_history_, dtype=np.float64),
        "metadata": np.array(
            json.dumps(
                _json_ready({"probkit_version": __version__, **classifier.metadata}),
                allow_nan=False,
            )
        ),
    }
    for name, value in est.params_.items():
        arrays[f"param_{name}"] = np.asarray(value, dtype=np.float64)
    for prefix, score in (("typicality_", classifier.typicality_),
                          ("image_typicality_", classifier.image_typicality_)):
        if score is not None:
            for name, value in score.to_arrays().items():
                arrays[f"{prefix}{name}"] = np.asarray(value, dtype=np.float64)
    with atomic_output(path, error=ModelFileError) as tmp:
        with tmp.open("wb") as fh:
            np.savez(fh, **arrays)


def _string(archive: dict[str, np.ndarray], key: str, source: str) -> str:
    value = archive[key]
    if value.dtype.kind != "U" or value.shape != ():
        raise ModelFileError(f"model file {source}: {key} must be a string")
    return str(value.item())


def _number(archive: dict[str, np.ndarray], key: str, source: str) -> float:
    value = archive[key]
    if value.dtype.kind not in "iuf" or value.shape != ():
        raise ModelFileError(f"model file {source}: {key} must be a number")
    return float(value.item())


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


def _typicality_views(arrays: dict[str, np.ndarray], source: str,
                      n_features: int) -> tuple[Any, Any]:
    """The two stored views of the out-of-distribution score (None where absent), checked."""
    from probkit.evaluation.image_statistics import STATISTIC_NAMES
    from probkit.evaluation.typicality import TypicalityScore

    views: list[Any] = []
    for prefix, expected, what in (("typicality_", n_features, "the preprocessing gives"),
                                   ("image_typicality_", len(STATISTIC_NAMES),
                                    "there are image statistics")):
        stored = {k[len(prefix):]: v for k, v in arrays.items() if k.startswith(prefix)}
        if not stored:
            views.append(None)
            continue
        try:
            score = TypicalityScore.from_arrays(stored)
        except InputError as exc:
            raise ModelFileError(f"model file {source}: {prefix}*: {exc}") from None
        if score.n_features_in_ != expected:
            raise ModelFileError(f"model file {source}: the {prefix}* score takes "
                                 f"{score.n_features_in_} features but {expected} {what}")
        views.append(score)
    features, image = views
    if image is not None and features is None:
        raise ModelFileError(f"model file {source}: image_typicality_* arrays without "
                             "typicality_* arrays")
    if image is not None and image.alpha != features.alpha:
        raise ModelFileError(f"model file {source}: typicality_alpha {features.alpha} and "
                             f"image_typicality_alpha {image.alpha} differ")
    return features, image


def load_model(path: str | os.PathLike[str]) -> Classifier:
    """Read and validate a model file written by :func:`save_model`.

    Raises
    ------
    ModelFileError
        If the file is missing, not an ``.npz``, contains pickles, has an unknown
        format version, lacks arrays, or holds inconsistent values.
    """
    p = existing_file(path, what="model file", error=ModelFileError)
    source = str(p)
    arrays = _read_arrays(p, source)
    if "format" not in arrays or "format_version" not in arrays:
        raise ModelFileError(f"model file {source} is not a probkit model file (no format marker)")
    if _string(arrays, "format", source) != FORMAT:
        raise ModelFileError(f"model file {source} is not a probkit classifier")
    version = _number(arrays, "format_version", source)
    if version != FORMAT_VERSION:
        raise ModelFileError(
            f"model file {source} has unknown format version {version:g} "
            f"(this probkit reads version {FORMAT_VERSION})"
        )
    pixels = "representation" not in arrays or str(arrays["representation"]) == "pixels"
    needed = REQUIRED + (PIXEL_ARRAYS if pixels else ())
    missing = [k for k in needed if k not in arrays]
    if missing:
        raise ModelFileError(f"model file {source} lacks arrays: {', '.join(missing)}")
    try:
        model_type = _string(arrays, "model_type", source)
        hyper = json.loads(_string(arrays, "hyperparameters", source))
        if not isinstance(hyper, dict):
            raise ModelFileError(f"model file {source}: hyperparameters must be a JSON object")
        estimator = build_estimator(model_type, **hyper)
        params = {k[len("param_"):]: v for k, v in arrays.items() if k.startswith("param_")}
        if not params:
            raise ModelFileError(f"model file {source} lacks the model parameters (param_*)")
        input_shape = tuple(int(d) for d in arrays["input_shape"])
        if len(input_shape) != 3 or min(input_shape) < 1:
            raise ModelFileError(f"model file {source}: bad input_shape {input_shape}")
        method = _string(arrays, "preprocessing_method", source)
        representation = "pixels"
        rep_params: Any = {"method": method}
        if "representation" in arrays:
            representation = _string(arrays, "representation", source)
        if "representation_params" in arrays:
            rep_params = json.loads(_string(arrays, "representation_params", source))
            if not isinstance(rep_params, dict) or rep_params.get("method") != method:
                raise ModelFileError(f"model file {source}: representation_params must be a "
                                     "JSON object whose method is preprocessing_method")
        state = {k[len("preprocessing_"):]: v for k, v in arrays.items()
                 if k.startswith("preprocessing_") and k != "preprocessing_method"}
        preprocessor = restore_representation(representation, params=rep_params,
                                              input_shape=input_shape, state=state)
        history = arrays["cost_history"]
        if history.dtype.kind != "f" or history.ndim != 1:
            raise ModelFileError(f"model file {source}: cost_history must be a float vector")
        estimator.restore(params, cost_history=history)
        if estimator.n_features_in_ != preprocessor.n_features_:
            raise ModelFileError(
                f"model file {source}: the model takes {estimator.n_features_in_} features "
                f"but the preprocessing gives {preprocessor.n_features_}"
            )
        names = arrays["class_names"]
        if names.dtype.kind != "U" or names.shape != (2,):
            raise ModelFileError(f"model file {source}: class_names must be two strings")
        base_rate = _number(arrays, "training_base_rate", source)
        if not 0.0 <= base_rate <= 1.0:
            raise ModelFileError(
                f"model file {source}: training_base_rate {base_rate} is not in [0, 1]"
            )
        temperature = _number(arrays, "temperature", source)
        metadata = json.loads(_string(arrays, "metadata", source))
        if not isinstance(metadata, dict):
            raise ModelFileError(f"model file {source}: metadata must be a JSON object")
        typicality, image_typicality = _typicality_views(arrays, source,
                                                         preprocessor.n_features_)
        return Classifier(
            preprocessor=preprocessor,
            estimator=estimator,
            class_names=tuple(str(c) for c in names),
            training_base_rate=base_rate,
            temperature=temperature,
            metadata=metadata,
            typicality_=typicality,
            image_typicality_=image_typicality,
        )
    except ModelFileError:
        raise
    except json.JSONDecodeError as exc:
        raise ModelFileError(f"model file {source}: bad JSON ({exc})") from None
    except InputError as exc:
        raise ModelFileError(f"model file {source}: {exc}") from None


__all__ = ["FORMAT", "FORMAT_VERSION", "load_model", "save_model"]
