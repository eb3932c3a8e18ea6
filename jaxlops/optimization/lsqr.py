"""LSQR (Paige and Saunders, 1982) in one compiled loop."""

from __future__ import annotations

import jax.numpy as jnp

from jaxlops.optimization._checks import as_niter, as_nonnegative, preconditioned, prepare, start
from jaxlops.optimization._driver import iterate, safe_divide
from jaxlops.optimization._implicit import implicitly_differentiated
from jaxlops.optimization.basic import least_squares_hessian, least_squares_residual

__all__ = ["lsqr"]


def _hypot(*values):
    return jnp.sqrt(sum(jnp.abs(v) ** 2 for v in values))


def _normalised(v):
    norm = jnp.linalg.norm(v)
    return safe_divide(v, norm), norm


def _lsqr_run(Op, y, x0, damp, settings, niter, show, callback):
    atol, btol, conlim = settings
    ctol = safe_divide(1.0, conlim)
    x0, r0 = start(Op, y, x0, Op.matvec)
    u, beta = _normalised(r0)
    v, alfa = _normalised(Op.rmatvec(u))
    v, alfa = jnp.where(beta > 0, v, jnp.zeros_like(v)), jnp.where(beta > 0, alfa, 0)
    real = beta.dtype
    zero = jnp.zeros((), real)
    scalars = dict(
        alfa=alfa, beta=beta, rhobar=alfa, phibar=beta, anorm=zero, ddnorm=zero, res2=zero,
        xxnorm=zero, z=zero, cs2=-jnp.ones((), real), sn2=zero,
    )
    bnorm, arnorm0 = beta, alfa * beta

    def step(x, state):
        u, v, w, s = state
        s = dict(s)
        # Bidiagonalisation: beta u = Op v - alfa u, alfa v = Op^H u - beta v.
        u_new, beta = _normalised(Op.matvec(v) - s["alfa"] * u)
        go = beta > 0
        v_new, alfa = _normalised(Op.rmatvec(u_new) - beta * v)
        u = u_new
        v = jnp.where(go, v_new, v)
        s["anorm"] = jnp.where(go, _hypot(s["anorm"], s["alfa"], beta, damp), s["anorm"])
        alfa = jnp.where(go, alfa, s["alfa"])
        # Plane rotations: eliminate the damping, then the subdiagonal.
        rhobar1 = _hypot(s["rhobar"], damp)
        cs1, sn1 = safe_divide(s["rhobar"], rhobar1), safe_divide(damp, rhobar1)
        psi, phibar = sn1 * s["phibar"], cs1 * s["phibar"]
        rho = _hypot(rhobar1, beta)
        cs, sn = safe_divide(rhobar1, rho), safe_divide(beta, rho)
        theta, rhobar = sn * alfa, -cs * alfa
        phi, phibar = cs * phibar, sn * phibar
        tau = sn * phi
        dk = safe_divide(w, rho)
        x = x + safe_divide(phi, rho) * w
        w = v - safe_divide(theta, rho) * w
        ddnorm = s["ddnorm"] + jnp.linalg.norm(dk) ** 2
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
        test1 = safe_divide(rnorm, bnorm)
        test2 = safe_divide(arnorm, arnorm0)
        test3 = safe_divide(1.0, acond)
        t1 = safe_divide(test1, 1 + safe_divide(anorm * xnorm, bnorm))
        rtol = btol + atol * safe_divide(anorm * xnorm, bnorm)
        converged = (test1 <= rtol) | (test2 <= atol) | (1 + t1 <= 1) | (1 + test2 <= 1)
        ill_conditioned = (test3 <= ctol) | (1 + test3 <= 1)
        s.update(alfa=alfa, beta=beta, rhobar=rhobar, phibar=phibar, anorm=anorm, ddnorm=ddnorm, res2=res2,
                 xxnorm=xxnorm, z=z, cs2=cs2, sn2=sn2)
        return x, (u, v, w, s), r1norm, converged, ill_conditioned & ~converged

    header = f"Op: {Op.shape[0]} rows, {Op.shape[1]} columns\ndamp = {damp}  niter = {niter}" if show else ""
    return iterate("LSQR", x0, (u, v, v, scalars), beta, arnorm0 == 0, step, niter, show, callback, header)


_lsqr = implicitly_differentiated(_lsqr_run, least_squares_residual, least_squares_hessian)


def lsqr(Op, y, x0=None, damp=0.0, atol=1e-8, btol=1e-8, conlim=1e8, niter=10, show=False, callback=None, P=None):
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

    Returns
    -------
    SolverResult
        ``x``, ``niter``, ``cost`` (the estimates of
        :math:`\|\mathbf{y} - \mathbf{Op}\,\mathbf{x}\|_2`, PyLops' ``r1norm``
        history) and ``status``.

    Notes
    -----
    Iterates are those of PyLops' ``lsqr`` (``calc_var`` is not offered).
    ``jax.grad`` uses implicit differentiation of the normal equations, as
    :func:`cgls`.

    PyLops equivalent: ``pylops.optimization.basic.lsqr`` (returns 11 values).
    """
    if P is not None:
        return preconditioned(lsqr, Op, y, P, x0, damp=damp, atol=atol, btol=btol, conlim=conlim, niter=niter,
                              show=show, callback=callback)
    y, x0, real, shape = prepare("lsqr", Op, y, x0, zero_start=True)
    niter = as_niter("lsqr", niter)
    damp = as_nonnegative("lsqr", "damp", damp, real)
    settings = tuple(as_nonnegative("lsqr", arg, value, real)
                     for arg, value in (("atol", atol), ("btol", btol), ("conlim", conlim)))
    result = _lsqr(Op, y, x0, damp, settings, niter, show, callback)
    return result._replace(x=result.x.reshape(shape))
