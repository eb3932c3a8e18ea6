"""Benchmark cases: interpolation, Fredholm and non-stationary convolution at medium sizes."""

import warnings

import numpy as np
import pylops

from jaxlops.signalprocessing.bilinear import Bilinear
from jaxlops.signalprocessing.fredholm1 import Fredholm1
from jaxlops.signalprocessing.interp import Interp
from jaxlops.signalprocessing.nonstatconvolve1d import NonStationaryConvolve1D


def _positions(rng, n, count):
    """``count`` unique fractional positions in ``[0, n - 1)``, sorted."""
    return np.sort(rng.choice(n - 1, count, replace=False) + rng.uniform(0, 1, count))


def cases(dtype, rng):
    """``(name, jaxlops operator, PyLops operator)`` at medium sizes."""
    n2 = (512, 512)
    n1 = 1_000_000
    out = []
    for name, dims, axis, count, kind in (
        ("Interp-linear", n2, 1, 400, "linear"),
        ("Interp-linear-1d", n1, 0, n1 // 2, "linear"),
        ("Interp-nearest", n2, 0, 300, "nearest"),
        ("Interp-nearest-1d", n1, 0, n1 // 2, "nearest"),
        ("Interp-sinc", n2, 0, 256, "sinc"),
        ("Interp-sinc", n2, 1, 256, "sinc"),
    ):
        iava = _positions(rng, dims if isinstance(dims, int) else dims[axis], count)
        if kind == "nearest":  # unique after rounding
            iava = np.floor(iava) + 0.4
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            op = Interp(dims, iava, axis=axis, kind=kind, dtype=dtype)[0]
            pop = pylops.signalprocessing.Interp(dims, iava, axis=axis, kind=kind, dtype=dtype)[0]
        out.append((name, op, pop))
    flat = rng.choice(511 * 511, 512 * 512 // 4, replace=False)
    iava = np.stack([flat // 511, flat % 511]) + rng.uniform(0, 1, (2, flat.size))
    out.append(("Bilinear", Bilinear(iava, n2, dtype=dtype), pylops.signalprocessing.Bilinear(iava, n2, dtype=dtype)))
    G = rng.standard_normal((16, 256, 256)).astype(dtype)
    out.append(
        ("Fredholm1", Fredholm1(G, nz=16, dtype=dtype), pylops.signalprocessing.Fredholm1(G, nz=16, dtype=dtype))
    )
    hs = rng.standard_normal((9, 31)).astype(dtype)
    ih = np.arange(9) * 60 + 16
    for axis in (0, 1):
        out.append(
            (
                "NonStationaryConvolve1D",
                NonStationaryConvolve1D(n2, hs, ih, axis=axis, dtype=dtype),
                pylops.signalprocessing.NonStationaryConvolve1D(n2, hs, ih, axis=axis, dtype=dtype),
            )
        )
    return out
