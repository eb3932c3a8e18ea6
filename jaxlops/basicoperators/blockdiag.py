"""Block-diagonal operator."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops.basicoperators._stacking import adjoint, as_operators, forward, offsets, stack_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["BlockDiag"]


def _shape(shapes, size):
    """``(n, *shape)`` when all ``n`` operators share ``shape``, else ``(size,)`` (as PyLops does)."""
    return (len(shapes), *shapes[0]) if len(set(shapes)) == 1 else (size,)


class BlockDiag(LinearOperator):
    r"""Block-diagonal operator: each operator acts on its own block of the model.

    Parameters
    ----------
    ops : list of LinearOperator
        Operators on the diagonal, of any shapes. Dense 2-D arrays are
        accepted in place of operators (they become :class:`MatrixMult`).
        The operators are pytree children.
    dtype : str or numpy.dtype, optional
        Operator dtype, promoted with the dtypes of ``ops``; their promotion
        when ``None``.

    Attributes
    ----------
    nnops, mmops : tuple of int
        Cumulative numbers of rows (columns) of the operators, with a leading
        zero.

    Notes
    -----
    .. math:: \begin{bmatrix} \mathbf{L}_1 & & \\ & \ddots & \\ & & \mathbf{L}_N \end{bmatrix}
              \begin{bmatrix} \mathbf{x}_1 \\ \vdots \\ \mathbf{x}_N \end{bmatrix}
              = \begin{bmatrix} \mathbf{L}_1 \mathbf{x}_1 \\ \vdots \\ \mathbf{L}_N \mathbf{x}_N \end{bmatrix},
              \quad \mathbf{x}_i = \mathbf{L}_i^H \mathbf{y}_i \;\text{(adjoint)}.

    As in PyLops, when all ``n`` operators share ``dims`` (``dimsd``) the
    model (data) is shaped ``(n, *dims)`` (``(n, *dimsd)``), and flat
    ``(M,)`` (``(N,)``) otherwise.

    PyLops equivalent: ``pylops.BlockDiag(ops, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> Op = jl.BlockDiag([jl.Identity(2, dtype="float32"), 3 * jl.Identity(1, dtype="float32")])
    >>> Op @ jnp.array([1.0, 2.0, 3.0], dtype="float32")
    Array([1., 2., 9.], dtype=float32)
    """

    ops: tuple
    dtype: object = static_field(default=None)
    nnops: tuple = static_field(init=False, default=None)
    mmops: tuple = static_field(init=False, default=None)

    def __post_init__(self):
        ops = as_operators("BlockDiag", "ops", self.ops)
        nnops, mmops = offsets(op.shape[0] for op in ops), offsets(op.shape[1] for op in ops)
        self._set(
            ops=ops,
            nnops=nnops,
            mmops=mmops,
            dims=_shape([op.dims for op in ops], mmops[-1]),
            dimsd=_shape([op.dimsd for op in ops], nnops[-1]),
            dtype=stack_dtype("BlockDiag", self.dtype, ops),
        )

    def _matvec(self, x):
        blocks = jnp.split(x.reshape(-1), self.mmops[1:-1])
        return jnp.concatenate([forward(op, b) for op, b in zip(self.ops, blocks)]).reshape(self.dimsd)

    def _rmatvec(self, y):
        blocks = jnp.split(y.reshape(-1), self.nnops[1:-1])
        return jnp.concatenate([adjoint(op, b) for op, b in zip(self.ops, blocks)]).reshape(self.dims)
