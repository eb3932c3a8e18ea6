"""Split Bregman for mixed L2-L1 problems, in one compiled loop."""

from __future__ import annotations

import jax
import jax.numpy as jnp

from jaxlops._eager import compiled_when_eager
from jaxlops.optimization._checks import as_niter, as_nonnegative, forward, prepare
from jaxlops.optimization._driver import iterate, norm
from jaxlops.optimization._stacked import stack_rows
from jaxlops.optimization._thresholds import as_operators, as_positive, inner_lsqr_settings, soft_threshold
from jaxlops.optimization.lsqr import lsqr

__all__ = ["splitbregman"]


def _l1(v):
    return jnp.sum(jnp.abs(v))


def _sq(v):
    return norm(v) ** 2


def _run(Op, y, x0, RegsL1, RegsL2, dataregsL2, mu, epsRL1s, epsRL2s, tol, rtols, tau, settings, *, niter_outer,
         niter_inner, lsqr_niter, restart, show, show_inner, callback):
    rtol, rtol1 = rtols
    dtype = y.dtype
    # PyLops rescales the dampings for its stacked least-squares problem.
    epsRs = [jnp.sqrt(e / 2) / jnp.sqrt(mu / 2) for e in epsRL2s + epsRL1s]
    Regs = RegsL2 + RegsL1
    stacked, join = stack_rows([Op] + [e * R for e, R in zip(epsRs, Regs)])
    fixed_data = [y] + [e * d for e, d in zip(epsRs, dataregsL2)]
    epsL1 = epsRs[len(RegsL2):]
    ynorm = norm(y)

    def cost_of(x):
        cost = mu / 2.0 * _sq(y - forward(Op, x))
        cost += sum((e * _sq(d - forward(R, x)) for e, R, d in zip(epsRL2s, RegsL2, dataregsL2)), 0.0)
        return cost + sum(_l1(forward(R, x)) for R in RegsL1)

    def inner(carry, b):
        x, d = carry
        data = join(fixed_data + [e * (d_i - b_i) for e, d_i, b_i in zip(epsL1, d, b)])
        x = lsqr(stacked, data, x0=x0 if restart else x, niter=lsqr_niter, show=show_inner, stopping="scipy",
                 **settings).x.reshape(x.shape)
        d = tuple(soft_threshold(forward(R, x) + b_i, e).astype(dtype) for R, b_i, e in zip(RegsL1, b, epsRL1s))
        return x, d

    def step(x, state):
        k, b, d, first = state
        x_new, d = jax.lax.fori_loop(0, niter_inner, lambda _, carry: inner(carry, b), (x, d))
        b = tuple((b_i + tau * (forward(R, x_new) - d_i)).astype(dtype) for b_i, R, d_i in zip(b, RegsL1, d))
        cost = cost_of(x_new)
        # PyLops' rtol compares with the cost of its first iteration, rtol1 with ||y||.
        first = jnp.where(k == 0, cost, first)
        converged = (norm(x_new - x) <= tol) | (cost < rtol * first) | (cost < rtol1 * ynorm)
        return x_new, (k + 1, b, d, first), cost, converged, jnp.asarray(False)

    zeros = tuple(jnp.zeros(R.dimsd, dtype) for R in RegsL1)
    cost0 = cost_of(x0)
    state = (jnp.asarray(0, jnp.int32), zeros, zeros, cost0)
    header = ""
    if show:
        header = (f"Op: {Op.shape[0]} rows, {Op.shape[1]} columns, {len(RegsL1)} L1 and {len(RegsL2)} L2 terms\n"
                  "mu = {mu}  epsRL1s = {epsRL1s}  epsRL2s = {epsRL2s}  tau = {tau}  tol = {tol}\n"
                  f"niter_outer = {niter_outer}  niter_inner = {niter_inner}  lsqr niter = {lsqr_niter}",
                  dict(mu=mu, epsRL1s=jnp.asarray(epsRL1s).reshape(-1), epsRL2s=jnp.asarray(epsRL2s).reshape(-1),
                       tau=tau, tol=tol))
    return iterate("SplitBregman", x0, state, cost0, jnp.asarray(False), step, niter_outer, show, callback, header)


_run_jit = jax.jit(_run, static_argnames=("niter_outer", "niter_inner", "lsqr_niter", "restart", "show", "show_inner",
                                         "callback"))


def _as_dampings(arg, values, count, real):
    try:
        values = [] if values is None else list(values)
    except TypeError:
        raise TypeError(f"splitbregman: {arg} must be a list of floats, got {values!r}") from None
    if len(values) != count:
        raise ValueError(f"splitbregman: {arg} must hold one value per regularization operator ({count}), "
                         f"got {len(values)}")
    return [as_nonnegative("splitbregman", arg, v, real) for v in values]


@compiled_when_eager
def splitbregman(Op, y, RegsL1, x0=None, niter_outer=3, niter_inner=5, RegsL2=None, dataregsL2=None, mu=1.0,
                 epsRL1s=None, epsRL2s=None, tol=1e-10, rtol=0.0, rtol1=0.0, tau=1.0, restart=False, show=False,
                 show_inner=False, callback=None, **kwargs_lsqr):
    r"""Split Bregman for mixed L2-L1 norms, in one compiled ``lax.while_loop``.

    Solves

    .. math::
        \min_\mathbf{x} \frac{\mu}{2}\|\mathbf{y} - \mathbf{Op}\,\mathbf{x}\|_2^2
        + \frac12\sum_i \epsilon_{\mathbf{R}_{L2,i}} \|\mathbf{y}_{\mathbf{R}_i} -
        \mathbf{R}_{L2,i}\,\mathbf{x}\|_2^2 + \sum_i \epsilon_{\mathbf{R}_{L1,i}}
        \|\mathbf{R}_{L1,i}\,\mathbf{x}\|_1

    by Split Bregman iterations (Goldstein and Osher, 2009): ``niter_inner``
    times, a stacked least-squares problem in :math:`\mathbf{x}` (solved by
    :func:`~jaxlops.optimization.lsqr.lsqr`) then a soft thresholding of
    :math:`\mathbf{d}_i = \mathbf{R}_{L1,i}\mathbf{x} + \mathbf{b}_i`; then
    the Bregman update :math:`\mathbf{b}_i \leftarrow \mathbf{b}_i +
    \tau(\mathbf{R}_{L1,i}\mathbf{x} - \mathbf{d}_i)`.

    Parameters
    ----------
    Op : LinearOperator
        Operator to invert, of shape ``(N, M)``.
    y : array_like
        Data, flat (``N``) or shaped ``Op.dimsd``.
    RegsL1 : list of LinearOperator
        :math:`L_1` regularization operators, each with ``M`` columns.
    x0 : array_like, optional
        Starting guess (zeros by default).
    niter_outer : int, optional
        Maximum number of outer (Bregman) iterations.
    niter_inner : int, optional
        Number of inner iterations (least squares then shrinkage).
    RegsL2 : list of LinearOperator, optional
        Additional :math:`L_2` regularization operators.
    dataregsL2 : list of array_like, optional
        Data of the :math:`L_2` terms (zeros by default).
    mu : float, optional
        Data term damping.
    epsRL1s : list of float
        :math:`L_1` dampings, one per ``RegsL1`` (required); also the
        shrinkage thresholds, as in PyLops.
    epsRL2s : list of float, optional
        :math:`L_2` dampings, one per ``RegsL2``.
    tol : float, optional
        Stop when the model update of an outer iteration is at most ``tol``.
    rtol, rtol1 : float, optional
        Stop when the cost is below ``rtol`` times that of the first outer
        iteration, or below ``rtol1`` times :math:`\|\mathbf{y}\|_2` (0: off).
    tau : float, optional
        Scaling of the Bregman update (close to 1).
    restart : bool, optional
        Start every inner least-squares solve from ``x0`` (``True``) or from
        the last estimate.
    show, show_inner : bool, optional
        Print a log of the outer iterations / of every inner ``lsqr``.
    callback : callable, optional
        ``callback(x)`` after every outer iteration (from the compiled loop).
    **kwargs_lsqr
        Settings of the inner :func:`~jaxlops.optimization.lsqr.lsqr`:
        ``damp``, ``atol``, ``btol``, ``conlim`` and ``niter`` (or SciPy's
        ``iter_lim``). Defaults are SciPy's, which PyLops uses:
        ``atol = btol = 1e-6``, ``conlim = 1e8``, ``niter = 2 M``, and its
        stopping tests.

    Returns
    -------
    SolverResult
        ``x``, ``niter`` (outer iterations done), ``cost`` (``niter_outer + 1``
        values: the cost of ``x0``, then PyLops' history of the total cost per
        outer iteration, which it computes as
        :math:`\tfrac{\mu}{2}\|\mathbf{y} - \mathbf{Op}\,\mathbf{x}\|_2^2 +
        \sum_i \epsilon_{\mathbf{R}_{L2,i}}\|\mathbf{y}_{\mathbf{R}_i} -
        \mathbf{R}_{L2,i}\mathbf{x}\|_2^2 + \sum_i\|\mathbf{R}_{L1,i}\mathbf{x}\|_1`)
        and ``status``.

    Notes
    -----
    The iterates are PyLops' (``engine="scipy"``), with jaxlops' LSQR in place
    of SciPy's, stopping as SciPy's does (``stopping="scipy"``).
    PyLops stops before any iteration when ``tol=0``; here ``tol=0`` runs all
    ``niter_outer`` iterations. ``preallocate``, ``engine`` and ``itershow``
    are not offered.

    Differentiation: not differentiable (the inner ``lsqr`` has a custom VJP
    and reverse mode cannot go through the outer ``lax.while_loop``).

    PyLops equivalent: ``pylops.optimization.sparsity.splitbregman`` (returns
    ``(x, niter, cost)``).
    """
    y, x0, real, shape = prepare("splitbregman", Op, y, x0)
    M = Op.shape[1]
    niter_outer, niter_inner = as_niter("splitbregman", niter_outer), as_niter("splitbregman", niter_inner)
    RegsL1 = as_operators("splitbregman", "RegsL1", RegsL1, M)
    RegsL2 = () if RegsL2 is None else as_operators("splitbregman", "RegsL2", RegsL2, M)
    epsRL1s = _as_dampings("epsRL1s", epsRL1s, len(RegsL1), real)
    epsRL2s = _as_dampings("epsRL2s", epsRL2s, len(RegsL2), real)
    if dataregsL2 is None:
        dataregsL2 = [jnp.zeros(R.dimsd, y.dtype) for R in RegsL2]
    elif len(dataregsL2) != len(RegsL2):
        raise ValueError(f"splitbregman: dataregsL2 must hold one array per RegsL2 ({len(RegsL2)}), "
                         f"got {len(dataregsL2)}")
    datas = []
    for i, (R, d) in enumerate(zip(RegsL2, dataregsL2)):
        d = jnp.asarray(d)
        if d.size != R.shape[0]:
            raise ValueError(f"splitbregman: dataregsL2[{i}] must have {R.shape[0]} values, got shape {d.shape}")
        datas.append(d.reshape(R.dimsd).astype(y.dtype))
    mu = as_positive("splitbregman", "mu", mu, real)
    tol, tau = as_nonnegative("splitbregman", "tol", tol, real), as_nonnegative("splitbregman", "tau", tau, real)
    rtols = tuple(as_nonnegative("splitbregman", arg, v, real) for arg, v in (("rtol", rtol), ("rtol1", rtol1)))
    settings, lsqr_niter = inner_lsqr_settings("splitbregman", kwargs_lsqr, M, real)
    run = _run if show else _run_jit
    result = run(Op, y, x0, list(RegsL1), list(RegsL2), datas, mu, epsRL1s, epsRL2s, tol, rtols, tau, settings,
                 niter_outer=niter_outer, niter_inner=niter_inner, lsqr_niter=lsqr_niter, restart=bool(restart),
                 show=show, show_inner=show_inner, callback=callback)
    return result._replace(x=result.x.reshape(shape))
