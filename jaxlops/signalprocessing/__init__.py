"""Signal-processing operators, one per module, with PyLops 2 names and arguments."""

from jaxlops.signalprocessing.patch2d import Patch2D, patch2d_design
from jaxlops.signalprocessing.radon2d import Radon2D
from jaxlops.signalprocessing.sliding2d import Sliding2D, sliding2d_design

__all__ = ["Patch2D", "Radon2D", "Sliding2D", "patch2d_design", "sliding2d_design"]
