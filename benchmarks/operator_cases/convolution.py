"""Benchmark cases: convolution and smoothing operators at medium sizes."""

import pylops

from jaxlops.basicoperators.smoothing1d import Smoothing1D
from jaxlops.basicoperators.smoothing2d import Smoothing2D
from jaxlops.signalprocessing.convolve1d import Convolve1D
from jaxlops.signalprocessing.convolve2d import Convolve2D
from jaxlops.signalprocessing.convolvend import ConvolveND


def cases(dtype, rng):
    """``(name, jaxlops operator, PyLops operator)`` at medium sizes."""
    n1, n2, n3 = 1_000_000, (512, 512), (64, 64, 64)
    h11, h201, h41 = (rng.standard_normal(n).astype(dtype) for n in (11, 201, 41))
    h2, h3 = rng.standard_normal((11, 11)).astype(dtype), rng.standard_normal((5, 5, 5)).astype(dtype)
    sp = pylops.signalprocessing

    def same(name, ours, theirs, *args, **kwargs):
        return name, ours(*args, **kwargs, dtype=dtype), theirs(*args, **kwargs, dtype=dtype)

    return [
        same("Convolve1D-11", Convolve1D, sp.Convolve1D, n1, h11, offset=5),
        same("Convolve1D-201", Convolve1D, sp.Convolve1D, n1, h201, offset=100),
        same("Convolve1D-poststack", Convolve1D, sp.Convolve1D, (550, 267), h41, offset=20, axis=0),
        same("Convolve2D", Convolve2D, sp.Convolve2D, n2, h2, offset=(5, 5)),
        same("ConvolveND", ConvolveND, sp.ConvolveND, n3, h3, offset=(2, 2, 2), axes=(0, 1, 2)),
        same("Smoothing1D", Smoothing1D, pylops.Smoothing1D, 11, n1),
        same("Smoothing2D", Smoothing2D, pylops.Smoothing2D, (5, 5), n2),
    ]
