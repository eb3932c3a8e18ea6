"""Operators and solvers on arrays sharded over 8 devices, against the same calls on one device.

Run by ``test_sharding.py`` in a subprocess (the device count is fixed when JAX starts):
``JAX_ENABLE_X64=1 XLA_FLAGS=--xla_force_host_platform_device_count=8 python sharded_checks.py OUT.json``.
Writes one JSON record per check: its name, the relative difference from the one-device
result, the sharding of the output and the communication of the compiled program.
"""

import json
import sys

import jax
import jax.numpy as jnp
import numpy as np
from pylops.utils.wavelets import ricker

import jaxlops as jl
from jaxlops.distributed import collectives, shard

NZ, NX = 48, 32  # 8 devices: shards of 6 time samples or 4 traces
WAV = ricker(np.arange(11) * 0.004, 20)[0] / 2
MESH = jax.make_mesh((8,), ("x",))
RNG = np.random.default_rng(0)


def relative(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return float(np.max(np.abs(a - b)) / max(np.max(np.abs(b)), 1e-300))


def sharded_axis(array):
    """The axis of ``array`` split over the mesh, or None (replicated or on one device)."""
    spec = tuple(getattr(array.sharding, "spec", ())) + (None,) * array.ndim
    axes = [a for a in range(array.ndim) if spec[a] is not None]
    return axes[0] if len(axes) == 1 else (None if not axes else axes)


def communication(compiled):
    found = collectives(compiled)
    return {kind: {k: v[k] for k in ("count", "bytes", "loop_count", "loop_bytes", "shapes")}
            for kind, v in found.items() if v["count"]}


def record(name, fun, args, reference, **extra):
    """Run ``fun`` jitted on the sharded ``args``; compare with ``reference`` (the unsharded result)."""
    jitted = jax.jit(fun)
    out = jitted(*args)
    return dict(name=name, error=relative(out, reference), axis=sharded_axis(out), shape=list(out.shape),
                dtype=str(out.dtype), comm=communication(jitted.lower(*args).compile()), **extra)


def operators():
    """Forward and adjoint of the operators of the issue, sharded along each axis."""
    dims = (NZ, NX)
    ops = {
        "Diagonal": jl.Diagonal(RNG.standard_normal(NX), dims=dims, axis=1),
        "FirstDerivative-0": jl.FirstDerivative(dims, axis=0),
        "FirstDerivative-0-edge": jl.FirstDerivative(dims, axis=0, edge=True),
        "FirstDerivative-1": jl.FirstDerivative(dims, axis=1),
        "FirstDerivative-1-forward": jl.FirstDerivative(dims, axis=1, kind="forward"),
        "SecondDerivative-0": jl.SecondDerivative(dims, axis=0),
        "SecondDerivative-1-edge": jl.SecondDerivative(dims, axis=1, edge=True),
        "Laplacian": jl.Laplacian(dims),
        "Gradient": jl.Gradient(dims, edge=True),
        "Smoothing1D-0": jl.Smoothing1D(5, dims, axis=0),
        "Smoothing2D": jl.Smoothing2D((3, 5), dims),
        "Convolve1D-0": jl.Convolve1D(dims, WAV, offset=5, axis=0),
        "Convolve1D-1": jl.Convolve1D(dims, WAV[:5], offset=2, axis=1),
        "Convolve1D-0-wide-halo": jl.Convolve1D(dims, ricker(np.arange(21) * 0.004, 20)[0], offset=10, axis=0),
        "FFT-0": jl.FFT(dims, axis=0, nfft=NZ),
        "PoststackLinearModelling": jl.PoststackLinearModelling(WAV, NZ, spatdims=NX),
    }
    rows = []
    for name, op in ops.items():
        for dtype in ("float64", "float32") if name in ("Laplacian", "PoststackLinearModelling") else ("float64",):
            x = RNG.standard_normal(dims).astype(dtype)
            y = np.asarray(op @ jnp.asarray(x))
            y = y.reshape(op.dimsd if y.size == np.prod(op.dimsd) else y.shape)
            for axis in (0, 1):
                if name == "FFT-0" and axis == 0:
                    continue  # an FFT along a sharded axis is a global transform: XLA gathers it
                xs = shard(x, MESH, axis)
                data_axis = axis + (y.ndim - 2)  # Gradient's data has a leading axis
                rows.append(record(f"{name} forward {dtype} axis {axis}", lambda op, v: op @ v, (op, xs),
                                   op @ jnp.asarray(x), operator=name, expected_axis=data_axis))
                ys = shard(y, MESH, data_axis)
                rows.append(record(f"{name} adjoint {dtype} axis {axis}", lambda op, v: op.H @ v, (op, ys),
                                   op.H @ jnp.asarray(y), operator=name, expected_axis=axis))
    return rows


def solvers():
    """Solvers on the post-stack problem, data sharded along the traces (axis 1) or the time axis (0)."""
    rows = []
    for nx in (NX, 2 * NX):  # the communication must not grow with the model
        op = jl.PoststackLinearModelling(WAV, NZ, spatdims=nx)
        lap = jl.Laplacian((NZ, nx))
        d1 = jl.FirstDerivative((NZ, nx), axis=0)
        y = np.asarray(op @ jnp.asarray(RNG.standard_normal((NZ, nx))))
        runs = {
            # Damped: undamped, this operator's null space makes the iterates amplify the rounding
            # differences of the sharded sums (1e-3 after 20 iterations); damped, they agree to 1e-16.
            "cgls": lambda A, b: jl.cgls(A, b, niter=20, tol=0.0, damp=1.0).x,
            "lsqr": lambda A, b: jl.lsqr(A, b, niter=20, damp=1.0, atol=0.0, btol=0.0).x,
            "cg": lambda A, b: jl.cg(A.H @ A, A.H @ b, niter=20, tol=0.0, damp=1.0).x,
            "fista": lambda A, b: jl.fista(A, b, niter=20, eps=1e-3, alpha=0.5).x,
            "regularized_inversion": lambda A, b, lap=lap: jl.regularized_inversion(
                A, b, [lap], epsRs=[0.5], niter=20, tol=0.0).x,
            "splitbregman": lambda A, b, lap=lap, d1=d1: jl.splitbregman(
                A, b, [d1], RegsL2=[lap], epsRL1s=[0.1], epsRL2s=[0.5], niter_outer=2, niter_inner=2, niter=10).x,
            "PoststackInversion-epsR": lambda A, b: jl.PoststackInversion(b, WAV, epsR=0.5, iter_lim=20)[0],
        }
        for name, run in runs.items():
            reference = run(op, jnp.asarray(y))
            for axis in (1, 0) if nx == NX else (1,):
                rows.append(record(f"{name} axis {axis} nx {nx}", run, (op, shard(y, MESH, axis)), reference,
                                   solver=name, expected_axis=axis, nx=nx))
    return rows


def gradient():
    """``jax.grad`` through a sharded cgls: the implicit adjoint solve runs sharded too."""
    op = jl.PoststackLinearModelling(WAV, NZ, spatdims=NX)
    y = np.asarray(op @ jnp.asarray(RNG.standard_normal((NZ, NX))))

    def loss(A, b):
        return jnp.sum(jl.cgls(A, b, niter=20, tol=0.0, damp=1.0).x ** 2)

    grad = jax.grad(loss, argnums=1)
    return [record("grad cgls axis 1", grad, (op, shard(y, MESH, 1)), grad(op, jnp.asarray(y)), expected_axis=1)]


def batch():
    """``jax.vmap(cgls)`` over 16 traces, the batch axis sharded."""
    op = jl.Convolve1D(NZ, WAV, offset=5)
    Y = RNG.standard_normal((16, NZ))

    def solve(A, b):
        return jax.vmap(lambda v: jl.cgls(A, v, niter=20, tol=0.0, damp=1.0).x)(b)

    return [record("vmap cgls batch axis 0", solve, (op, shard(Y, MESH, 0)), solve(op, jnp.asarray(Y)),
                   expected_axis=0)]


def blocks():
    """Blocks of one structure spread over the devices (pylops-mpi's MPIBlockDiag, MPIVStack, MPIHStack),
    and the post-stack operator of a 3-D volume split along a spatial axis."""
    ops = [jl.Convolve1D(NZ, ricker(np.arange(11) * 0.004, f)[0], offset=5) for f in range(15, 23)]
    X, x = RNG.standard_normal((8, NZ)), RNG.standard_normal(NZ)
    rows = []
    for name, Op, model, data_sharded in (("BatchedBlockDiag", jl.BatchedBlockDiag(ops), X, True),
                                          ("BatchedVStack", jl.BatchedVStack(ops), x, True),
                                          ("BatchedHStack", jl.BatchedHStack(ops), X, False)):
        y = np.asarray(Op @ jnp.asarray(model))
        xs = shard(model, MESH, 0) if model.ndim == 2 else jnp.asarray(model)
        ys = shard(y, MESH, 0) if data_sharded else jnp.asarray(y)
        rows.append(record(f"{name} forward", lambda op, v: op @ v, (Op, xs), Op @ jnp.asarray(model), stack=name))
        rows.append(record(f"{name} adjoint", lambda op, v: op.H @ v, (Op, ys), Op.H @ jnp.asarray(y), stack=name))
        # damp 3: eight stacked band-limited blocks need more damping than one to be well conditioned
        solves = {"cgls": lambda op, v: jl.cgls(op, v, niter=20, tol=0.0, damp=3.0).x,
                  "lsqr": lambda op, v: jl.lsqr(op, v, niter=20, damp=3.0, atol=0.0, btol=0.0).x,
                  "fista": lambda op, v: jl.fista(op, v, niter=20, eps=0.1, alpha=0.05).x}
        if name == "BatchedBlockDiag":
            tv = jl.FirstDerivative(Op.dims, axis=1)
            solves["splitbregman"] = lambda op, v, tv=tv: jl.splitbregman(
                op, v, [tv], epsRL1s=[0.1], niter_outer=2, niter_inner=2, niter=10, damp=3.0).x
        for solver, solve in solves.items():
            rows.append(record(f"{name} {solver}", solve, (Op, ys), solve(Op, jnp.asarray(y)), stack=name))
    volume = jl.PoststackLinearModelling(WAV, NZ, spatdims=(8, 6))
    y = np.asarray(volume @ jnp.asarray(RNG.standard_normal((NZ, 8, 6))))
    run = jax.tree_util.Partial(lambda op, v: jl.cgls(op, v, niter=20, tol=0.0, damp=1.0).x)
    rows.append(record("volume cgls axis 1", run, (volume, shard(y, MESH, 1)), run(volume, jnp.asarray(y)),
                       expected_axis=1, volume=True))
    return rows


def bad_input():
    """The errors of ``shard``."""
    messages = {}
    for name, call in {
        "not divisible": lambda: shard(np.ones((NZ, 30)), MESH, 1),
        "no such axis": lambda: shard(np.ones((NZ, NX)), MESH, 2),
        "no such mesh axis": lambda: shard(np.ones((NZ, NX)), MESH, 1, mesh_axis="y"),
    }.items():
        try:
            call()
            messages[name] = None
        except ValueError as error:
            messages[name] = str(error)
    return [dict(name="bad input", messages=messages)]


def main(path):
    assert jax.device_count() == 8, f"expected 8 devices, got {jax.device_count()}"
    assert jax.config.jax_enable_x64, "run with JAX_ENABLE_X64=1"
    rows = operators() + solvers() + gradient() + batch() + blocks() + bad_input()
    with open(path, "w") as file:
        json.dump(rows, file)


if __name__ == "__main__":
    main(sys.argv[1])
