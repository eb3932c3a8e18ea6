"""Symmetrize operator."""

from __future__ import annotations

import jax.numpy as jnp
from jax import lax

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Symmetrize"]


class Symmetrize(LinearOperator):
    r"""Make an array symmetric along ``axis`` by prepending its mirror image.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape; the data has ``2 * dims[axis] - 1`` samples along ``axis``.
    axis : int, optional
        Axis along which the model is symmetrized.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    Along ``axis``, with :math:`N` = ``dims[axis]`` and :math:`i = 0, \ldots, 2N-2`,

    .. math:: y_i = \begin{cases} x_{i-N+1}, & i \geq N - 1 \\ x_{N-1-i}, & \text{otherwise} \end{cases}

    and the adjoint folds the data back: :math:`x_0 = y_{N-1}` and
    :math:`x_i = y_{N-1-i} + y_{N-1+i}` for :math:`i = 1, \ldots, N-1`.

    PyLops equivalent: ``pylops.Symmetrize(dims, axis, dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> S = jl.Symmetrize(3, dtype="float32")
    >>> S @ jnp.array([1.0, 2.0, 3.0])
    Array([3., 2., 1., 2., 3.], dtype=float32)
    >>> S.H @ jnp.array([3.0, 2.0, 1.0, 2.0, 3.0])
    Array([1., 4., 6.], dtype=float32)
    """

    dims: tuple = static_field()
    axis: int = static_field(default=-1)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        dims = as_dims("Symmetrize", "dims", self.dims)
        axis = as_axis("Symmetrize", self.axis, len(dims))
        dimsd = dims[:axis] + (2 * dims[axis] - 1,) + dims[axis + 1 :]
        self._set(dims=dims, dimsd=dimsd, axis=axis, dtype=as_dtype("Symmetrize", self.dtype))

    def _matvec(self, x):
        x = x.astype(jnp.result_type(self.dtype, x.dtype))
        mirror = jnp.flip(lax.slice_in_dim(x, 1, None, axis=self.axis), self.axis)
        return jnp.concatenate([mirror, x], axis=self.axis)

    def _rmatvec(self, y):
        y = y.astype(jnp.result_type(self.dtype, y.dtype))
        n = self.dims[self.axis]
        mirror = jnp.flip(lax.slice_in_dim(y, 0, n - 1, axis=self.axis), self.axis)
        widths = [(0, 0)] * len(self.dims)
        widths[self.axis] = (1, 0)
        return lax.slice_in_dim(y, n - 1, None, axis=self.axis) + jnp.pad(mirror, widths)
