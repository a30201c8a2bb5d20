r"""A float distribution's probabilities, held as normalized logs: a tuple or a numpy array.

:class:`~probkit.bayes.Distribution` in float mode keeps :math:`\ell_i = \log P(v_i)`, with
:math:`\log \sum_i e^{\ell_i} = 0`. Built from Python numbers, the logs are a tuple of floats
(standard library only). An update by a numpy array -- one likelihood per value, read and
checked in bulk by :mod:`probkit.bayes.array_likelihoods` -- works on a numpy array of the
logs instead,

.. math::

    \ell'_i = \ell_i + \log L_i - s, \qquad
    s = m + \log \sum_i e^{\ell_i + \log L_i - m}, \quad m = \max_i (\ell_i + \log L_i),

so that one update per observation costs a few array operations, not a Python loop (``s``
is the log of that update's evidence). Whichever form was made first, the other, the
probabilities :math:`e^{\ell_i}` (as a tuple and as an array) and their
:class:`~probkit.bayes.summaries.Weights` are computed when first asked for and kept: a
chain of updates never makes them, a summary makes them once. The probabilities are always
:math:`e^{\ell_i}` of the stored logs, so every summary, sample and display of one
distribution reads the same numbers.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from probkit.bayes.summaries import Weights

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float64]


class LogProbabilities:
    """Normalized log-probabilities (immutable once made), as a tuple or an array.

    >>> import math
    >>> logs = LogProbabilities.of_tuple((math.log(0.25), math.log(0.75)))
    >>> logs.probs()
    (0.25, 0.75)
    """

    __slots__ = ("_tuple", "_array", "_probs", "_prob_array", "_weights")

    def __init__(self, logs: tuple[float, ...] | None, array: FloatArray | None) -> None:
        self._tuple = logs
        self._array = array
        self._probs: tuple[float, ...] | None = None
        self._prob_array: FloatArray | None = None
        self._weights: Weights | None = None

    @classmethod
    def of_tuple(cls, logs: tuple[float, ...]) -> LogProbabilities:
        """Logs that already sum (in probability) to 1, as Python floats."""
        return cls(logs, None)

    @classmethod
    def of_array(cls, logs: FloatArray) -> LogProbabilities:
        """Logs that already sum (in probability) to 1, as a float64 array (kept, not copied)."""
        return cls(None, logs)

    def logs(self) -> tuple[float, ...]:
        """The logs as a tuple of Python floats."""
        if self._tuple is None:
            assert self._array is not None
            self._tuple = tuple(self._array.tolist())
        return self._tuple

    def array(self) -> FloatArray:
        """The logs as a float64 numpy array (do not write to it)."""
        if self._array is None:
            import numpy as np

            self._array = np.asarray(self._tuple, dtype=np.float64)
        return self._array

    def probs(self) -> tuple[float, ...]:
        r"""The probabilities :math:`e^{\ell_i}` as a tuple of Python floats."""
        if self._probs is None:
            if self._array is not None:
                self._probs = tuple(self.prob_array().tolist())
            else:
                assert self._tuple is not None
                self._probs = tuple(math.exp(lg) for lg in self._tuple)
        return self._probs

    def prob_array(self) -> FloatArray:
        """The probabilities as a float64 array, the same numbers as :meth:`probs`."""
        if self._prob_array is None:
            import numpy as np

            if self._array is not None:
                self._prob_array = np.exp(self._array)
            else:
                self._prob_array = np.asarray(self.probs(), dtype=np.float64)
        return self._prob_array

    def weights(self) -> Weights:
        """The probabilities as :class:`~probkit.bayes.summaries.Weights` for the summaries."""
        if self._weights is None:
            self._weights = Weights([], 1, list(self.probs()))
        return self._weights

    def times(self, log_likelihood: FloatArray) -> tuple[LogProbabilities, float]:
        """Bayes' rule in logs: the normalized posterior and the log of the update's evidence.

        ``log_likelihood`` holds :math:`\\log L_i` (``-inf`` for 0, never ``+inf`` or
        ``nan``). When every value has likelihood 0 the evidence is ``-inf`` and the first
        result is meaningless (the caller refuses the update).
        """
        import numpy as np

        joint = self.array() + log_likelihood
        top = float(joint.max())
        if top == -math.inf:
            return self, -math.inf
        step = top + math.log(float(np.exp(joint - top).sum()))
        joint -= step
        return LogProbabilities.of_array(joint), step


__all__ = ["LogProbabilities"]
