"""Command line: ``python -m jaxlops info`` and ``python -m jaxlops demo``."""

from __future__ import annotations

import argparse
import importlib.metadata
import sys

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
    args = parser.parse_args(argv)
    if args.command == "info":
        info()
    else:
        from jaxlops._demo import demo

        demo(size=args.size, noise=args.noise, output=args.output, compare=not args.no_compare, seed=args.seed)
    return 0


def _positive(value):
    size = int(value)
    if size < 8:
        raise argparse.ArgumentTypeError(f"must be at least 8, got {size}")
    return size


if __name__ == "__main__":
    sys.exit(main())
