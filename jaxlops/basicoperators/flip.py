"""Flip operator."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Flip"]


class Flip(LinearOperator):
    r"""Reverse the order of the samples along one axis.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    axis : int, optional
        Axis along which the model is flipped.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    With :math:`N` samples along ``axis``,

    .. math:: y_i = x_{N-1-i} \quad \forall i = 0, \ldots, N-1.

    The operator is its own adjoint (and inverse).

    PyLops equivalent: ``pylops.Flip(dims, axis, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> jl.Flip(3, dtype="float32") @ jnp.array([1.0, 2.0, 3.0])
    Array([3., 2., 1.], dtype=float32)
    """

    dims: tuple = static_field()
    axis: int = static_field(default=-1)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        dims = as_dims("Flip", "dims", self.dims)
        axis = as_axis("Flip", self.axis, len(dims))
        self._set(dims=dims, dimsd=dims, axis=axis, dtype=as_dtype("Flip", self.dtype))

    def _matvec(self, x):
        return jnp.flip(x, axis=self.axis)

    def _rmatvec(self, y):
        return jnp.flip(y, axis=self.axis)
