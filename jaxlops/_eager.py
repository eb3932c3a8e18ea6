"""Eager calls of solvers and inversions as one compiled program.

A solver called outside ``jax.jit`` would otherwise run its preparation op by
op and trace its loops (and any ``lax.cond``) again on every call. Wrapped with
:func:`compiled_when_eager`, an eager call compiles the whole function once per
structure (operator classes, shapes, dtypes and settings) and later calls with
new arrays reuse that program.
"""

from __future__ import annotations

import functools
import inspect

import jax
import numpy as np

__all__ = ["compiled_when_eager"]


def _is_input(value):
    """Arrays, operators and containers of them are the program's inputs; all else is a setting."""
    from jaxlops.linearoperator import LinearOperator

    leaves = jax.tree.leaves(value, is_leaf=lambda v: isinstance(v, LinearOperator))
    return any(isinstance(leaf, jax.Array | np.ndarray | LinearOperator) for leaf in leaves)


def _hashable(value):
    """Settings given as lists (PyLops' ``epsRs=[...]``) as tuples, so that they can key the cache."""
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    return value


def compiled_when_eager(fun=None, *, eager_if=()):
    """Decorate ``fun`` so that a call outside any JAX trace runs as one compiled program.

    Arrays (JAX or NumPy), operators and containers of them are the inputs
    of the program; every other argument (Python numbers, strings, booleans,
    ``None``, callables, lists of numbers) is a static setting. A call with
    new arrays of the same shapes and dtypes, operators of the same structure
    and the same settings reuses the program; a new setting compiles once
    more (pass a number as a JAX array to vary it without recompiling).
    Settings are checked when the program is traced, with their values, so
    bad input raises as in an eager call.

    Inside a trace (``jax.jit``, ``jax.vmap``, ``jax.grad``), or when a
    boolean argument named in ``eager_if`` is true (e.g. a dot test that
    needs concrete values), ``fun`` runs as written.
    """
    if fun is None:
        return functools.partial(compiled_when_eager, eager_if=eager_if)
    signature = inspect.signature(fun)
    var_keyword = next((p.name for p in signature.parameters.values() if p.kind is p.VAR_KEYWORD), None)

    @functools.partial(jax.jit, static_argnums=0)
    def program(settings, inputs):
        return fun(**dict(settings), **inputs)

    @functools.wraps(fun)
    def wrapper(*args, **kwargs):
        named = dict(signature.bind(*args, **kwargs).arguments)
        named.update(named.pop(var_keyword, {}))
        if any(named.get(name) for name in eager_if) or any(
            isinstance(leaf, jax.core.Tracer) for leaf in jax.tree.leaves(named)
        ):
            return fun(*args, **kwargs)
        settings = tuple(sorted((k, _hashable(v)) for k, v in named.items() if not _is_input(v)))
        try:
            hash(settings)
        except TypeError:  # an unusual setting (e.g. a dict): no program to share
            return fun(*args, **kwargs)
        return program(settings, {k: v for k, v in named.items() if _is_input(v)})

    return wrapper
