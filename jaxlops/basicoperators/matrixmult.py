"""Dense matrix operator."""

from __future__ import annotations

import math

import jax
import jax.numpy as jnp

from jaxlops._validation import as_array, as_dims, holding_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["MatrixMult"]


class MatrixMult(LinearOperator):
    r"""Multiplication by a dense matrix, optionally over extra trailing axes.

    Parameters
    ----------
    A : array_like
        Matrix of shape ``(N, M)``. It is a pytree leaf (traceable, batchable,
        differentiable).
    otherdims : int or tuple of int, optional
        Trailing dimensions the matrix is applied across: the model is shaped
        ``(M, *otherdims)`` and the data ``(N, *otherdims)``.
    dtype : str or numpy.dtype, optional
        Operator dtype: ``A`` is cast to it (to its complex counterpart
        when ``A`` is complex).

    Notes
    -----
    :math:`\mathbf{Y} = \mathbf{A}\mathbf{X}` and, for the adjoint,
    :math:`\mathbf{X} = \mathbf{A}^H\mathbf{Y}`, where the columns of
    :math:`\mathbf{X}` run over ``otherdims``.

    PyLops equivalent: ``pylops.MatrixMult(A, otherdims, dtype=dtype)``
    (dense matrices only).

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> A = jl.MatrixMult(jnp.array([[1.0, 2.0], [3.0, 4.0]]), dtype="float32")
    >>> A @ jnp.ones(2)
    Array([3., 7.], dtype=float32)
    """

    A: jax.Array
    otherdims: tuple = static_field(default=None)
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        if hasattr(self.A, "tocsr"):
            raise TypeError("MatrixMult: A must be a dense array; sparse matrices are not supported")
        A = as_array("MatrixMult", "A", self.A)
        if A.ndim != 2:
            raise ValueError(f"MatrixMult: A must be a 2-D matrix, got an array of shape {A.shape}")
        otherdims = () if self.otherdims is None else as_dims("MatrixMult", "otherdims", self.otherdims)
        n, m = A.shape
        dtype = holding_dtype("MatrixMult", self.dtype, A)
        A = A.astype(dtype)
        self._set(
            A=A,
            otherdims=None if self.otherdims is None else otherdims,
            dims=(m, *otherdims),
            dimsd=(n, *otherdims),
            dtype=dtype,
        )

    def _columns(self, x, rows):
        return x.reshape(rows, math.prod(x.shape[1:]))

    def _matvec(self, x):
        return (self.A @ self._columns(x, self.A.shape[1])).reshape(self.dimsd)

    def _rmatvec(self, y):
        # (Y^T conj(A))^T: XLA's CPU dot is about 3x faster this way than with A^H @ Y.
        return (self._columns(y, self.A.shape[0]).T @ jnp.conj(self.A)).T.reshape(self.dims)
