"""The compiled applications every interop wrapper calls.

The operator is an argument of module-level jitted functions, so operators of
the same structure (same class, shapes, dtype and static settings) share one
compilation, whatever the values of their arrays. Nothing is donated: the
inputs may be borrowed memory (a torch tensor, a NumPy array).
"""

from __future__ import annotations

import functools

import jax

__all__ = ["apply_shaped", "apply_flat"]


@functools.partial(jax.jit, static_argnames=("adjoint", "batch"))
def apply_shaped(op, x, adjoint=False, batch=False):
    """``Op @ x`` (``Op.H @ x``): ``x`` flat or shaped ``dims`` (``dimsd``), the output follows.

    With ``batch`` the first axis of ``x`` is a batch, applied as one vmapped call.
    """

    def one(v):
        return op._apply(v, adjoint, shaped_first=True)

    return jax.vmap(one)(x) if batch else one(x)


@functools.partial(jax.jit, static_argnames="adjoint")
def apply_flat(op, x, adjoint=False):
    """``Op.matvec(x)`` (``Op.rmatvec``) for a flat ``x``, or on each column of a 2-D ``x`` in one call."""
    fun = op.rmatvec if adjoint else op.matvec
    return fun(x) if x.ndim == 1 else jax.vmap(fun, in_axes=1, out_axes=1)(x)
