"""Iterative shrinkage-thresholding: ``ista`` and ``fista``, each one compiled loop.

Split Bregman, IRLS and OMP live in :mod:`jaxlops.optimization.splitbregman`,
:mod:`jaxlops.optimization.irls` and :mod:`jaxlops.optimization.omp`.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops._eager import compiled_when_eager
from jaxlops.linearoperator import LinearOperator
from jaxlops.optimization._checks import adjoint, as_niter, as_nonnegative, forward, prepare
from jaxlops.optimization._driver import SolverResult, iterate, norm, safe_divide
from jaxlops.optimization._implicit import conjugate_gradients
from jaxlops.optimization._thresholds import as_percentile, as_positive, as_threshkind, threshold
from jaxlops.optimization.eigs import power_iteration

__all__ = ["fista", "ista"]


def _run(Op, y, x0, SOp, eps, alpha, decay, tol, rtols, *, fast, threshkind, perc, niter, show, callback):
    """ISTA (``fast=False``) or FISTA iterations, as PyLops' ``ISTA.step``/``FISTA.step``."""
    rtol, rtol1 = rtols
    thresh = eps * alpha * 0.5
    ynorm = norm(y)

    def cost_of(res, x):
        return 0.5 * norm(res) ** 2 + eps * jnp.sum(jnp.abs(x))

    def step(x, state):
        k, z, t, first = state
        res = y - forward(Op, z if fast else x)
        u = (z if fast else x) + alpha * adjoint(Op, res)
        if SOp is not None:
            u = adjoint(SOp, u)
        # As PyLops, a perc given with a non-percentile rule makes the threshold 100 - perc.
        x_new = threshold(threshkind, u, decay[k] * thresh if perc is None else 100 - perc, perc)
        if SOp is not None:
            x_new = forward(SOp, x_new).reshape(x.shape)
        if fast:
            t_new = (1.0 + jnp.sqrt(1.0 + 4.0 * t**2)) / 2.0
            z = x_new + ((t - 1.0) / t_new) * (x_new - x)
            t = t_new
            res = y - forward(Op, x_new)  # FISTA's cost is at the new iterate, ISTA's residual at the old one
        cost = cost_of(res, x_new)
        # PyLops' rtol compares with the cost of its first iteration, rtol1 with ||y||.
        first = jnp.where(k == 0, cost, first)
        converged = (norm(x_new - x) <= tol) | (cost < rtol * first) | (cost < rtol1 * ynorm)
        return x_new, (k + 1, z, t, first), cost, converged, jnp.asarray(False)

    cost0 = cost_of(y - forward(Op, x0), x0)
    state = (jnp.asarray(0, jnp.int32), x0, jnp.ones((), cost0.dtype), cost0)
    name = "FISTA" if fast else "ISTA"
    header = ""
    if show:
        level = f"perc = {perc}" if threshkind.endswith("-percentile") else "thresh = eps * alpha / 2"
        header = (f"Op: {Op.shape[0]} rows, {Op.shape[1]} columns, {threshkind} thresholding\n"
                  f"eps = {{eps}}  alpha = {{alpha}}  {level}  tol = {{tol}}  niter = {niter}",
                  dict(eps=eps, alpha=alpha, tol=tol))
    return iterate(name, x0, state, cost0, jnp.asarray(False), step, niter, show, callback, header)


# -- implicit differentiation of the fixed point ------------------------------------------------


def _fixed_point_residual(params, x, mask, soft, scale):
    r"""Zero at a fixed point of soft/hard ISTA, for its support ``mask``.

    On the support, :math:`\mathbf{Op}^H(\mathbf{y} - \mathbf{Op}\,\mathbf{x}) -
    \tfrac{\epsilon d}{2}\,\mathbf{x}/|\mathbf{x}|` (soft) or
    :math:`\mathbf{Op}^H(\mathbf{y} - \mathbf{Op}\,\mathbf{x})` (hard); off it,
    :math:`-\mathbf{x}`.
    """
    Op, y, eps = params
    g = adjoint(Op, y - forward(Op, jnp.where(mask, x, 0)))
    if soft:
        if jnp.iscomplexobj(x):
            xm = jnp.where(mask, x, 1)  # no 0/0 in the derivative off the support
            phase = xm / jnp.abs(xm)
        else:
            phase = jax.lax.stop_gradient(jnp.sign(x))
        g = g - (scale * eps / 2) * phase
    return jnp.where(mask, g, -x)


def _implicitly_differentiated(run, soft):
    """Wrap ``run(Op, y, x0, SOp, eps, alpha, decay, tol, rtols)`` with the implicit JVP of ``x``
    in ``(Op, y, eps)``; reverse mode transposes it (``lax.custom_linear_solve``)."""
    solve = jax.custom_jvp(run)

    @solve.defjvp
    def jvp(primals, tangents):
        Op, y, _, _, eps, _, decay, _, _ = primals
        result = run(*primals)
        x = result.x
        mask = x != 0
        scale = decay[jnp.maximum(result.niter - 1, 0)]
        params, dparams = (Op, y, eps), (tangents[0], tangents[1], tangents[4])

        def residual(p, v):
            return _fixed_point_residual(p, v, mask, soft, scale)

        rhs = jax.jvp(lambda p: residual(p, x), (params,), (dparams,))[1]

        def hessian(v):
            return -jax.jvp(lambda u: residual(params, u), (x,), (v,))[1]

        rtol = 1e-12 if jnp.finfo(x.dtype).bits == 64 else 1e-6
        cg = functools.partial(_cg_solve, niter=max(4 * x.size, 20), rtol=rtol)
        dx = jax.lax.custom_linear_solve(hessian, rhs, solve=cg, transpose_solve=cg)
        zero_int = np.zeros((), jax.dtypes.float0)
        return result, SolverResult(dx, zero_int, jnp.zeros_like(result.cost), zero_int)

    return solve


def _cg_solve(matvec, b, niter, rtol):
    """Minimum-norm least-squares solution of ``matvec(x) = b`` for a self-adjoint positive
    semi-definite ``matvec``: CG on ``H^2 x = H b``, consistent even where ``H`` is singular
    (a support with more entries than ``Op`` has rows, before convergence), where CG on
    ``H x = b`` would diverge."""
    return conjugate_gradients(lambda v: matvec(matvec(v)), matvec(b), niter, rtol)


def _core(Op, y, x0, SOp, eps, alpha, decay, tol, rtols, *, fast, threshkind, perc, niter, show, callback):
    run = functools.partial(_run, fast=fast, threshkind=threshkind, perc=perc, niter=niter, show=show,
                            callback=callback)
    if SOp is None and perc is None and threshkind in ("soft", "hard"):
        run = _implicitly_differentiated(run, threshkind == "soft")
    return run(Op, y, x0, SOp, eps, alpha, decay, tol, rtols)


# Compiled once per static configuration, so that eager calls with new data reuse it; with
# show=True the settings in the log are printed as values, so that call is not jitted.
_core_jit = jax.jit(_core, static_argnames=("fast", "threshkind", "perc", "niter", "show", "callback"))


# -- public solvers -----------------------------------------------------------------------------


def _solve(name, fast, Op, y, x0, niter, SOp, eps, alpha, eigsdict, tol, rtol, rtol1, threshkind, perc, decay,
           show, callback):
    y, x0, real, shape = prepare(name, Op, y, x0)
    niter = as_niter(name, niter)
    threshkind = as_threshkind(name, threshkind)
    perc = as_percentile(name, threshkind, perc)
    eps, tol = as_nonnegative(name, "eps", eps, real), as_nonnegative(name, "tol", tol, real)
    rtols = (as_nonnegative(name, "rtol", rtol, real), as_nonnegative(name, "rtol1", rtol1, real))
    if SOp is not None:
        if not isinstance(SOp, LinearOperator):
            raise TypeError(f"{name}: SOp must be a jaxlops LinearOperator, got {type(SOp).__name__}")
        if SOp.shape[0] != Op.shape[1]:
            raise ValueError(f"{name}: SOp must have {Op.shape[1]} rows (the columns of Op), got shape {SOp.shape}")
    if decay is None or perc is not None:
        decay = jnp.ones(max(niter, 1), real)
    else:
        decay = jnp.asarray(decay)
        if decay.ndim != 1 or decay.shape[0] < niter or jnp.iscomplexobj(decay):
            raise ValueError(f"{name}: decay must be a real 1-D array of at least niter={niter} values, "
                             f"got shape {decay.shape} and dtype {decay.dtype}")
        decay = decay.astype(real) if decay.shape[0] else jnp.ones(1, real)
    if alpha is None:
        settings = {"niter": 100, "dtype": y.dtype, **(eigsdict or {})}
        maxeig = jnp.abs(power_iteration(Op.H @ Op, **settings).maxeig).astype(real)
        alpha = safe_divide(jnp.ones((), real), maxeig)
    else:
        alpha = as_positive(name, "alpha", alpha, real)
    result = (_core if show else _core_jit)(Op, y, x0, SOp, eps, alpha, decay, tol, rtols, fast=fast,
                                            threshkind=threshkind, perc=perc, niter=niter, show=show,
                                            callback=callback)
    return result._replace(x=result.x.reshape(shape))


_PARAMETERS = r"""
    Parameters
    ----------
    Op : LinearOperator
        Operator to invert, of shape ``(N, M)``.
    y : array_like
        Data, flat (``N``) or shaped ``Op.dimsd`` (for several right-hand
        sides, ``jax.vmap`` over ``y``).
    x0 : array_like, optional
        Starting guess (zeros by default).
    niter : int, optional
        Maximum number of iterations.
    SOp : LinearOperator, optional
        Sparsifying transform with ``M`` rows (the analysis problem);
        thresholding acts on :math:`\mathbf{SOp}^H\mathbf{x}`.
    eps : float, optional
        Sparsity damping :math:`\epsilon`.
    alpha : float, optional
        Step size, at most :math:`1/\lambda_\max(\mathbf{Op}^H\mathbf{Op})`
        for convergence. When ``None`` it is :math:`1/\lambda_\max`, estimated
        by :func:`~jaxlops.optimization.eigs.power_iteration` (100 iterations
        unless ``eigsdict`` says otherwise); its random start differs from
        PyLops' (ARPACK), so pass ``alpha`` for iterates identical to PyLops'.
    eigsdict : dict, optional
        Arguments of :func:`~jaxlops.optimization.eigs.power_iteration`
        (``niter``, ``tol``, ``dtype``, ``key``).
    tol : float, optional
        Stop when the model update :math:`\|\mathbf{x}_{k+1} - \mathbf{x}_k\|_2`
        is at most ``tol``.
    rtol : float, optional
        Stop when the cost is below ``rtol`` times the cost of the first
        iteration (PyLops' ``CostToInitialCallback``; 0 disables it).
    rtol1 : float, optional
        Stop when the cost is below ``rtol1`` times :math:`\|\mathbf{y}\|_2`
        (PyLops' ``CostToDataCallback``; 0 disables it).
    threshkind : str, optional
        ``"soft"`` (:math:`p=1`), ``"hard"`` (:math:`p=0`), ``"half"``
        (:math:`p=1/2`), or ``"soft-percentile"``, ``"hard-percentile"``,
        ``"half-percentile"``.
    perc : float, optional
        Percentage of values kept by a percentile rule (required by them; static).
        Given with another rule, the threshold is ``100 - perc`` (as PyLops).
    decay : array_like, optional
        Factors of the threshold, one per iteration (length at least ``niter``);
        ignored by the percentile rules.
    show : bool, optional
        Print a log from the compiled loop.
    callback : callable, optional
        ``callback(x)`` after every iteration (from the compiled loop).

    Returns
    -------
    SolverResult
        ``x``, ``niter`` (iterations done), ``cost`` (``niter + 1`` values:
        the cost of ``x0``, then PyLops' cost history
        :math:`\tfrac12\|\mathbf{r}\|_2^2 + \epsilon\|\mathbf{x}\|_1`, which
        weighs the :math:`\ell_1` term twice the minimised objective's) and
        ``status`` (``CONVERGED`` when a ``tol``/``rtol``/``rtol1`` test stops
        it, ``MAX_ITERATIONS``, or ``NON_FINITE``)."""

_DIFFERENTIATION = r"""
    Differentiation: with ``threshkind`` ``"soft"`` or ``"hard"`` and no
    ``SOp``, ``jax.grad``, ``jax.vjp`` and ``jax.jvp`` use implicit
    differentiation of the fixed point
    :math:`\mathbf{x}^* = T(\mathbf{x}^* + \alpha\mathbf{Op}^H(\mathbf{y} -
    \mathbf{Op}\,\mathbf{x}^*))` with respect to ``y``, ``eps`` and the leaves of
    ``Op``: the support :math:`S` of the returned ``x`` (and, for ``"soft"``, the
    signs or phases of its entries) is held fixed, entries off :math:`S` have
    zero derivative, and on :math:`S` the derivative solves
    :math:`\mathbf{Op}_S^H\mathbf{Op}_S\,\mathrm{d}\mathbf{x}_S = \mathrm{d}(
    \mathbf{Op}_S^H\mathbf{r}) - \tfrac{d}{2}\mathrm{d}(\epsilon\,
    \mathbf{x}_S/|\mathbf{x}_S|)` (``d`` is the last ``decay`` factor used) in
    the minimum-norm least-squares sense, by conjugate gradients on the squared
    system (memory independent of ``niter``; bounded also when :math:`S` has
    more entries than ``Op`` has rows, as before convergence). For ``"hard"`` this
    is the least-squares derivative on the active columns. It is the derivative
    of the exact solution with that support, evaluated at the returned iterate:
    as accurate as the iterate, and undefined where an entry sits exactly on
    the threshold. ``x0``, ``alpha``, ``decay`` and the tolerances get zero
    derivatives. With ``SOp``, ``"half"``, a percentile rule or ``perc``, ``jax.jvp``
    differentiates the iterations themselves (forward mode) and reverse mode
    is not available (JAX rejects reverse mode through ``lax.while_loop``)."""


@compiled_when_eager
def ista(Op, y, x0=None, niter=10, SOp=None, eps=0.1, alpha=None, eigsdict=None, tol=1e-10, rtol=0.0, rtol1=0.0,
         threshkind="soft", perc=None, decay=None, show=False, callback=None):
    return _solve("ista", False, Op, y, x0, niter, SOp, eps, alpha, eigsdict, tol, rtol, rtol1, threshkind, perc,
                  decay, show, callback)


@compiled_when_eager
def fista(Op, y, x0=None, niter=10, SOp=None, eps=0.1, alpha=None, eigsdict=None, tol=1e-10, rtol=0.0, rtol1=0.0,
          threshkind="soft", perc=None, decay=None, show=False, callback=None):
    return _solve("fista", True, Op, y, x0, niter, SOp, eps, alpha, eigsdict, tol, rtol, rtol1, threshkind, perc,
                  decay, show, callback)


ista.__doc__ = rf"""Iterative Shrinkage-Thresholding Algorithm (ISTA), in one compiled ``lax.while_loop``.

    Solves :math:`\min_\mathbf{{x}} \tfrac12\|\mathbf{{y}} - \mathbf{{Op}}\,\mathbf{{x}}\|_2^2
    + \tfrac{{\epsilon}}{{2}}\|\mathbf{{x}}\|_p` (:math:`p = 0, 1/2, 1`; the weight is
    :math:`\epsilon/2`, as the PyLops threshold :math:`\epsilon\alpha/2` implies), or with
    :math:`\|\mathbf{{SOp}}^H\mathbf{{x}}\|_p` when ``SOp`` is given, by
    :math:`\mathbf{{x}}_{{k+1}} = T_{{\epsilon\alpha d_k/2}}(\mathbf{{x}}_k +
    \alpha\,\mathbf{{Op}}^H(\mathbf{{y}} - \mathbf{{Op}}\,\mathbf{{x}}_k))`
    (Daubechies et al., 2004), :math:`T` the thresholding rule and
    :math:`d_k` = ``decay[k]``.
{_PARAMETERS}

    Notes
    -----
    Iterates, thresholds (half thresholding's constants included) and costs are
    PyLops'. ``monitorres``, ``preallocate`` and ``itershow`` are not offered;
    several right-hand sides are solved with ``jax.vmap``, each element
    stopping on its own.
{_DIFFERENTIATION}

    PyLops equivalent: ``pylops.optimization.sparsity.ista`` (returns
    ``(x, niter, cost)``, its cost without the initial value).

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> from jaxlops.optimization.sparsity import ista
    >>> Op = jl.MatrixMult(jnp.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]]), dtype="float32")
    >>> result = ista(Op, jnp.array([2.0, 1.0]), niter=500, eps=0.1, alpha=0.3)
    >>> result.x.round(2) + 0.0, result.message
    (Array([0.95, 0.  , 1.  ], dtype=float32), 'converged')
    """

fista.__doc__ = rf"""Fast Iterative Shrinkage-Thresholding Algorithm (FISTA), in one compiled ``lax.while_loop``.

    Solves the problem of :func:`ista` with Nesterov's momentum (Beck and
    Teboulle, 2009): the gradient step is taken at
    :math:`\mathbf{{z}}_k = \mathbf{{x}}_k + \tfrac{{t_{{k-1}} - 1}}{{t_k}}(\mathbf{{x}}_k -
    \mathbf{{x}}_{{k-1}})` with :math:`t_0 = 1`,
    :math:`t_{{k}} = (1 + \sqrt{{1 + 4t_{{k-1}}^2}})/2`.
{_PARAMETERS}

    Notes
    -----
    Iterates, thresholds and costs are PyLops' (FISTA's cost uses the residual
    of the new iterate, ISTA's that of the previous one, as PyLops).
{_DIFFERENTIATION}

    PyLops equivalent: ``pylops.optimization.sparsity.fista`` (returns
    ``(x, niter, cost)``).
    """
