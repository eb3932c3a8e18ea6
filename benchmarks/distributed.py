"""One CGLS iteration on a post-stack problem sharded over 1, 2, 4 and 8 devices: communication, memory and time.

Run: ``python benchmarks/distributed.py [--repeat 5]``. The problem: ``PoststackLinearModelling`` on a
256 x 64 x 64 (t, y, x) float64 model (8 MiB; the 21-tap 20 Hz Ricker wavelet, halved), data from a seeded
random model, sharded along axis 1 (y: the traces are split over the devices) with
``jaxlops.distributed.shard``. Two problems per device count:

1. ``cgls``: ``jax.jit(lambda A, b: jl.cgls(A, b, niter=20, tol=0.0).x)``; the operator acts trace by trace,
   so an iteration should only communicate the scalars of the inner products;
2. ``cgls + Laplacian``: the same with ``jl.regularized_inversion(op, b, [Laplacian((256, 64, 64), axes=(1, 2))],
   epsRs=[0.1], niter=20, tol=0.0)``; the Laplacian couples neighbouring traces across devices, so an
   iteration should also exchange halo slices (one 256 x 64 slice is 128 KiB), nothing proportional to the model.

For each: the collectives inside the solver's ``while`` loop (per iteration) of the compiled program, read by
``jaxlops.distributed.collectives`` (per kind: count and bytes of the results, per device), their total against
the model size; a FAIL line when an all-gather is in the loop or the solution is not sharded as the data; the
per-device memory of ``compiled.memory_analysis()`` (arguments, outputs, temporaries); the time per iteration
(compiled once, best of ``--repeat``, blocked on) and its ratio to 1 device; the compile time; and the largest
difference to the 1-device solution, relative to the largest entry of that solution.

The number of XLA host devices is fixed when JAX starts, so each device count runs in a subprocess of this script
(``XLA_FLAGS=--xla_force_host_platform_device_count=N``, hidden ``--worker N``, one JSON line back). The devices
are virtual CPU devices sharing this machine's cores: where there are fewer cores than devices (e.g. 2 cores),
only the times up to that many devices mean anything; communication and memory are meaningful at every count.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tempfile
import time
import timeit

import jax
import jax.numpy as jnp
import numpy as np
from _results import save
from pylops.utils.wavelets import ricker

import jaxlops as jl
from jaxlops.distributed import collectives, shard

NT0, NY, NX = 256, 64, 64
NITER = 20
DEVICES = (1, 2, 4, 8)
KINDS = ("all-reduce", "collective-permute", "all-gather", "all-to-all", "reduce-scatter")
PROBLEMS = ("cgls", "cgls + Laplacian")
MARK = "DISTRIBUTED-RESULT "
MODEL_BYTES = NT0 * NY * NX * 8
HALO_BYTES = NT0 * NX * 8


def _solvers(op):
    lap = jl.Laplacian((NT0, NY, NX), axes=(1, 2))
    return {
        "cgls": lambda A, b: jl.cgls(A, b, niter=NITER, tol=0.0).x,
        "cgls + Laplacian": lambda A, b: jl.regularized_inversion(A, b, [lap], epsRs=[0.1], niter=NITER,
                                                                   tol=0.0).x,
    }


def worker(ndev, repeat, scratch):
    """Measure both problems on ``ndev`` devices; print one JSON line (prefixed by ``MARK``)."""
    jax.config.update("jax_enable_x64", True)
    if jax.device_count() != ndev:
        raise RuntimeError(f"expected {ndev} devices, JAX sees {jax.device_count()} (XLA_FLAGS not applied?)")
    wav = ricker(np.arange(21) * 0.004, 20)[0] / 2
    op = jl.PoststackLinearModelling(wav, NT0, spatdims=(NY, NX))
    model = np.random.default_rng(0).standard_normal((NT0, NY, NX))
    y = shard(op @ jnp.asarray(model), jax.make_mesh((ndev,), ("x",)), axis=1)
    results = []
    for problem, solve in _solvers(op).items():
        start = time.perf_counter()
        compiled = jax.jit(solve).lower(op, y).compile()
        compile_s = time.perf_counter() - start
        found = collectives(compiled)
        loop = {kind: (found[kind]["loop_count"], found[kind]["loop_bytes"]) for kind in KINDS}
        memory = compiled.memory_analysis()
        x = compiled(op, y).block_until_ready()
        sharded = x.sharding.is_equivalent_to(y.sharding, x.ndim)
        best = min(timeit.repeat(lambda f=compiled: f(op, y).block_until_ready(), number=1, repeat=repeat))
        x = np.asarray(x)
        reference = pathlib.Path(scratch) / f"{problem.replace(' ', '').replace('+', '_')}.npy"
        if ndev == 1:
            np.save(reference, x)
        diff = float(np.abs(x - np.load(reference)).max() / np.abs(x).max()) if reference.exists() else None
        results.append(dict(devices=ndev, problem=problem, loop=loop, sharded=sharded,
                            argument=memory.argument_size_in_bytes, output=memory.output_size_in_bytes,
                            temp=memory.temp_size_in_bytes, ms=best / NITER * 1e3, compile_s=compile_s, diff=diff,
                            device=str(jax.devices()[0])))
    print(MARK + json.dumps(results), flush=True)


def _run_worker(ndev, repeat, scratch):
    flags = [f for f in os.environ.get("XLA_FLAGS", "").split() if "xla_force_host_platform_device_count" not in f]
    env = dict(os.environ, XLA_FLAGS=" ".join([*flags, f"--xla_force_host_platform_device_count={ndev}"]),
               JAX_PLATFORMS="cpu")
    command = [sys.executable, __file__, "--worker", str(ndev), "--repeat", str(repeat), "--scratch", scratch]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    for line in done.stdout.splitlines():
        if line.startswith(MARK):
            return json.loads(line[len(MARK):])
    print(f"FAIL: the {ndev}-device worker returned no result (exit {done.returncode}):\n{done.stderr[-2000:]}")
    return []


def _size(nbytes):
    for unit, scale in (("MiB", 2**20), ("KiB", 2**10)):
        if nbytes >= scale:
            return f"{nbytes / scale:.4g} {unit}"
    return f"{nbytes} B"


def _kind_cell(count, nbytes):
    return f"{count} ({_size(nbytes)})" if count else "0"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--scratch", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        return worker(args.worker, args.repeat, args.scratch)

    print(f"{NT0} x {NY} x {NX} float64 model ({_size(MODEL_BYTES)}), sharded along axis 1; {NITER} CGLS "
          f"iterations; one halo slice ({NT0} x {NX}) = {_size(HALO_BYTES)}; {os.cpu_count()} CPU cores shared "
          f"by all virtual devices; best of {args.repeat}")
    with tempfile.TemporaryDirectory() as scratch:
        results = [r for ndev in DEVICES for r in _run_worker(ndev, args.repeat, scratch)]
    if not results:
        print("FAIL: no results")
        return 1
    single = {r["problem"]: r["ms"] for r in results if r["devices"] == 1}
    rows, fails = [], []
    for r in results:
        comm = sum(nbytes for _, nbytes in r["loop"].values())
        base = single.get(r["problem"])
        rows.append({
            "devices": r["devices"], "problem": r["problem"],
            **{f"{kind} /it": _kind_cell(*r["loop"][kind]) for kind in KINDS},
            "comm /it (KiB)": comm / 2**10, "comm / model (%)": 100 * comm / MODEL_BYTES,
            "args /device (MiB)": r["argument"] / 2**20, "outputs /device (MiB)": r["output"] / 2**20,
            "temps /device (MiB)": r["temp"] / 2**20,
            "total /device (MiB)": (r["argument"] + r["output"] + r["temp"]) / 2**20,
            "ms /it": r["ms"], "vs 1 device": None if base is None else r["ms"] / base,
            "compile (s)": r["compile_s"], "max rel. diff to 1 device": r["diff"],
        })
        gathers = r["loop"]["all-gather"]
        if gathers[0]:
            fails.append(f"FAIL: {r['devices']} devices, {r['problem']}: {gathers[0]} all-gather(s) in the loop "
                         f"({_size(gathers[1])} per iteration)")
        if not r["sharded"]:
            fails.append(f"FAIL: {r['devices']} devices, {r['problem']}: the solution is not sharded as the data")

    print("\nCollectives per CGLS iteration (inside the while loop), per device: count (bytes of the results)")
    print(f"{'dev':>3}  {'problem':<18}" + "".join(f"{kind:>22}" for kind in KINDS) + f"{'total':>12}{'/model':>8}")
    for row in rows:
        print(f"{row['devices']:>3}  {row['problem']:<18}" + "".join(f"{row[f'{kind} /it']:>22}" for kind in KINDS)
              + f"{_size(round(row['comm /it (KiB)'] * 2**10)):>12}{row['comm / model (%)']:>7.2f}%")
    print("\nMemory per device (MiB, memory_analysis), time per iteration, accuracy")
    print(f"{'dev':>3}  {'problem':<18}{'args':>8}{'outputs':>9}{'temps':>8}{'total':>8}{'ms/it':>9}{'vs 1':>7}"
          f"{'compile s':>11}{'max rel. diff':>15}")
    for row in rows:
        ratio = "" if row["vs 1 device"] is None else f"{row['vs 1 device']:.2f}"
        diff = "n/a" if row["max rel. diff to 1 device"] is None else f"{row['max rel. diff to 1 device']:.1e}"
        print(f"{row['devices']:>3}  {row['problem']:<18}{row['args /device (MiB)']:8.2f}"
              f"{row['outputs /device (MiB)']:9.2f}{row['temps /device (MiB)']:8.2f}{row['total /device (MiB)']:8.2f}"
              f"{row['ms /it']:9.2f}{ratio:>7}{row['compile (s)']:11.2f}{diff:>15}")
    print(f"\nTimes: the virtual devices share {os.cpu_count()} CPU cores; only counts up to that number are "
          "meaningful for time.")
    print("\n".join(fails) if fails else "OK: no all-gather in any solver loop; every solution sharded as its data")

    meta = dict(device=f"{results[0]['device']}: 1 to {DEVICES[-1]} virtual CPU devices "
                       f"(--xla_force_host_platform_device_count) on {os.cpu_count()} cores",
                dtype="float64", repeat=args.repeat, model=f"{NT0} x {NY} x {NX}, sharded along axis 1",
                iterations=NITER, halo_slice=_size(HALO_BYTES), jax=jax.__version__)
    save("distributed", meta, rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
