"""Any optax optimiser on a differentiable objective, in one compiled loop."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import optax

from jaxlops._eager import compiled_when_eager
from jaxlops.optimization._checks import as_niter, as_nonnegative
from jaxlops.optimization._driver import iterate

__all__ = ["optax_minimize"]


def _norm(tree):
    return jnp.sqrt(sum(jnp.sum(jnp.abs(leaf) ** 2) for leaf in jax.tree.leaves(tree)))


@compiled_when_eager
def optax_minimize(fun, x0, optimizer, niter=100, tol=0.0, show=False, callback=None):
    r"""Minimise ``fun`` from ``x0`` with an optax optimiser, in one ``lax.while_loop``.

    For nonlinear problems built from operators, e.g.
    ``fun = lambda x: 0.5 * jnp.sum((Op @ jnp.sin(x) - y) ** 2)``.

    Parameters
    ----------
    fun : callable
        Real scalar objective of ``x`` (an array or a pytree of arrays),
        differentiable with ``jax.grad``.
    x0 : array or pytree
        Starting point.
    optimizer : optax.GradientTransformation
        E.g. ``optax.adam(1e-2)``, ``optax.lbfgs()`` (transformations that need
        the value and gradient, as L-BFGS's line search, receive them).
    niter : int, optional
        Maximum number of iterations.
    tol : float, optional
        Stop when the gradient norm is at most ``tol``.
    show : bool, optional
        Print a log from the compiled loop.
    callback : callable, optional
        ``callback(x)`` after every iteration.

    Returns
    -------
    SolverResult
        ``x``, ``niter``, ``cost`` (``fun`` at every iterate, ``x0`` first) and ``status``.

    Notes
    -----
    One objective and gradient evaluation per iteration. The loop is a
    ``while_loop``, so ``jax.grad`` cannot differentiate through it.

    Examples
    --------
    >>> import jax.numpy as jnp, optax, jaxlops as jl
    >>> result = jl.optax_minimize(lambda x: jnp.sum((x - 3.0) ** 2), jnp.zeros(2), optax.sgd(0.25), niter=50)
    >>> result.x, result.message
    (Array([3., 3.], dtype=float32), 'converged')
    """
    if not isinstance(optimizer, optax.GradientTransformation):
        raise TypeError(f"optax_minimize: optimizer must be an optax.GradientTransformation, got {optimizer!r}")
    niter = as_niter("optax_minimize", niter)
    x0 = jax.tree.map(jnp.asarray, x0)
    # Line searches (L-BFGS) take the value, gradient and objective as extra
    # arguments; other transformations are made to accept and ignore them.
    optimizer = optax.with_extra_args_support(optimizer)
    value_and_grad = jax.value_and_grad(fun)
    real = jnp.result_type(*[jnp.finfo(leaf.dtype).dtype for leaf in jax.tree.leaves(x0)])
    tol = as_nonnegative("optax_minimize", "tol", tol, real)
    opt_state = optimizer.init(x0)
    value, grad = value_and_grad(x0)

    def step(x, state):
        opt_state, value, grad = state
        updates, opt_state = optimizer.update(grad, opt_state, x, value=value, grad=grad, value_fn=fun)
        x = optax.apply_updates(x, updates)
        value, grad = value_and_grad(x)
        return x, (opt_state, value, grad), value, _norm(grad) <= tol, jnp.asarray(False)

    header = (f"niter = {niter}  tol = {{tol}}", dict(tol=tol)) if show else ""
    return iterate("optax_minimize", x0, (opt_state, value, grad), value, _norm(grad) <= tol, step, niter, show,
                   callback, header)

