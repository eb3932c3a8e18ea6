"""Restriction (sampling) operator."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Restriction"]


def _check_iava(iava, n, axis, dims):
    """Check that ``iava`` is a non-empty 1-D array of ints in ``[0, n)`` (values only when concrete)."""
    if not jnp.issubdtype(iava.dtype, jnp.integer):
        raise TypeError(f"Restriction: iava must hold integer indices, got an array of dtype {iava.dtype}")
    if iava.ndim != 1 or iava.size == 0:
        raise ValueError(f"Restriction: iava must be a non-empty 1-D array of indices, got shape {iava.shape}")
    if isinstance(iava, jax.core.Tracer):
        return  # traced indices: nothing more can be checked
    bad = np.asarray(iava)[(np.asarray(iava) < 0) | (np.asarray(iava) >= n)]
    if bad.size:
        raise ValueError(
            f"Restriction: iava must hold indices in [0, {n}), the length of axis {axis} of dims={dims}, "
            f"got {bad[0]}" + (f" (and {bad.size - 1} more out of range)" if bad.size > 1 else "")
        )


class Restriction(LinearOperator):
    r"""Take the samples at indices ``iava`` along one axis; the adjoint puts them back.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape.
    iava : array_like of int
        Indices of the samples kept along ``axis``, in ``[0, dims[axis])``;
        unsorted and repeated indices are allowed. It is a pytree leaf:
        operators that differ only in the values of ``iava`` (same length)
        share one compiled function.
    axis : int, optional
        Axis of the model along which samples are taken.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    With :math:`\mathbf{l} = ` ``iava`` of length :math:`N` (the size of
    ``axis`` in ``dimsd``),

    .. math:: y_i = x_{l_i} \quad \forall i = 0, \ldots, N-1,

    and the adjoint places :math:`y_i` at :math:`l_i` in a zero model,
    adding the values of repeated indices: :math:`x_j = \sum_{i: l_i = j} y_i`.

    PyLops equivalent: ``pylops.Restriction(dims, iava, axis, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> R = jl.Restriction(4, [3, 0, 3], dtype="float32")
    >>> R @ jnp.array([1.0, 2.0, 3.0, 4.0])
    Array([4., 1., 4.], dtype=float32)
    >>> R.H @ jnp.array([1.0, 2.0, 3.0])
    Array([2., 0., 0., 4.], dtype=float32)
    """

    dims: tuple = static_field()
    iava: jax.Array
    axis: int = static_field(default=-1)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        dims = as_dims("Restriction", "dims", self.dims)
        axis = as_axis("Restriction", self.axis, len(dims))
        iava = self.iava if isinstance(self.iava, jax.Array) else np.asarray(self.iava)
        _check_iava(iava, dims[axis], axis, dims)
        # One integer dtype whatever was given, so equal-length iava share a compilation.
        iava = jnp.asarray(iava, dtype=int)
        dimsd = dims[:axis] + (iava.size,) + dims[axis + 1 :]
        self._set(dims=dims, dimsd=dimsd, iava=iava, axis=axis, dtype=as_dtype("Restriction", self.dtype))

    def _index(self):
        return (slice(None),) * self.axis + (self.iava,)

    def _matvec(self, x):
        return x[self._index()]

    def _rmatvec(self, y):
        return jnp.zeros(self.dims, y.dtype).at[self._index()].add(y)
