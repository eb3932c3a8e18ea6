"""LSQR (Paige and Saunders, 1982) in one compiled loop, with PyLops' or SciPy's stopping tests."""

from __future__ import annotations

import functools

import jax.numpy as jnp
import numpy as np

from jaxlops._eager import compiled_when_eager
from jaxlops.optimization._checks import adjoint, as_niter, as_nonnegative, forward, preconditioned, prepare, start
from jaxlops.optimization._driver import iterate, norm, safe_divide
from jaxlops.optimization._implicit import implicitly_differentiated
from jaxlops.optimization.basic import least_squares_hessian, least_squares_residual

__all__ = ["lsqr"]

STOPPING = ("pylops", "scipy")
_EPS = float(np.finfo(np.float64).eps)  # SciPy's guard in test2 and test3, whatever the dtype


def _hypot(*values):
    return jnp.sqrt(sum(jnp.abs(v) ** 2 for v in values))


def _istop(stopping, tols, bnorm, arnorm0, anorm, acond, xnorm, rnorm, arnorm):
    """Paige and Saunders' ``istop`` (0: go on, 1-6: stop) under PyLops' or SciPy's tests.

    The rules differ in ``test2`` (PyLops: relative to the first ``||Op^H r||``;
    SciPy: to ``||Op|| ||r||``), in the ``eps`` guards and in ``bnorm`` (the
    caller's: ``||y - Op x0||`` for PyLops, ``||y||`` for SciPy).
    """
    atol, btol, ctol = tols
    if stopping == "scipy":
        test2 = arnorm / (anorm * rnorm + _EPS)
        test3 = 1 / (acond + _EPS)
    else:
        test2 = safe_divide(arnorm, arnorm0)
        test3 = safe_divide(1.0, acond)
    test1 = safe_divide(rnorm, bnorm)
    ratio = safe_divide(anorm * xnorm, bnorm)
    t1 = test1 / (1 + ratio)
    rtol = btol + atol * ratio
    # Both libraries assign istop from 7 down to 1, so the lowest code that holds wins:
    # the user's tolerances (1-3) over machine precision (4-6).
    return jnp.select([test1 <= rtol, test2 <= atol, test3 <= ctol, 1 + t1 <= 1, 1 + test2 <= 1, 1 + test3 <= 1],
                      [1, 2, 3, 4, 5, 6], 0)


def _lsqr_run(Op, y, x0, damp, settings, niter, show, callback, *, stopping):
    atol, btol, conlim = settings
    tols = (atol, btol, safe_divide(1.0, conlim))
    x0, r0 = start(Op, y, x0, lambda x: forward(Op, x))
    # The Lanczos vectors are kept unnormalised, u = u_t / beta and v = v_t / alfa, and
    # scaled where they are read: the operator is linear, so Op v = (Op v_t) / alfa, and
    # the scaling rides in the pass that uses the product (no pass to normalise them).
    beta = norm(r0)
    v_t = adjoint(Op, r0) * safe_divide(1.0, beta)
    alfa = norm(v_t)
    real = beta.dtype
    zero = jnp.zeros((), real)
    scalars = dict(
        alfa=alfa, beta=beta, rhobar=alfa, phibar=beta, anorm=zero, ddnorm=zero, res2=zero,
        xxnorm=zero, z=zero, cs2=-jnp.ones((), real), sn2=zero,
    )
    bnorm = norm(y) if stopping == "scipy" else beta
    arnorm0 = alfa * beta

    def step(x, state):
        u_t, v_t, w, s = state
        s = dict(s)
        # Bidiagonalisation: beta u = Op v - alfa u, alfa v = Op^H u - beta v.
        u_t = forward(Op, v_t) * safe_divide(1.0, s["alfa"]) - safe_divide(s["alfa"], s["beta"]) * u_t
        beta = norm(u_t)
        go = beta > 0  # else Op v = alfa u: v and alfa stay (and the residual is zero)
        v_t = (adjoint(Op, u_t) * jnp.where(go, safe_divide(1.0, beta), 0)
               - jnp.where(go, safe_divide(beta, s["alfa"]), -1) * v_t)
        s["anorm"] = jnp.where(go, _hypot(s["anorm"], s["alfa"], beta, damp), s["anorm"])
        alfa = jnp.where(go, norm(v_t), s["alfa"])
        # Plane rotations: eliminate the damping, then the subdiagonal. (SciPy skips the
        # first when damp = 0 and keeps signs in the second: the same iterates.)
        rhobar1 = _hypot(s["rhobar"], damp)
        cs1, sn1 = safe_divide(s["rhobar"], rhobar1), safe_divide(damp, rhobar1)
        psi, phibar = sn1 * s["phibar"], cs1 * s["phibar"]
        rho = _hypot(rhobar1, beta)
        cs, sn = safe_divide(rhobar1, rho), safe_divide(beta, rho)
        theta, rhobar = sn * alfa, -cs * alfa
        phi, phibar = cs * phibar, sn * phibar
        tau = sn * phi
        ddnorm = s["ddnorm"] + safe_divide(norm(w), rho) ** 2  # ||d_k||^2, d_k = w / rho
        # Estimates of norms, condition and residuals for the stopping tests.
        delta, gambar = s["sn2"] * rho, -s["cs2"] * rho
        rhs = phi - delta * s["z"]
        zbar = safe_divide(rhs, gambar)
        xnorm = jnp.sqrt(s["xxnorm"] + zbar**2)
        gamma = _hypot(gambar, theta)
        cs2, sn2 = safe_divide(gambar, gamma), safe_divide(theta, gamma)
        z = safe_divide(rhs, gamma)
        xxnorm = s["xxnorm"] + z**2
        anorm = s["anorm"]
        acond = anorm * jnp.sqrt(ddnorm)
        res2 = s["res2"] + psi**2
        rnorm = jnp.sqrt(phibar**2 + res2)
        arnorm = alfa * jnp.abs(tau)
        r1norm = jnp.sqrt(jnp.abs(rnorm**2 - damp**2 * xxnorm))
        istop = _istop(stopping, tols, bnorm, arnorm0, anorm, acond, xnorm, rnorm, arnorm)
        x = x + safe_divide(phi, rho) * w
        w = v_t * safe_divide(1.0, alfa) - safe_divide(theta, rho) * w
        s.update(alfa=alfa, beta=beta, rhobar=rhobar, phibar=phibar, anorm=anorm, ddnorm=ddnorm, res2=res2,
                 xxnorm=xxnorm, z=z, cs2=cs2, sn2=sn2)
        converged = (istop == 1) | (istop == 2) | (istop == 4) | (istop == 5)
        return x, (u_t, v_t, w, s), r1norm, converged, (istop == 3) | (istop == 6)

    header = ""
    if show:
        header = (f"Op: {Op.shape[0]} rows, {Op.shape[1]} columns\ndamp = {{damp}}  niter = {niter}  "
                  f"stopping = {stopping}", {"damp": damp})
    w = v_t * safe_divide(1.0, alfa)
    # x_k+1 = x_k + (phi / rho) w_k: a non-finite value reaches the cost (through the norms and
    # rotations) no later than it reaches x, so the driver need not scan x.
    return iterate("LSQR", x0, (r0, v_t, w, scalars), beta, arnorm0 == 0, step, niter, show, callback, header,
                   check_x=False)


# One implicitly differentiated solve per rule (the rule is static: it picks the step's tests).
_SOLVES = {
    rule: implicitly_differentiated(functools.partial(_lsqr_run, stopping=rule), least_squares_residual,
                                    least_squares_hessian)
    for rule in STOPPING
}


@compiled_when_eager
def lsqr(Op, y, x0=None, damp=0.0, atol=1e-8, btol=1e-8, conlim=1e8, niter=10, show=False, callback=None, P=None,
         stopping="pylops"):
    r"""LSQR for (damped) least squares, in one compiled ``lax.while_loop``.

    Solves :math:`\min_\mathbf{x} \|\mathbf{y} - \mathbf{Op}\,\mathbf{x}\|_2^2
    + \epsilon^2\|\mathbf{x}\|_2^2` with :math:`\epsilon` = ``damp`` by
    Golub-Kahan bidiagonalisation (Paige and Saunders, 1982).

    Parameters
    ----------
    Op : LinearOperator
        Operator of any shape.
    y : array_like
        Data, flat (``N``) or shaped ``Op.dimsd``.
    x0 : array_like, optional
        Starting guess (zeros by default).
    damp : float, optional
        Damping :math:`\epsilon`.
    atol, btol : float, optional
        Stopping tolerances on the relative errors in ``Op`` and ``y``.
    conlim : float, optional
        Stop when the estimated condition number exceeds ``conlim``
        (``status`` is ``BREAKDOWN``).
    niter : int, optional
        Maximum number of iterations.
    show : bool, optional
        Print a log from the compiled loop.
    callback : callable, optional
        ``callback(x)`` after every iteration (from the compiled loop).
    P : LinearOperator, optional
        Right preconditioner, as in :func:`~jaxlops.cgls`.
    stopping : {"pylops", "scipy"}, optional
        Whose stopping tests to apply (the iterates are the same):
        ``"pylops"``, those of ``pylops.optimization.basic.lsqr``
        (:math:`\|\mathbf{Op}^H\mathbf{r}\|` relative to its first value,
        :math:`\|\mathbf{y}\|` taken as :math:`\|\mathbf{y} - \mathbf{Op}\,
        \mathbf{x}_0\|`); ``"scipy"``, those of ``scipy.sparse.linalg.lsqr``
        (:math:`\|\mathbf{Op}^H\mathbf{r}\| / (\|\mathbf{Op}\|\,\|\mathbf{r}\|)`
        with SciPy's running estimate of :math:`\|\mathbf{Op}\|`, and
        :math:`\|\mathbf{y}\|`), which PyLops uses wherever it calls SciPy
        (``PoststackInversion``, ``regularized_inversion``, the sparsity
        solvers). The arguments' defaults stay PyLops': pass SciPy's
        (``atol = btol = 1e-6``, ``niter`` its ``iter_lim = 2 M``) to
        reproduce a call that relies on them.

    Returns
    -------
    SolverResult
        ``x``, ``niter``, ``cost`` (the estimates of
        :math:`\|\mathbf{y} - \mathbf{Op}\,\mathbf{x}\|_2`, PyLops' ``r1norm``
        history) and ``status``.

    Notes
    -----
    Iterates are those of PyLops' ``lsqr`` (``calc_var`` is not offered).
    ``status`` reads Paige and Saunders' ``istop``, the lowest code whose
    test holds winning as in both libraries: 0 (:math:`\mathbf{Op}^H(\mathbf{y}
    - \mathbf{Op}\,\mathbf{x}_0) = 0`, e.g. zero data: no iteration is done), 1, 2
    (``atol``/``btol`` met), 4 and 5 (the same to machine precision) are
    ``CONVERGED``; 3 and 6 (condition estimate above ``conlim`` or
    :math:`1/\epsilon`) are ``BREAKDOWN``; 7 (``niter`` iterations) is
    ``MAX_ITERATIONS``, as is ``niter=0`` with :math:`\mathbf{Op}^H\mathbf{y}
    \ne 0` (where SciPy reports 0).
    ``jax.grad`` uses implicit differentiation of the normal equations, as
    :func:`cgls`, with either rule.

    PyLops equivalent: ``pylops.optimization.basic.lsqr`` (returns 11 values);
    ``stopping="scipy"``: ``scipy.sparse.linalg.lsqr`` (returns 10 values;
    ``niter`` is its ``iter_lim``).
    """
    if stopping not in STOPPING:
        raise ValueError(f"lsqr: stopping must be one of {', '.join(map(repr, STOPPING))}, got {stopping!r}")
    if P is not None:
        return preconditioned(lsqr, Op, y, P, x0, damp=damp, atol=atol, btol=btol, conlim=conlim, niter=niter,
                              show=show, callback=callback, stopping=stopping)
    y, x0, real, shape = prepare("lsqr", Op, y, x0, zero_start=True)
    niter = as_niter("lsqr", niter)
    damp = as_nonnegative("lsqr", "damp", damp, real)
    settings = tuple(as_nonnegative("lsqr", arg, value, real)
                     for arg, value in (("atol", atol), ("btol", btol), ("conlim", conlim)))
    result = _SOLVES[stopping](Op, y, x0, damp, settings, niter, show, callback)
    return result._replace(x=result.x.reshape(shape))
