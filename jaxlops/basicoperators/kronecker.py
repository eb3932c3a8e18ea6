"""Kronecker product of two operators."""

from __future__ import annotations

import jax

from jaxlops.basicoperators._stacking import as_operator, stack_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["Kronecker"]


class Kronecker(LinearOperator):
    r"""Kronecker product :math:`\mathbf{A} \otimes \mathbf{B}` of two operators.

    Parameters
    ----------
    Op1 : LinearOperator
        First operator :math:`\mathbf{A}`, of shape ``(N1, M1)`` (a dense 2-D
        array becomes a :class:`MatrixMult`). A pytree child.
    Op2 : LinearOperator
        Second operator :math:`\mathbf{B}`, of shape ``(N2, M2)``.
    dtype : str or numpy.dtype, optional
        Operator dtype, promoted with the dtypes of ``Op1`` and ``Op2``.

    Notes
    -----
    With the model reshaped to :math:`\mathbf{X}` of shape ``(M1, M2)``,

    .. math:: (\mathbf{A} \otimes \mathbf{B}) \operatorname{vec}(\mathbf{X})
              = \operatorname{vec}(\mathbf{A} \mathbf{X} \mathbf{B}^T),

    i.e. ``Op2`` acts on every row and ``Op1`` on every column (each as one
    batched call); the adjoint does the same with ``Op1.H`` and ``Op2.H``.
    ``dims`` is ``(M1 * M2,)`` and ``dimsd`` is ``(N1 * N2,)``.

    PyLops equivalent: ``pylops.Kronecker(Op1, Op2, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> A = jl.MatrixMult(jnp.array([[1.0], [2.0]]), dtype="float32")
    >>> B = jl.Diagonal(jnp.array([1.0, -1.0]), dtype="float32")
    >>> jl.Kronecker(A, B, dtype="float32") @ jnp.array([3.0, 4.0], dtype="float32")
    Array([ 3., -4.,  6., -8.], dtype=float32)
    """

    Op1: LinearOperator
    Op2: LinearOperator
    dtype: object = static_field(default="float64")

    def __post_init__(self):
        Op1, Op2 = as_operator("Kronecker", "Op1", self.Op1), as_operator("Kronecker", "Op2", self.Op2)
        (n1, m1), (n2, m2) = Op1.shape, Op2.shape
        dtype = stack_dtype("Kronecker", self.dtype, (Op1, Op2))
        self._set(Op1=Op1, Op2=Op2, dims=(m1 * m2,), dimsd=(n1 * n2,), dtype=dtype)

    @staticmethod
    def _kron(apply1, apply2, x, rows, cols):
        x = jax.vmap(apply2)(x.reshape(rows, cols))  # Op2 on every row
        return jax.vmap(apply1, in_axes=1, out_axes=1)(x).reshape(-1)  # Op1 on every column

    def _matvec(self, x):
        return self._kron(self.Op1.matvec, self.Op2.matvec, x, self.Op1.shape[1], self.Op2.shape[1])

    def _rmatvec(self, y):
        return self._kron(self.Op1.rmatvec, self.Op2.rmatvec, y, self.Op1.shape[0], self.Op2.shape[0])
