"""Post-stack inversion of a 3-D volume split over several processes with ``jax.distributed``."""

from __future__ import annotations

import math
import numbers
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import time

import jax
import numpy as np
from jax.sharding import AxisType, Mesh, NamedSharding, PartitionSpec

import jaxlops as jl
from jaxlops._validation import as_count

__all__ = ["launch", "poststack_worker"]

DT = 0.004  # time sampling of the wavelet, s
STDERR_TAIL = 3000  # characters of a failed worker's stderr quoted in the error


def poststack_worker(process_id, num_processes, coordinator, shape, niter, epsR, output, seed=0):
    """One process of a post-stack inversion split along the volume's axis 1 over all processes.

    Run it in a fresh process (before any JAX computation): it joins the
    other processes through ``jax.distributed``, models its own slice of the
    data of a seeded synthetic model, inverts the whole volume with the others
    under ``jax.jit`` and writes its slice of the inverted model.

    Parameters
    ----------
    process_id : int
        This process's rank, ``0`` to ``num_processes - 1``; process 0 hosts the coordinator.
    num_processes : int
        The number of processes taking part.
    coordinator : str
        The coordinator's ``host:port``, the same for every process.
    shape : tuple of int
        The volume's shape ``(nt0, ny, nx)``; ``ny`` must be a multiple of the
        total device count (``jax.device_count()``, over all processes).
    niter : int
        Iterations of the solver.
    epsR : float or None
        Weight of the spatial Laplacian: ``jaxlops.PoststackInversion(data, wav,
        epsR=epsR, iter_lim=niter)``; ``None``: ``jaxlops.cgls(op, data,
        niter=niter, tol=0.0)`` on the modelling operator.
    output : str or os.PathLike
        Prefix of the part written: ``f"{output}.part{process_id}.npz"``, with
        ``model`` (this process's slice of the inverted model) and ``start``,
        ``stop`` (its index range along axis 1).
    seed : int, optional
        Seed of the synthetic model.

    Returns
    -------
    str
        The path of the part written.

    Raises
    ------
    ValueError
        If ``ny`` is not a multiple of the total device count.

    Notes
    -----
    This is also the recipe for several hosts or GPUs: start the same worker
    on each host (one process per host or per GPU), with the coordinator's
    address (process 0's host and a free port) and the process's own rank;
    JAX then uses the accelerators' collectives instead of gloo's.
    """
    name = "poststack_worker"
    # Float64 and the collectives must be set before jax.distributed starts the backend.
    jax.config.update("jax_enable_x64", True)
    jax.config.update("jax_cpu_collectives_implementation", "gloo")
    jax.distributed.initialize(coordinator_address=coordinator, num_processes=num_processes, process_id=process_id)
    nt0, ny, nx = shape
    if ny % jax.device_count():
        raise ValueError(f"{name}: ny={ny} (axis 1 of shape {tuple(shape)}) must be a multiple of the device count "
                         f"{jax.device_count()} ({num_processes} processes), got remainder {ny % jax.device_count()}")
    sharding = NamedSharding(Mesh(np.array(jax.devices()), ("x",), axis_types=(AxisType.Auto,)),
                             PartitionSpec(None, "x", None))
    start, stop = _local_range(sharding, tuple(shape))
    wav = ricker_wavelet()
    model = synthetic_model(shape, seed)[:, start:stop]
    # Modelling is trace by trace: each process models only its own traces.
    local = jl.PoststackLinearModelling(wav, nt0, spatdims=(stop - start, nx)) @ model
    data = jax.make_array_from_process_local_data(sharding, np.asarray(local), tuple(shape))
    op = jl.PoststackLinearModelling(wav, nt0, spatdims=(ny, nx))
    # The operator and the wavelet are closed over (constants of the program): only the data is
    # a global array, which is what a multi-process jit accepts as argument.
    if epsR is None:
        solve = jax.jit(lambda d: jl.cgls(op, d, niter=niter, tol=0.0).x)
    else:
        solve = jax.jit(lambda d: jl.PoststackInversion(d, wav, epsR=epsR, iter_lim=niter)[0])
    path = _save_part(solve(data), f"{os.fspath(output)}.part{process_id}.npz")
    jax.distributed.shutdown()
    return path


def launch(num_processes, shape, niter=30, epsR=None, output="poststack3d.npz", port=None, timeout=300, seed=0):
    """Run :func:`poststack_worker` in ``num_processes`` processes on this host and assemble the model.

    Each process is ``python -m jaxlops distributed-poststack --process-id i
    ...`` on the CPU (``JAX_PLATFORMS=cpu``), its collectives by gloo over
    localhost; the volume is split along axis 1 over all their devices.

    Parameters
    ----------
    num_processes : int
        Number of processes, at least 1.
    shape : tuple of int
        The volume's shape ``(nt0, ny, nx)``; ``ny`` a multiple of the total
        device count (``num_processes`` with one CPU device per process).
    niter : int, optional
        Iterations of the solver.
    epsR : float, optional
        Weight of the spatial Laplacian of ``jaxlops.PoststackInversion``
        (whose stencil exchanges halos between processes); ``None``: CGLS on the
        modelling operator alone.
    output : str or os.PathLike, optional
        Where the assembled model is saved, ``np.savez(output, model=model)``
        (``.npz`` appended if missing, as NumPy does).
    port : int, optional
        The coordinator's port on localhost; a free one by default.
    timeout : float, optional
        Seconds to wait for all processes.
    seed : int, optional
        Seed of the synthetic model.

    Returns
    -------
    numpy.ndarray
        The inverted model, of shape ``shape``.

    Raises
    ------
    TypeError, ValueError
        If an argument has the wrong type or value.
    RuntimeError
        If a process fails (with its return code and the end of its stderr) or
        the processes do not finish within ``timeout``.

    Notes
    -----
    This is the single-host demonstration of the recipe for several hosts or
    GPUs: start the same worker on each host (``python -m jaxlops
    distributed-poststack --process-id i --num-processes n --coordinator
    host0:port ...``), with the address of process 0's host.
    """
    num_processes, shape, niter, epsR, output, port, timeout, seed = _check_launch(
        num_processes, shape, niter, epsR, output, port, timeout, seed)
    coordinator = f"localhost:{port or _free_port()}"
    command = [sys.executable, "-m", "jaxlops", "distributed-poststack", "--num-processes", str(num_processes),
               "--coordinator", coordinator, "--shape", *map(str, shape), "--niter", str(niter),
               "--output", str(output), "--seed", str(seed)] + ([] if epsR is None else ["--epsR", repr(epsR)])
    env = dict(os.environ, JAX_PLATFORMS="cpu")
    # The workers import this very jaxlops, installed or not.
    package_root = str(pathlib.Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (package_root, env.get("PYTHONPATH"))))
    parts = [f"{output}.part{i}.npz" for i in range(num_processes)]
    try:
        _run_workers([command + ["--process-id", str(i)] for i in range(num_processes)], env, timeout)
        model = _assemble(parts, shape)
    finally:
        for part in parts:
            pathlib.Path(part).unlink(missing_ok=True)
    np.savez(output, model=model)
    return model


def ricker_wavelet(f0=20.0, nt=11, dt=DT):
    """PyLops' ``ricker(np.arange(nt) * dt, f0)[0] / 2``: a zero-phase Ricker wavelet of ``2 nt - 1`` samples."""
    t = np.arange(nt) * dt
    t = np.concatenate((-t[:0:-1], t))
    arg = (np.pi * f0 * t) ** 2
    return (1 - 2 * arg) * np.exp(-arg) / 2


def synthetic_model(shape, seed=0):
    """Log acoustic impedance ``(nt0, ny, nx)``: gently dipping layers, harder with depth, plus seeded noise."""
    nt0, ny, nx = shape
    rng = np.random.default_rng(seed)
    t = np.arange(nt0)[:, None, None] / nt0
    y, x = np.arange(ny)[None, :, None] / ny, np.arange(nx)[None, None, :] / nx
    nlayers = 8
    tops = np.sort(np.linspace(0.08, 0.92, nlayers - 1) + rng.uniform(-0.03, 0.03, nlayers - 1))
    relief = 0.04 * np.sin(2 * np.pi * (x + 0.5 * y)) + 0.05 * y
    layer = (t[..., None] > tops + relief[..., None]).sum(-1)
    log_ai = np.log(6000 + 2500 * np.arange(nlayers) / nlayers + rng.normal(0, 400, nlayers))
    return log_ai[layer] + rng.normal(0, 0.01, (nt0, ny, nx))


def _local_range(sharding, shape):
    """This process's index range along axis 1: its devices' slices, which must be contiguous."""
    indices = sharding.addressable_devices_indices_map(shape).values()
    slices = sorted(index[1].indices(shape[1])[:2] for index in indices)
    start, stop = slices[0][0], slices[-1][1]
    if sum(b - a for a, b in set(slices)) != stop - start:
        raise RuntimeError(f"poststack_worker: this process's devices hold non-contiguous slices {slices} of axis 1; "
                           "expected jax.devices() ordered by process")
    return start, stop


def _save_part(result, path):
    """Write this process's addressable slices of ``result`` (the same slice twice if replicated)."""
    slices = {shard.index[1].indices(result.shape[1])[:2]: shard.data for shard in result.addressable_shards}
    (start, _), (_, stop) = min(slices), max(slices)
    model = np.concatenate([np.asarray(slices[key]) for key in sorted(slices)], axis=1)
    if model.shape[1] != stop - start:
        raise RuntimeError(f"poststack_worker: the result's addressable slices {sorted(slices)} of axis 1 overlap "
                           "or leave gaps")
    np.savez(path, model=model, start=start, stop=stop)
    return path


def _run_workers(commands, env, timeout):
    """Start every command, wait for all; on the first failure stop the others and raise."""
    with tempfile.TemporaryDirectory(prefix="jaxlops-workers-") as logs:
        errors = [open(os.path.join(logs, f"stderr{i}.txt"), "w+") for i in range(len(commands))]
        processes = [subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL)
                     for cmd, err in zip(commands, errors)]
        try:
            _wait(processes, errors, time.monotonic() + timeout, timeout)
        finally:
            for process in processes:  # a failed worker leaves the others waiting on the coordinator
                if process.poll() is None:
                    process.kill()
                    process.wait()
            for err in errors:
                err.close()


def _wait(processes, errors, deadline, timeout):
    while True:
        codes = [process.poll() for process in processes]
        for i, code in enumerate(codes):
            if code not in (None, 0):
                raise RuntimeError(f"launch: process {i} of {len(processes)} failed with return code {code}; "
                                   f"end of its stderr:\n{_tail(errors[i])}")
        if all(code == 0 for code in codes):
            return
        if time.monotonic() > deadline:
            waiting = [i for i, code in enumerate(codes) if code is None]
            raise RuntimeError(f"launch: processes {waiting} did not finish within timeout={timeout} s; end of the "
                               f"stderr of process {waiting[0]}:\n{_tail(errors[waiting[0]])}")
        time.sleep(0.05)


def _tail(file):
    file.flush()
    file.seek(0)
    return file.read()[-STDERR_TAIL:]


def _assemble(parts, shape):
    model, filled = np.zeros(shape), np.zeros(shape[1], bool)
    for part in parts:
        with np.load(part) as saved:
            start, stop = int(saved["start"]), int(saved["stop"])
            model[:, start:stop] = saved["model"]
            filled[start:stop] = True
    if not filled.all():
        raise RuntimeError(f"launch: the parts {parts} leave traces {np.flatnonzero(~filled).tolist()} of axis 1 unset")
    return model


def _free_port():
    with socket.socket() as probe:  # the OS picks a free port; it stays free until the coordinator binds it
        probe.bind(("localhost", 0))
        return probe.getsockname()[1]


def _check_launch(num_processes, shape, niter, epsR, output, port, timeout, seed):
    num_processes = _int("num_processes", num_processes, 1)
    if isinstance(shape, str | bytes) or not hasattr(shape, "__len__") or len(shape) != 3:
        raise TypeError(f"launch: shape must be a sequence of 3 ints (nt0, ny, nx), got {shape!r}")
    shape = tuple(_int("shape", n, minimum) for n, minimum in zip(shape, (3, 1, 1)))
    if shape[1] % num_processes:
        raise ValueError(f"launch: shape[1] (ny={shape[1]}) must be a multiple of num_processes={num_processes} "
                         "(each process holds an equal slice of axis 1)")
    niter = _int("niter", niter, 1)
    if epsR is not None:
        if not isinstance(epsR, numbers.Real) or isinstance(epsR, bool):
            raise TypeError(f"launch: epsR must be a real number or None, got {epsR!r}")
        epsR = float(epsR)
        if not (math.isfinite(epsR) and epsR >= 0):
            raise ValueError(f"launch: epsR must be finite and non-negative, got {epsR}")
    if not isinstance(output, str | os.PathLike):
        raise TypeError(f"launch: output must be a path (str or os.PathLike), got {type(output).__name__}")
    output = pathlib.Path(output).resolve()
    if output.suffix != ".npz":  # np.savez would append it: the path returned and printed is the file's
        output = output.with_name(output.name + ".npz")
    if not output.parent.is_dir():
        raise ValueError(f"launch: output's folder {output.parent} does not exist")
    if port is not None:
        port = _int("port", port, 1)
        if port > 65535:
            raise ValueError(f"launch: port must be at most 65535, got {port}")
    if not isinstance(timeout, numbers.Real) or isinstance(timeout, bool):
        raise TypeError(f"launch: timeout must be a number of seconds, got {timeout!r}")
    if not timeout > 0:
        raise ValueError(f"launch: timeout must be positive, got {timeout}")
    return num_processes, shape, niter, epsR, output, port, float(timeout), _int("seed", seed, 0)


def _int(argument, value, minimum):
    if isinstance(value, bool):
        raise TypeError(f"launch: {argument} must be an int, got {value!r}")
    return as_count("launch", argument, value, minimum)
