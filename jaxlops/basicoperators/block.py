"""Block operator: a matrix of operators."""

from __future__ import annotations

from jaxlops.basicoperators._stacking import as_operators, check_same
from jaxlops.basicoperators.hstack import HStack
from jaxlops.basicoperators.vstack import VStack

__all__ = ["Block"]


class Block(VStack):
    r"""Operator made of blocks of operators, like a block matrix.

    Parameters
    ----------
    ops : list of list of LinearOperator
        Rows of operators. The operators of a row share their number of
        rows; every row has the same total number of columns. Dense 2-D
        arrays are accepted in place of operators (they become
        :class:`MatrixMult`).
    dtype : str or numpy.dtype, optional
        Operator dtype, promoted with the dtypes of ``ops``; their promotion
        when ``None``.

    Notes
    -----
    As in PyLops, a :class:`VStack` of one :class:`HStack` per row (so
    ``Op.ops`` holds the rows as HStacks):

    .. math:: \begin{bmatrix} \mathbf{L}_{11} & \cdots & \mathbf{L}_{1M} \\
              \vdots & \ddots & \vdots \\ \mathbf{L}_{N1} & \cdots & \mathbf{L}_{NM} \end{bmatrix}
              \begin{bmatrix} \mathbf{x}_1 \\ \vdots \\ \mathbf{x}_M \end{bmatrix}
              = \begin{bmatrix} \sum_j \mathbf{L}_{1j} \mathbf{x}_j \\ \vdots \\
              \sum_j \mathbf{L}_{Nj} \mathbf{x}_j \end{bmatrix},
              \quad \mathbf{x}_j = \sum_i \mathbf{L}_{ij}^H \mathbf{y}_i \;\text{(adjoint)}.

    ``dims`` is ``(M,)`` and ``dimsd`` is ``(N,)``.

    PyLops equivalent: ``pylops.Block(ops, dtype=dtype)``.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> I = jl.Identity(1, dtype="float32")
    >>> Op = jl.Block([[I, 2 * I], [3 * I, 4 * I]])
    >>> Op @ jnp.array([1.0, 1.0], dtype="float32")
    Array([3., 7.], dtype=float32)
    """

    def __post_init__(self):
        if not isinstance(self.ops, (list, tuple)):
            raise TypeError(f"Block: ops must be a list of lists of operators, got {type(self.ops).__name__}")
        if not self.ops:
            raise ValueError(f"Block: ops must hold at least one row, got an empty {type(self.ops).__name__}")
        rows = []
        for i, row in enumerate(self.ops):
            row = as_operators("Block", f"ops[{i}]", row)
            check_same("Block", f"ops[{i}]", "rows", row, axis=0)
            rows.append(HStack(row, dtype=self.dtype))
        self._set(ops=tuple(rows))
        super().__post_init__()
