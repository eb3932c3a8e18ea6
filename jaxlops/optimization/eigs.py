"""Eigenvalues: power iteration, Arnoldi (``eigs``) and the condition number (``cond``)."""

from __future__ import annotations

from typing import NamedTuple

import jax
import jax.numpy as jnp

from jaxlops._eager import compiled_when_eager
from jaxlops.linearoperator import LinearOperator
from jaxlops.optimization._checks import as_niter, as_nonnegative
from jaxlops.optimization._driver import safe_divide

__all__ = ["PowerIterationResult", "cond", "eigs", "power_iteration"]


class PowerIterationResult(NamedTuple):
    """``(maxeig, b_k, niter)``, unpackable as PyLops' tuple."""

    maxeig: jax.Array
    b_k: jax.Array
    niter: jax.Array


@compiled_when_eager
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


def _krylov(Op, k, key):
    """Arnoldi with full reorthogonalisation: the ``k x k`` Hessenberg matrix of ``Op``.

    On an exact invariant subspace (a zero residual) it restarts from a random
    vector orthogonal to the basis, so the Ritz values stay eigenvalues of ``Op``.
    """
    m = Op.shape[1]
    dtype = jnp.result_type(Op.dtype, jnp.float32)
    restarts = jax.random.normal(key, (k + 1, m)).astype(dtype)
    V = jnp.zeros((k + 1, m), dtype).at[0].set(restarts[0] / jnp.linalg.norm(restarts[0]))
    H = jnp.zeros((k + 1, k), dtype)
    small = 10 * jnp.finfo(dtype).eps

    def orthogonalised(V, w):
        for _ in range(2):  # twice is enough (Kahan, Parlett)
            w = w - jnp.conj(V).dot(w) @ V
        return w

    def body(j, carry):
        V, H = carry
        w = Op.matvec(V[j])
        h = jnp.conj(V).dot(w)
        w = orthogonalised(V, w)
        beta = jnp.linalg.norm(w)
        fresh = orthogonalised(V, restarts[j + 1])
        happy = beta <= small * jnp.maximum(jnp.linalg.norm(h), 1)
        v = jnp.where(happy, fresh / jnp.linalg.norm(fresh), w / jnp.where(happy, 1, beta))
        H = H.at[:, j].set(h).at[j + 1, j].set(jnp.where(happy, 0, beta))
        return V.at[j + 1].set(v), H

    _, H = jax.lax.fori_loop(0, k, body, (V, H))
    return H[:k]


@compiled_when_eager
def eigs(Op, neigs=None, symmetric=False, niter=None, which="LM", key=None):
    r"""A few eigenvalues of a square operator, or singular values of a rectangular one.

    Parameters
    ----------
    Op : LinearOperator
        Operator.
    neigs : int, optional
        Number of values (default ``Op.shape[1] - 2`` as PyLops, at most the
        Krylov dimension).
    symmetric : bool, optional
        ``Op`` is Hermitian (real eigenvalues, Lanczos-like Hermitian solve).
    niter : int, optional
        Krylov subspace dimension (default ``min(M, max(2 neigs + 1, 40))``);
        with ``niter = M`` the values are exact up to rounding.
    which : {"LM", "SM"}, optional
        Largest or smallest magnitude first.
    key : jax.Array, optional
        PRNG key of the starting vector.

    Returns
    -------
    jax.Array
        ``neigs`` values sorted by decreasing (``"LM"``) or increasing
        (``"SM"``) magnitude: eigenvalues for a square ``Op``, singular values
        (square roots of the eigenvalues of :math:`\mathbf{Op}^H\mathbf{Op}`)
        otherwise.

    Notes
    -----
    Arnoldi iteration with full reorthogonalisation in one compiled loop,
    then the eigenvalues of the small Hessenberg matrix. Extreme values
    converge first; the smallest ones need a larger ``niter``. Non-Hermitian
    operators use ``jnp.linalg.eigvals``, which JAX runs on the CPU only.

    PyLops equivalent: ``LinearOperator.eigs`` (ARPACK through SciPy).
    """
    if which not in ("LM", "SM"):
        raise ValueError(f"eigs: which must be 'LM' or 'SM', got {which!r}")
    square = Op.shape[0] == Op.shape[1]
    A = Op if square else Op.H @ Op
    m = A.shape[1]
    neigs = max(m - 2, 1) if neigs is None or neigs >= m else as_niter("eigs", neigs)
    k = min(m, max(2 * neigs + 1, 40)) if niter is None else min(m, as_niter("eigs", niter))
    H = _krylov(A, k, jax.random.key(0) if key is None else key)
    if symmetric or not square:
        values = jnp.linalg.eigvalsh((H + jnp.conj(H).T) / 2)
    else:
        values = jnp.linalg.eigvals(H)
    order = jnp.argsort(jnp.abs(values))
    values = values[order[::-1] if which == "LM" else order][: min(neigs, k)]
    return values if square else jnp.sqrt(jnp.maximum(jnp.real(values), 0))


@compiled_when_eager
def cond(Op, **kwargs_eig):
    r"""Condition number: largest over smallest eigenvalue magnitude (singular value if rectangular).

    ``kwargs_eig`` go to :func:`eigs` (``niter`` = the Krylov dimension: the
    smallest value needs a large one). PyLops equivalent: ``LinearOperator.cond``.
    """
    largest = eigs(Op, neigs=1, which="LM", **kwargs_eig)[0]
    smallest = eigs(Op, neigs=1, which="SM", **kwargs_eig)[0]
    return jnp.abs(largest) / jnp.abs(smallest)
