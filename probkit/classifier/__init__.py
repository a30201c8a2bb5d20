"""The cat classifier, whole: from HDF5 images to probabilities at a base rate.

Arrows only go down the list (a module imports only those below its own layer, and the core):

* :mod:`~probkit.classifier.workflows` -- train / tune / evaluate / predict / compare, as the
  CLI runs them;
* :mod:`~probkit.classifier.selection` -- cross-validation, the selection rules, the refit;
* :mod:`~probkit.classifier.pipeline` (:class:`Classifier`) and
  :mod:`~probkit.classifier.modelfile` (reading and writing it);
* :mod:`~probkit.classifier.evaluation`, :mod:`~probkit.classifier.base_rate`,
  :mod:`~probkit.classifier.label_shift` -- how good the probabilities are, and moving them to
  another population;
* :mod:`~probkit.classifier.features`, :mod:`~probkit.classifier.models` (a leaf: layers,
  losses, solvers, the two estimators), :mod:`~probkit.classifier.data`.

``tests/test_architecture.py`` holds the house to it. Importing this package is cheap: each
module imports numpy, h5py or Pillow itself.
"""
