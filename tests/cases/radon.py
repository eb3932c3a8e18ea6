"""Cases: Radon2D (every kind x centeredh x interp, odd and even numbers of traces), Sliding2D and Patch2D."""

import warnings

import numpy as np
import pylops

from jaxlops.basicoperators.blockdiag import BlockDiag
from jaxlops.basicoperators.matrixmult import MatrixMult
from jaxlops.signalprocessing.patch2d import Patch2D, patch2d_design
from jaxlops.signalprocessing.radon2d import Radon2D
from jaxlops.signalprocessing.sliding2d import Sliding2D, sliding2d_design

from . import DTYPES, Case

TAXIS = np.arange(20) * 0.004
# Off-centre offsets: with centeredh=False the (non-integer) unitless axis -1.2, -0.2, ... is used as is.
HAXES = {nh: np.arange(nh) * 10.0 - 12.0 for nh in (6, 7)}
# Unitless px (px * dh / dt) spans fractional moveouts of several samples, some curves leaving the time axis;
# the hyperbolic axis holds px = 0 (curves at infinite times, dropped, as in PyLops).
PXAXES = {
    "linear": np.linspace(-1.1e-3, 1.3e-3, 5),
    "parabolic": np.linspace(-3e-4, 5e-4, 5),
    "hyperbolic": np.array([0.0, 1.0e-4, 2.0e-4, 3.3e-4, 5.0e-4]),
}


def _radon(haxis, pxaxis, **kwargs):
    def build(dtype, rng):
        args = (TAXIS, haxis, pxaxis)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # PyLops divides by px = 0 (hyperbolic)
            theirs = pylops.signalprocessing.Radon2D(*args, dtype=dtype, **kwargs)
        return Radon2D(*args, dtype=dtype, **kwargs), theirs

    return build


def _case(kind, centeredh, interp, nh, dtypes=("float32", "complex128")):
    label = f"Radon2D-{kind}-{'centered' if centeredh else 'haxis'}-{'interp' if interp else 'nearest'}-nh{nh}"
    build = _radon(HAXES[nh], PXAXES[kind], kind=kind, centeredh=centeredh, interp=interp)
    return Case(label, build, dtypes)


def _power_curve(x, t, px):
    """A user curve, as PyLops accepts: t0 + px |x|^1.5."""
    return t + px * np.abs(x) ** 1.5


CASES = [
    _case("linear", True, True, 7, DTYPES),
    _case("hyperbolic", False, True, 6, DTYPES),
    *[
        _case(kind, centeredh, interp, 7 - (interp + centeredh + len(kind)) % 2)
        for kind in PXAXES
        for centeredh in (True, False)
        for interp in (True, False)
        if (kind, centeredh, interp) not in (("linear", True, True), ("hyperbolic", False, True))
    ],
    Case(
        "Radon2D-linear-irregular-haxis",
        _radon(np.array([-31.0, -21.0, -4.0, 0.0, 7.5, 20.0, 33.0]), PXAXES["linear"], centeredh=False),
        ("float64",),
    ),
    Case("Radon2D-callable-kind", _radon(HAXES[7], np.linspace(-4e-4, 4e-4, 5), kind=_power_curve), ("complex64",)),
]


def _random(rng, shape, dtype):
    x = rng.standard_normal(shape)
    if np.issubdtype(np.dtype(dtype), np.complexfloating):
        x = x + 1j * rng.standard_normal(shape)
    return x.astype(dtype)


def _matrix_ops(dtype, rng, n, m, other, nblocks=None, blockshape=None):
    """A ``MatrixMult(A, otherdims=other)`` pair, or a block diagonal of ``nblocks`` of them (PyLops' simOp);
    PyLops needs the latter shaped ``blockshape`` (model, data) to cut it into windows."""
    A = _random(rng, (n, m), dtype)
    ours, theirs = MatrixMult(A, otherdims=other, dtype=dtype), pylops.MatrixMult(A, otherdims=other, dtype=dtype)
    if nblocks is None:
        return ours, theirs
    theirs = pylops.BlockDiag([theirs] * nblocks)
    theirs.dims, theirs.dimsd = blockshape
    return BlockDiag([ours] * nblocks), theirs


def _sliding(dimsd, nwin, nover, nop0, sim=False, radon=False, **kwargs):
    def build(dtype, rng):
        nwins, dims, _, _ = sliding2d_design(dimsd, nwin, nover, (nop0, dimsd[1]))
        if radon:
            args = (np.arange(dimsd[1]) * 0.004, np.arange(nwin) * 10.0, np.linspace(-2e-3, 2e-3, nop0))
            ours, theirs = Radon2D(*args, dtype=dtype), pylops.signalprocessing.Radon2D(*args, dtype=dtype)
        else:
            shapes = ((nwins, nop0, dimsd[1]), (nwins, nwin, dimsd[1]))
            ours, theirs = _matrix_ops(dtype, rng, nwin, nop0, (dimsd[1],), nwins if sim else None, shapes)
        args = (dims, dimsd, nwin, nover)
        return Sliding2D(ours, *args, **kwargs), pylops.signalprocessing.Sliding2D(theirs, *args, **kwargs)

    return build


def _patch(dimsd, nwin, nover, nop, sim=False, radon=False, **kwargs):
    def build(dtype, rng):
        nwins, dims, _, _ = patch2d_design(dimsd, nwin, nover, nop)
        if radon:  # patches of nwin[0] traces by nwin[1] = nop[1] time samples
            args = (np.arange(nwin[1]) * 0.004, np.arange(nwin[0]) * 10.0, np.linspace(-2e-3, 2e-3, nop[0]))
            ours, theirs = Radon2D(*args, dtype=dtype), pylops.signalprocessing.Radon2D(*args, dtype=dtype)
        else:
            n = nwins[0] * nwins[1]
            ours, theirs = _matrix_ops(
                dtype, rng, nwin[0], nop[0], (nop[1],), n if sim else None, ((*nwins, *nop), (*nwins, *nwin))
            )
        args = (dims, dimsd, nwin, nover, nop)
        return Patch2D(ours, *args, **kwargs), pylops.signalprocessing.Patch2D(theirs, *args, **kwargs)

    return build


F32_C128 = ("float32", "complex128")

CASES += [
    # Rows after the last window stay uncovered (11 = 4 windows of 4, step 2, plus 1).
    Case("Sliding2D-hanning", _sliding((11, 3), 4, 2, 3), DTYPES),
    Case("Sliding2D-cosine-step-not-dividing-nwin", _sliding((10, 4), 5, 2, 2, tapertype="cosine"), F32_C128),
    Case("Sliding2D-simop-cosinesqrt", _sliding((9, 3), 3, 1, 2, sim=True, tapertype="cosinesqrt"), F32_C128),
    Case("Sliding2D-untapered-scatter-overlap", _sliding((9, 2), 5, 4, 3, tapertype=None), F32_C128),
    Case("Sliding2D-radon", _sliding((10, 12), 4, 2, 3, radon=True), ("float64",)),
    Case("Patch2D-hanning", _patch((9, 10), (4, 4), (2, 2), (3, 4)), DTYPES),
    Case(
        "Patch2D-cosinesquare-nosavetaper",
        _patch((9, 7), (4, 3), (1, 1), (2, 3), tapertype="cosinesquare", savetaper=False),
        F32_C128,
    ),
    *[
        Case(f"Patch2D-one-patch-row-savetaper{s}", _patch((5, 9), (5, 4), (2, 2), (3, 4), savetaper=s), F32_C128)
        for s in (True, False)
    ],
    Case("Patch2D-simop", _patch((8, 7), (4, 3), (1, 1), (2, 3), sim=True), ("complex64",)),
    Case("Patch2D-untapered-scatter-overlap", _patch((8, 7), (6, 3), (5, 1), (2, 3), tapertype=None), ("float64",)),
    Case("Patch2D-radon", _patch((10, 12), (4, 6), (2, 2), (3, 6), radon=True), ("float32",)),
]
