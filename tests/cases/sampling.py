"""Cases: Interp (nearest, linear, sinc), Bilinear, Fredholm1, NonStationaryConvolve1D."""

import warnings

import numpy as np
import pylops

from jaxlops.signalprocessing.bilinear import Bilinear
from jaxlops.signalprocessing.fredholm1 import Fredholm1
from jaxlops.signalprocessing.interp import Interp
from jaxlops.signalprocessing.nonstatconvolve1d import NonStationaryConvolve1D

from . import Case

# The N-d cases run the same code as the 1-d ones: one single and one double
# precision dtype, one real and one complex.
TWO = ("float32", "complex128")


def _random(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if np.issubdtype(np.dtype(dtype), np.complexfloating):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def _interp(dims, iava, axis, kind, tol=None):
    def build(dtype, rng):
        with warnings.catch_warnings():  # linear: positions beyond the penultimate sample
            warnings.simplefilter("ignore", UserWarning)
            op = Interp(dims, np.asarray(iava), axis=axis, kind=kind, tol=tol, dtype=dtype)[0]
            pop = pylops.signalprocessing.Interp(dims, np.asarray(iava), axis=axis, kind=kind, tol=tol, dtype=dtype)[0]
        return op, pop

    return build


def _bilinear(dims, iava):
    def build(dtype, rng):
        iava_ = np.asarray(iava, dtype=float)
        return Bilinear(iava_, dims, dtype=dtype), pylops.signalprocessing.Bilinear(iava_, dims, dtype=dtype)

    return build


def _fredholm1(shape, nz, saveGt=True):
    def build(dtype, rng):
        G = _random(rng, shape, dtype)
        return (
            Fredholm1(G, nz=nz, saveGt=saveGt, dtype=dtype),
            pylops.signalprocessing.Fredholm1(G, nz=nz, saveGt=saveGt, dtype=dtype),
        )

    return build


def _nonstationary(dims, nfilt, ih, axis):
    def build(dtype, rng):
        # Real filters: PyLops' adjoint does not conjugate complex ones (see test_sampling.py).
        hs = rng.standard_normal((len(ih), nfilt)).astype(dtype)
        return (
            NonStationaryConvolve1D(dims, hs, ih, axis=axis, dtype=dtype),
            pylops.signalprocessing.NonStationaryConvolve1D(dims, hs, ih, axis=axis, dtype=dtype),
        )

    return build


# Positions: first and last allowed samples, exact integers, unsorted, and (linear)
# one beyond the penultimate sample, which both libraries move just below it.
_LINEAR_1D = [0.0, 3.5, 1.25, 8.5, 2.0, 5.999]
_NEAREST_1D = [0.0, 3.5, 1.25, 6.0, 2.6, 4.51]
_SINC_1D = [-0.5, 0.0, 3.3, 1.25, 6.0, 7.5]

CASES = [
    Case("Interp-nearest-1d", _interp(7, _NEAREST_1D, 0, "nearest")),
    Case("Interp-nearest-3d-axis0", _interp((4, 3, 2), [3.2, 0.4, 1.6], 0, "nearest"), TWO),
    Case("Interp-nearest-3d-axis-1", _interp((2, 3, 5), [4.1, 0.0, 2.5], -1, "nearest"), TWO),
    Case("Interp-linear-1d", _interp(7, _LINEAR_1D, 0, "linear")),
    Case("Interp-linear-2d-axis0", _interp((5, 3), [0.5, 3.9, 2.0, 1.1], 0, "linear"), TWO),
    Case("Interp-linear-3d-axis1", _interp((2, 4, 3), [2.75, 0.25, 3.0], 1, "linear"), TWO),
    Case("Interp-linear-3d-axis-1", _interp((2, 3, 4), [0.1, 1.5, 2.2], -1, "linear"), TWO),
    Case("Interp-sinc-1d", _interp(7, _SINC_1D, 0, "sinc")),
    Case("Interp-sinc-tol-1d", _interp(7, _SINC_1D, -1, "sinc", tol=0.1), TWO),
    Case("Interp-sinc-2d-axis0", _interp((5, 3), [0.5, 3.9, 2.0, 4.0], 0, "sinc"), TWO),
    # PyLops' sinc applies a negative axis of an N-d model wrongly: positive axes only here.
    Case("Interp-sinc-3d-axis1", _interp((2, 4, 3), [2.75, 0.25], 1, "sinc"), TWO),
    Case("Interp-sinc-3d-axis2", _interp((2, 3, 4), [0.1, 1.5, 2.2], 2, "sinc"), TWO),
    Case("Bilinear-2d", _bilinear((4, 5), [[0.0, 2.5, 1.25, 2.99, 1.0], [0.0, 3.5, 2.0, 0.5, 2.0]])),
    Case("Bilinear-3d", _bilinear((3, 4, 2), [[1.5, 0.2, 1.0], [2.25, 0.0, 2.9]]), TWO),
    Case("Bilinear-4d", _bilinear((4, 3, 2, 2), [[2.5, 0.5], [1.0, 0.75]]), TWO),
    Case("Fredholm1-nz1", _fredholm1((3, 4, 5), 1)),
    Case("Fredholm1-nz3", _fredholm1((2, 3, 4), 3), TWO),
    Case("Fredholm1-noGt", _fredholm1((2, 4, 3), 2, saveGt=False), TWO),
    Case("NonStationaryConvolve1D-1d", _nonstationary(11, 5, (1, 4, 7), 0)),
    Case("NonStationaryConvolve1D-2d-axis0", _nonstationary((9, 3), 3, (0, 4, 8), 0), TWO),
    Case("NonStationaryConvolve1D-2d-axis1", _nonstationary((2, 10), 7, (3, 5), -1), TWO),
    Case("NonStationaryConvolve1D-3d-axis1", _nonstationary((2, 8, 3), 5, (2, 5), 1), TWO),
    Case("NonStationaryConvolve1D-long-filters", _nonstationary((4, 2), 11, (0, 2), 0), TWO),
]
