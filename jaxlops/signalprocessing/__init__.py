"""Signal-processing operators, one per module, with PyLops 2 names and arguments."""

from jaxlops.signalprocessing.bilinear import Bilinear
from jaxlops.signalprocessing.convolve1d import Convolve1D
from jaxlops.signalprocessing.convolve2d import Convolve2D
from jaxlops.signalprocessing.convolvend import ConvolveND
from jaxlops.signalprocessing.dct import DCT
from jaxlops.signalprocessing.fft import FFT
from jaxlops.signalprocessing.fft2d import FFT2D
from jaxlops.signalprocessing.fftnd import FFTND
from jaxlops.signalprocessing.fredholm1 import Fredholm1
from jaxlops.signalprocessing.interp import Interp
from jaxlops.signalprocessing.nonstatconvolve1d import NonStationaryConvolve1D
from jaxlops.signalprocessing.patch2d import Patch2D, patch2d_design
from jaxlops.signalprocessing.radon2d import Radon2D
from jaxlops.signalprocessing.shift import Shift
from jaxlops.signalprocessing.sliding2d import Sliding2D, sliding2d_design

__all__ = [
    "Bilinear",
    "Convolve1D",
    "Convolve2D",
    "ConvolveND",
    "DCT",
    "FFT",
    "FFT2D",
    "FFTND",
    "Fredholm1",
    "Interp",
    "NonStationaryConvolve1D",
    "Patch2D",
    "Radon2D",
    "Shift",
    "Sliding2D",
    "patch2d_design",
    "sliding2d_design",
]
