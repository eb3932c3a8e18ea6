"""Cases: FFT, FFT2D, FFTND, DCT and Shift."""

import warnings

import numpy as np
import pylops

from jaxlops.signalprocessing.dct import DCT
from jaxlops.signalprocessing.fft import FFT
from jaxlops.signalprocessing.fft2d import FFT2D
from jaxlops.signalprocessing.fftnd import FFTND
from jaxlops.signalprocessing.shift import Shift

from . import DTYPES, Case

sp = pylops.signalprocessing
TWO = ("float32", "complex128")
OTHER_TWO = ("float64", "complex64")


def _both(ours, theirs, *args, **kwargs):
    """Build both operators with the same arguments (silencing the warnings both may give:
    nfft shorter than the axis, fftshift of a one-sided spectrum, PyLops' casts)."""

    def build(dtype, rng):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ours(*args, dtype=dtype, **kwargs), theirs(*args, dtype=dtype, **kwargs)

    return build


def _grid(ours, theirs, configs):
    """One case per ``(label, dtypes, args, kwargs)``."""
    return [
        Case(f"{ours.__name__}-{label}", _both(ours, theirs, *args, **kwargs), dtypes)
        for label, dtypes, args, kwargs in configs
    ]


def _shift_per_trace(dims, axis, **kwargs):
    """Shift with one random shift per trace (``dims`` without ``axis``)."""

    def build(dtype, rng):
        shift = rng.uniform(-3, 3, np.delete(np.array(dims), axis))
        return _both(Shift, sp.Shift, dims, shift, axis=axis, **kwargs)(dtype, rng)

    return build


CASES = [
    *_grid(
        FFT,
        sp.FFT,
        [
            ("1d", DTYPES, ((8,),), {}),
            ("1d-real-odd", DTYPES, ((7,),), dict(real=True, sampling=0.1)),
            ("2d-axis0-real-pad-1/n", TWO, ((6, 5),), dict(axis=0, nfft=9, real=True, norm="1/n")),
            (
                "2d-axis1-shifts-none",
                TWO,
                ((3, 8),),
                dict(nfft=11, norm="none", ifftshift_before=True, fftshift_after=True),
            ),
            ("3d-axis1-truncate", OTHER_TWO, ((3, 6, 4),), dict(axis=1, nfft=4, ifftshift_before=True)),
            (
                "3d-axis2-real-shifts",
                TWO,
                ((2, 3, 8),),
                dict(axis=-1, nfft=10, real=True, ifftshift_before=True, fftshift_after=True),
            ),
        ],
    ),
    *_grid(
        FFT2D,
        sp.FFT2D,
        [
            ("2d", DTYPES, ((4, 6),), {}),
            (
                "2d-real-shifts-1/n",
                TWO,
                ((4, 6),),
                dict(real=True, nffts=(5, 9), norm="1/n", fftshift_after=(True, False), ifftshift_before=True),
            ),
            (
                "3d-axes20-real-truncate",
                TWO,
                ((3, 4, 5),),
                dict(axes=(2, 0), real=True, nffts=(None, 2), sampling=(0.5, 2.0)),
            ),
            ("3d-axes01-none", OTHER_TWO, ((3, 4, 5),), dict(axes=(0, 1), nffts=7, norm="none")),
        ],
    ),
    *_grid(
        FFTND,
        sp.FFTND,
        [
            ("3d", DTYPES, ((3, 4, 5),), {}),
            (
                "3d-real-shifts-none",
                TWO,
                ((3, 4, 5),),
                dict(real=True, nffts=(2, 6, 7), norm="none", fftshift_after=True),
            ),
            (
                "4d-axes-shifts",
                TWO,
                ((3, 4, 5, 2),),
                dict(axes=(1, 3, 0, 2), ifftshift_before=(True, False, False, True)),
            ),
            ("1d-real-pad", OTHER_TWO, ((6,),), dict(axes=0, real=True, nffts=8)),
        ],
    ),
    *_grid(
        DCT,
        sp.DCT,
        [
            ("1d-type1", TWO, ((7,),), dict(type=1)),
            ("1d-type2", DTYPES, ((7,),), {}),
            ("1d-type3-even", TWO, ((8,),), dict(type=3)),
            ("1d-type4-odd", TWO, ((7,),), dict(type=4)),
            ("2d-type2", DTYPES, ((4, 6),), {}),
            ("2d-type3-odd", TWO, ((5, 7),), dict(type=3)),
            ("2d-type4-axis0-even", OTHER_TWO, ((6, 5),), dict(type=4, axes=0)),
            ("2d-type1-axis1", TWO, ((3, 4),), dict(type=1, axes=-1)),
            ("3d-type2-axes20", TWO, ((3, 4, 5),), dict(axes=(2, 0))),
            ("3d-type3-all", OTHER_TWO, ((3, 4, 5),), dict(type=3)),
        ],
    ),
    *_grid(
        Shift,
        sp.Shift,
        [
            ("1d", DTYPES, ((8,), 1.3), {}),
            ("1d-real", DTYPES, ((7,), -2.6), dict(real=True, sampling=0.5)),
            ("3d-axis2-pad", TWO, ((3, 4, 5), 0.7), dict(nfft=8, sampling=2.0)),
        ],
    ),
    Case("Shift-2d-axis0-traces-pad", _shift_per_trace((4, 6), 0, nfft=7), TWO),
    Case("Shift-3d-axis1-traces-real", _shift_per_trace((3, 4, 5), 1, nfft=10, real=True), OTHER_TWO),
]
