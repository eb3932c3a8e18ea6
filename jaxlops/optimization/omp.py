"""Orthogonal Matching Pursuit (OMP) and Matching Pursuit, in one compiled loop."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxlops._eager import compiled_when_eager
from jaxlops.basicoperators.diagonal import Diagonal
from jaxlops.linearoperator import LinearOperator
from jaxlops.optimization._checks import as_niter, as_nonnegative, prepare
from jaxlops.optimization._driver import iterate, safe_divide
from jaxlops.optimization._thresholds import inner_lsqr_settings
from jaxlops.optimization.lsqr import lsqr

__all__ = ["omp"]


def _column_norms(Op):
    """``||Op e_j||`` for every column ``j``, one column at a time (no dense matrix)."""
    M = Op.shape[1]
    return jax.lax.map(lambda j: jnp.linalg.norm(Op.matvec(jax.nn.one_hot(j, M, dtype=Op.dtype))), jnp.arange(M))


def _run(Op, y, norms, sigma, rtols, settings, *, niter_outer, niter_inner, optimal_coeff, show, callback):
    rtol, rtol1 = rtols
    M = Op.shape[1]
    ynorm = jnp.linalg.norm(y)

    def step(x, state):
        mask, res = state
        cres = Op.rmatvec(res)
        if norms is not None:
            cres = safe_divide(cres, norms)
        imax = jnp.argmax(jnp.abs(cres))  # the first of ties (PyLops draws one at random)
        mask = mask.at[imax].set(True)
        if niter_inner == 0:
            # Matching pursuit: update the chosen coefficient only.
            col = Op.matvec(jax.nn.one_hot(imax, M, dtype=x.dtype))
            c = safe_divide(jnp.vdot(col, res), jnp.vdot(col, col)) if optimal_coeff else cres[imax]
            res = res - c * col
            x = x.at[imax].add(c)
        else:
            # The operator restricted to the chosen columns, as a mask (static shapes).
            Opcol = Op @ Diagonal(mask.astype(x.dtype), dtype=x.dtype)
            x = jnp.where(mask, lsqr(Opcol, y, niter=niter_inner, stopping="scipy", **settings).x, 0)
            res = y - Opcol.matvec(x)
        cost = jnp.linalg.norm(res)
        converged = (cost <= sigma) | (cost < rtol * ynorm) | (cost < rtol1 * ynorm)
        return x, (mask, res), cost, converged, jnp.asarray(False)

    x0 = jnp.zeros(M, y.dtype)
    state = (jnp.zeros(M, bool), y)
    name = "MP" if niter_inner == 0 else "OMP"
    header = ""
    if show:
        header = (f"Op: {Op.shape[0]} rows, {M} columns\nsigma = {{sigma}}  niter_outer = {niter_outer}  "
                  f"niter_inner = {niter_inner}  normalization = {norms is not None}", dict(sigma=sigma))
    return iterate(name, x0, state, ynorm, ynorm <= sigma, step, niter_outer, show, callback, header)


_run_jit = jax.jit(_run, static_argnames=("niter_outer", "niter_inner", "optimal_coeff", "show", "callback"))


@compiled_when_eager
def omp(Op, y, niter_outer=10, niter_inner=40, sigma=1e-4, rtol=0.0, rtol1=0.0, normalizecols=False, Opbasis=None,
        optimal_coeff=False, show=False, callback=None):
    r"""Orthogonal Matching Pursuit, in one compiled ``lax.while_loop``.

    Solves :math:`\min \|\mathbf{x}\|_0` subject to
    :math:`\|\mathbf{Op}\,\mathbf{x} - \mathbf{y}\|_2 \le \sigma` greedily:

    .. math::
        \Lambda_k = \Lambda_{k-1} \cup \left\{\operatorname*{arg\,max}_j
        \left|\mathbf{Op}_j^H\mathbf{r}_k\right|\right\}, \quad
        \mathbf{x}_k = \operatorname*{arg\,min}_{\mathbf{x}}
        \|\mathbf{Op}_{\Lambda_k}\mathbf{x} - \mathbf{y}\|_2^2,

    :math:`\mathbf{Op}_j` the :math:`j`-th column. The selected set is a
    boolean mask of the ``M`` columns and the least-squares problem is
    :func:`~jaxlops.optimization.lsqr.lsqr` on ``Op`` times the mask (the same
    iterates as on the restricted operator), so shapes are static.
    ``niter_inner=0`` gives Matching Pursuit: only the chosen coefficient is
    updated, by :math:`\mathbf{Op}_j^H\mathbf{r}` or, with
    ``optimal_coeff=True``, by the coefficient that minimises
    :math:`\|\mathbf{r} - c\,\mathbf{Op}_j\|_2`.

    Parameters
    ----------
    Op : LinearOperator
        Operator of shape ``(N, M)``, ideally with :math:`N \le M`.
    y : array_like
        Data, flat (``N``) or shaped ``Op.dimsd``.
    niter_outer : int, optional
        Maximum number of outer iterations (columns chosen).
    niter_inner : int, optional
        Iterations of the inner ``lsqr``; 0 for Matching Pursuit.
    sigma : float, optional
        Stop when the residual norm is at most ``sigma``.
    rtol, rtol1 : float, optional
        Stop when the residual norm is below ``rtol`` (or ``rtol1``) times
        :math:`\|\mathbf{y}\|_2` (PyLops' callbacks; 0: off).
    normalizecols : bool, optional
        Divide the correlations by the norms of the columns of ``Opbasis``
        (computed once, one ``matvec`` per column).
    Opbasis : LinearOperator, optional
        Operator of the basis functions, with ``M`` columns (``Op`` by default).
    optimal_coeff : bool, optional
        Matching Pursuit only: use the residual-minimising coefficient.
    show : bool, optional
        Print a log from the compiled loop.
    callback : callable, optional
        ``callback(x)`` after every iteration, with the full model ``x``
        (PyLops passes its compact coefficients and the chosen columns).

    Returns
    -------
    SolverResult
        ``x`` (zero off the chosen columns), ``niter``, ``cost`` (residual
        norms, :math:`\|\mathbf{y}\|_2` first, as PyLops) and ``status``
        (``CONVERGED`` once the residual norm is at most ``sigma``).

    Notes
    -----
    The iterates are PyLops' (``engine="scipy"``), except that ties in the
    choice of a column go to the first one rather than to a random one, and
    the inner solve is jaxlops' LSQR with SciPy's default tolerances
    (``atol = btol = 1e-6``, ``conlim = 1e8``) and stopping tests
    (``stopping="scipy"``). Columns of zero norm get a zero correlation with
    ``normalizecols`` instead of NaN. ``engine``, ``preallocate`` and
    ``itershow`` are not offered.

    Differentiation: not differentiable (a discrete selection; the inner
    ``lsqr`` has a custom VJP and reverse mode cannot go through
    ``lax.while_loop``).

    PyLops equivalent: ``pylops.optimization.sparsity.omp`` (returns
    ``(x, niter_outer, cost)``).
    """
    y, _, real, shape = prepare("omp", Op, y, None)
    y = y.reshape(-1)  # flat: columns are chosen by their index
    niter_outer, niter_inner = as_niter("omp", niter_outer), as_niter("omp", niter_inner)
    sigma = as_nonnegative("omp", "sigma", sigma, real)
    rtols = tuple(as_nonnegative("omp", arg, v, real) for arg, v in (("rtol", rtol), ("rtol1", rtol1)))
    norms = None
    if normalizecols:
        Opbasis = Op if Opbasis is None else Opbasis
        if not isinstance(Opbasis, LinearOperator) or Opbasis.shape[1] != Op.shape[1]:
            raise ValueError(f"omp: Opbasis must be a LinearOperator with {Op.shape[1]} columns to match Op, "
                             f"got {Opbasis!r}")
        norms = _column_norms(Opbasis).astype(real)
    settings, _ = inner_lsqr_settings("omp", {}, Op.shape[1], real, allowed=("atol", "btol", "conlim"))
    run = _run if show else _run_jit
    result = run(Op, y, norms, sigma, rtols, settings, niter_outer=niter_outer, niter_inner=niter_inner,
                 optimal_coeff=bool(optimal_coeff), show=show, callback=callback)
    return result._replace(x=result.x.reshape(shape))
