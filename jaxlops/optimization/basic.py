"""Conjugate gradients (``cg``) and conjugate gradients for least squares (``cgls``)."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops._eager import compiled_when_eager
from jaxlops.linearoperator import LinearOperator
from jaxlops.optimization._checks import (
    adjoint,
    as_damping,
    as_niter,
    as_nonnegative,
    forward,
    preconditioned,
    prepare,
    start,
)
from jaxlops.optimization._driver import inner, iterate, norm, safe_divide
from jaxlops.optimization._implicit import implicitly_differentiated

__all__ = ["cg", "cgls"]


def _norm2(v):
    return jnp.real(inner(v, v))


def _plus(damping, v):
    """``damping * v``, or nothing where the damping is a concrete zero (``None``, see ``as_damping``)."""
    return 0 if damping is None else damping * v


def _floor(tol, k0):
    """``tol``, raised to rounding level relative to the initial squared residual ``k0``.

    Past that level CG's step lengths are ratios of rounding errors and the
    iterates drift away (even diverge); stopping there loses nothing.
    """
    return jnp.maximum(tol, jnp.finfo(k0.dtype).eps ** 2 * k0)


def _header(Op, **settings):
    """The log's header: a template and the settings' values (traced ones print as numbers)."""
    n, m = Op.shape
    return f"Op: {n} rows, {m} columns\n" + "  ".join(f"{k} = {{{k}}}" for k in settings), settings


# -- CG ------------------------------------------------------------------------


def _relative_stop(rtol, rtol1, cost0, y):
    """PyLops' ``rtol`` (cost below ``rtol`` times the initial cost) and ``rtol1``
    (below ``rtol1`` times the data norm) stopping rules, as one test of a cost."""
    ynorm = norm(y)
    return lambda cost: (cost < rtol * cost0) | (cost < rtol1 * ynorm)


def _cg_run(Op, y, x0, damp, settings, niter, show, callback):
    tol, rtol, rtol1, M = settings

    # Vectors are shaped Op.dims (the data is reshaped where dimsd differs, e.g. a transpose).
    def A(v):
        return forward(Op, v).reshape(v.shape) + _plus(damp, v)

    def precondition(r):
        return r if M is None else forward(M, r).reshape(r.shape)

    y = y.reshape(Op.dims)
    x0, r = start(Op, y, x0, A)
    z = precondition(r)
    rr = _norm2(r)
    tol = _floor(tol, rr)
    relative = _relative_stop(rtol, rtol1, jnp.sqrt(rr), y)

    def step(x, state):
        r, c, kold = state
        Ac = A(c)
        cAc = jnp.real(inner(c, Ac))
        a = safe_divide(kold, cAc)
        x = x + a * c
        r = r - a * Ac
        z = precondition(r)
        k = jnp.real(inner(r, z))
        c = z + safe_divide(k, kold) * c
        rr = _norm2(r)
        return x, (r, c, k), jnp.sqrt(rr), (rr <= tol) | relative(jnp.sqrt(rr)), (cAc <= 0) | (k < 0)

    header = _header(Op, tol=tol, niter=niter) if show else ""
    kold = jnp.real(inner(r, z))
    # x moves by a c, and r by a Op c: a non-finite value reaches the cost ||r|| no later than x.
    return iterate("CG", x0, (r, z, kold), jnp.sqrt(rr), rr <= tol, step, niter, show, callback, header,
                   check_x=False)


def _cg_residual(params, x):
    Op, y, damp = params
    return y.reshape(x.shape) - forward(Op, x).reshape(x.shape) - _plus(damp, x)


def _cg_hessian(params):
    Op, _, damp = params
    return lambda v: forward(Op, v).reshape(v.shape) + _plus(damp, v)


_cg = implicitly_differentiated(_cg_run, _cg_residual, _cg_hessian)


@compiled_when_eager
def cg(Op, y, x0=None, niter=10, damp=0.0, tol=1e-4, rtol=0.0, rtol1=0.0, show=False, callback=None, M=None):
    r"""Conjugate gradients for a Hermitian positive definite ``Op``.

    Solves :math:`(\mathbf{Op} + \epsilon \mathbf{I})\mathbf{x} = \mathbf{y}`
    with :math:`\epsilon` = ``damp``, in one compiled ``lax.while_loop``.

    Parameters
    ----------
    Op : LinearOperator
        Square, Hermitian, positive definite operator.
    y : array_like
        Data, flat (``N``) or shaped ``Op.dimsd``.
    x0 : array_like, optional
        Starting guess (zeros by default).
    niter : int, optional
        Maximum number of iterations.
    damp : float, optional
        Damping :math:`\epsilon` added to the diagonal.
    tol : float, optional
        Stop when the squared residual norm :math:`\|\mathbf{r}\|_2^2` is at
        most ``tol`` (as PyLops) or at rounding level (``eps**2`` times its
        initial value), where further iterations only accumulate rounding.
    rtol : float, optional
        Also stop when the residual norm falls below ``rtol`` times its
        initial value (as PyLops).
    rtol1 : float, optional
        Also stop when the residual norm falls below ``rtol1`` times the norm
        of ``y`` (as PyLops).
    show : bool, optional
        Print a log from the compiled loop.
    callback : callable, optional
        ``callback(x)`` after every iteration (from the compiled loop).
    M : LinearOperator, optional
        Preconditioner approximating :math:`(\mathbf{Op} + \epsilon\mathbf{I})^{-1}`
        (Hermitian positive definite): preconditioned CG. Not in PyLops' ``cg``.

    Returns
    -------
    SolverResult
        ``x``, ``niter`` (iterations done), ``cost`` (residual norms, length
        ``niter + 1``), ``status`` (``CONVERGED``, ``MAX_ITERATIONS``,
        ``BREAKDOWN`` when :math:`\mathbf{c}^H\mathbf{Op}\,\mathbf{c} \le 0`,
        i.e. ``Op`` is not positive definite, or ``NON_FINITE``).

    Notes
    -----
    Iterates are those of PyLops' ``cg``. ``jax.grad`` through ``cg`` uses
    implicit differentiation (one more CG solve on the same operator, memory
    independent of ``niter``) with respect to ``y``, ``damp`` and the leaves
    of ``Op``; ``x0`` and ``tol`` get zero gradients.

    PyLops equivalent: ``pylops.optimization.basic.cg`` (returns
    ``(x, iit, cost)``).
    """
    y, x0, real, shape = prepare("cg", Op, y, x0, zero_start=True)
    if Op.shape[0] != Op.shape[1]:
        raise ValueError(f"cg: Op must be square, got shape {Op.shape}")
    niter = as_niter("cg", niter)
    damp, tol = as_damping("cg", damp, real), as_nonnegative("cg", "tol", tol, real)
    if M is not None and (not isinstance(M, LinearOperator) or M.shape != Op.shape):
        raise ValueError(f"cg: M must be a LinearOperator of shape {Op.shape}, got {M!r}")
    rtol, rtol1 = as_nonnegative("cg", "rtol", rtol, real), as_nonnegative("cg", "rtol1", rtol1, real)
    result = _cg(Op, y, x0, damp, (tol, rtol, rtol1, M), niter, show, callback)
    return result._replace(x=result.x.reshape(shape))


# -- CGLS ----------------------------------------------------------------------


def _cgls_run(Op, y, x0, damp, settings, niter, show, callback):
    tol, rtol, rtol1 = settings
    damp2 = None if damp is None else damp**2
    x0, s = start(Op, y, x0, lambda x: forward(Op, x))
    c = adjoint(Op, s) - _plus(damp2, x0)
    kold = _norm2(c)
    tol = _floor(tol, kold)
    relative = _relative_stop(rtol, rtol1, jnp.sqrt(_norm2(s)), y)

    def step(x, state):
        s, c, kold = state
        q = forward(Op, c)  # here rather than at the end of the step: one application less to compile
        a = safe_divide(kold, _norm2(q) + _plus(damp2, _norm2(c)))
        x = x + a * c
        s = s - a * q
        r = adjoint(Op, s) - _plus(damp2, x)
        k = _norm2(r)
        c = r + safe_divide(k, kold) * c
        cost = jnp.sqrt(_norm2(s))
        return x, (s, c, k), cost, (k <= tol) | relative(cost), jnp.asarray(False)

    header = _header(Op, damp=0.0 if damp is None else damp, tol=tol, niter=niter) if show else ""
    # x moves by a c, and s by a Op c: a non-finite value reaches the cost ||s|| no later than x.
    # (An infinite ||Op^H s|| is no convergence: the first step turns it into a NON_FINITE status.)
    return iterate("CGLS", x0, (s, c, kold), jnp.sqrt(_norm2(s)), (kold <= tol) & jnp.isfinite(kold), step, niter,
                   show, callback, header, check_x=False)


def least_squares_residual(params, x):
    """``Op^H (y - Op x) - damp^2 x``: zero at the damped least-squares solution."""
    Op, y, damp = params
    return adjoint(Op, y - forward(Op, x)) - _plus(None if damp is None else damp**2, x)


def least_squares_hessian(params):
    """The normal operator ``Op^H Op + damp^2 I``."""
    Op, _, damp = params
    return lambda v: adjoint(Op, forward(Op, v)) + _plus(None if damp is None else damp**2, v)


_cgls = implicitly_differentiated(_cgls_run, least_squares_residual, least_squares_hessian)


@compiled_when_eager
def cgls(Op, y, x0=None, niter=10, damp=0.0, tol=1e-4, rtol=0.0, rtol1=0.0, show=False, callback=None, P=None):
    r"""Conjugate gradients for (damped) least squares.

    Solves :math:`\min_\mathbf{x} \|\mathbf{y} - \mathbf{Op}\,\mathbf{x}\|_2^2
    + \epsilon^2\|\mathbf{x}\|_2^2` with :math:`\epsilon` = ``damp``, in one
    compiled ``lax.while_loop``.

    Parameters
    ----------
    Op : LinearOperator
        Operator of any shape.
    y : array_like
        Data, flat (``N``) or shaped ``Op.dimsd``.
    x0 : array_like, optional
        Starting guess (zeros by default).
    niter : int, optional
        Maximum number of iterations.
    damp : float, optional
        Damping :math:`\epsilon`.
    tol : float, optional
        Stop when the squared norm of the normal-equations residual
        :math:`\|\mathbf{Op}^H(\mathbf{y} - \mathbf{Op}\,\mathbf{x}) -
        \epsilon^2\mathbf{x}\|_2^2` is at most ``tol`` (as PyLops) or at
        rounding level (``eps**2`` times its initial value).
    rtol : float, optional
        Also stop when the data residual norm
        :math:`\|\mathbf{y} - \mathbf{Op}\,\mathbf{x}\|_2` (the cost) falls
        below ``rtol`` times its initial value (as PyLops).
    rtol1 : float, optional
        Also stop when the cost falls below ``rtol1`` times the norm of ``y``
        (as PyLops).
    show : bool, optional
        Print a log from the compiled loop.
    callback : callable, optional
        ``callback(x)`` after every iteration (from the compiled loop).
    P : LinearOperator, optional
        Right preconditioner: solve for :math:`\mathbf{p}` with
        :math:`\mathbf{Op}\,\mathbf{P}` (``x0`` is then a guess of
        :math:`\mathbf{p}`) and return :math:`\mathbf{x} = \mathbf{P}\mathbf{p}`,
        as :func:`~jaxlops.preconditioned_inversion`. Not in PyLops' ``cgls``.

    Returns
    -------
    SolverResult
        ``x``, ``niter``, ``cost`` (data-residual norms
        :math:`\|\mathbf{y} - \mathbf{Op}\,\mathbf{x}\|_2`, length ``niter + 1``)
        and ``status``.

    Notes
    -----
    Iterates are those of PyLops' ``cgls``, except that with both ``x0`` and
    ``damp`` non-zero the first search direction is the true gradient
    :math:`\mathbf{Op}^H\mathbf{r} - \epsilon^2\mathbf{x}_0` (PyLops uses
    :math:`\epsilon` there instead of :math:`\epsilon^2`). ``jax.grad`` uses
    implicit differentiation of the normal equations (one CG solve with
    :math:`\mathbf{Op}^H\mathbf{Op} + \epsilon^2\mathbf{I}`, memory
    independent of ``niter``) with respect to ``y``, ``damp`` and the leaves
    of ``Op``; ``x0`` and ``tol`` get zero gradients.

    PyLops equivalent: ``pylops.optimization.basic.cgls`` (returns
    ``(x, istop, iit, r1norm, r2norm, cost)``).

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> Op = jl.MatrixMult(jnp.array([[2.0, 0.0], [0.0, 4.0], [1.0, 1.0]]), dtype="float32")
    >>> result = jl.cgls(Op, Op @ jnp.array([1.0, -1.0]), niter=10, tol=0.0)
    >>> result.x.round(4), result.message
    (Array([ 1., -1.], dtype=float32), 'converged')
    """
    if P is not None:
        return preconditioned(cgls, Op, y, P, x0, niter=niter, damp=damp, tol=tol, rtol=rtol,
                              rtol1=rtol1, show=show, callback=callback)
    y, x0, real, shape = prepare("cgls", Op, y, x0, zero_start=True)
    niter = as_niter("cgls", niter)
    damp, tol = as_damping("cgls", damp, real), as_nonnegative("cgls", "tol", tol, real)
    rtol, rtol1 = as_nonnegative("cgls", "rtol", rtol, real), as_nonnegative("cgls", "rtol1", rtol1, real)
    result = _cgls(Op, y, x0, damp, (tol, rtol, rtol1), niter, show, callback)
    return result._replace(x=result.x.reshape(shape))
