"""1-D non-stationary convolution with filters interpolated between given locations."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from jaxlops._validation import as_array, as_axis, as_dims, holding_dtype
from jaxlops.linearoperator import LinearOperator, static_field
from jaxlops.signalprocessing._sampling import along_axis, concrete
from jaxlops.signalprocessing.convolvend import _tap_sum

__all__ = ["NonStationaryConvolve1D"]

# The interpolated filters are tabulated when they hold at most this many numbers (or no
# more than the model): the gathers that interpolate them, once per tap, then run once.
_TABLE = 1 << 20

def _check_ih(name, ih, nh, n, axis, dims):
    if not np.issubdtype(ih.dtype, np.integer):
        raise TypeError(f"{name}: ih must hold integer indices, got an array of dtype {ih.dtype}")
    if ih.ndim != 1 or ih.size != nh:
        raise ValueError(f"{name}: ih must be a 1-D array of {nh} indices (one per filter in hs), got shape {ih.shape}")
    steps = np.diff(ih)
    if np.any(steps <= 0):
        raise ValueError(f"{name}: ih must be strictly increasing, got {ih.tolist()}")
    if np.unique(steps).size > 1:
        raise ValueError(f"{name}: ih must be regularly sampled (constant step), got steps {steps.tolist()}")
    if ih[0] < 0 or ih[-1] >= n:
        raise ValueError(
            f"{name}: ih must hold indices in [0, {n}), the length of axis {axis} of dims={dims}, got {ih.tolist()}"
        )


class NonStationaryConvolve1D(LinearOperator):
    r"""Convolution along ``axis`` with a filter that varies with the output position.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    hs : array_like
        Filters, shape ``(nh, nfilt)`` with ``nfilt`` odd; each is centred on
        its middle sample. A pytree leaf (traceable, batchable, differentiable).
    ih : array_like of int
        Strictly increasing, regularly spaced indices along ``axis`` where the
        ``nh`` filters are given, in ``[0, dims[axis])``. A pytree leaf:
        operators that differ only in ``ih`` share one compiled function.
    axis : int, optional
        Axis along which the model is convolved.
    dtype : str or numpy.dtype, optional
        Operator dtype: ``hs`` is cast to it (to its complex counterpart when
        ``hs`` is complex).

    Notes
    -----
    With :math:`r` = ``nfilt // 2``, each model sample :math:`x_i` spreads over
    the data through its own filter :math:`\mathbf{h}_i`,

    .. math:: y_j = \sum_{i:\,|j - i| \le r} h_{i,\, j - i + r}\, x_i, \qquad
              x_i = \sum_{j:\,|j - i| \le r} \overline{h_{i,\, j - i + r}}\, y_j \;\text{(adjoint)},

    where :math:`\mathbf{h}_i` is the given filter at :math:`i \in` ``ih``, the
    linear interpolation of the two nearest given filters between them, and
    the first (last) filter before (after) them; samples beyond the edges are
    dropped. The direct kernel of :class:`~jaxlops.signalprocessing.Convolve1D`
    (a compiled loop over the taps, 16 per pass over the data) applies the
    interpolated filters, tabulated when they hold no more numbers than the
    model or :math:`2^{20}`, else interpolated tap by tap: the cost is
    :math:`O(\text{nfilt} \cdot N)` as in PyLops, the memory :math:`O(N)`,
    and the compilation time does not grow with ``nfilt``.

    PyLops equivalent: ``pylops.signalprocessing.NonStationaryConvolve1D(dims, hs, ih, axis, dtype)``.
    PyLops' adjoint does not conjugate complex filters; this one is the
    Hermitian adjoint (the two agree for real filters). A single filter
    (``nh = 1``, a stationary convolution) is allowed here.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.nonstatconvolve1d import NonStationaryConvolve1D
    >>> hs = jnp.array([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]])
    >>> Op = NonStationaryConvolve1D(5, hs, ih=(1, 3), dtype="float32")
    >>> Op @ jnp.array([0.0, 0.0, 1.0, 0.0, 0.0])
    Array([0. , 0.5, 0.5, 0.5, 0. ], dtype=float32)
    """

    dims: tuple = static_field()
    hs: jax.Array
    ih: jax.Array
    axis: int = static_field(default=-1)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        name = "NonStationaryConvolve1D"
        dims = as_dims(name, "dims", self.dims)
        axis = as_axis(name, self.axis, len(dims))
        hs = as_array(name, "hs", self.hs)
        if hs.ndim != 2 or hs.shape[0] == 0:
            raise ValueError(f"{name}: hs must be a 2-D array of filters (nh, nfilt), got shape {hs.shape}")
        if hs.shape[1] % 2 == 0:
            raise ValueError(f"{name}: the filters hs must have an odd length, got nfilt={hs.shape[1]}")
        ih = self.ih if isinstance(self.ih, jax.Array) else np.asarray(self.ih)
        values = concrete(ih)
        if values is not None:
            _check_ih(name, values, hs.shape[0], dims[axis], axis, dims)
        elif ih.shape != (hs.shape[0],):
            raise ValueError(f"{name}: ih must be a 1-D array of {hs.shape[0]} indices, got shape {ih.shape}")
        dtype = holding_dtype(name, self.dtype, hs)
        self._set(dims=dims, dimsd=dims, axis=axis, hs=hs.astype(dtype), ih=jnp.asarray(ih, dtype=int), dtype=dtype)

    def _interpolation(self):
        """Per position along ``axis``: the given filters before and after it and the weight of the second."""
        n, nh = self.dims[self.axis], self.hs.shape[0]
        ix = jnp.arange(n)
        real = jnp.finfo(self.dtype).dtype
        if nh == 1:
            return jnp.zeros(n, int), jnp.zeros(n, int), jnp.zeros(n, real)
        oh, dh = self.ih[0], self.ih[1] - self.ih[0]
        closest = jnp.floor_divide(ix - oh, dh)  # integer arithmetic: exact weights in any precision
        inside = (closest >= 0) & (closest < nh - 1)
        i0 = jnp.clip(closest, 0, nh - 1)
        w = jnp.where(inside, (ix - oh - closest * dh) / dh, 0).astype(real)
        return i0, jnp.minimum(i0 + 1, nh - 1), w

    def _taps(self, adjoint):
        """``taps(k)``: tap ``k`` of the interpolated filters, at each output position along ``axis``.

        The filters are tabulated (``(n, nfilt)`` numbers, a few gathers in all)
        unless that outgrows the model and ``_TABLE``; else each tap is
        interpolated when it is used (two gathers of ``n`` numbers per tap).
        """
        n, nfilt = self.dims[self.axis], self.hs.shape[1]
        r = nfilt // 2
        i0, i1, w = self._interpolation()
        if n * nfilt <= max(_TABLE, math.prod(self.dims)):
            table = (1 - w)[:, None] * self.hs[i0] + w[:, None] * self.hs[i1]
            if adjoint:
                table = jnp.conj(table)
                return lambda k: lax.dynamic_slice(table, (0, k), (n, 1))[:, 0]
            # the forward reads filter j - k + r at output j: pad the positions alike
            table = jnp.pad(table, ((r, r), (0, 0)))
            return lambda k: lax.dynamic_slice(table, (2 * r - k, k), (n, 1))[:, 0]

        def tap(k):
            h = lax.dynamic_index_in_dim(self.hs, k, axis=1, keepdims=False)
            h = (1 - w) * h[i0] + w * h[i1]
            return jnp.conj(h) if adjoint else lax.dynamic_slice_in_dim(jnp.pad(h, r), 2 * r - k, n)

        return tap

    def _convolve(self, z, adjoint):
        n, r = self.dims[self.axis], self.hs.shape[1] // 2
        taps = self._taps(adjoint)
        pad = [(0, 0)] * z.ndim
        pad[self.axis] = (r, r)
        zp = lax.optimization_barrier(jnp.pad(z, pad))

        def term(k):
            # adjoint: x_i += conj(h_i[k]) y_{i + k - r}; forward: y_j += h_{j - k + r}[k] x_{j - k + r}
            start = k if adjoint else 2 * r - k
            return along_axis(taps(k), self.axis, z.ndim) * lax.dynamic_slice_in_dim(zp, start, n, self.axis)

        return _tap_sum(term, self.hs.shape[1], self.dims, jnp.result_type(self.hs, z))

    def _matvec(self, x):
        return self._convolve(x, adjoint=False)

    def _rmatvec(self, y):
        return self._convolve(y, adjoint=True)
