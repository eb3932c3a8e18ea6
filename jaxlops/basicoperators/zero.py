"""Zero operator."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops._validation import as_dtype, as_sizes
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Zero"]


class Zero(LinearOperator):
    r"""The null operator: any model to zeros of the data shape, and back.

    Parameters
    ----------
    N : int or tuple of int
        Data size (or shape, ``dimsd``).
    M : int or tuple of int, optional
        Model size (or shape, ``dims``); ``N`` when ``None``. ``N`` and ``M``
        must both be ints or both be tuples (of any lengths).
    dtype : str or numpy.dtype, optional
        Operator dtype.

    Notes
    -----
    .. math:: \mathbf{0}\,\mathbf{x} = \mathbf{0}_N, \quad
              \mathbf{0}^H\,\mathbf{y} = \mathbf{0}_M.

    The output dtype is the operator's promoted with the input's.

    PyLops equivalent: ``pylops.Zero(N, M, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> jl.Zero(3, 2, dtype="float32") @ jnp.array([1.0, 2.0])
    Array([0., 0., 0.], dtype=float32)
    """

    N: object = static_field()
    M: object = static_field(default=None)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        N, M, dimsd, dims = as_sizes("Zero", self.N, self.M)
        self._set(N=N, M=M, dims=dims, dimsd=dimsd, dtype=as_dtype("Zero", self.dtype))

    def _matvec(self, x):
        return jnp.zeros(self.dimsd, jnp.result_type(self.dtype, x.dtype))

    def _rmatvec(self, y):
        return jnp.zeros(self.dims, jnp.result_type(self.dtype, y.dtype))
