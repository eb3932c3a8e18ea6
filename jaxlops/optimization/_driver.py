"""The one ``lax.while_loop`` every solver runs in, its result type and status codes.

A solver gives an initial state and a ``step``; the driver iterates until the
solver reports convergence or breakdown, a value turns non-finite, or ``niter``
steps are done. The whole solve is one compiled loop: no host round trip per
iteration (``show`` and ``callback`` go through ``jax.debug.callback`` and cost
nothing when off).
"""

from __future__ import annotations

import enum
import functools
from typing import NamedTuple

import jax
import jax.numpy as jnp
import numpy as np
from jax.sharding import NamedSharding, PartitionSpec

__all__ = ["SolverResult", "Status", "inner", "iterate", "norm", "safe_divide"]


class Status(enum.IntEnum):
    """Why a solver stopped (the ``status`` field of :class:`SolverResult`)."""

    RUNNING = -1  #: still iterating (never in a returned result)
    CONVERGED = 0  #: the stopping criterion (``tol``) was met
    MAX_ITERATIONS = 1  #: ``niter`` iterations were done
    BREAKDOWN = 2  #: the method cannot continue (e.g. CG on an indefinite operator)
    NON_FINITE = 3  #: a non-finite value appeared; ``x`` is the last finite iterate


class SolverResult(NamedTuple):
    """What every jaxlops solver returns (a pytree: it can be jitted and vmapped).

    Attributes
    ----------
    x : jax.Array
        The solution.
    niter : jax.Array
        Number of iterations done.
    cost : jax.Array
        Cost history of length ``niter_max + 1`` (the argument ``niter`` plus
        the initial cost); entries after ``niter`` repeat the final cost.
    status : jax.Array
        A :class:`Status` code; ``result.message`` reads it.
    """

    x: jax.Array
    niter: jax.Array
    cost: jax.Array
    status: jax.Array

    @property
    def message(self):
        """The status as words (for an unbatched result)."""
        return Status(int(self.status)).name.lower().replace("_", " ")


def safe_divide(num, den):
    """``num / den``, and 0 where ``den`` is 0 (never 0/0 = NaN)."""
    nonzero = den != 0
    return jnp.where(nonzero, num / jnp.where(nonzero, den, 1), 0)


def inner(a, b):
    """``vdot(a, b)`` for arrays of any shape, without flattening them (``jnp.vdot`` ravels its
    arguments: an array sharded over devices along one of its axes would be gathered).

    On a mesh with explicit axes the (replicated) scalar's sharding has to be named.
    """
    axes = tuple(range(a.ndim))
    mesh = jax.typeof(a).sharding.mesh
    replicated = NamedSharding(mesh, PartitionSpec()) if mesh.explicit_axes else None
    return jax.lax.dot_general(jnp.conj(a), b, ((axes, axes), ((), ())), out_sharding=replicated)


def norm(v):
    """The 2-norm of ``v`` of any shape, from :func:`inner` (no flattening)."""
    return jnp.sqrt(jnp.real(inner(v, v)))


def _all_finite(tree):
    """Whether every value in ``tree`` is finite: ``sum(leaf * 0)`` is 0, or NaN if an entry is
    not finite (one fused reduction per leaf, cannot overflow; twice as fast as ``all(isfinite)``)."""
    return jnp.all(jnp.array([jnp.isfinite(jnp.sum(leaf * 0)) for leaf in jax.tree.leaves(tree)]))


def iterate(name, x, state, cost0, converged0, step, niter, show=False, callback=None, header="", shown=None,
            check_x=True):
    """Run ``step`` in one ``lax.while_loop`` and return a :class:`SolverResult`.

    Parameters
    ----------
    name : str
        Solver name, for the log.
    x, state :
        Initial iterate and solver state (pytrees of arrays).
    cost0 : jax.Array
        Initial cost (real scalar).
    converged0 : jax.Array
        Whether the initial guess already meets the stopping criterion.
    step : callable
        ``step(x, state) -> (x, state, cost, converged, breakdown)``.
    niter : int
        Maximum number of iterations (static: it sizes the cost history).
    show : bool
        Print a PyLops-like log from the compiled loop.
    callback : callable, optional
        Called as ``callback(x)`` after every iteration, from the compiled loop.
    header : str or (str, dict)
        Solver settings for the first log lines: the text, or a template and
        the values of its ``{name}`` fields, formatted when the log is printed
        (settings that are traced, inside a compiled solve, print as numbers).
    shown : callable, optional
        ``shown(x)``, traced: the solution that ``callback`` receives when it
        is not the iterate itself (e.g. ``x0 + x`` for a solver iterating on
        an update).
    check_x : bool
        Whether every iteration scans ``x`` for non-finite values. A solver
        whose cost turns non-finite no later than its iterate does (the cost
        computed from the same vectors, as in the Krylov solvers) passes
        ``False``: the scan is a pass over ``x``, and without it XLA fuses the
        guard below into the update of ``x``.
    """
    costs = jnp.full(niter + 1, cost0)
    status = jnp.where(converged0, Status.CONVERGED, Status.MAX_ITERATIONS if niter == 0 else Status.RUNNING)
    status = jnp.where(_all_finite((x, cost0)), status, Status.NON_FINITE).astype(jnp.int32)
    if show:
        template, values = (header, {}) if isinstance(header, str) else header
        jax.debug.callback(functools.partial(_print_header, name, template), values, x, cost0, ordered=True)

    def cond(carry):
        return carry[-1] == Status.RUNNING

    def body(carry):
        k, x, state, costs, _ = carry
        new_x, new_state, cost, converged, breakdown = step(x, state)
        finite = _all_finite((new_x, cost) if check_x else cost)
        k = k + 1
        status = jnp.select(
            [~finite, breakdown, converged, k >= niter],
            [Status.NON_FINITE, Status.BREAKDOWN, Status.CONVERGED, Status.MAX_ITERATIONS],
            Status.RUNNING,
        ).astype(jnp.int32)
        # A non-finite step is not taken: x stays the last finite iterate (the
        # loop stops there, so the solver state needs no such guard).
        x = jax.tree.map(lambda new, old: jnp.where(finite, new, old), new_x, x)
        cost = jnp.where(finite, cost, costs[k - 1]).astype(costs.dtype)
        costs = costs.at[k].set(cost)  # the entries after the last iteration are filled after the loop
        if show:
            jax.debug.callback(_print_step, k, x, cost, ordered=True)
        if callback is not None:
            jax.debug.callback(callback, x if shown is None else shown(x), ordered=True)
        return k, x, new_state, costs, status

    k, x, _, costs, status = jax.lax.while_loop(cond, body, (jnp.asarray(0, jnp.int32), x, state, costs, status))
    costs = jnp.where(jnp.arange(niter + 1) > k, costs[k], costs)
    if show:
        jax.debug.callback(_print_footer, name, k, costs[-1], status, ordered=True)
    return SolverResult(x=x, niter=k, cost=costs, status=status)


def _first(x):
    x = np.asarray(x).ravel()
    return x[0] if x.size else np.nan


def _setting(value):
    """A setting as the log prints it: a number, or a list of numbers."""
    value = np.asarray(value)
    if value.ndim == 0:
        return f"{value.item():g}" if np.issubdtype(value.dtype, np.number) else str(value.item())
    return "[" + ", ".join(_setting(v) for v in value) + "]"


def _print_header(name, template, values, x, cost):
    header = template.format(**{key: _setting(value) for key, value in values.items()})
    print(f"{name}\n{'-' * 60}\n{header}\n{'-' * 60}")
    print(f"{'Itn':>6}{'x[0]':>24}{'cost':>14}")
    _print_step(0, x, cost)


def _print_step(k, x, cost):
    x0 = _first(x)
    x0 = f"{x0:1.2e}" if np.iscomplexobj(x0) else f"{x0:11.4e}"
    print(f"{int(k):6d}{x0:>24}{float(cost):14.4e}")


def _print_footer(name, k, cost, status):
    print(f"\n{name} stopped after {int(k)} iterations: {Status(int(status)).name.lower()}, final cost {cost:.4e}")
    print("-" * 60)

