"""Model files: a :class:`~probkit.classifier.pipeline.Classifier` as a plain ``.npz`` archive.

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
                              shrinkage, training_scores, alpha)
``image_typicality_<name>``   optional, only with ``typicality_*``: the same
                              score on the four image statistics of
                              :mod:`probkit.classifier.evaluation.image_statistics`, the
                              second view; files without it (written before it
                              existed) are read with the feature view alone
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
from probkit.classifier.features.registry import restore_representation
from probkit.classifier.models.registry import build_estimator
from probkit.classifier.pipeline import Classifier
from probkit.errors import InputError, ModelFileError

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
    if classifier.training_fingerprints_ is not None:
        for name, value in classifier.training_fingerprints_.to_arrays().items():
            arrays[f"fingerprint_{name}"] = np.asarray(value)
    for prefix, score in (("typicality_", classifier.typicality_),
                          ("image_typicality_", classifier.image_typicality_)):
        if score is not None:
            for name, value in score.to_arrays().items():
                arrays[f"{prefix}{name}"] = np.asarray(value, dtype=np.float64)
    with atomic_output(path, error=ModelFileError) as tmp:
        with tmp.open("wb") as fh:
            np.savez(fh, **arrays)


# ---------------------------------------------------------------- reading

MAX_ARRAY_BYTES = 1 << 28
"""Most bytes one array of a model file may take once read (256 MiB); a 64x64 two-layer
net with 1,000 hidden units takes 98 MB. Checked from the array headers before reading,
so a small compressed file cannot expand into gigabytes."""

MAX_TOTAL_BYTES = 1 << 29
"""Most bytes all arrays of a model file may take together (512 MiB)."""

MAX_IMAGE_SIDE = 4096
"""Largest height or width a model may take as input."""

TEMPERATURE_RANGE = (0.01, 100.0)
"""Temperatures a model file may carry. probkit fits them within [0.25, 20]; far outside,
the probabilities are all but 0/1 or 1/2 and e.g. T = 1e-300 gives a 300-digit log loss."""

MAX_ABS_PARAMETER = 1e10
"""Largest magnitude of a stored weight or bias: beyond it a fit has run away (logits of
real images would overflow), so the file is refused instead of giving inf or nan."""

MAX_JSON_DEPTH = 32
"""Deepest nesting of the JSON objects (hyperparameters, metadata)."""

def _problem(source: str, key: str, text: str) -> ModelFileError:
    return ModelFileError(f"model file {source}: {key} {text}")


def _string(archive: dict[str, np.ndarray], key: str, source: str) -> str:
    value = archive[key]
    if value.dtype.kind != "U" or value.shape != ():
        raise _problem(source, key, f"must be a string; got {_kind(value)}")
    return str(value.item())


def _kind(value: np.ndarray) -> str:
    """How an unexpected array looks, for messages: ``a 0-d float64 array``."""
    return f"a {value.ndim}-d {value.dtype} array" + (
        f" of shape {value.shape}" if value.ndim else "")


def _real(archive: dict[str, np.ndarray], key: str, source: str,
          low: float, high: float) -> float:
    """A finite 0-d number in [low, high]."""
    value = archive[key]
    if value.dtype.kind not in "iuf" or value.shape != ():
        raise _problem(source, key, f"must be a number; got {_kind(value)}")
    number = float(value.item())
    if not (math.isfinite(number) and low <= number <= high):
        raise _problem(source, key, f"{number!r} is not in [{low:g}, {high:g}]")
    return number


def _floats(archive: dict[str, np.ndarray], key: str, source: str, shape: tuple[int, ...],
            *, finite: bool = True) -> np.ndarray:
    """A float array of exactly ``shape`` (``-1``: any length), finite unless told."""
    value = archive[key]
    wanted = len(shape) == value.ndim and all(
        s in (-1, v) for s, v in zip(shape, value.shape, strict=True))
    if value.dtype.kind != "f" or not wanted:
        expected = "(" + ", ".join("n" if s == -1 else str(s) for s in shape) + \
            ("," if len(shape) == 1 else "") + ")"
        raise _problem(source, key, f"must be a float array of shape {expected}; "
                       f"got {_kind(value)}")
    if finite and not np.all(np.isfinite(value)):
        raise _problem(source, key, "contains nan or inf")
    return np.asarray(value, dtype=np.float64)


def _depth(value: Any) -> int:
    """Nesting depth of parsed JSON (a scalar is 0), without recursion.

    >>> _depth(1), _depth({"a": [1, {"b": 2}]})
    (0, 3)
    """
    deepest, stack = 0, [(value, 0)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict):
            stack.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, level + 1) for v in item)
        else:
            continue
        deepest = max(deepest, level + 1)
    return deepest


def _json_object(archive: dict[str, np.ndarray], key: str, source: str) -> dict[str, Any]:
    text = _string(archive, key, source)
    try:
        value = json.loads(text)
    except RecursionError:
        raise _problem(source, key, f"is JSON nested too deeply (over {MAX_JSON_DEPTH} "
                       "levels)") from None
    except ValueError as exc:  # JSONDecodeError, or an integer beyond Python's digit limit
        raise _problem(source, key, f"is not valid JSON ({str(exc)[:120]})") from None
    if not isinstance(value, dict):
        raise _problem(source, key, f"must be a JSON object; got {type(value).__name__}")
    if _depth(value) > MAX_JSON_DEPTH:
        raise _problem(source, key, f"is JSON nested too deeply (over {MAX_JSON_DEPTH} levels)")
    return value


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


def _typicality_views(arrays: dict[str, np.ndarray], source: str,
                      n_features: int) -> tuple[Any, Any]:
    """The two stored views of the out-of-distribution score (None where absent), checked."""
    from probkit.classifier.evaluation.image_statistics import STATISTIC_NAMES
    from probkit.classifier.evaluation.typicality import TypicalityScore

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
    if _string(arrays, "format", source) != FORMAT:
        raise ModelFileError(f"model file {source} is not a probkit classifier")
    version = arrays["format_version"]
    if version.dtype.kind not in "iuf" or version.shape != ():
        raise _problem(source, "format_version", f"must be an integer; got {_kind(version)}")
    if version.item() != FORMAT_VERSION:
        raise ModelFileError(
            f"model file {source} has unknown format version {version.item()!r} "
            f"(this probkit reads version {FORMAT_VERSION})"
        )
    pixels = "representation" not in arrays or str(arrays["representation"]) == "pixels"
    needed = REQUIRED + (PIXEL_ARRAYS if pixels else ())
    missing = [k for k in needed if k not in arrays]
    if missing:
        raise ModelFileError(f"model file {source} lacks arrays: {', '.join(missing)}")
    try:
        return _classifier(arrays, source)
    except ModelFileError:
        raise
    except InputError as exc:
        raise ModelFileError(f"model file {source}: {exc}") from None


def _classifier(arrays: dict[str, np.ndarray], source: str) -> Classifier:
    """Build the classifier from arrays that passed the format checks, checking each."""
    from probkit.classifier.models.registry import MODEL_TYPES

    model_type = _string(arrays, "model_type", source)
    if model_type not in MODEL_TYPES:
        raise _problem(source, "model_type", f"{model_type[:40]!r} is an unknown model "
                       f"(expected {' or '.join(MODEL_TYPES)})")
    hyper = _json_object(arrays, "hyperparameters", source)
    for name, value in hyper.items():
        if isinstance(value, dict | list) or (isinstance(value, str) and len(value) > 100):
            raise _problem(source, "hyperparameters", f"{name[:40]!r} must be a number or a "
                           "short string")
    estimator = build_estimator(model_type, **hyper)
    estimator._validate_hyperparameters()

    shape = arrays["input_shape"]
    if shape.dtype.kind not in "iu" or shape.shape != (3,):
        raise _problem(source, "input_shape", "must be 3 integers (height, width, channels); "
                       f"got {_kind(shape)}")
    height, width, channels = (int(d) for d in shape)
    if not (1 <= height <= MAX_IMAGE_SIDE and 1 <= width <= MAX_IMAGE_SIDE and channels == 3):
        raise _problem(source, "input_shape", f"{(height, width, channels)} is not "
                       f"(1..{MAX_IMAGE_SIDE}, 1..{MAX_IMAGE_SIDE}, 3)")
    method = _string(arrays, "preprocessing_method", source)
    representation = "pixels"
    rep_params: dict[str, Any] = {"method": method}
    if "representation" in arrays:
        representation = _string(arrays, "representation", source)
    if "representation_params" in arrays:
        rep_params = _json_object(arrays, "representation_params", source)
        if rep_params.get("method") != method:
            raise _problem(source, "representation_params", f"method "
                           f"{str(rep_params.get('method'))[:40]!r} differs from "
                           f"preprocessing_method {method[:40]!r}")
    state = {}
    for key in (k for k in arrays if k.startswith("preprocessing_")
                and k != "preprocessing_method"):
        value = arrays[key]
        if value.dtype.kind != "f" or value.ndim not in (1, 2):
            raise _problem(source, key, f"must be a float vector or matrix; got {_kind(value)}")
        state[key[len("preprocessing_"):]] = value
    preprocessor = restore_representation(representation, params=rep_params,
                                          input_shape=(height, width, channels), state=state)
    n_features = preprocessor.n_features_

    params: dict[str, np.ndarray] = {}
    for key in sorted(k for k in arrays if k.startswith("param_")):
        value = arrays[key]
        if value.dtype.kind != "f" or value.ndim not in (1, 2) or value.size == 0:
            raise _problem(source, key, f"must be a non-empty float vector or matrix; got "
                           f"{_kind(value)}")
        if not np.all(np.isfinite(value)):
            raise _problem(source, key, "contains nan or inf")
        if np.any(np.abs(value) > MAX_ABS_PARAMETER):
            raise _problem(source, key, f"holds values beyond ±{MAX_ABS_PARAMETER:g} (a fit "
                           "that ran away)")
        params[key[len("param_"):]] = value
    if not params:
        raise ModelFileError(f"model file {source} lacks the model parameters (param_*)")
    first, _ = estimator._first_layer
    weights = params.get(first)
    if weights is None or weights.ndim != 2:
        raise _problem(source, f"param_{first}", "must be a float matrix (units, features)")
    units = int(getattr(estimator, "hidden", 1))
    if weights.shape != (units, n_features):
        raise _problem(source, f"param_{first}", f"has shape {weights.shape}; the "
                       f"hyperparameters and input_shape need ({units}, {n_features})")
    history = _floats(arrays, "cost_history", source, (-1,), finite=False)
    estimator.restore(params, cost_history=history)

    names = arrays["class_names"]
    if names.dtype.kind != "U" or names.shape != (2,):
        raise _problem(source, "class_names", f"must be two strings; got {_kind(names)}")
    class_names = tuple(str(c) for c in names)
    for name in class_names:
        if not name.strip() or len(name) > 100 or not name.isprintable():
            raise _problem(source, "class_names", f"{name[:40]!r} is not a usable name "
                           "(1-100 printable characters)")
    if class_names[0] == class_names[1]:
        raise _problem(source, "class_names", f"are both {class_names[0]!r}")
    base_rate = _real(arrays, "training_base_rate", source, 0.0, 1.0)
    temperature = _real(arrays, "temperature", source, *TEMPERATURE_RANGE)
    metadata = _json_object(arrays, "metadata", source)
    for key in (k for k in arrays if k.startswith(("typicality_", "image_typicality_"))):
        if arrays[key].dtype.kind != "f" or not np.all(np.isfinite(arrays[key])):
            raise _problem(source, key, f"must hold finite floats; got {_kind(arrays[key])}")
    typicality, image_typicality = _typicality_views(arrays, source, n_features)
    fingerprints = None
    stored = {k[len("fingerprint_"):]: v for k, v in arrays.items() if k.startswith("fingerprint_")}
    if stored:
        from probkit.classifier.data.audit import Fingerprints

        try:
            fingerprints = Fingerprints.from_arrays(stored)
        except InputError as exc:
            raise _problem(source, "fingerprint_*", str(exc)) from None
    return Classifier(
        preprocessor=preprocessor,
        estimator=estimator,
        class_names=class_names,
        training_base_rate=base_rate,
        temperature=temperature,
        metadata=metadata,
        typicality_=typicality,
        image_typicality_=image_typicality,
        training_fingerprints_=fingerprints,
    )


__all__ = ["FORMAT", "FORMAT_VERSION", "load_model", "save_model"]
