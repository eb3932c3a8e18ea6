"""Benchmark cases: Fourier operators (FFT, FFT2D, FFTND, DCT, Shift) at medium sizes."""

import warnings

import pylops

from jaxlops.signalprocessing.dct import DCT
from jaxlops.signalprocessing.fft import FFT
from jaxlops.signalprocessing.fft2d import FFT2D
from jaxlops.signalprocessing.fftnd import FFTND
from jaxlops.signalprocessing.shift import Shift


def cases(dtype, rng):
    """``(name, jaxlops operator, PyLops operator)`` at medium sizes."""
    n2 = (512, 512)
    n1 = 1_000_000
    n3 = (64, 64, 64)
    shifts = rng.uniform(-5, 5, n2[1])
    sp = pylops.signalprocessing
    same = lambda ours, theirs, *args, **kwargs: (  # noqa: E731
        ours.__name__,
        ours(*args, **kwargs, dtype=dtype),
        theirs(*args, **kwargs, dtype=dtype),
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyLops' NumPy engine warns about casting to complex64
        return [
            same(FFT, sp.FFT, n1),
            same(FFT, sp.FFT, n1, real=True),
            same(FFT, sp.FFT, n2, axis=0),
            same(FFT, sp.FFT, n2, axis=1, nfft=1024, real=True),
            same(FFT2D, sp.FFT2D, n2),
            same(FFT2D, sp.FFT2D, n2, real=True),
            same(FFTND, sp.FFTND, n3),
            same(DCT, sp.DCT, n2),
            same(DCT, sp.DCT, n1),
            same(DCT, sp.DCT, n2, type=1),
            same(DCT, sp.DCT, n2, type=4, axes=0),
            same(Shift, sp.Shift, n1, 2.5),
            same(Shift, sp.Shift, n2, shifts, axis=0),
            same(Shift, sp.Shift, n2, 1.5, axis=1, real=True),
        ]
