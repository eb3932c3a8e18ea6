"""The stacked least-squares problems of the regularised solvers, in a layout that keeps sharding.

A regularised inversion solves ``[Op; e1 R1; ...] x = [y; e1 d1; ...]``. PyLops
stacks the blocks with ``VStack``, whose data is one flat vector. When every
block has the same data shape (the post-stack operator and its Laplacian,
derivatives or smoothing), jaxlops stacks them along a new leading axis
instead: no block is flattened, so data sharded over devices along any of its
axes stays sharded through the solve. The iterates are the same; only the
layout of the stacked data differs.
"""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops._primitive import apply
from jaxlops.basicoperators._stacking import stack_dtype
from jaxlops.basicoperators.vstack import VStack
from jaxlops.linearoperator import LinearOperator

__all__ = ["SameShapeVStack", "stack_rows"]


class SameShapeVStack(LinearOperator):
    """Vertical stack of operators with one ``dims`` and one ``dimsd``: ``dimsd`` is
    ``(len(ops), *dimsd)``, block ``i`` of the data being ``data[i]``."""

    ops: tuple

    def __post_init__(self):
        ops = tuple(self.ops)
        self._set(ops=ops, dims=ops[0].dims, dimsd=(len(ops), *ops[0].dimsd),
                  dtype=stack_dtype(type(self).__name__, None, ops))

    def _matvec(self, x):
        return jnp.stack([apply(op, x) for op in self.ops])

    def _rmatvec(self, y):
        return sum(apply(op, y[i], adjoint=True) for i, op in enumerate(self.ops))


def stack_rows(ops):
    """The vertical stack of ``ops`` and ``join(blocks)``, which lays their data out for it.

    ``SameShapeVStack`` when the operators share ``dims`` and ``dimsd`` (each
    block is then reshaped to ``dimsd``), else PyLops' ``VStack`` (each block
    flattened and concatenated).
    """
    if all(op.dims == ops[0].dims and op.dimsd == ops[0].dimsd for op in ops):
        dimsd = ops[0].dimsd
        return SameShapeVStack(ops), lambda blocks: jnp.stack([jnp.reshape(b, dimsd) for b in blocks])
    return VStack(ops), lambda blocks: jnp.concatenate([jnp.reshape(b, -1) for b in blocks])
