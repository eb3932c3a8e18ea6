"""Vertical stacking of operators."""

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

__all__ = ["VStack"]


class VStack(LinearOperator):
    r"""Vertical stack of operators that share one model.

    Parameters
    ----------
    ops : list of LinearOperator
        Operators to stack, all with the same number of columns. Dense 2-D
        arrays are accepted in place of operators (they become
        :class:`MatrixMult`). The operators are pytree children.
    dtype : str or numpy.dtype, optional
        Operator dtype, promoted with the dtypes of ``ops``; their promotion
        when ``None``.

    Attributes
    ----------
    nnops : tuple of int
        Cumulative numbers of rows of the operators, with a leading zero.

    Notes
    -----
    The forward stacks the data of every operator, the adjoint sums the
    adjoints of the data blocks:

    .. math:: \begin{bmatrix} \mathbf{L}_1 \\ \vdots \\ \mathbf{L}_N \end{bmatrix} \mathbf{x}
              = \begin{bmatrix} \mathbf{L}_1 \mathbf{x} \\ \vdots \\ \mathbf{L}_N \mathbf{x} \end{bmatrix},
              \quad \mathbf{x} = \sum_i \mathbf{L}_i^H \mathbf{y}_i \;\text{(adjoint)}.

    As in PyLops, ``dims`` is the operators' common ``dims`` (``(M,)`` when
    they differ) and ``dimsd`` is ``(N,)``.

    PyLops equivalent: ``pylops.VStack(ops, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> Op = jl.VStack([jl.Identity(2, dtype="float32"), jnp.array([[1.0, 2.0]], dtype="float32")])
    >>> Op @ jnp.array([1.0, 3.0], dtype="float32")
    Array([1., 3., 7.], dtype=float32)
    """

    ops: tuple
    dtype: object = static_field(default=None)
    nnops: tuple = static_field(init=False, default=None)

    def __post_init__(self):
        name = type(self).__name__
        ops = as_operators(name, "ops", self.ops)
        check_same(name, "ops", "columns", ops, axis=1)
        nnops = offsets(op.shape[0] for op in ops)
        self._set(
            ops=ops,
            nnops=nnops,
            dims=common_shape([op.dims for op in ops], ops[0].shape[1]),
            dimsd=(nnops[-1],),
            dtype=stack_dtype(name, self.dtype, ops),
        )

    def _matvec(self, x):
        return jnp.concatenate([forward(op, x) for op in self.ops])

    def _rmatvec(self, y):
        blocks = jnp.split(y, self.nnops[1:-1])
        return sum(adjoint(op, b) for op, b in zip(self.ops, blocks)).reshape(self.dims)
