"""1-D smoothing (moving average) operator."""

from __future__ import annotations

import dataclasses
import operator

import numpy as np

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field
from jaxlops.signalprocessing.convolve1d import Convolve1D

__all__ = ["Smoothing1D"]


class Smoothing1D(LinearOperator):
    r"""Moving average of ``nsmooth`` samples along ``axis``.

    Parameters
    ----------
    nsmooth : int
        Length of the averaging window; an even length is increased by one
        so that the window is centred. At most ``2 * dims[axis] - 1``; a
        window longer than ``dims[axis]`` makes the data that long along
        ``axis``, as in :class:`~jaxlops.signalprocessing.convolve1d.Convolve1D`.
    dims : int or tuple of int
        Model shape.
    axis : int, optional
        Axis along which the model is smoothed.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    A :class:`~jaxlops.signalprocessing.convolve1d.Convolve1D` with the
    boxcar filter :math:`h_k = 1/n`, :math:`k = 0, \ldots, n-1`, centred
    (offset :math:`(n-1)/2`), with :math:`n` = ``nsmooth`` made odd:

    .. math:: y_i = \frac{1}{n} \sum_{j=i-(n-1)/2}^{i+(n-1)/2} x_j,

    with zeros outside the model. The operator is symmetric. The fastest
    method is chosen by window length (``Op.conv.method``).

    PyLops equivalent: ``pylops.Smoothing1D(nsmooth, dims, axis, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.basicoperators.smoothing1d import Smoothing1D
    >>> S = Smoothing1D(2, 5, dtype="float32")
    >>> S @ jnp.array([0.0, 3.0, 6.0, 3.0, 0.0])
    Array([1., 3., 4., 3., 1.], dtype=float32)
    """

    nsmooth: int = static_field()
    dims: tuple = static_field()
    axis: int = static_field(default=-1)
    dtype: object = static_field(default="float64")
    conv: Convolve1D = dataclasses.field(init=False)

    def __post_init__(self):
        name = "Smoothing1D"
        dims = as_dims(name, "dims", self.dims)
        axis = as_axis(name, self.axis, len(dims))
        try:
            nsmooth = operator.index(self.nsmooth)
        except TypeError:
            raise TypeError(f"{name}: nsmooth must be an int, got {self.nsmooth!r}") from None
        if not 0 <= nsmooth <= 2 * dims[axis] - 1:
            raise ValueError(
                f"{name}: nsmooth must be in [0, 2 * dims[axis] - 1 = {2 * dims[axis] - 1}] for dims={dims}, "
                f"axis={self.axis}, got {nsmooth}"
            )
        n = nsmooth + 1 - nsmooth % 2
        dtype = as_dtype(name, self.dtype)
        conv = Convolve1D(dims, np.ones(n) / n, offset=(n - 1) // 2, axis=axis, dtype=dtype)
        self._set(nsmooth=nsmooth, dims=dims, dimsd=conv.dimsd, axis=axis, dtype=dtype, conv=conv)

    def _matvec(self, x):
        return self.conv._matvec(x)

    def _rmatvec(self, y):
        return self.conv._rmatvec(y)
