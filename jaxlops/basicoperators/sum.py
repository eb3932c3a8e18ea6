"""Sum operator."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops._validation import as_axis, as_dims, as_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Sum"]


class Sum(LinearOperator):
    r"""Sum along one axis; the adjoint spreads copies along that axis.

    Parameters
    ----------
    dims : int or tuple of int
        Model shape. As in PyLops, a 1-D ``(n,)`` becomes ``(n, 1)``, so that
        ``axis=0`` sums the ``n`` samples into one and ``axis=-1`` (the
        default) is the identity on ``n`` samples.
    axis : int, optional
        Axis of the (2-D or more) model that is summed over.
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    The data shape ``dimsd`` is ``dims`` without ``axis``. For a 2-D model
    summed along axis 0,

    .. math:: y_j = \sum_i x_{i, j}, \quad x_{i, j} = y_j
              \;\text{(adjoint)}.

    PyLops equivalent: ``pylops.Sum(dims, axis, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> S = jl.Sum((2, 3), axis=0, dtype="float32")
    >>> S @ jnp.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    Array([5., 7., 9.], dtype=float32)
    >>> S.H @ jnp.array([1.0, 2.0, 3.0])
    Array([[1., 2., 3.],
           [1., 2., 3.]], dtype=float32)
    """

    dims: tuple = static_field()
    axis: int = static_field(default=-1)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        dims = as_dims("Sum", "dims", self.dims)
        dims = (dims[0], 1) if len(dims) == 1 else dims  # PyLops: never sum down to a scalar
        axis = as_axis("Sum", self.axis, len(dims))
        dimsd = dims[:axis] + dims[axis + 1 :]
        self._set(dims=dims, dimsd=dimsd, axis=axis, dtype=as_dtype("Sum", self.dtype))

    def _matvec(self, x):
        return jnp.sum(x, axis=self.axis)

    def _rmatvec(self, y):
        return jnp.broadcast_to(jnp.expand_dims(y, self.axis), self.dims)
