"""``check_operator``: every contract an operator must keep, checked at once."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops.utils._tolerances import tolerance
from jaxlops.utils.dottest import dottest, random_vector

__all__ = ["check_operator"]

_DENSE_LIMIT = 400  # largest N and M for the dense comparisons


def _apply(op, x):
    return op.matvec(x)


def _rapply(op, y):
    return op.rmatvec(y)


_apply_jit = jax.jit(_apply)
_rapply_jit = jax.jit(_rapply)


def _error(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return np.inf
    scale = max(np.abs(b).max(initial=0.0), np.finfo(np.float32).tiny)
    return np.abs(a - b).max(initial=0.0) / scale


def _inexact_leaves(op):
    return [leaf for leaf in jax.tree.leaves(op) if jnp.issubdtype(jnp.asarray(leaf).dtype, jnp.inexact)]


def check_operator(Op, rtol=None, seed=0, dense=None):
    """Check every contract of a jaxlops operator and report all failures at once.

    Runs the dot test (with complex vectors for complex operators), then
    compares, for the forward and the adjoint: ``jax.jit`` against eager,
    ``jax.vmap`` over inputs and over the operator's leaves against a loop,
    ``jax.vjp`` and ``jax.linear_transpose`` against the hand-written adjoint,
    ``jax.jvp`` against the operator itself, flat against N-d inputs, and the
    reverse- against the forward-mode derivative in the operator's leaves.
    For operators with at most 400 rows and columns it also compares
    ``jax.jacfwd`` with ``todense()`` and ``Op.H.todense()`` with the
    conjugate transpose.

    Parameters
    ----------
    Op : LinearOperator
        Operator to check.
    rtol : float, optional
        Relative (max-normalised) tolerance; by default 1e-4 in single and
        1e-10 in double precision.
    seed : int, optional
        Seed of the random vectors.
    dense : bool, optional
        Force the dense comparisons on or off.

    Returns
    -------
    bool
        ``True``; failures raise one ``AssertionError`` listing all of them.

    Examples
    --------
    >>> import jax.numpy as jnp, jaxlops as jl
    >>> jl.utils.check_operator(jl.Diagonal(jnp.arange(1.0, 4.0), dtype="float32"))
    True
    """
    dtype = np.dtype(Op.dtype)
    rtol = tolerance(dtype) if rtol is None else rtol
    rng = np.random.default_rng(seed)
    x = random_vector(rng, Op.dims, dtype)
    y = random_vector(rng, Op.dimsd, dtype)
    failures = []

    def expect(name, actual, expected):
        err = _error(actual, expected)
        if not err <= rtol:
            failures.append(f"{name}: relative error {err:.3g} > {rtol:.1g}")

    def attempt(name, check):
        try:
            check()
        except Exception as exc:  # every failure goes in the one report
            failures.append(f"{name}: {type(exc).__name__}: {exc}")

    attempt("dot test", lambda: dottest(Op, rtol=rtol, seed=seed))
    forward, adjoint = Op.matvec(x), Op.rmatvec(y)

    def shapes():
        if forward.shape != Op.dimsd or adjoint.shape != Op.dims:
            failures.append(f"shapes: got {forward.shape} and {adjoint.shape}, expected {Op.dimsd} and {Op.dims}")
        expect("flat forward", Op.matvec(x.ravel()), forward.ravel())
        expect("flat adjoint", Op.rmatvec(y.ravel()), adjoint.ravel())

    def jit():
        expect("jit forward", _apply_jit(Op, x), forward)
        expect("jit adjoint", _rapply_jit(Op, y), adjoint)

    def vmap_inputs():
        xs = jnp.stack([x, 2 * x + 1])
        ys = jnp.stack([y, 2 * y + 1])
        expect("vmap forward", jax.vmap(Op.matvec)(xs), jnp.stack([Op.matvec(v) for v in xs]))
        expect("vmap adjoint", jax.vmap(Op.rmatvec)(ys), jnp.stack([Op.rmatvec(v) for v in ys]))

    def vmap_operators():
        if not jax.tree.leaves(Op):
            return
        other = jax.tree.map(lambda a: 2 * a if jnp.issubdtype(a.dtype, jnp.inexact) else a, Op)
        ops = jax.tree.map(lambda a, b: jnp.stack([a, b]), Op, other)
        expect("vmap over operators", jax.vmap(_apply, (0, None))(ops, x), jnp.stack([Op.matvec(x), other.matvec(x)]))
        expect("vmap over operators, adjoint", jax.vmap(_rapply, (0, None))(ops, y),
               jnp.stack([Op.rmatvec(y), other.rmatvec(y)]))

    def reverse_mode():
        # JAX transposes without conjugation: the VJP of Op is conj . Op^H . conj.
        expected = jnp.conj(Op.rmatvec(jnp.conj(y)))
        _, vjp = jax.vjp(Op.matvec, x)
        expect("vjp vs adjoint", vjp(y)[0], expected)
        expect("linear_transpose vs adjoint", jax.linear_transpose(Op.matvec, x)(y)[0], expected)
        _, rvjp = jax.vjp(Op.rmatvec, y)
        expect("vjp of adjoint vs forward", rvjp(x)[0], jnp.conj(Op.matvec(jnp.conj(x))))

    def forward_mode():
        expect("jvp vs forward", jax.jvp(Op.matvec, (2 * x + 1,), (x,))[1], forward)
        expect("jvp of adjoint vs adjoint", jax.jvp(Op.rmatvec, (2 * y + 1,), (y,))[1], adjoint)

    def leaf_derivatives():
        leaves, treedef = jax.tree.flatten(Op)
        active = [i for i, leaf in enumerate(leaves) if jnp.issubdtype(leaf.dtype, jnp.inexact)]
        if not active:
            return

        def of_leaves(*values):
            new = list(leaves)
            for i, v in zip(active, values):
                new[i] = v
            return jax.tree.unflatten(treedef, new).matvec(x)

        primals = [leaves[i] for i in active]
        directions = [random_vector(rng, p.shape, p.dtype) for p in primals]
        _, tangent = jax.jvp(of_leaves, primals, directions)
        _, vjp = jax.vjp(of_leaves, *primals)
        cotangents = vjp(y)
        lhs = jnp.real(jnp.sum(y * tangent))
        rhs = sum(jnp.real(jnp.sum(c * d)) for c, d in zip(cotangents, directions))
        expect("leaf derivatives, reverse vs forward mode", rhs, lhs)

    def dense_matrix():
        A = Op.todense()
        expect("adjoint dense vs conjugate transpose", Op.H.todense(), jnp.conj(A).T)
        if not Op.complex_linear:
            return  # only real-linear: no complex Jacobian to compare with
        holomorphic = jnp.issubdtype(dtype, jnp.complexfloating)
        expect("jacfwd vs todense", jax.jacfwd(Op.matvec, holomorphic=holomorphic)(x.ravel()), A)

    attempt("shapes", shapes)
    attempt("jit", jit)
    attempt("vmap over inputs", vmap_inputs)
    attempt("vmap over operators", vmap_operators)
    attempt("reverse mode", reverse_mode)
    attempt("forward mode", forward_mode)
    attempt("leaf derivatives", leaf_derivatives)
    if dense if dense is not None else max(Op.shape) <= _DENSE_LIMIT:
        attempt("dense", dense_matrix)
    if failures:
        raise AssertionError(f"check_operator failed for {Op!r}:\n  " + "\n  ".join(failures))
    return True
