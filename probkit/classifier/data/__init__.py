"""Data: the HDF5 image sets, photos, and what a model remembers of its inputs.

* :mod:`.datasets` -- the cat-vs-non-cat HDF5 files (h5py), validated on load.
* :mod:`.images` -- photos through Pillow (the ``image`` extra).
* :mod:`.preprocessing` -- scaling or standardizing, fitted on training data only.

Importing this package is cheap; each module imports h5py, numpy or Pillow itself.
"""
