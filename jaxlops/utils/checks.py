"""``check_operator``: every contract an operator must keep, checked at once."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import numpy as np

from jaxlops.utils._tolerances import tolerance
from jaxlops.utils.dottest import dot_products, dot_test_failure, random_vector

__all__ = ["check_operator"]

_DENSE_LIMIT = 400  # largest N and M for the dense comparisons


def _apply(op, x):
    return op.matvec(x)


def _rapply(op, y):
    return op.rmatvec(y)


def _is_inexact(a):
    return jnp.issubdtype(a.dtype, jnp.inexact)


def _transformations(Op, ops, x, y, directions, which):
    """The operator through every transformation named in ``which``, compiled as one program.

    ``x`` and ``y`` are flat; the "N-d" entry applies the operator to them reshaped.
    """
    x2, y2 = 2 * x + 1, 2 * y + 1
    out = {}
    if "jit" in which:
        out["jit"] = (Op.matvec(x), Op.rmatvec(y))
        out["N-d"] = (Op @ x.reshape(Op.dims), Op.H @ y.reshape(Op.dimsd))
    if "vmap over inputs" in which:
        out["vmap over inputs"] = (jax.vmap(Op.matvec)(jnp.stack([x, x2])), jax.vmap(Op.rmatvec)(jnp.stack([y, y2])))
    if "vmap over operators" in which:
        out["vmap over operators"] = (jax.vmap(_apply, (0, None))(ops, x), jax.vmap(_rapply, (0, None))(ops, y))
    if "reverse mode" in which:
        out["reverse mode"] = (
            jax.vjp(Op.matvec, x)[1](y)[0],
            jax.linear_transpose(Op.matvec, x)(y)[0],
            jax.vjp(Op.rmatvec, y)[1](x)[0],
        )
    if "forward mode" in which:
        out["forward mode"] = (jax.jvp(Op.matvec, (x2,), (x,))[1], jax.jvp(Op.rmatvec, (y2,), (y,))[1])
    if "leaf derivatives" in which:
        leaves, treedef = jax.tree.flatten(Op)
        active = [i for i, leaf in enumerate(leaves) if _is_inexact(leaf)]

        def of_leaves(*values):
            new = list(leaves)
            for i, v in zip(active, values):
                new[i] = v
            return jax.tree.unflatten(treedef, new).matvec(x)

        primals = [leaves[i] for i in active]
        tangent = jax.jvp(of_leaves, primals, directions)[1]
        cotangents = jax.vjp(of_leaves, *primals)[1](y)
        forward = jnp.real(jnp.sum(y * tangent))
        reverse = sum(jnp.real(jnp.sum(c * d)) for c, d in zip(cotangents, directions))
        out["leaf derivatives"] = (reverse, forward)
    if "dense" in which:
        holomorphic = jnp.issubdtype(Op.dtype, jnp.complexfloating)
        out["dense"] = (Op.todense(), Op.H.todense(), jax.jacfwd(Op.matvec, holomorphic=holomorphic)(x))
    return out


_transformations_jit = jax.jit(_transformations, static_argnames="which")

_LABELS = {"reverse mode": ("vjp vs adjoint", "linear_transpose vs adjoint", "vjp of adjoint vs forward")}


def check_operator(Op, rtol=None, seed=0, dense=None):
    """Check every contract of a jaxlops operator and report all failures at once.

    Runs the dot test (with complex vectors for complex operators), then
    compares, for the forward and the adjoint: ``jax.jit`` against eager,
    ``jax.vmap`` over inputs and over the operator's leaves against a loop,
    ``jax.vjp`` and ``jax.linear_transpose`` against the hand-written adjoint,
    ``jax.jvp`` against the operator itself, ``Op @ x`` with ``x`` shaped
    ``dims`` against the flat ``Op.matvec``, and the
    reverse- against the forward-mode derivative in the operator's leaves.
    For complex-linear operators with at most 400 rows and columns it also compares
    ``jax.jacfwd`` with ``todense()`` and ``Op.H.todense()`` with the
    conjugate transpose. All transformations compile as one program.

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
    n, m = Op.shape
    x = random_vector(rng, m, dtype)
    forward = np.asarray(Op.matvec(x))
    y = random_vector(rng, n, forward.dtype)  # real for operators that return reals (Real, Imag)
    adjoint = np.asarray(Op.rmatvec(y))
    if np.iscomplexobj(x) and not np.iscomplexobj(adjoint):
        # A complex-valued operator on a real model space (e.g. FFT with real=True): test with real models.
        x = np.real(x)
        forward = np.asarray(Op.matvec(x))
    failures = []
    if forward.shape != (n,) or adjoint.shape != (m,):
        failures.append(f"shapes: got {forward.shape} and {adjoint.shape} for flat inputs, expected ({n},) and ({m},)")
    a, b, err = dot_products(Op, x, y, forward, adjoint)
    if not err <= rtol:
        failures.append("dot test: " + dot_test_failure(Op, a, b, err, rtol))

    # References, from eager applications only; the inputs are made in NumPy so that
    # only the operator's own forward and adjoint programs are compiled here.
    x, y = np.asarray(x), np.asarray(y)
    conj = np.conj
    x2, y2 = 2 * x + 1, 2 * y + 1
    other = jax.tree.map(lambda a: jnp.asarray(2 * np.asarray(a)) if _is_inexact(a) else a, Op)
    expected = {
        "jit": (forward, adjoint),
        "N-d": (forward.reshape(Op.dimsd), adjoint.reshape(Op.dims)),
        "vmap over inputs": (np.stack([forward, Op.matvec(x2)]), np.stack([adjoint, Op.rmatvec(y2)])),
        "vmap over operators": (np.stack([forward, other.matvec(x)]), np.stack([adjoint, other.rmatvec(y)])),
        # JAX transposes without conjugation: the VJP of Op is conj . Op^H . conj.
        "reverse mode": (conj(Op.rmatvec(conj(y))),) * 2 + (conj(Op.matvec(conj(x))),),
        "forward mode": (forward, adjoint),
    }
    which = list(expected)
    if not jax.tree.leaves(Op):
        which.remove("vmap over operators")
    leaves = [leaf for leaf in jax.tree.leaves(Op) if _is_inexact(leaf)]
    directions = [np.asarray(random_vector(rng, leaf.shape, leaf.dtype)) for leaf in leaves]
    if leaves:
        which.append("leaf derivatives")
    if Op.complex_linear and (dense if dense is not None else max(Op.shape) <= _DENSE_LIMIT):
        which.append("dense")
    ops = jax.tree.map(lambda a, b: jnp.asarray(np.stack([a, b])), Op, other)

    try:
        results = _transformations_jit(Op, ops, x, y, directions, tuple(which))
    except Exception:
        # Compile each check alone to tell which transformation fails.
        results = {}
        for name in which:
            try:
                results |= _transformations_jit(Op, ops, x, y, directions, (name,))
            except Exception as exc:  # every failure goes in the one report
                failures.append(f"{name}: {type(exc).__name__}: {exc}")

    def expect(name, actual, reference):
        actual, reference = np.asarray(actual), np.asarray(reference)
        if actual.shape != reference.shape:
            failures.append(f"{name}: shape {actual.shape}, expected {reference.shape}")
            return
        scale = max(np.abs(reference).max(initial=0.0), np.finfo(np.float32).tiny)
        err = np.abs(actual - reference).max(initial=0.0) / scale
        if not err <= rtol:
            failures.append(f"{name}: relative error {err:.3g} > {rtol:.1g}")

    for name, values in results.items():
        if name == "leaf derivatives":
            expect("leaf derivatives, reverse vs forward mode", *values)
        elif name == "dense":
            A, AH, jacobian = map(np.asarray, values)
            expect("adjoint dense vs conjugate transpose", AH, conj(A).T)
            expect("jacfwd vs todense", jacobian, A)
        else:
            labels = _LABELS.get(name, (f"{name} (forward)", f"{name} (adjoint)"))
            for label, actual, reference in zip(labels, values, expected[name]):
                expect(label, actual, reference)
    if failures:
        raise AssertionError(f"check_operator failed for {Op!r}:\n  " + "\n  ".join(failures))
    return True
