"""Forward and adjoint times of jaxlops operators against the same PyLops operators.

Run: ``python benchmarks/operators.py [--dtype float64] [--repeat 20] [--only NAME ...]``.
Each line prints the PyLops (NumPy) time, the jaxlops time after compilation
(operator passed to a jitted function, result blocked on) and their ratio
(> 1: jaxlops is faster). The operators come from ``benchmarks/operator_cases/*.py``,
each module defining ``cases(dtype, rng) -> [(name, jaxlops_op, pylops_op), ...]``.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import pathlib
import sys
import timeit

import jax
import numpy as np
from _results import save

HERE = pathlib.Path(__file__).resolve().parent


def _all_cases(dtype, rng):
    sys.path.insert(0, str(HERE))
    for path in sorted((HERE / "operator_cases").glob("[!_]*.py")):
        yield from importlib.import_module(f"operator_cases.{path.stem}").cases(dtype, rng)


def _time(fun, repeat):
    fun()  # compile / warm up
    return min(timeit.repeat(fun, number=1, repeat=repeat))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dtype", default="float64", choices=["float32", "float64", "complex64", "complex128"])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--only", nargs="*", help="operator names to run (default: all)")
    args = parser.parse_args(argv)
    jax.config.update("jax_enable_x64", True)
    rng = np.random.default_rng(0)
    forward = jax.jit(lambda op, x: op.matvec(x))
    adjoint = jax.jit(lambda op, y: op.rmatvec(y))
    print(f"{args.dtype}, {jax.devices()[0]}; times in ms (best of {args.repeat}); ratio = PyLops / jaxlops")
    print(f"{'operator':<20}{'shape':>22}{'fwd PyLops':>12}{'jaxlops':>10}{'ratio':>8}"
          f"{'adj PyLops':>12}{'jaxlops':>10}{'ratio':>8}")
    rows = []
    for name, op, pop in _all_cases(args.dtype, rng):
        if args.only and name not in args.only:
            continue
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
        rows.append({"operator": name, "shape": "{} x {}".format(*op.shape), "PyLops fwd (ms)": p,
                     "jaxlops fwd (ms)": j, "fwd ratio": p / j, "PyLops adj (ms)": pa, "jaxlops adj (ms)": ja,
                     "adj ratio": pa / ja})
    if rows and not args.only:  # a partial run does not replace the saved table
        meta = {"device": str(jax.devices()[0]), "dtype": args.dtype, "times": f"best of {args.repeat}",
                "ratio": "PyLops time / jaxlops time"}
        save("operators", meta, rows)


if __name__ == "__main__":
    main()
