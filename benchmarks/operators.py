"""Forward and adjoint times of jaxlops operators against the same PyLops operators.

Run: ``python benchmarks/operators.py [--dtype float64] [--repeat 20]``. Each line
prints the PyLops (NumPy) time, the jaxlops time after compilation (operator
passed to a jitted function, result blocked on) and their ratio (> 1: jaxlops
is faster).
"""

from __future__ import annotations

import argparse
import functools
import timeit

import jax
import numpy as np
import pylops

import jaxlops as jl


def _cases(dtype, rng):
    """``(name, jaxlops operator, PyLops operator)`` at medium sizes."""
    n2 = (1000, 1000)
    n1 = 1_000_000
    d = rng.standard_normal(n2[1]).astype(dtype)
    A = rng.standard_normal((1000, 1000)).astype(dtype)
    iava = np.sort(rng.choice(n2[1], n2[1] // 3, replace=False))
    same = lambda name, *args, **kwargs: (  # noqa: E731
        name,
        getattr(jl, name)(*args, **kwargs, dtype=dtype),
        getattr(pylops, name)(*args, **kwargs, dtype=dtype),
    )
    return [
        same("Identity", n1),
        same("Diagonal", d, dims=n2, axis=1),
        same("MatrixMult", A),
        same("MatrixMult", A, otherdims=(100,)),
        same("Transpose", n2, axes=(1, 0)),
        same("Flip", n2, axis=0),
        same("Roll", n2, axis=1, shift=7),
        same("Pad", n2, pad=((10, 10), (5, 5))),
        same("Restriction", n2, iava, axis=1),
        same("Sum", n2, axis=0),
        same("Symmetrize", n2, axis=1),
        same("CausalIntegration", n2, axis=0, kind="trapezoidal"),
        (
            "VStack",
            jl.VStack([jl.Identity(n1, dtype=dtype)] * 2),
            pylops.VStack([pylops.Identity(n1, dtype=dtype)] * 2),
        ),
        (
            "BlockDiag",
            jl.BlockDiag([jl.MatrixMult(A, dtype=dtype)] * 4),
            pylops.BlockDiag([pylops.MatrixMult(A, dtype=dtype)] * 4),
        ),
    ]


def _time(fun, repeat):
    fun()  # compile / warm up
    return min(timeit.repeat(fun, number=1, repeat=repeat))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", default="float64", choices=["float32", "float64", "complex64", "complex128"])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args(argv)
    jax.config.update("jax_enable_x64", True)
    rng = np.random.default_rng(0)
    forward = jax.jit(lambda op, x: op.matvec(x))
    adjoint = jax.jit(lambda op, y: op.rmatvec(y))
    print(f"{args.dtype}, {jax.devices()[0]}; times in ms (best of {args.repeat}); ratio = PyLops / jaxlops")
    print(f"{'operator':<20}{'shape':>22}{'fwd PyLops':>12}{'jaxlops':>10}{'ratio':>8}"
          f"{'adj PyLops':>12}{'jaxlops':>10}{'ratio':>8}")
    for name, op, pop in _cases(args.dtype, rng):
        x = rng.standard_normal(op.shape[1]).astype(args.dtype)
        y = rng.standard_normal(op.shape[0]).astype(args.dtype)
        xj, yj = jax.device_put(x), jax.device_put(y)
        runs = (
            functools.partial(pop.matvec, x),
            lambda op=op, xj=xj: forward(op, xj).block_until_ready(),
            functools.partial(pop.rmatvec, y),
            lambda op=op, yj=yj: adjoint(op, yj).block_until_ready(),
        )
        times = [_time(run, args.repeat) for run in runs]
        p, j, pa, ja = (1e3 * t for t in times)
        print(f"{name:<20}{str(op.shape):>22}{p:12.3f}{j:10.3f}{p / j:8.2f}{pa:12.3f}{ja:10.3f}{pa / ja:8.2f}")


if __name__ == "__main__":
    main()
