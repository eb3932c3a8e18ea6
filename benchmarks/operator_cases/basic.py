"""Benchmark cases: basic operators at medium sizes."""

import numpy as np
import pylops

import jaxlops as jl


def cases(dtype, rng):
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
