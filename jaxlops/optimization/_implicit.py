"""Implicit differentiation of linear solves, with memory independent of ``niter``.

A least-squares solver returns ``x`` with ``G(theta, x) = b(theta) - H(theta) x = 0``
for a Hermitian positive (semi-)definite ``H`` (``Op`` itself for CG, the normal
operator ``Op^H Op + damp^2 I`` for CGLS/LSQR). Then ``dx = H^{-1} dG`` and the
VJP is ``theta_bar = (dG/dtheta)^T lambda`` with ``lambda = H^{-T} x_bar``,
obtained by conjugate gradients. ``theta`` is everything ``G`` depends on: the
data, the damping and the operator's leaves.

When the forward solve has not converged, the gradient is that of the exact
solution of the problem, evaluated at the returned iterate: it is only as
accurate as that iterate.
"""

from __future__ import annotations

import functools

import jax
import jax.numpy as jnp

from jaxlops.optimization._driver import inner

__all__ = ["conjugate_gradients", "implicitly_differentiated", "solve_vjp"]


def conjugate_gradients(matvec, b, niter, rtol):
    """Solve ``matvec(x) = b`` (Hermitian positive definite) by plain CG, from zero.

    Stops when ``||r|| <= rtol ||b||`` or after ``niter`` iterations. ``b`` is
    scaled to unit maximum first, so a tiny cotangent (e.g. 1e-30 in float32)
    neither underflows nor stops the iterations at once.
    """
    scale = jnp.max(jnp.abs(b))  # not the norm: its squares underflow for tiny b
    safe = jnp.where(scale > 0, scale, 1)
    r = b / safe
    x = jnp.zeros_like(r)

    rr0 = jnp.real(inner(r, r))

    def cond(carry):
        k, _, r, _, rr = carry
        return (k < niter) & (rr > rtol**2 * rr0)

    def body(carry):
        k, x, r, p, rr = carry
        Ap = matvec(p)
        pAp = jnp.real(inner(p, Ap))
        alpha = jnp.where(pAp > 0, rr / jnp.where(pAp > 0, pAp, 1), 0)
        x = x + alpha * p
        r = r - alpha * Ap
        rr_new = jnp.real(inner(r, r))
        p = r + jnp.where(rr > 0, rr_new / jnp.where(rr > 0, rr, 1), 0) * p
        return k + 1, x, r, p, rr_new

    rr = jnp.real(inner(r, r))
    _, x, _, _, _ = jax.lax.while_loop(cond, body, (0, x, r, r, rr))
    return jnp.where(scale > 0, x * safe, 0)


def solve_vjp(residual, hessian, params, x, x_bar, niter):
    """Cotangents of ``params`` for ``x`` solving ``residual(params, x) = 0``.

    ``residual(params, x) = b(params) - H(params) x``; ``hessian(params)`` is
    the matvec of ``H`` (Hermitian). Returns a pytree like ``params``.
    """
    rtol = 1e-12 if jnp.finfo(x.dtype).bits == 64 else 1e-6
    # H^{-T} v = conj(H^{-1} conj(v)) for a Hermitian H.
    lam = jnp.conj(conjugate_gradients(hessian(params), jnp.conj(x_bar), niter, rtol))
    _, vjp = jax.vjp(lambda p: residual(p, x), params)
    return vjp(lam)[0]


def implicitly_differentiated(run, residual, hessian):
    """Wrap ``run(Op, y, x0, damp, settings, niter, show, callback) -> SolverResult``
    with the implicit VJP of ``x`` in ``(Op, y, damp)``.

    ``residual((Op, y, damp), x)`` is ``b - H x``, zero at the solution, and
    ``hessian((Op, y, damp))`` the matvec of the Hermitian ``H``. ``x0`` and
    the ``settings`` (tolerances) get zero cotangents; the cost history, the
    iteration count and the status are not differentiated.
    """

    @functools.partial(jax.custom_vjp, nondiff_argnums=(5, 6, 7))
    def solve(Op, y, x0, damp, settings, niter, show, callback):
        return run(Op, y, x0, damp, settings, niter, show, callback)

    def forward(Op, y, x0, damp, settings, niter, show, callback):
        result = run(Op, y, x0, damp, settings, niter, show, callback)
        return result, (Op, y, x0, damp, settings, result.x)

    def backward(niter, show, callback, saved, cotangent):
        Op, y, x0, damp, settings, x = saved
        Op_bar, y_bar, damp_bar = solve_vjp(residual, hessian, (Op, y, damp), x, cotangent.x, max(niter, 1))
        return Op_bar, y_bar, jax.tree.map(jnp.zeros_like, x0), damp_bar, jax.tree.map(jnp.zeros_like, settings)

    solve.defvjp(forward, backward)
    # Compiled once per operator structure, shapes and static settings: calling
    # a solver eagerly twice does not recompile its loop.
    return jax.jit(solve, static_argnums=(5, 6, 7))
