"""The solves behind :func:`jaxlops.avo.poststack.PoststackInversion`, one per PyLops branch.

Each takes PyLops' ``**kwargs_solver`` (SciPy's names where PyLops calls SciPy)
and checks them, so that a misspelt argument raises instead of being ignored.
"""

from __future__ import annotations

import jax.numpy as jnp
import jax.scipy.linalg as jsl
from jax import lax

from jaxlops.basicoperators.firstderivative import FirstDerivative
from jaxlops.basicoperators.laplacian import Laplacian
from jaxlops.basicoperators.secondderivative import SecondDerivative
from jaxlops.optimization._checks import as_niter
from jaxlops.optimization._stacked import stack_rows
from jaxlops.optimization.leastsquares import regularized_inversion
from jaxlops.optimization.lsqr import lsqr
from jaxlops.optimization.splitbregman import splitbregman

__all__ = ["blocky", "explicit_solve", "least_squares", "regularized", "single_value"]

# SciPy's lstsq arguments that do not change the result here
_LSTSQ_NO_OPS = ("check_finite", "overwrite_a", "overwrite_b")
_LSQR = ("damp", "atol", "btol", "conlim", "iter_lim", "niter", "show", "x0")


def single_value(name, arg, value):
    """A weight given as a number or, as PyLops allows, a one-element list."""
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise ValueError(f"{name}: {arg} must be a number or a list of one number, got {value!r}")
        value = value[0]
    return value


def _check_kwargs(name, kwargs, allowed, branch):
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        raise TypeError(f"{name}: unexpected keyword argument(s) {unknown} with {branch}; allowed: {sorted(allowed)}")


def _solve_svd(A, B, cond, hermitian):
    """SciPy's ``lstsq(A, B, cond)``: minimum-norm least squares, singular values at most
    ``cond`` times the largest dropped. ``hermitian``: ``A`` is Hermitian positive
    semi-definite, whose SVD is its eigendecomposition (several times faster)."""
    if hermitian:
        s, u = jnp.linalg.eigh(A)  # the singular values are |s|
        vh = jnp.conj(u.T)
    else:
        u, s, vh = jnp.linalg.svd(A, full_matrices=False)
    keep = jnp.abs(s) > cond * jnp.max(jnp.abs(s))
    s_inv = jnp.where(keep, 1 / jnp.where(keep, s, 1), 0).astype(A.dtype)
    return jnp.conj(vh.T) @ (s_inv[:, None] * (jnp.conj(u.T) @ B))


def explicit_solve(name, A, datar, epsI, kwargs):
    """Every trace at once: one SVD of ``A`` (with ``epsI``: one Cholesky factorisation of
    ``A^H A + epsI I``, or its eigendecomposition when ``epsI`` is below ``cond`` times its scale).

    ``cond`` (SciPy's ``lstsq`` argument) drops the singular values at most ``cond`` times the
    largest. Its default here is NumPy's ``lstsq`` rule, ``max(M, N)`` times the machine
    precision of the dtype, not SciPy's (the machine precision): the post-stack matrix is
    singular, and singular values within a few rounding errors of zero are then rounding noise
    that SciPy's cutoff keeps and amplifies (by how much depends on the rounding of each SVD).
    With this default the noise-free trace-by-trace inversion is at least as accurate as
    PyLops' (PyLops' 550 x 267 tutorial section, float64: model error 0.0040, PyLops 0.0041,
    0.0059 here with SciPy's cutoff); pass ``cond`` for SciPy's rule.
    """
    _check_kwargs(name, kwargs, ("cond",) + _LSTSQ_NO_OPS, "explicit=True, simultaneous=False")
    dtype = jnp.result_type(A, datar)
    A = A.astype(dtype)
    B = datar.astype(dtype).reshape(A.shape[0], -1)
    cond = kwargs.get("cond")
    cond = max(A.shape) * jnp.finfo(dtype).eps if cond is None else cond
    if epsI is None:
        return _solve_svd(A, B, cond, hermitian=False).reshape(datar.shape)
    AH = jnp.conj(A.T)
    normal, rhs = AH @ A + epsI * jnp.eye(A.shape[1], dtype=dtype), AH @ B
    # Every eigenvalue of the normal matrix is at least epsI (>= 0): when epsI is above cond times an
    # upper bound of the largest (the trace), lstsq drops none and is the solve a Cholesky factor gives.
    well_posed = epsI > cond * jnp.real(jnp.trace(normal))
    minv = lax.cond(well_posed, lambda: jsl.cho_solve(jsl.cho_factor(normal), rhs),
                    lambda: _solve_svd(normal, rhs, cond, hermitian=True))
    return minv.reshape(datar.shape)


def _lsqr_settings(name, kwargs, size, branch):
    """SciPy's ``lsqr`` arguments (``iter_lim`` or ``niter``) with SciPy's defaults, as PyLops passes them,
    and SciPy's stopping tests."""
    _check_kwargs(name, kwargs, _LSQR, branch)
    kwargs = dict(kwargs)
    if "iter_lim" in kwargs and "niter" in kwargs:
        raise TypeError(f"{name}: give iter_lim or niter, not both")
    niter = kwargs.pop("iter_lim", kwargs.pop("niter", None))
    niter = 2 * size if niter is None else as_niter(name, niter)
    settings = dict(damp=0.0, atol=1e-6, btol=1e-6, conlim=1e8)
    settings.update(kwargs)
    return dict(settings, niter=niter, stopping="scipy")


def least_squares(name, Op, y, kwargs, branch):
    """:func:`~jaxlops.lsqr` on ``Op`` with SciPy's stopping tests, as PyLops calls SciPy's ``lsqr``."""
    return lsqr(Op, y, **_lsqr_settings(name, kwargs, Op.shape[1], branch)).x


def _laplacian(PPop):
    dims, dtype = PPop.dims, PPop.dtype
    if len(dims) == 1:
        return SecondDerivative(dims, dtype=dtype)
    return Laplacian(dims, axes=(0, 1) if len(dims) == 2 else (1, 2), dtype=dtype)


def regularized(name, PPop, data, m0, epsR, kwargs):
    """PyLops' ``regularized_inversion`` with the Laplacian: SciPy's ``lsqr`` (here :func:`~jaxlops.lsqr`
    with ``stopping="scipy"``) on the stacked operator, or CGLS with ``engine="pylops"``."""
    kwargs = dict(kwargs)
    engine = kwargs.pop("engine", "scipy")
    if engine not in ("scipy", "pylops"):
        raise ValueError(f"{name}: engine must be 'scipy' or 'pylops', got {engine!r}")
    Reg = _laplacian(PPop)
    # Data and model keep their shapes (no flattening): a volume sharded over devices stays sharded.
    x0 = None if m0 is None else m0.reshape(PPop.dims)
    y = data.reshape(PPop.dimsd)
    if engine == "pylops":
        x = regularized_inversion(PPop, y, [Reg], x0=x0, epsRs=[epsR], **kwargs).x
        return x.reshape(data.shape)
    settings = _lsqr_settings(name, dict(kwargs, x0=x0), PPop.shape[1], "epsR")
    stacked, join = stack_rows([PPop, epsR * Reg])
    return lsqr(stacked, join([y, jnp.zeros(Reg.dimsd, y.dtype)]), **settings).x.reshape(data.shape)


def blocky(PPop, data, m0, epsR, epsRL1, kwargs):
    """PyLops' blocky inversion: :func:`~jaxlops.splitbregman` with an L1 time derivative and an
    L2 spatial second derivative (Laplacian for a volume; none for one trace)."""
    dims, dtype = PPop.dims, PPop.dtype
    RegL1 = FirstDerivative(dims, axis=0, kind="forward", dtype=dtype)
    if len(dims) == 1:
        RegsL2, epsRL2s = None, None
    else:
        RegL2 = SecondDerivative(dims, axis=1, dtype=dtype) if len(dims) == 2 else Laplacian(dims, axes=(1, 2),
                                                                                            dtype=dtype)
        RegsL2, epsRL2s = [RegL2], [epsR]
    x0 = None if m0 is None else m0.reshape(PPop.dims)
    result = splitbregman(PPop, data.reshape(PPop.dimsd), [RegL1], x0=x0, RegsL2=RegsL2, epsRL1s=[epsRL1],
                          epsRL2s=epsRL2s, **kwargs)
    return result.x.reshape(data.shape)
