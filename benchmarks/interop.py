"""Interop overheads: torch through DLPack, PyLops through host callbacks.

Run: ``python benchmarks/interop.py [--n 1000000] [--repeat 30]``.

1. Forward + backward of a ``Diagonal`` on an ``n``-sample float32 vector:
   jaxlops from JAX (one jitted ``jax.vjp``), ``jaxlops.interop.TorchOperator``
   from torch (two compiled calls, tensors shared through DLPack), PyLops'
   ``pylops.TorchOperator`` around ``pylops.Diagonal`` (copies through NumPy).
2. Per-call overhead of ``from_pylops`` (a host callback inside a jitted
   function) against calling the PyLops operator directly, small and large.

Times are the best and the median of ``repeat`` runs after a warm-up (compilation excluded).
"""

from __future__ import annotations

import argparse
import statistics
import time

import jax
import jax.numpy as jnp
import numpy as np
import pylops
import torch
from _results import save

import jaxlops as jl
from jaxlops.interop import TorchOperator, from_pylops


def _times(funs, repeat):
    """(best, median) seconds of each function, run in turn ``repeat`` times after a warm-up run.

    Taking turns spreads the load of a shared machine over all of them alike.
    """
    for fun in funs:
        fun()
    times = [[] for _ in funs]
    for _ in range(repeat):
        for fun, t in zip(funs, times):
            start = time.perf_counter()
            fun()
            t.append(time.perf_counter() - start)
    return [(min(t), statistics.median(t)) for t in times]


def torch_rows(n, repeat):
    rng = np.random.default_rng(0)
    d = rng.standard_normal(n).astype("float32")
    x, g = rng.standard_normal(n).astype("float32"), rng.standard_normal(n).astype("float32")
    Op = jl.Diagonal(jnp.asarray(d), dtype="float32")

    @jax.jit
    def jax_fwd_bwd(op, x, g):
        y, vjp = jax.vjp(op.matvec, x)
        return y, vjp(g)[0]

    xj, gj = jnp.asarray(x), jnp.asarray(g)
    # Tensors from torch's allocator (64-byte aligned, shared with JAX as they are); a large NumPy
    # array is often only 16-byte aligned, and JAX copies it on the way in.
    xt, gt = torch.from_numpy(x).clone().requires_grad_(), torch.from_numpy(g).clone()

    def through(T):
        def run():
            xt.grad = None
            T.apply(xt).backward(gt)

        return run

    names = ["jaxlops from JAX (jit of vjp)", "jaxlops.interop.TorchOperator", "pylops.TorchOperator"]
    funs = [
        lambda: jax.block_until_ready(jax_fwd_bwd(Op, xj, gj)),
        through(TorchOperator(Op)),
        through(pylops.TorchOperator(pylops.Diagonal(d, dtype="float32"))),
    ]
    times = _times(funs, repeat)
    print(f"\nDiagonal, forward + backward, n = {n:.0e} float32 on {jax.devices()[0].platform}")
    print(f"{'':<32}{'best ms':>9}{'/ JAX':>7}{'median ms':>11}{'/ JAX':>7}")
    (b0, m0) = times[0]
    rows = []
    for name, (b, m) in zip(names, times):
        print(f"{name:<32}{1e3 * b:9.3f}{b / b0:7.2f}{1e3 * m:11.3f}{m / m0:7.2f}")
        rows.append({"forward + backward": name, "best (ms)": 1e3 * b, "best / JAX": b / b0, "median (ms)": 1e3 * m,
                     "median / JAX": m / m0})
    return rows


def pylops_rows(repeat):
    rng = np.random.default_rng(0)
    apply = jax.jit(lambda op, x: op.matvec(x))
    print("\nfrom_pylops per call: a jitted host callback against the PyLops operator called directly (medians)")
    print(f"{'operator':<32}{'direct ms':>11}{'callback ms':>13}{'overhead us':>13}")
    rows = []
    for n in (100, 100_000):
        P = pylops.Diagonal(rng.standard_normal(n).astype("float32"), dtype="float32")
        Op = from_pylops(P)
        x = rng.standard_normal(n).astype("float32")
        xj = jnp.asarray(x)
        (_, direct), (_, callback) = _times(
            [lambda P=P, x=x: P.matvec(x), lambda Op=Op, xj=xj: apply(Op, xj).block_until_ready()], repeat
        )
        print(f"{f'Diagonal, n = {n}':<32}{1e3 * direct:11.4f}{1e3 * callback:13.4f}{1e6 * (callback - direct):13.1f}")
        rows.append({"operator": f"Diagonal, n = {n}", "direct (ms)": 1e3 * direct, "callback (ms)": 1e3 * callback,
                     "overhead (us)": 1e6 * (callback - direct)})
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    torch_table = torch_rows(args.n, args.repeat)
    pylops_table = pylops_rows(args.repeat)
    meta = {"device": str(jax.devices()[0]), "dtype": "float32"}
    save("interop-torch", {**meta, "n": args.n, "times": f"{args.repeat} runs"}, torch_table)
    save("interop-pylops", {**meta, "times": f"medians of {args.repeat} runs"}, pylops_table)


if __name__ == "__main__":
    main()
