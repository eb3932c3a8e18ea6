"""Roll operator."""

from __future__ import annotations

import operator

import jax.numpy as jnp

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Roll"]


class Roll(LinearOperator):
    r"""Circular shift of the samples along one axis.

    Parameters
    ----------
    dims : int or tuple of int
        Model (and data) shape.
    axis : int, optional
        Axis along which the model is rolled.
    shift : int, optional
        Number of samples by which the elements are shifted (towards higher
        indices when positive); any int, wrapped modulo the axis length.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    With :math:`N` samples along ``axis`` and :math:`s` = ``shift``,

    .. math:: y_{(i + s) \bmod N} = x_i, \quad x_i = y_{(i + s) \bmod N}
              \;\text{(adjoint, a roll by } -s\text{)}.

    PyLops equivalent: ``pylops.Roll(dims, axis, shift, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> jl.Roll(4, shift=1, dtype="float32") @ jnp.array([1.0, 2.0, 3.0, 4.0])
    Array([4., 1., 2., 3.], dtype=float32)
    """

    dims: tuple = static_field()
    axis: int = static_field(default=-1)
    shift: int = static_field(default=1)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        dims = as_dims("Roll", "dims", self.dims)
        axis = as_axis("Roll", self.axis, len(dims))
        try:
            if isinstance(self.shift, bool):
                raise TypeError
            shift = operator.index(self.shift)
        except TypeError:
            raise TypeError(f"Roll: shift must be an int, got {self.shift!r}") from None
        self._set(dims=dims, dimsd=dims, axis=axis, shift=shift, dtype=as_dtype("Roll", self.dtype))

    def _matvec(self, x):
        return jnp.roll(x, self.shift, axis=self.axis)

    def _rmatvec(self, y):
        return jnp.roll(y, -self.shift, axis=self.axis)
