"""Block-diagonal and stacked operators whose blocks share one structure: one operator with stacked leaves."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxlops._primitive import apply
from jaxlops.basicoperators._stacking import as_operators, stack_dtype
from jaxlops.linearoperator import LinearOperator, static_field

__all__ = ["BatchedBlockDiag", "BatchedHStack", "BatchedVStack"]


def _stack_leaves(name, ops):
    """``ops`` (same class, settings and leaf shapes) as one operator with leaves stacked along a new first axis."""
    ops = as_operators(name, "ops", ops)

    def signature(op):
        return jax.tree.structure(op), [(jnp.shape(leaf), jnp.result_type(leaf)) for leaf in jax.tree.leaves(op)]

    first = signature(ops[0])
    for i, op in enumerate(ops[1:], 1):
        if signature(op) != first:
            raise ValueError(f"{name}: every block must be the same operator as ops[0] ({type(ops[0]).__name__}, "
                             f"shape {ops[0].shape}) up to the values of its arrays, got ops[{i}] = "
                             f"{type(op).__name__} of shape {op.shape} with other settings, structure or array shapes")
    return jax.tree.map(lambda *leaves: jnp.stack(leaves), *ops), len(ops)


def _each(fun, ops, *args, in_axes=0):
    """``fun(block, *args)`` for every block of ``ops`` (stacked leaves), stacked: one vmapped call."""
    return jax.vmap(fun, in_axes=(0, *([in_axes] * len(args))))(ops, *args)


class _Batched(LinearOperator):
    ops: object
    dtype: object = static_field(default=None)
    nops: int = static_field(init=False, default=None)

    def __post_init__(self):
        name = type(self).__name__
        stacked, nops = _stack_leaves(name, self.ops)
        treedef = jax.tree.structure(stacked)
        block = jax.tree.unflatten(treedef, [object()] * treedef.num_leaves)  # the blocks' static attributes
        self._set(ops=stacked, nops=nops, dtype=stack_dtype(name, self.dtype, [block]), **self._shapes(nops, block))


class BatchedBlockDiag(_Batched):
    r"""Block-diagonal operator of ``n`` blocks that share one structure, applied as one vmapped block.

    The blocks are operators of the same class, settings and shapes that
    differ only in the values of their arrays (e.g. one ``Convolve1D`` per
    trace with its own wavelet). Their arrays are stacked along a new first
    axis, so the forward and the adjoint compile one block, vmapped over the
    blocks, whatever ``n``; the model is ``(n, *dims)`` and the data
    ``(n, *dimsd)``. With the model split along its first axis over devices
    (:func:`~jaxlops.distributed.shard`), each device applies its own blocks
    and nothing is communicated (pylops-mpi's ``MPIBlockDiag``).

    Parameters
    ----------
    ops : list of LinearOperator
        The blocks, all of one structure (checked).
    dtype : str or numpy.dtype, optional
        Operator dtype, promoted with the blocks' dtype.

    Attributes
    ----------
    ops : LinearOperator
        The blocks as one operator whose arrays have a leading axis of length
        ``nops`` (a pytree child).
    nops : int
        The number of blocks.

    Notes
    -----
    .. math:: \mathbf{y}_i = \mathbf{L}_i \mathbf{x}_i, \quad
              \mathbf{x}_i = \mathbf{L}_i^H \mathbf{y}_i \;\text{(adjoint)}.

    PyLops equivalent: ``pylops.BlockDiag(ops)`` (the same operator; PyLops
    applies the blocks one by one).

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> Op = jl.BatchedBlockDiag([jl.Diagonal(jnp.array([1.0, 2.0])), jl.Diagonal(jnp.array([3.0, 4.0]))])
    >>> Op.dims, Op @ jnp.ones((2, 2))
    ((2, 2), Array([[1., 2.],
           [3., 4.]], dtype=float32))
    """

    @staticmethod
    def _shapes(nops, block):
        return dict(dims=(nops, *block.dims), dimsd=(nops, *block.dimsd))

    def _matvec(self, x):
        return _each(apply, self.ops, x)

    def _rmatvec(self, y):
        return _each(lambda op, v: apply(op, v, adjoint=True), self.ops, y)


class BatchedVStack(_Batched):
    r"""Vertical stack of ``n`` blocks that share one structure, applied as one vmapped block.

    As :class:`BatchedBlockDiag`, the blocks differ only in the values of
    their arrays; they share the model. The data is ``(n, *dimsd)``, block
    ``i`` being ``data[i]``. With the data split along its first axis over
    devices, the forward needs the model on every device and the adjoint
    sums the blocks' models over devices (pylops-mpi's ``MPIVStack``).

    Parameters
    ----------
    ops : list of LinearOperator
        The blocks, all of one structure (checked), with the same number of
        columns: they share the model.
    dtype : str or numpy.dtype, optional
        Operator dtype, promoted with the blocks' dtype.

    Attributes
    ----------
    ops, nops :
        As in :class:`BatchedBlockDiag`.

    Notes
    -----
    .. math:: \mathbf{y}_i = \mathbf{L}_i \mathbf{x}, \quad
              \mathbf{x} = \sum_i \mathbf{L}_i^H \mathbf{y}_i \;\text{(adjoint)}.

    PyLops equivalent: ``pylops.VStack(ops)`` (the same operator; PyLops'
    data is flat, ``(N,)``).
    """

    @staticmethod
    def _shapes(nops, block):
        return dict(dims=block.dims, dimsd=(nops, *block.dimsd))

    def _matvec(self, x):
        return _each(apply, self.ops, x, in_axes=None)

    def _rmatvec(self, y):
        return _each(lambda op, v: apply(op, v, adjoint=True), self.ops, y).sum(axis=0)


class BatchedHStack(_Batched):
    r"""Horizontal stack of ``n`` blocks that share one structure, applied as one vmapped block.

    As :class:`BatchedBlockDiag`, the blocks differ only in the values of
    their arrays; they share the data. The model is ``(n, *dims)``, block
    ``i`` being ``model[i]`` (pylops-mpi's ``MPIHStack`` with the model split
    along its first axis over devices).

    Parameters
    ----------
    ops : list of LinearOperator
        The blocks, all of one structure (checked), with the same number of
        rows: they share the data.
    dtype : str or numpy.dtype, optional
        Operator dtype, promoted with the blocks' dtype.

    Attributes
    ----------
    ops, nops :
        As in :class:`BatchedBlockDiag`.

    Notes
    -----
    .. math:: \mathbf{y} = \sum_i \mathbf{L}_i \mathbf{x}_i, \quad
              \mathbf{x}_i = \mathbf{L}_i^H \mathbf{y} \;\text{(adjoint)}.

    PyLops equivalent: ``pylops.HStack(ops)`` (the same operator; PyLops'
    model is flat, ``(M,)``).
    """

    @staticmethod
    def _shapes(nops, block):
        return dict(dims=(nops, *block.dims), dimsd=block.dimsd)

    def _matvec(self, x):
        return _each(apply, self.ops, x).sum(axis=0)

    def _rmatvec(self, y):
        return _each(lambda op, v: apply(op, v, adjoint=True), self.ops, y, in_axes=None)
