"""jaxlops solvers against a minimal hand-written jitted CGLS loop and PyLops, in one run.

Run: ``python benchmarks/solvers.py [--repeat 5]``. Prints, with ratios:

1. per-iteration time of ``cgls`` on the post-stack operator
   (``PoststackLinearModelling``: centred first derivative then a 41-tap
   convolution along z, 550 x 267 model, the wavelet of PyLops' tutorial),
   float64 and float32, against the hand-written loop on plain ``jnp`` code and
   PyLops' ``cgls`` on PyLops' operator, with the compile time of ``jax.jit(cgls)``;
2. the same on a dense 50 x 50 problem, 500 iterations;
3. 1000 independent 1-D inversions (301 samples, 50 iterations): ``jax.vmap(cgls)``
   against a Python loop of PyLops ``cgls`` and one PyLops ``cgls`` on the
   block-diagonal operator.
"""

from __future__ import annotations

import argparse
import time
import timeit
import warnings

import jax
import jax.numpy as jnp
import numpy as np
import pylops
from _results import save
from pylops.optimization.basic import cgls as pylops_cgls
from pylops.utils.wavelets import ricker

import jaxlops as jl
from jaxlops.signalprocessing.convolve1d import Convolve1D


def _best(fun, repeat):
    """Best of ``repeat`` runs, or of as many as fit in about 0.3 s for fast ones (noise is relatively larger)."""
    fun()
    once = timeit.timeit(fun, number=1)
    return min(timeit.repeat(fun, number=1, repeat=max(repeat, min(300, int(0.3 / max(once, 1e-6))))))


def hand_written_cgls(fwd, adj, y, niter):
    """The minimal CGLS loop (no damping, no stopping test) the issue measures against."""

    def body(_, carry):
        x, s, c, q, kold = carry
        a = kold / jnp.vdot(q, q).real
        x, s = x + a * c, s - a * q
        r = adj(s)
        k = jnp.vdot(r, r).real
        c = r + (k / kold) * c
        return x, s, c, fwd(c), k

    c = adj(y)
    x = jnp.zeros_like(c)
    return jax.lax.fori_loop(0, niter, body, (x, y, c, fwd(c), jnp.vdot(c, c).real))[0]


def _plain_poststack(wav, shape):
    """The post-stack operator as plain jnp functions: centred derivative, then the convolution
    as a sum of shifted slices (faster on CPU than ``jnp.convolve``)."""
    nh = len(wav)
    offset = nh // 2
    w = jnp.asarray(wav)

    def deriv(x):
        return jnp.zeros_like(x).at[1:-1].set(0.5 * (x[2:] - x[:-2]))

    def deriv_adj(y):
        return jnp.zeros_like(y).at[2:].add(0.5 * y[1:-1]).at[:-2].add(-0.5 * y[1:-1])

    def slices(x, taps, before):
        padded = jnp.pad(x, ((before, nh - 1 - before), (0, 0)))
        return sum(taps[k] * padded[nh - 1 - k : nh - 1 - k + shape[0]] for k in range(nh))

    def fwd(x):
        return slices(deriv(x.reshape(shape)), w.astype(x.dtype), nh - 1 - offset).ravel()

    def adj(y):
        return deriv_adj(slices(y.reshape(shape), w[::-1].astype(y.dtype), offset)).ravel()

    return fwd, adj


def _per_iteration(label, jl_op, plain, pylops_op, y, niter, repeat):
    yj = jnp.asarray(y)
    # cgls stops at rounding level even with tol=0: time all three over the iterations it does.
    niter = int(jl.cgls(jl_op, yj, niter=niter, tol=0.0).niter)
    start = time.perf_counter()
    solve = jax.jit(lambda op, y: jl.cgls(op, y, niter=niter, tol=0.0).x).lower(jl_op, yj).compile()
    compile_s = time.perf_counter() - start
    hand = jax.jit(lambda y: hand_written_cgls(*plain, y, niter))
    t_jl = _best(lambda: solve(jl_op, yj).block_until_ready(), repeat) / niter
    t_hand = _best(lambda: hand(yj).block_until_ready(), repeat) / niter
    t_py = _best(lambda: pylops_cgls(pylops_op, y, niter=niter, tol=0.0), max(1, repeat // 2)) / niter
    label = f"{label}, {niter} it."
    print(f"{label:<34}{t_jl * 1e3:10.3f}{t_hand * 1e3:10.3f}{t_py * 1e3:10.3f}"
          f"{t_jl / t_hand:12.2f}{t_py / t_jl:12.1f}{compile_s:12.2f}")
    return {"problem": label, "jaxlops (ms/it)": t_jl * 1e3, "hand-written (ms/it)": t_hand * 1e3,
            "PyLops (ms/it)": t_py * 1e3, "jaxlops / hand-written": t_jl / t_hand, "PyLops / jaxlops": t_py / t_jl,
            "compile (s)": compile_s}


def poststack(dtype, repeat):
    nz, nx = 550, 267
    wav = (ricker(np.arange(21) * 0.004, 20)[0] / 2).astype(dtype)
    rng = np.random.default_rng(0)
    model = rng.standard_normal((nz, nx)).astype(dtype)
    jl_op = jl.PoststackLinearModelling(wav, nz, spatdims=nx)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convmtx's FutureWarning
        py_op = pylops.avo.poststack.PoststackLinearModelling(wav, nz, spatdims=nx)
    y = py_op @ model.ravel()
    return _per_iteration(f"post-stack 550x267, {dtype}", jl_op, _plain_poststack(wav, (nz, nx)), py_op, y, 100, repeat)


def dense(repeat):
    rng = np.random.default_rng(0)
    A = rng.standard_normal((50, 50))
    y = A @ rng.standard_normal(50)
    Aj = jnp.asarray(A)
    plain = (lambda x: Aj @ x, lambda y: Aj.T @ y)
    return _per_iteration("dense 50x50, float64", jl.MatrixMult(A), plain, pylops.MatrixMult(A), y, 500, repeat)


def batch(repeat):
    ntraces, nt, niter = 1000, 301, 50
    wav = ricker(np.arange(21) * 0.004, 20)[0]
    rng = np.random.default_rng(0)
    Y = rng.standard_normal((ntraces, nt))
    op = Convolve1D(nt, wav, offset=20)
    pop = pylops.signalprocessing.Convolve1D(nt, wav, offset=20)
    solve = jax.jit(jax.vmap(lambda y: jl.cgls(op, y, niter=niter, tol=0.0).x))
    Yj = jnp.asarray(Y)
    t_jl = _best(lambda: solve(Yj).block_until_ready(), repeat)
    t_loop = _best(lambda: [pylops_cgls(pop, y, niter=niter, tol=0.0) for y in Y[:100]], 1) * ntraces / 100
    stacked = pylops.BlockDiag([pop] * ntraces)
    t_stack = _best(lambda: pylops_cgls(stacked, Y.ravel(), niter=niter, tol=0.0), 1)
    print(f"\n{ntraces} 1-D inversions ({nt} samples, {niter} iterations):")
    print(f"  jax.vmap(cgls) {t_jl * 1e3:.1f} ms; loop of PyLops cgls {t_loop * 1e3:.0f} ms "
          f"(x{t_loop / t_jl:.1f}); PyLops cgls on BlockDiag {t_stack * 1e3:.0f} ms (x{t_stack / t_jl:.1f})")
    return [{"solve": f"{ntraces} 1-D cgls, {nt} samples, {niter} it.", "jax.vmap(cgls) (ms)": t_jl * 1e3,
             "loop of PyLops cgls (ms)": t_loop * 1e3, "PyLops cgls on BlockDiag (ms)": t_stack * 1e3,
             "loop / vmap": t_loop / t_jl, "BlockDiag / vmap": t_stack / t_jl}]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    jax.config.update("jax_enable_x64", True)
    print(f"{jax.devices()[0]}; ms per iteration (best of {args.repeat})")
    print(f"{'problem':<34}{'jaxlops':>10}{'hand':>10}{'PyLops':>10}{'jl/hand':>12}{'PyLops/jl':>12}"
          f"{'compile s':>12}")
    rows = [poststack("float64", args.repeat), poststack("float32", args.repeat), dense(args.repeat)]
    meta = dict(device=str(jax.devices()[0]), dtype="float64 and float32 (per row)", repeat=args.repeat)
    save("solvers", meta, rows)
    save("solvers-vmap", dict(meta, dtype="float64"), batch(args.repeat))


if __name__ == "__main__":
    main()
