"""Benchmark cases: Radon2D (nt=500, nh=101, npx=101), Sliding2D and Patch2D (512 x 512 data)."""

import numpy as np
import pylops

from jaxlops.basicoperators.matrixmult import MatrixMult
from jaxlops.signalprocessing.patch2d import Patch2D
from jaxlops.signalprocessing.radon2d import Radon2D
from jaxlops.signalprocessing.sliding2d import Sliding2D


def _radon(dtype):
    taxis = np.arange(500) * 0.004
    haxis = np.arange(101) * 10.0 - 500.0
    pxaxes = {
        "linear": np.linspace(-5e-4, 5e-4, 101),  # up to +-25 samples of moveout across the spread
        "parabolic": np.linspace(-1e-5, 3e-5, 101),  # up to 190 samples at the far offsets
    }
    for kind, pxaxis in pxaxes.items():
        for interp in (True, False):
            args = (taxis, haxis, pxaxis)
            kwargs = dict(kind=kind, interp=interp, dtype=dtype)
            name = f"Radon2D-{kind[:3]}" + ("" if interp else "-nn")
            yield name, Radon2D(*args, **kwargs), pylops.signalprocessing.Radon2D(*args, **kwargs)


def cases(dtype, rng):
    """``(name, jaxlops operator, PyLops operator)`` at medium sizes."""
    out = list(_radon(dtype))
    # Sliding2D: 15 windows of 64 rows (overlap 32), each a 64 x 48 matrix along the rows.
    A = rng.standard_normal((64, 48)).astype(dtype)
    nwins, dims, _, _ = pylops.signalprocessing.sliding2d_design((512, 512), 64, 32, (48, 512))
    args = (dims, (512, 512), 64, 32)
    ours = Sliding2D(MatrixMult(A, otherdims=(512,), dtype=dtype), *args)
    theirs = pylops.signalprocessing.Sliding2D(pylops.MatrixMult(A, otherdims=(512,), dtype=dtype), *args)
    out.append(("Sliding2D", ours, theirs))
    # Patch2D: 15 x 15 patches of 64 x 64 (overlap 32 x 32), each a 64 x 48 matrix along the patch rows.
    nwins, dims, _, _ = pylops.signalprocessing.patch2d_design((512, 512), (64, 64), (32, 32), (48, 64))
    args = (dims, (512, 512), (64, 64), (32, 32), (48, 64))
    ours = Patch2D(MatrixMult(A, otherdims=(64,), dtype=dtype), *args)
    theirs = pylops.signalprocessing.Patch2D(pylops.MatrixMult(A, otherdims=(64,), dtype=dtype), *args)
    out.append(("Patch2D", ours, theirs))
    return out
