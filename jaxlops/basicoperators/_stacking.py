"""Checks and bookkeeping shared by the stacking operators (VStack, HStack, BlockDiag, Block, Kronecker)."""

from __future__ import annotations

import itertools

import numpy as np

from jaxlops._primitive import apply
from jaxlops._validation import as_array, as_dtype, result_dtype
from jaxlops.linearoperator import LinearOperator, aslinearoperator

__all__ = ["adjoint", "as_operator", "as_operators", "check_same", "common_shape", "forward", "offsets", "stack_dtype"]


def forward(op, x):
    """``op`` applied to ``x`` of its size, flattened (through the primitive, as in ``_algebra``)."""
    return apply(op, x).reshape(-1)


def adjoint(op, y):
    """``op.H`` applied to ``y`` of its size, flattened."""
    return apply(op, y, adjoint=True).reshape(-1)


def as_operator(name, arg, op):
    """``op`` as an operator; a dense 2-D array becomes a :class:`MatrixMult`."""
    if isinstance(op, LinearOperator):
        return op
    if hasattr(op, "tocsr"):
        raise TypeError(f"{name}: {arg} is a sparse matrix; only operators and dense 2-D arrays are supported")
    try:
        dtype = op.dtype if hasattr(op, "dtype") else np.asarray(op).dtype
        numeric = np.ndim(op) == 2 and np.issubdtype(dtype, np.number)
    except (TypeError, ValueError):
        numeric = False
    if not numeric:
        shape = f" of shape {np.shape(op)}" if hasattr(op, "shape") else ""
        raise TypeError(f"{name}: {arg} must be a LinearOperator or a 2-D array, got {type(op).__name__}{shape}")
    return aslinearoperator(as_array(name, arg, op))


def as_operators(name, arg, ops):
    """``ops`` (a non-empty list or tuple) as a tuple of operators."""
    if not isinstance(ops, (list, tuple)):
        raise TypeError(f"{name}: {arg} must be a list of operators, got {type(ops).__name__}")
    if not ops:
        raise ValueError(f"{name}: {arg} must hold at least one operator, got an empty {type(ops).__name__}")
    return tuple(as_operator(name, f"{arg}[{i}]", op) for i, op in enumerate(ops))


def check_same(name, arg, what, ops, axis):
    """Raise unless every operator in ``ops`` has the same ``shape[axis]`` (``what``: rows or columns)."""
    sizes = [op.shape[axis] for op in ops]
    for i, size in enumerate(sizes):
        if size != sizes[0]:
            raise ValueError(
                f"{name}: {arg}[{i}] has {size} {what}, expected {sizes[0]} like {arg}[0] "
                f"(shapes of {arg}: {[op.shape for op in ops]})"
            )


def offsets(sizes):
    """Cumulative sizes with a leading zero, as a tuple of ints (PyLops' ``nnops``/``mmops``)."""
    return (0, *itertools.accumulate(int(s) for s in sizes))


def common_shape(shapes, size):
    """The shape shared by every operator, or ``(size,)`` when they differ (as PyLops does)."""
    shapes = [tuple(s) for s in shapes]
    return shapes[0] if len(set(shapes)) == 1 else (size,)


def stack_dtype(name, dtype, ops):
    """``dtype`` promoted with the dtypes of ``ops``; their promotion alone when ``dtype`` is None."""
    dtypes = [op.dtype for op in ops]
    return result_dtype(*dtypes) if dtype is None else result_dtype(as_dtype(name, dtype), *dtypes)
