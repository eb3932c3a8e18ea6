"""Largest eigenvalue by power iteration, in one compiled loop."""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from jaxlops.linearoperator import LinearOperator
from jaxlops.optimization._checks import as_niter, as_nonnegative
from jaxlops.optimization._driver import safe_divide

__all__ = ["PowerIterationResult", "power_iteration"]


class PowerIterationResult(NamedTuple):
    """``(maxeig, b_k, niter)``, unpackable as PyLops' tuple."""

    maxeig: jax.Array
    b_k: jax.Array
    niter: jax.Array


def power_iteration(Op, niter=10, tol=1e-5, dtype="float32", key=None):
    r"""Largest (in modulus) eigenvalue of a square operator by power iteration.

    Parameters
    ----------
    Op : LinearOperator
        Square operator (e.g. ``Op.H @ Op`` for the largest squared singular value).
    niter : int, optional
        Maximum number of iterations.
    tol : float, optional
        Stop when the estimate changes by less than ``tol`` times itself.
    dtype : str, optional
        Dtype of the starting vector (complex dtypes draw complex vectors).
    key : jax.Array, optional
        PRNG key of the random starting vector; ``jax.random.key(0)`` by default
        (PyLops draws from NumPy's global generator).

    Returns
    -------
    PowerIterationResult
        ``maxeig`` (Rayleigh quotient :math:`\mathbf{b}^H\mathbf{Op}\,\mathbf{b}`),
        ``b_k`` (the eigenvector estimate) and ``niter`` (iterations done).

    Notes
    -----
    PyLops equivalent: ``pylops.optimization.eigs.power_iteration``.
    """
    if not isinstance(Op, LinearOperator) or Op.shape[0] != Op.shape[1]:
        raise ValueError(f"power_iteration: Op must be a square LinearOperator, got {Op!r}")
    niter = as_niter("power_iteration", niter)
    dtype = jnp.result_type(dtype, Op.dtype)
    tol = as_nonnegative("power_iteration", "tol", tol, jnp.finfo(dtype).dtype)
    key = jax.random.key(0) if key is None else key
    m = Op.shape[1]
    if jnp.issubdtype(dtype, jnp.complexfloating):
        re, im = jax.random.split(key)
        b = jax.random.uniform(re, (m,)) + 1j * jax.random.uniform(im, (m,))
    else:
        b = jax.random.uniform(key, (m,))
    b = b.astype(dtype)
    b = b / jnp.linalg.norm(b)

    def cond(carry):
        k, _, maxeig, old = carry
        return (k < niter) & ((k == 0) | (jnp.abs(maxeig - old) >= tol * jnp.abs(old)))

    def body(carry):
        k, b, maxeig, _ = carry
        b1 = Op.matvec(b)
        new = jnp.vdot(b, b1)
        return k + 1, safe_divide(b1, jnp.linalg.norm(b1)), new, maxeig

    zero = jnp.zeros((), dtype)
    k, b, maxeig, _ = jax.lax.while_loop(cond, body, (jnp.asarray(0, jnp.int32), b, zero, zero))
    return PowerIterationResult(maxeig, b, k)
