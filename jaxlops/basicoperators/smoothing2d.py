"""2-D smoothing (moving average) operator."""

from __future__ import annotations

import dataclasses
import operator

import numpy as np

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field
from jaxlops.signalprocessing.convolvend import ConvolveND

__all__ = ["Smoothing2D"]


class Smoothing2D(LinearOperator):
    r"""Moving average over a window of ``nsmooth`` samples along two ``axes``.

    Parameters
    ----------
    nsmooth : tuple of int
        Lengths of the averaging window along ``axes``; even lengths are
        increased by one so that the window is centred.
    dims : int or tuple of int
        Model (and data) shape, with at least two axes.
    axes : tuple of int, optional
        The two axes along which the model is smoothed (for a 2-D model, as
        in PyLops, ``nsmooth[i]`` applies along axis ``i`` whatever ``axes``).
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    A :class:`~jaxlops.signalprocessing.convolvend.ConvolveND` with the
    centred boxcar :math:`h_{k,l} = 1/(n_1 n_2)`, with :math:`(n_1, n_2)` =
    ``nsmooth`` made odd:

    .. math:: y_{i,j} = \frac{1}{n_1 n_2} \sum_{|k - i| \leq (n_1-1)/2} \;
              \sum_{|l - j| \leq (n_2-1)/2} x_{k,l},

    with zeros outside the model. The operator is symmetric. The fastest
    method is chosen by window size (``Op.conv.method``).

    PyLops equivalent: ``pylops.Smoothing2D(nsmooth, dims, axes, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.basicoperators.smoothing2d import Smoothing2D
    >>> S = Smoothing2D((3, 1), (3, 2), dtype="float32")
    >>> S @ jnp.array([[3.0, 0.0], [0.0, 3.0], [0.0, 0.0]])
    Array([[1., 1.],
           [1., 1.],
           [0., 1.]], dtype=float32)
    """

    nsmooth: tuple = static_field()
    dims: tuple = static_field()
    axes: tuple = static_field(default=(-2, -1))
    dtype: object = static_field(default="float64")
    conv: ConvolveND = dataclasses.field(init=False)

    def __post_init__(self):
        name = "Smoothing2D"
        dims = as_dims(name, "dims", self.dims)
        try:
            nsmooth, axes = tuple(map(operator.index, self.nsmooth)), tuple(map(operator.index, self.axes))
        except TypeError:
            raise TypeError(
                f"{name}: nsmooth and axes must be pairs of ints, got nsmooth={self.nsmooth!r}, axes={self.axes!r}"
            ) from None
        if len(nsmooth) != 2 or min(nsmooth) < 0:
            raise ValueError(f"{name}: nsmooth must be a pair of non-negative ints, got {self.nsmooth}")
        if len(axes) != 2:
            raise ValueError(f"{name}: axes must be a pair of axes, got {self.axes}")
        axes = tuple(as_axis(name, a, len(dims), "axes") for a in axes)
        n = tuple(k + 1 - k % 2 for k in nsmooth)
        dtype = as_dtype(name, self.dtype)
        h = np.ones(n) / (n[0] * n[1])
        conv = ConvolveND(dims, h, offset=((n[0] - 1) // 2, (n[1] - 1) // 2), axes=axes, method="auto", dtype=dtype)
        self._set(nsmooth=nsmooth, dims=dims, dimsd=dims, axes=axes, dtype=dtype, conv=conv)

    def _matvec(self, x):
        return self.conv._matvec(x)

    def _rmatvec(self, y):
        return self.conv._rmatvec(y)
