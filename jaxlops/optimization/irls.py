"""Iteratively reweighted least squares (IRLS), in one compiled loop."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxlops._eager import compiled_when_eager
from jaxlops.basicoperators.diagonal import Diagonal
from jaxlops.basicoperators.identity import Identity
from jaxlops.basicoperators.vstack import VStack
from jaxlops.optimization._checks import as_niter, as_nonnegative, prepare
from jaxlops.optimization._driver import iterate, safe_divide
from jaxlops.optimization._thresholds import inner_lsqr_settings
from jaxlops.optimization.lsqr import lsqr

__all__ = ["irls"]

KINDS = ("data", "model", "datamodel")


def _normalised(w):
    """``w / max(w)`` for non-negative weights; infinite weights (zero residuals with
    ``epsR=0``) become 1 and the others 0, their limit. Zero weights stay 0."""
    top = jnp.max(w)
    return jnp.where(jnp.isinf(top), jnp.where(jnp.isinf(w), 1.0, 0.0), safe_divide(w, top)).astype(w.dtype)


def _run(Op, y, x0, epsR, epsI, tolIRLS, settings, *, kind, threshR, warm, nouter, lsqr_niter, show, callback):
    real = epsR.dtype
    M = Op.shape[1]
    if kind == "datamodel":
        # The model term becomes rows of the data term, as in PyLops.
        Op = VStack([Op, epsI * Identity(M, dtype=Op.dtype)])
        y = jnp.concatenate([y, jnp.zeros(M, y.dtype)])
        epsI = jnp.zeros((), real)
    cost0 = jnp.linalg.norm(y)
    # PyLops solves for the update from x0: data y - Op x0, then adds x0 back.
    y = y - Op.matvec(x0)

    def step(x, state):
        k, r = state
        start = x if warm else None
        if kind == "model":
            w = _normalised(jnp.abs(x))
            R = Diagonal(jnp.where(k == 0, jnp.ones_like(w), w), dtype=real)
            normal = Op @ R @ Op.H + epsI**2 * Identity(Op.shape[0], dtype=Op.dtype)
            x_new = R.matvec(Op.rmatvec(lsqr(normal, y, niter=lsqr_niter, stopping="scipy", **settings).x))
        else:
            residual = jnp.abs(r)
            w = 1.0 / (jnp.maximum(residual, epsR) if threshR else residual + epsR)
            W = Diagonal(jnp.sqrt(jnp.where(k == 0, jnp.ones_like(w), _normalised(w))), dtype=real)
            x_new = lsqr(W @ Op, W.matvec(y), x0=start, damp=epsI, niter=lsqr_niter, stopping="scipy",
                         **settings).x
        x_new = x_new.astype(x.dtype)
        r = y - Op.matvec(x_new)
        return x_new, (k + 1, r), jnp.linalg.norm(r), jnp.linalg.norm(x_new - x) < tolIRLS, jnp.asarray(False)

    state = (jnp.asarray(0, jnp.int32), y)
    header = ""
    if show:
        header = (f"Op: {Op.shape[0]} rows, {M} columns, kind = {kind}\nthreshR = {threshR}  epsR = {{epsR}}  "
                  f"epsI = {{epsI}}  tolIRLS = {{tolIRLS}}  nouter = {nouter}",
                  dict(epsR=epsR, epsI=epsI, tolIRLS=tolIRLS))
    result = iterate("IRLS", x0, state, cost0, jnp.asarray(False), step, nouter, show, callback, header,
                     shown=lambda x: x0 + x)
    return result._replace(x=x0 + result.x)


_run_jit = jax.jit(_run, static_argnames=("kind", "threshR", "warm", "nouter", "lsqr_niter", "show", "callback"))


@compiled_when_eager
def irls(Op, y, x0=None, nouter=10, threshR=False, epsR=1e-10, epsI=1e-10, tolIRLS=1e-10, warm=False, kind="data",
         show=False, callback=None, **kwargs_solver):
    r"""Iteratively reweighted least squares, in one compiled ``lax.while_loop``.

    *Data IRLS* (``kind="data"``) minimises the :math:`L_1` misfit
    :math:`\|\mathbf{y} - \mathbf{Op}\,\mathbf{x}\|_1` (robust to outliers) by
    weighted least-squares problems

    .. math::
        \mathbf{x}^{(i+1)} = \operatorname*{arg\,min}_\mathbf{x}
        \|\mathbf{y} - \mathbf{Op}\,\mathbf{x}\|_{2, \mathbf{R}^{(i)}}^2 +
        \epsilon_\mathbf{I}^2 \|\mathbf{x}\|_2^2, \quad
        R^{(i)}_{jj} \propto \frac{1}{|r^{(i)}_j| + \epsilon_\mathbf{R}}
        \;\text{or}\; \frac{1}{\max(|r^{(i)}_j|, \epsilon_\mathbf{R})}\;(\texttt{threshR}),

    normalised to a largest weight of 1, the first one unweighted.
    ``kind="datamodel"`` stacks :math:`\epsilon_\mathbf{I}\mathbf{I}` under
    ``Op`` (zeros under ``y``) so that the model term is reweighted too.
    *Model IRLS* (``kind="model"``) minimises :math:`\|\mathbf{x}\|_1` subject
    to :math:`\mathbf{y} = \mathbf{Op}\,\mathbf{x}` (Chartrand and Yin, 2008):
    :math:`\mathbf{x}^{(i+1)} = \mathbf{R}\mathbf{Op}^H(\mathbf{Op}\,\mathbf{R}
    \,\mathbf{Op}^H + \epsilon_\mathbf{I}^2\mathbf{I})^{-1}\mathbf{y}` with
    :math:`\mathbf{R} = \mathrm{diag}(|\mathbf{x}^{(i)}|/\max|\mathbf{x}^{(i)}|)`.

    Parameters
    ----------
    Op : LinearOperator
        Operator to invert, of shape ``(N, M)``.
    y : array_like
        Data, flat (``N``) or shaped ``Op.dimsd``.
    x0 : array_like, optional
        Starting guess (zeros by default): the problem is solved for the
        update from ``x0``, as in PyLops.
    nouter : int, optional
        Maximum number of outer iterations.
    threshR : bool, optional
        Weights from :math:`\max(|r|, \epsilon_\mathbf{R})` (``True``) or
        :math:`|r| + \epsilon_\mathbf{R}` (``False``).
    epsR : float, optional
        Damping of the residuals in the weights.
    epsI : float, optional
        Tikhonov damping.
    tolIRLS : float, optional
        Stop when the model update of an outer iteration is below ``tolIRLS``.
    warm : bool, optional
        Start each inner solve from the previous estimate (data kinds only).
    kind : str, optional
        ``"data"``, ``"model"`` or ``"datamodel"``.
    show : bool, optional
        Print a log from the compiled loop.
    callback : callable, optional
        ``callback(x)`` after every outer iteration (from the compiled loop).
    **kwargs_solver
        Settings of the inner :func:`~jaxlops.optimization.lsqr.lsqr`
        (``atol``, ``btol``, ``conlim``, ``niter`` or SciPy's ``iter_lim``;
        its damping is ``epsI``). Defaults are SciPy's, which PyLops uses:
        ``atol = btol = 1e-6``, ``conlim = 1e8``, and twice the number of
        columns of the inner problem (``M`` for the data kinds, ``N`` for
        ``"model"``) iterations.

    Returns
    -------
    SolverResult
        ``x``, ``niter`` (outer iterations done), ``cost`` (``nouter + 1``
        values: :math:`\|\mathbf{y}\|_2`, then the residual norms, as PyLops'
        ``cost`` history) and ``status``.

    Notes
    -----
    The iterates are PyLops' (``engine="scipy"``, which solves every inner
    problem with SciPy's ``lsqr``), with jaxlops' LSQR and SciPy's stopping
    tests (``stopping="scipy"``): the inner solves stop where SciPy's do.
    Weights of ``0/0``
    (zero data, or a zero model for ``"model"``) are 0 instead of NaN.
    ``engine``, ``preallocate`` and ``itershow`` are not offered.

    Differentiation: not differentiable (the inner ``lsqr`` has a custom VJP
    and reverse mode cannot go through the outer ``lax.while_loop``).

    PyLops equivalent: ``pylops.optimization.sparsity.irls`` (returns
    ``(x, nouter)``).
    """
    y, x0, real, shape = prepare("irls", Op, y, x0)
    y, x0 = y.reshape(-1), x0.reshape(-1)  # flat: the weights and the stacked model term are flat vectors
    nouter = as_niter("irls", nouter)
    if kind not in KINDS:
        raise ValueError(f"irls: kind must be one of {', '.join(map(repr, KINDS))}, got {kind!r}")
    epsR, epsI = as_nonnegative("irls", "epsR", epsR, real), as_nonnegative("irls", "epsI", epsI, real)
    tolIRLS = as_nonnegative("irls", "tolIRLS", tolIRLS, real)
    ncols = Op.shape[0] if kind == "model" else Op.shape[1]
    settings, lsqr_niter = inner_lsqr_settings("irls", kwargs_solver, ncols, real, allowed=("atol", "btol", "conlim"))
    run = _run if show else _run_jit
    result = run(Op, y, x0, epsR, epsI, tolIRLS, settings, kind=kind, threshR=bool(threshR), warm=bool(warm),
                 nouter=nouter, lsqr_niter=lsqr_niter, show=show, callback=callback)
    return result._replace(x=result.x.reshape(shape))
