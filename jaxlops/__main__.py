"""Command line: ``python -m jaxlops info`` and ``python -m jaxlops demo``."""

from __future__ import annotations

import argparse
import importlib.metadata
import sys
import time

import jax
import jax.numpy as jnp
import numpy as np

import jaxlops as jl


def info():
    """Print the versions jaxlops runs with, the JAX backend and devices."""
    for package in ("jaxlops", "jax", "jaxlib", "numpy", "scipy", "pylops", "optax", "torch"):
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            version = "not installed"
        print(f"{package:>8}: {version}")
    print(f" backend: {jax.default_backend()}")
    print(f" devices: {', '.join(str(d) for d in jax.devices())}")
    print(f"     x64: {'enabled' if jax.config.jax_enable_x64 else 'disabled (float64 computes as float32)'}")


def _timed(label, fun, *args):
    """Compile ``fun`` for ``args``, run it once, print both times; return the result."""
    start = time.perf_counter()
    compiled = jax.jit(fun).lower(*args).compile()
    compile_s = time.perf_counter() - start
    start = time.perf_counter()
    out = jax.block_until_ready(compiled(*args))
    print(f"  {label:<44} compile {compile_s * 1e3:7.1f} ms   run {(time.perf_counter() - start) * 1e3:7.2f} ms")
    return out


def demo(n=500, nobs=120, batch=1000, seed=0):
    """Build operators, check them, and invert, differentiate and batch with them."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 1.0, n)
    model = np.sin(6 * np.pi * t) + (t > 0.6)
    iava = np.sort(rng.choice(n, nobs, replace=False))

    print(f"1. Operators: observe {nobs} samples of the running integral of a {n}-sample signal")
    Op = jl.Restriction(n, iava, dtype="float32") @ jl.CausalIntegration(n, sampling=t[1], dtype="float32")
    print(f"  {Op!r}")
    for name, op in (("CausalIntegration", Op.B), ("Restriction", Op.A), ("their product", Op)):
        jl.utils.check_operator(op)
        print(f"  check_operator({name}): dot test, jit, vmap, vjp, jvp ... ok")

    data = Op @ jnp.asarray(model, dtype="float32")
    data = data + 0.01 * jnp.asarray(rng.standard_normal(nobs), dtype="float32")

    print("2. Inversion by gradient descent: jax.grad through the operator, one compiled loop")
    eps = 1e-4
    step = 1.0 / (float(np.linalg.norm(np.asarray(Op.todense()), 2)) ** 2 + eps)

    def misfit(x, op, d):
        return 0.5 * jnp.sum((op @ x - d) ** 2) + 0.5 * eps * jnp.sum(x**2)

    def invert(op, d):
        descend = lambda _, x: x - step * jax.grad(misfit)(x, op, d)  # noqa: E731
        return jax.lax.fori_loop(0, 2000, descend, jnp.zeros(op.shape[1], d.dtype))

    xinv = _timed("2000 gradient steps (jax.jit)", invert, Op, data)
    error = np.linalg.norm(Op @ xinv - data) / np.linalg.norm(data)
    print(f"  relative data misfit after inversion: {error:.3f}")

    print(f"3. A batch of {batch} models: jax.vmap against a Python loop")
    models = rng.standard_normal((batch, n)).astype("float32")
    batched = _timed(f"jax.vmap(Op.matvec) over {batch} models", jax.vmap(Op.matvec), models)
    single = jax.jit(Op.matvec)
    jax.block_until_ready(single(models[0]))
    start = time.perf_counter()
    looped = jax.block_until_ready([single(m) for m in models])
    print(f"  {'Python loop of jitted Op.matvec':<44} run {(time.perf_counter() - start) * 1e3:7.2f} ms")
    print(f"  max difference vmap vs loop: {float(jnp.abs(batched - jnp.stack(looped)).max()):.2e}")
    print("Done. Solvers and the post-stack inversion demo come with the next releases.")


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m jaxlops", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="versions, JAX backend, devices and x64 setting")
    run = commands.add_parser("demo", help="build, check, invert, differentiate and batch operators")
    run.add_argument("--n", type=int, default=500, help="model size (default 500)")
    run.add_argument("--batch", type=int, default=1000, help="models in the vmapped batch (default 1000)")
    args = parser.parse_args(argv)
    if args.command == "info":
        info()
    else:
        demo(n=args.n, nobs=max(2, args.n // 4), batch=args.batch)
    return 0


if __name__ == "__main__":
    sys.exit(main())
