"""Horizontal stacking of operators."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops.basicoperators._stacking import (
    adjoint,
    as_operators,
    check_same,
    common_shape,
    forward,
    offsets,
    stack_dtype,
)
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["HStack"]


class HStack(LinearOperator):
    r"""Horizontal stack of operators that share one data space.

    Parameters
    ----------
    ops : list of LinearOperator
        Operators to stack, all with the same number of rows. Dense 2-D
        arrays are accepted in place of operators (they become
        :class:`MatrixMult`). The operators are pytree children.
    dtype : str or numpy.dtype, optional
        Operator dtype, promoted with the dtypes of ``ops``; their promotion
        when ``None``.

    Attributes
    ----------
    mmops : tuple of int
        Cumulative numbers of columns of the operators, with a leading zero.

    Notes
    -----
    The model is split into one block per operator; the forward sums their
    data, the adjoint stacks the adjoints:

    .. math:: \begin{bmatrix} \mathbf{L}_1 & \cdots & \mathbf{L}_N \end{bmatrix}
              \begin{bmatrix} \mathbf{x}_1 \\ \vdots \\ \mathbf{x}_N \end{bmatrix}
              = \sum_i \mathbf{L}_i \mathbf{x}_i, \quad
              \mathbf{x}_i = \mathbf{L}_i^H \mathbf{y} \;\text{(adjoint)}.

    As in PyLops, ``dims`` is ``(M,)`` and ``dimsd`` is the operators'
    common ``dimsd`` (``(N,)`` when they differ).

    PyLops equivalent: ``pylops.HStack(ops, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> Op = jl.HStack([jl.Identity(2, dtype="float32"), 2 * jl.Identity(2, dtype="float32")])
    >>> Op @ jnp.array([1.0, 2.0, 3.0, 4.0], dtype="float32")
    Array([ 7., 10.], dtype=float32)
    """

    ops: tuple
    dtype: object = static_field(default=None)
    mmops: tuple = static_field(init=False, default=None)

    def __post_init__(self):
        ops = as_operators("HStack", "ops", self.ops)
        check_same("HStack", "ops", "rows", ops, axis=0)
        mmops = offsets(op.shape[1] for op in ops)
        self._set(
            ops=ops,
            mmops=mmops,
            dims=(mmops[-1],),
            dimsd=common_shape([op.dimsd for op in ops], ops[0].shape[0]),
            dtype=stack_dtype("HStack", self.dtype, ops),
        )

    def _matvec(self, x):
        blocks = jnp.split(x, self.mmops[1:-1])
        return sum(forward(op, b) for op, b in zip(self.ops, blocks)).reshape(self.dimsd)

    def _rmatvec(self, y):
        return jnp.concatenate([adjoint(op, y) for op in self.ops])
