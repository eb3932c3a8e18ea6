"""Interpolation at fractional positions along one axis (nearest, linear, sinc)."""

from __future__ import annotations

import warnings

import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.basicoperators.restriction import Restriction
from jaxlops.linearoperator import LinearOperator, static_field
from jaxlops.signalprocessing._sampling import along_axis, check_finite, check_unique, concrete, floor_and_weight

__all__ = ["Interp"]

_KINDS = ("nearest", "linear", "sinc")


def Interp(dims, iava, axis=-1, kind="linear", tol=None, dtype="float64"):
    r"""Interpolation of a regularly sampled model at fractional positions ``iava`` along ``axis``.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape.
    iava : array_like
        Fractional positions (in samples) of the data along ``axis``: unique,
        finite and non-negative (``"nearest"`` and ``"linear"``).
    axis : int, optional
        Axis along which the model is interpolated.
    kind : {"linear", "nearest", "sinc"}, optional
        Interpolation method (see Notes).
    tol : float, optional
        ``"sinc"`` only: sinc weights smaller than ``tol`` in absolute value are
        set to zero (PyLops then stores a sparse matrix; here the matrix stays
        dense, with the same numbers).
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Returns
    -------
    op : LinearOperator
        The interpolation operator: a :class:`~jaxlops.basicoperators.restriction.Restriction`
        for ``"nearest"``, a private operator class otherwise.
    iava : numpy.ndarray or jax.Array
        The positions the operator uses: rounded to ints (``"nearest"``),
        moved just below ``dims[axis] - 1`` where they were at or beyond it
        (``"linear"``, with a warning, as PyLops), unchanged (``"sinc"``).
        A NumPy array, as in PyLops, unless ``iava`` is traced (built under
        ``jax.jit``): then a JAX array and its values are not checked.

    Notes
    -----
    With :math:`l_i` = ``iava[i]`` and :math:`n` = ``dims[axis]``, along ``axis``:

    * nearest: :math:`y_i = x_{\mathrm{round}(l_i)}` (NumPy's round, half to even);
    * linear: :math:`y_i = (1 - w_i)\, x_{\lfloor l_i \rfloor} + w_i\, x_{\lfloor l_i \rfloor + 1}`,
      :math:`w_i = l_i - \lfloor l_i \rfloor`; positions :math:`\ge n - 1` are first set to the
      largest float64 below :math:`n - 1`, and the adjoint scatter-adds :math:`(1 - w_i) y_i`
      and :math:`w_i y_i` back to the two samples;
    * sinc: :math:`y_i = \sum_{j=0}^{n-1} \mathrm{sinc}(l_i - j)\, x_j` with
      :math:`\mathrm{sinc}(t) = \sin(\pi t) / (\pi t)`, a dense :math:`N \times n` matrix.

    The indices and weights are leaves of the operator: operators built with
    different positions of the same length share one compiled function.

    PyLops equivalent: ``pylops.signalprocessing.Interp(dims, iava, axis, kind, tol, dtype)``.
    PyLops' ``"sinc"`` with a negative ``axis`` on an N-d model applies the matrix
    to the wrong axis; here ``axis=-1`` means the last axis for every kind.
    ``kind="cubic_spline"`` is not available.

    Examples
    --------
    >>> import jax.numpy as jnp
    >>> from jaxlops.signalprocessing.interp import Interp
    >>> Op, iava = Interp(4, [0.5, 2.25], dtype="float32")
    >>> Op @ jnp.array([0.0, 2.0, 4.0, 6.0])
    Array([1. , 4.5], dtype=float32)
    >>> Op.H @ jnp.array([1.0, 1.0])
    Array([0.5 , 0.5 , 0.75, 0.25], dtype=float32)
    >>> Interp(4, [0.4, 2.6], kind="nearest", dtype="float32")[1]
    array([0, 3])
    """
    name = "Interp"
    if not isinstance(kind, str) or kind.lower() not in _KINDS:
        raise ValueError(f"{name}: kind must be one of {_KINDS}, got {kind!r}")
    kind = kind.lower()
    dims = as_dims(name, "dims", dims)
    axis = as_axis(name, axis, len(dims))
    dtype = as_dtype(name, dtype)
    values = concrete(iava)
    if np.ndim(iava) != 1 or np.size(iava) == 0:
        raise ValueError(f"{name}: iava must be a non-empty 1-D array of positions, got shape {np.shape(iava)}")
    if values is not None:
        check_finite(name, "iava", values)
    elif not jnp.issubdtype(iava.dtype, jnp.inexact):
        iava = iava.astype(jnp.result_type(float))
    build = {"nearest": _nearest, "linear": _linear, "sinc": _sinc}[kind]
    return build(dims, iava, values, axis, tol, dtype)


def _nearest(dims, iava, values, axis, tol, dtype):
    n = dims[axis]
    if values is None:
        iava = jnp.round(iava).astype(int)
    else:
        iava = np.round(values).astype(int)
        check_unique("Interp", "iava (rounded)", iava)
        bad = iava[(iava < 0) | (iava >= n)]
        if bad.size:
            raise ValueError(
                f"Interp: iava must round to indices in [0, {n}), the length of axis {axis} of dims={dims}, "
                f"got {bad[0]}"
            )
    return Restriction(dims, iava, axis=axis, dtype=dtype), iava


def _linear(dims, iava, values, axis, tol, dtype):
    n = dims[axis]
    if n < 2:
        raise ValueError(f"Interp: kind='linear' needs dims[axis] >= 2, got dims={dims}, axis={axis}")
    if values is None:
        iava = jnp.where(iava >= n - 1, jnp.nextafter(jnp.asarray(n - 1, iava.dtype), -jnp.inf), iava)
    else:
        if values.min() < 0:
            raise ValueError(f"Interp: iava must be non-negative for kind='linear', got {values.min()}")
        iava = values.astype(np.float64)
        if np.any(iava >= n - 1):
            warnings.warn(
                f"Interp: at least one value in iava is beyond the penultimate sample index {n - 1}; "
                "out-of-bound values are forced below it",
                stacklevel=3,
            )
            iava = np.where(iava >= n - 1, np.nextafter(n - 1, -np.inf), iava)
        check_unique("Interp", "iava", iava)
    left, weights = floor_and_weight(iava, n - 2, dtype)
    return _LinearInterp(dims, left, weights, axis=axis, dtype=dtype), iava


def _sinc(dims, iava, values, axis, tol, dtype):
    real = np.finfo(dtype).dtype  # the matrix is real whatever the dtype (see _SincInterp)
    if values is None:
        sinc = jnp.sinc(iava[:, None] - jnp.arange(dims[axis])).astype(real)
        if tol is not None:
            sinc = jnp.where(jnp.abs(sinc) < tol, 0, sinc)
        return _SincInterp(dims, sinc, axis=axis, dtype=dtype), iava
    check_unique("Interp", "iava", values)
    sinc = np.sinc(values[:, None] - np.arange(dims[axis])).astype(real)
    if tol is not None:
        sinc[np.abs(sinc) < tol] = 0
    return _SincInterp(dims, jnp.asarray(sinc), axis=axis, dtype=dtype), values


def _index(axis, idx):
    return (slice(None),) * axis + (idx,)


class _LinearInterp(LinearOperator):
    """Linear interpolation along ``axis`` (built by :func:`Interp`): left samples
    ``left`` (ints) and weights ``weights`` of the right samples, both leaves."""

    dims: tuple = static_field()
    left: jax.Array
    weights: jax.Array
    axis: int = static_field(default=-1)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        n = self.left.shape[0]
        self._set(dimsd=self.dims[: self.axis] + (n,) + self.dims[self.axis + 1 :])

    def _matvec(self, x):
        w = along_axis(self.weights, self.axis, x.ndim)
        return (1 - w) * x[_index(self.axis, self.left)] + w * x[_index(self.axis, self.left + 1)]

    def _rmatvec(self, y):
        w = jnp.conj(along_axis(self.weights, self.axis, y.ndim))
        dtype = jnp.result_type(w, y)
        x = jnp.zeros(self.dims, dtype).at[_index(self.axis, self.left)].add((1 - w) * y)
        return x.at[_index(self.axis, self.left + 1)].add(w * y)


class _SincInterp(LinearOperator):
    """Sinc interpolation along ``axis`` (built by :func:`Interp`): the dense
    ``(len(iava), dims[axis])`` matrix ``sinc`` is a leaf.

    The matrix is real, held in the real dtype of the operator: a complex input is
    multiplied as its real and imaginary parts stacked, one real product, which is
    several times faster on XLA's CPU than a complex product.
    """

    dims: tuple = static_field()
    sinc: jax.Array
    axis: int = static_field(default=-1)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        n = self.sinc.shape[0]
        self._set(dimsd=self.dims[: self.axis] + (n,) + self.dims[self.axis + 1 :])

    def _product(self, x, adjoint):
        """``sinc`` (``sinc^T`` when ``adjoint``) applied along ``axis`` of ``x``."""
        last = self.axis == len(self.dims) - 1
        if jnp.iscomplexobj(x):  # real and imaginary parts along a new axis, first when axis is the last
            parts = jnp.stack([x.real, x.imag], axis=0 if last else -1)
            y = self._real_product(parts, self.axis + last, last, adjoint)
            return lax.complex(y[0], y[1]) if last else lax.complex(y[..., 0], y[..., 1])
        y = self._real_product(x, self.axis, last, adjoint)
        return y.astype(jnp.result_type(self.dtype, x.dtype))

    def _real_product(self, x, axis, last, adjoint):
        if last:
            return jnp.tensordot(x, self.sinc, axes=(axis, 0 if adjoint else 1))
        # XLA's CPU dot contracting the first axis of both operands is 2-3x slower than
        # with an explicit transposed copy of the (small) matrix; the barrier keeps the copy.
        matrix = lax.optimization_barrier(self.sinc.T) if adjoint else self.sinc
        return jnp.moveaxis(jnp.tensordot(matrix, x, axes=(1, axis)), 0, axis)

    def _matvec(self, x):
        return self._product(x, adjoint=False)

    def _rmatvec(self, y):
        return self._product(y, adjoint=True)
