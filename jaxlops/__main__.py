"""Command line: ``python -m jaxlops info``, ``python -m jaxlops demo`` and
``python -m jaxlops distributed-poststack``."""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import sys
import time
import traceback

import jax


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


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m jaxlops", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("info", help="versions, JAX backend, devices and x64 setting")
    run = commands.add_parser(
        "demo",
        help="post-stack seismic inversion of a synthetic section, timed against PyLops",
        description="Model noisy post-stack data from a synthetic acoustic-impedance section and invert it "
        "trace by trace, with spatial regularisation and blocky, printing compile and run times (and PyLops' "
        "time for the same inversion); save a figure.",
    )
    run.add_argument("--size", type=_positive, default=300, help="section size, SIZE x SIZE samples (default 300)")
    run.add_argument("--noise", type=float, default=0.2, help="noise level, times the data's standard deviation "
                     "(default 0.2)")
    run.add_argument("--output", default="jaxlops_poststack_demo.png", help="figure path (default "
                     "jaxlops_poststack_demo.png)")
    run.add_argument("--no-compare", action="store_true", help="skip the PyLops timings")
    run.add_argument("--seed", type=int, default=0, help="seed of the model and the noise (default 0)")
    _add_distributed(commands)
    args = parser.parse_args(argv)
    if args.command == "info":
        info()
    elif args.command == "demo":
        from jaxlops._demo import demo

        demo(size=args.size, noise=args.noise, output=args.output, compare=not args.no_compare, seed=args.seed)
    elif args.process_id is None:
        _launch(args)
    else:
        _worker(args)
    return 0


def _add_distributed(commands):
    run = commands.add_parser(
        "distributed-poststack",
        help="post-stack inversion of a synthetic 3-D volume split over several processes (jax.distributed)",
        description="Invert post-stack data of a seeded synthetic 3-D acoustic-impedance volume split along its "
        "axis 1 over several processes joined by jax.distributed (CPU collectives by gloo on localhost), and "
        "save the assembled model. With --processes (the default, 2) this launches the workers; with "
        "--process-id it is one worker (on several hosts, start one per host with the coordinator's address).",
    )
    mode = run.add_mutually_exclusive_group()
    mode.add_argument("--processes", type=int, help="launch this many worker processes on this host (default 2)")
    mode.add_argument("--process-id", type=int, help="worker mode: this process's rank (0 hosts the coordinator)")
    run.add_argument("--num-processes", type=int, help="worker mode: the number of processes")
    run.add_argument("--coordinator", help="worker mode: the coordinator's HOST:PORT")
    run.add_argument("--shape", type=int, nargs=3, default=(64, 16, 24), metavar=("NT0", "NY", "NX"),
                     help="volume shape; NY a multiple of the total device count (default 64 16 24)")
    run.add_argument("--niter", type=int, default=30, help="solver iterations (default 30)")
    run.add_argument("--epsR", type=float, help="weight of the spatial Laplacian (PoststackInversion); "
                     "without it CGLS on the modelling operator")
    run.add_argument("--output", default="poststack3d.npz", help="where the model is saved (default "
                     "poststack3d.npz; a worker writes OUTPUT.partID.npz)")
    run.add_argument("--seed", type=int, default=0, help="seed of the synthetic model (default 0)")


def _launch(args):
    from jaxlops.distributed._processes import launch

    processes = 2 if args.processes is None else args.processes
    start = time.perf_counter()
    try:
        launch(processes, args.shape, niter=args.niter, epsR=args.epsR, output=args.output, seed=args.seed)
    except (TypeError, ValueError, RuntimeError) as exc:  # bad options or a failed worker: its message, no traceback
        sys.exit(f"python -m jaxlops distributed-poststack: {exc}")
    seconds = time.perf_counter() - start
    output = args.output if args.output.endswith(".npz") else args.output + ".npz"
    print(f"{processes} processes inverted a {' x '.join(map(str, args.shape))} volume in {seconds:.2f} s "
          f"(wall, start-up and compilation included); model saved to {os.path.abspath(output)}")


def _worker(args):
    from jaxlops.distributed._processes import poststack_worker

    if args.num_processes is None or args.coordinator is None:
        sys.exit("python -m jaxlops distributed-poststack: --process-id needs --num-processes and --coordinator")
    try:
        poststack_worker(args.process_id, args.num_processes, args.coordinator, tuple(args.shape), args.niter,
                         args.epsR, args.output, seed=args.seed)
    except BaseException:
        # A plain exit would wait in jax.distributed's shutdown barrier for the other processes, which wait
        # for this one: print the error and leave at once, so that the launcher sees the failure.
        traceback.print_exc()
        sys.stderr.flush()
        os._exit(1)


def _positive(value):
    size = int(value)
    if size < 8:
        raise argparse.ArgumentTypeError(f"must be at least 8, got {size}")
    return size


if __name__ == "__main__":
    sys.exit(main())
