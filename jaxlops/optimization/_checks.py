"""Argument checks shared by the solvers: they raise before anything runs."""

from __future__ import annotations

import math
import operator

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops._primitive import apply
from jaxlops.linearoperator import LinearOperator

__all__ = ["adjoint", "as_damping", "as_niter", "as_nonnegative", "forward", "preconditioned", "prepare", "start"]


def as_niter(solver, niter):
    """``niter`` as a non-negative int (it is static: it sizes the cost history)."""
    try:
        niter = operator.index(niter)
    except TypeError:
        raise TypeError(f"{solver}: niter must be an int, got {niter!r}") from None
    if niter < 0:
        raise ValueError(f"{solver}: niter must be non-negative, got {niter}")
    return niter


def as_nonnegative(solver, arg, value, dtype):
    """A non-negative real parameter as a scalar array of ``dtype``; checked when concrete."""
    if not isinstance(value, jax.core.Tracer):
        if np.ndim(value) != 0 or np.iscomplexobj(value):
            raise TypeError(f"{solver}: {arg} must be a real scalar, got {value!r}")
        if not (math.isfinite(float(value)) and float(value) >= 0):
            raise ValueError(f"{solver}: {arg} must be finite and non-negative, got {float(value)}")
    return jnp.asarray(value, dtype=dtype)


def as_damping(solver, damp, dtype):
    """``damp`` checked as :func:`as_nonnegative`; ``None`` when it is a concrete zero, so that the
    solver leaves its damping terms out of the compiled loop (a pass over the vectors each)."""
    zero = not isinstance(damp, jax.core.Tracer) and np.ndim(damp) == 0 and not np.iscomplexobj(damp) and damp == 0
    damp = as_nonnegative(solver, "damp", damp, dtype)
    return None if zero else damp


def prepare(solver, Op, y, x0, zero_start=False):
    """Check ``Op``, ``y`` and ``x0``; return ``y`` shaped ``Op.dimsd``, ``x0`` shaped ``Op.dims``,
    the real dtype and the output shape.

    ``y`` is flat (``N``) or shaped ``Op.dimsd``; ``x`` is returned flat for a
    flat ``y`` and shaped ``Op.dims`` otherwise (or as ``x0`` when given). With
    ``zero_start``, a missing ``x0`` stays ``None`` (see :func:`start`).

    Solvers iterate on arrays of the operator's shapes, never on flattened
    vectors: an array sharded over devices along one of its axes keeps its
    sharding through the whole solve (flattening it would gather it).
    """
    if not isinstance(Op, LinearOperator):
        raise TypeError(f"{solver}: Op must be a jaxlops LinearOperator, got {type(Op).__name__}")
    n, m = Op.shape
    y = jnp.asarray(y)
    if y.shape not in ((n,), tuple(Op.dimsd)):
        raise ValueError(f"{solver}: y must have shape ({n},) or {tuple(Op.dimsd)} to match Op, got {y.shape}")
    dtype = jnp.result_type(Op.dtype, y.dtype)
    shape = (m,) if y.shape == (n,) else tuple(Op.dims)
    if x0 is None:
        x0 = None if zero_start else jnp.zeros(Op.dims, dtype)
    else:
        x0 = jnp.asarray(x0)
        if x0.shape not in ((m,), tuple(Op.dims)):
            raise ValueError(f"{solver}: x0 must have shape ({m},) or {tuple(Op.dims)} to match Op, got {x0.shape}")
        if jnp.iscomplexobj(x0) and not jnp.issubdtype(dtype, jnp.complexfloating):
            raise TypeError(f"{solver}: x0 is complex ({x0.dtype}) but the problem is real ({dtype})")
        shape = x0.shape
        x0 = x0.reshape(Op.dims).astype(dtype)
    return y.reshape(Op.dimsd).astype(dtype), x0, jnp.finfo(dtype).dtype, shape


def forward(Op, x):
    """``Op`` applied to ``x`` shaped ``Op.dims``, shaped ``Op.dimsd`` (also where ``dims`` is 1-D)."""
    return apply(Op, x)


def adjoint(Op, y):
    """``Op.H`` applied to ``y`` shaped ``Op.dimsd``, shaped ``Op.dims``."""
    return apply(Op, y, adjoint=True)


def start(Op, y, x0, fun):
    """Initial iterate and residual ``y - fun(x0)``; the default zero start
    (``x0`` is ``None``) costs no operator application, in run or compile time."""
    if x0 is None:
        return jnp.zeros(Op.dims, y.dtype), y
    return x0, y - fun(x0)


def preconditioned(solver, Op, y, P, x0, **kwargs):
    """``solver`` on ``Op @ P`` (``x0`` a guess of ``p``), returning ``x = P p`` shaped as ``y`` asks."""
    name = solver.__name__
    if not isinstance(P, LinearOperator) or P.shape[0] != Op.shape[1]:
        raise ValueError(f"{name}: P must be a LinearOperator with {Op.shape[1]} rows (Op's columns), got {P!r}")
    _, _, _, shape = prepare(name, Op, y, None)
    result = solver(Op @ P, jnp.asarray(y).reshape(-1), x0=x0, **kwargs)
    return result._replace(x=P.matvec(result.x.reshape(-1)).reshape(shape))
